import { css, html, LitElement, nothing, type TemplateResult } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { PollResults, RoundView, SurveyResults } from '../../shared/schemas/live.ts';
import type { OverallSatisfaction } from '../../shared/schemas/rounds.ts';
import { LocaleController, locale, t } from '../core/i18n.ts';
import { baseStyles } from '../core/styles.ts';

interface Bar {
  label: string;
  value: number;
  /** What is printed at the end of the bar. */
  text: string;
}

const overallOrder: OverallSatisfaction[] = ['satisfied', 'basicallySatisfied', 'dissatisfied'];

/**
 * The results of a closed survey or poll as bar charts (and a word cloud), the same on a phone,
 * the host's console and the wall — only bigger on the wall. Plain HTML bars: crisp at any size,
 * read by screen readers as a list of labelled numbers, and nothing to download on a phone. Shows
 * only what the server sent for this audience; below the threshold k it says why nothing is shown.
 */
@customElement('mj-round-results')
export class MjRoundResults extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host { --bar: var(--mj-red); font-size: 1rem; }
      /* The wall: as large as fits a 16:9 screen with the header, up to 13 lines of bars. */
      :host([size='wall']) { font-size: min(1.7rem, 3.4vh); }
      h3 { font-size: 1em; margin: 1em 0 0.5em; color: var(--mj-muted); font-weight: 600; }
      ul.bars { list-style: none; padding: 0; margin: 0; display: grid; gap: 0.55em; }
      ul.bars li { display: grid; grid-template-columns: minmax(6em, 40%) 1fr 6.5em; align-items: center; gap: 0.6em; }
      .label { overflow-wrap: anywhere; line-height: 1.25; }
      .track { background: #eceff3; border-radius: 0.3em; height: 1.1em; overflow: hidden; }
      .fill { background: var(--bar); height: 100%; border-radius: 0.3em; min-width: 2px; }
      .value { font-weight: 700; font-variant-numeric: tabular-nums; min-width: 3.5em; text-align: right; }
      .n { color: var(--mj-muted); margin: 0.25em 0 0.75em; }
      .suppressed { color: var(--mj-muted); font-size: 0.95em; }
      :host([size='wall']) .cloud { font-size: 1.8em; }
      .question { font-weight: 600; margin: 0.25em 0; }
      .cloud { display: flex; flex-wrap: wrap; gap: 0.2em 0.7em; align-items: baseline; justify-content: center; line-height: 1.15; padding: 0.5em 0; }
      .cloud > span:nth-child(3n + 1) { color: var(--mj-red); }
      .cloud > span:nth-child(3n + 2) { color: #0a3069; }
      .cloud > span:nth-child(3n) { color: #7d4e00; }
      ol.comments { padding-left: 1.25em; }
      ol.comments li { margin: 0.35em 0; white-space: pre-wrap; overflow-wrap: anywhere; }
      @media (max-width: 420px) {
        ul.bars li { grid-template-columns: 1fr 6.5em; }
        ul.bars li .track { grid-column: 1 / -1; grid-row: 2; }
      }
    `,
  ];
  @property({ attribute: false }) round!: RoundView;
  /** `wall` for the projector. */
  @property({ reflect: true }) size: 'normal' | 'wall' = 'normal';

  protected readonly localeController = new LocaleController(this);

  override render() {
    const results = this.round.results;
    if (!results) return nothing;
    if (results.suppressed)
      return html`<p class="suppressed" role="note">${t('live.suppressed', { k: results.k })}</p>`;
    if (this.round.kind === 'survey')
      return this.survey(results as Extract<SurveyResults, { suppressed: false }>);
    if (this.round.kind === 'poll') return this.poll(results as Extract<PollResults, { suppressed: false }>);
    return nothing;
  }

  private survey(results: Extract<SurveyResults, { suppressed: false }>) {
    const lang = locale();
    const labelOf = (key: string) =>
      this.round.instrument?.likert.find((i) => i.key === key)?.label[lang] ?? key;
    const overall = results.overall;
    const overallTotal = overall ? overallOrder.reduce((sum, k) => sum + overall[k], 0) : 0;
    return html`
      <p class="n">${t('liveUi.results.n', { n: results.n })}</p>
      <h3>${t('liveUi.results.dimensions')}</h3>
      ${bars(
        results.likert.map((item) => ({
          label: labelOf(item.key),
          value: item.mean / 5,
          text: item.mean.toFixed(2),
        })),
      )}
      ${
        overall
          ? html`<h3>${t('liveUi.survey.overall')}</h3>
            ${bars(
              overallOrder.map((key) => ({
                label: t(`overallSatisfaction.${key}`),
                value: overallTotal ? overall[key] / overallTotal : 0,
                text: t('liveUi.results.countShare', {
                  count: overall[key],
                  share: percent(overall[key], overallTotal),
                }),
              })),
            )}`
          : nothing
      }
      ${
        results.comments && results.comments.length > 0
          ? html`<h3>${t('liveUi.results.comments')}</h3>
            <ol class="comments">${results.comments.map((c) => html`<li>${c}</li>`)}</ol>`
          : nothing
      }
    `;
  }

  private poll(results: Extract<PollResults, { suppressed: false }>) {
    const poll = this.round.poll;
    const question = poll ? html`<p class="question">${poll.question}</p>` : nothing;
    if (poll?.mode === 'wordCloud') {
      const top = Math.max(1, ...results.words.map((w) => w.count));
      return html`${question}<p class="n">${t('liveUi.results.n', { n: results.n })}</p>
        <p class="cloud" aria-label=${t('pollMode.wordCloud')}>
          ${results.words.map(
            (w) =>
              html`<span style="font-size: ${(0.9 + 1.9 * (w.count / top)).toFixed(2)}em" title=${String(w.count)}>${w.word}<span class="visually-hidden">${t('liveUi.results.wordCount', { count: w.count })}</span></span>`,
          )}
        </p>`;
    }
    return html`${question}<p class="n">${t('liveUi.results.n', { n: results.n })}</p>
      ${bars(
        (poll?.options ?? []).map((option, i) => ({
          label: option,
          value: results.n ? (results.counts[i] ?? 0) / results.n : 0,
          text: t('liveUi.results.countShare', {
            count: results.counts[i] ?? 0,
            share: percent(results.counts[i] ?? 0, results.n),
          }),
        })),
      )}`;
  }
}

function percent(part: number, whole: number): string {
  return whole ? `${Math.round((part / whole) * 100)}%` : '0%';
}

function bars(items: Bar[]): TemplateResult {
  return html`<ul class="bars">
    ${items.map(
      (bar) => html`<li>
        <span class="label">${bar.label}</span>
        <span class="track" aria-hidden="true"><span class="fill" style="display:block;width:${Math.round(bar.value * 1000) / 10}%"></span></span>
        <span class="value">${bar.text}</span>
      </li>`,
    )}
  </ul>`;
}

declare global {
  interface HTMLElementTagNameMap {
    'mj-round-results': MjRoundResults;
  }
}
