import { css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type {
  ComponentView,
  ExplanationLineView,
  MeetingQualityView,
  OriginalityView,
  ScoreFlags,
  ScoreView,
} from '../../shared/schemas/quality.ts';
import { api } from '../core/api.ts';
import { errorBanner } from '../core/forms.ts';
import { formatDate, t } from '../core/i18n.ts';
import { MjPage } from '../core/page.ts';
import { baseStyles } from '../core/styles.ts';
import { listOf, paren } from '../meetings/meeting-format.ts';

const percent = (share: number) => Math.round(share * 100);
const line = (l: ExplanationLineView) => t(l.key, l.params);

const flagTone: Record<keyof ScoreFlags, string> = {
  procedureInvalid: 'danger',
  needsAttention: 'danger',
  provisional: 'warn',
  insufficientData: 'warn',
};

/** The explanation lines of a cap: its own line, and for the preparation gate the steps it found missing. */
function capLines(lines: readonly ExplanationLineView[], cap: string): ExplanationLineView[] {
  const at = lines.findIndex((l) => l.key === `quality.explain.cap.${cap}`);
  if (at < 0) return [];
  const details =
    cap === 'preparation' ? lines.filter((l) => l.key.startsWith('quality.explain.preparationMissing.')) : [];
  return [lines[at]!, ...details];
}

const gradeTone: Record<string, string> = { good: 'ok', fairlyGood: 'ok', average: 'warn', poor: 'danger' };

/**
 * A meeting's quality index as its branch and committee read it: the score and grade, what capped
 * it, each component with its sub-metrics and the lines that explain them, what the minutes still
 * lack, and every earlier value with why it changed. The recorder, host and branch committee also
 * see the near-duplicate flags of the meeting's criticism. Phone-first: one column, large numbers.
 */
@customElement('mj-meeting-quality')
export class MjMeetingQuality extends MjPage {
  static override styles = [
    baseStyles,
    css`
      :host { max-width: 860px; margin: 0 auto; }
      nav.crumbs { font-size: 0.9rem; margin-bottom: 0.5rem; overflow-wrap: anywhere; }
      h1 { overflow-wrap: anywhere; }
      .headline { display: flex; flex-wrap: wrap; gap: 1rem 1.5rem; align-items: center; }
      .score { font-size: 3.5rem; font-weight: 700; line-height: 1; color: var(--mj-red); }
      .score small { display: block; font-size: 0.85rem; font-weight: normal; color: var(--mj-muted); margin-top: 0.25rem; }
      .grade { font-size: 1.25rem; padding: 0.3rem 1rem; }
      .badges { display: flex; flex-wrap: wrap; gap: 0.4rem; }
      ul.lines { margin: 0.5rem 0 0; padding-left: 1.2rem; }
      ul.lines li { margin: 0.2rem 0; overflow-wrap: anywhere; }
      section.component { border-top: 1px solid var(--mj-line); padding: 0.9rem 0; }
      section.component:first-of-type { border-top: none; }
      .component-head { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: baseline; justify-content: space-between; }
      .component-head h3 { margin: 0; }
      .bar { height: 10px; border-radius: 5px; background: #eaeef2; overflow: hidden; margin: 0.5rem 0; }
      .bar > span { display: block; height: 100%; background: var(--mj-focus); }
      table.sub td.num, table.sub th.num { text-align: right; white-space: nowrap; }
      .flagged { border-left: 4px solid #d4a72c; padding: 0.5rem 0.75rem; margin: 0.75rem 0; background: #fffbea; border-radius: 4px; }
      .flagged p { margin: 0.25rem 0; white-space: pre-line; overflow-wrap: anywhere; }
      .flagged .flag { font-weight: 600; color: #7d4e00; }
      details > summary { cursor: pointer; min-height: 44px; padding: 0.6rem 0; }
      .text { white-space: pre-line; overflow-wrap: anywhere; }
      /* Long flag names wrap on a phone instead of pushing the page sideways. */
      .badge { white-space: normal; }
      ol.history { list-style: none; padding: 0; margin: 0; }
      ol.history li { border-top: 1px solid var(--mj-line); padding: 0.6rem 0; }
      ol.history li:first-child { border-top: none; }
      .history-score { font-size: 1.25rem; }
    `,
  ];

  @state() private view?: MeetingQualityView;
  @state() private originality?: OriginalityView;
  @state() private error: unknown;
  @state() private originalityError: unknown;

  override updated(changed: Map<string, unknown>) {
    if (changed.has('params')) void this.load();
  }

  private async load() {
    try {
      this.view = await api.get<MeetingQualityView>(`/api/meetings/${this.params.id}/quality`);
      this.error = undefined;
      if (this.view.me.canSeeOriginality) {
        this.originality = await api.get<OriginalityView>(
          `/api/meetings/${this.params.id}/quality/originality`,
        );
        this.originalityError = undefined;
      }
    } catch (err) {
      if (this.view) this.originalityError = err;
      else this.error = err;
    }
  }

  override render() {
    if (this.error) return errorBanner(this.error);
    const v = this.view;
    if (!v) return html`<p class="muted">${t('common.loading')}</p>`;
    return html`
      <nav class="crumbs" aria-label="breadcrumb">
        <a href="/orgs/${v.organizationId}">${v.organizationName}</a> ›
        <a href="/meetings/${v.meetingId}">${v.title}</a>
      </nav>
      <h1>${t('quality.page.title')}</h1>
      <p class="muted">${t(`meetingType.${v.type}`)} · ${formatDate(v.startsAt)}</p>
      ${v.pending && v.current ? html`<div class="alert warn" role="status">${t('quality.page.pending')}</div>` : nothing}
      ${v.current ? this.renderScore(v.current) : this.renderUnscored(v)}
      ${
        v.missingMinutesFields.length
          ? html`<div class="alert warn">${t('quality.page.missingFields', {
              fields: listOf(v.missingMinutesFields.map((f) => t(`quality.minutesField.${f}`))),
            })}
            <a href="/meetings/${v.meetingId}/minutes">${t('minutes.title')}</a></div>`
          : nothing
      }
      ${v.current ? this.renderComponents(v.current) : nothing}
      ${v.me.canSeeOriginality ? this.renderOriginality() : nothing}
      ${v.history.length ? this.renderHistory(v) : nothing}
    `;
  }

  private renderUnscored(v: MeetingQualityView) {
    return html`<div class="card"><p>${t(v.status === 'held' ? 'quality.page.notYetScored' : 'quality.page.notHeld')}</p></div>`;
  }

  private renderScore(s: ScoreView) {
    const flags = (Object.keys(flagTone) as Array<keyof ScoreFlags>).filter((f) => s.flags[f]);
    const uncapped = s.uncappedScore === null ? '' : String(Math.round(s.uncappedScore * 10) / 10);
    return html`<div class="card">
      <div class="headline">
        <div class="score" aria-label=${t('quality.index')}>${s.score ?? '—'}<small>${t('quality.page.scoreOutOf')}</small></div>
        ${s.grade ? html`<span class="badge grade ${gradeTone[s.grade]}">${t(`quality.grade.${s.grade}`)}</span>` : html`<span class="badge">${t('quality.page.noScore')}</span>`}
        <div class="badges">${flags.map((f) => html`<span class="badge ${flagTone[f]}">${t(`quality.flag.${f}`)}</span>`)}</div>
      </div>
      <p class="muted small">
        ${t('quality.page.rubric', { version: s.rubric.version, organization: s.rubric.organizationName ?? t('quality.page.builtInRubric') })}
        · ${t('quality.page.computedAt', { time: formatDate(s.computedAt, true) })}
      </p>
      ${
        s.caps.length
          ? html`<h2>${t('quality.page.caps')}</h2>
            <ul class="lines">${s.caps.map((c) => {
              const [explained, ...details] = capLines(s.explanation, c.key);
              return html`<li>${explained ? line(explained) : nothing}
                <span class="muted">${paren(c.binding ? t('quality.page.capBinding', { uncapped, cap: c.cap }) : t('quality.page.capNotBinding'))}</span>
                ${details.length ? html`<ul>${details.map((d) => html`<li>${line(d)}</li>`)}</ul>` : nothing}</li>`;
            })}</ul>`
          : nothing
      }
    </div>`;
  }

  private renderComponents(s: ScoreView) {
    const shownWithCaps = new Set(s.caps.flatMap((c) => capLines(s.explanation, c.key)));
    const general = s.explanation.filter((l) => !l.component && !shownWithCaps.has(l));
    return html`<div class="card">
      <h2>${t('quality.page.components')}</h2>
      ${s.components.map((c) =>
        this.renderComponent(
          c,
          s.explanation.filter((l) => l.component === c.key),
        ),
      )}
      <h3>${t('quality.page.overall')}</h3>
      <ul class="lines">${general.map((l) => html`<li>${line(l)}</li>`)}</ul>
    </div>`;
  }

  private renderComponent(c: ComponentView, lines: ExplanationLineView[]) {
    const scored = c.status === 'scored' && c.score !== null;
    return html`<section class="component" aria-label=${t(`quality.component.${c.key}`)}>
      <div class="component-head">
        <h3>${t(`quality.component.${c.key}`)}</h3>
        ${
          scored
            ? html`<strong>${percent(c.score!)}%${c.provisional ? html` <span class="badge warn">${t('quality.flag.provisional')}</span>` : nothing}</strong>`
            : html`<span class="badge">${t(`quality.status.${c.status}`)}</span>`
        }
      </div>
      ${
        scored
          ? html`<div class="bar" role="img" aria-label="${percent(c.score!)}%"><span style="width: ${percent(c.score!)}%"></span></div>
            <p class="muted small">${t('quality.page.points', { points: (Math.round(c.points! * 10) / 10).toFixed(1), share: percent(c.share) })}</p>
            <div class="table-wrap"><table class="sub">
              <thead><tr><th>${t('quality.page.subMetric')}</th><th class="num">${t('quality.page.subScore')}</th><th class="num">${t('quality.page.subWeight')}</th></tr></thead>
              <tbody>${c.subMetrics.map(
                (m) => html`<tr><td>${t(`quality.metric.${m.key}`)}</td>
                  <td class="num">${m.applicable && m.score !== null ? `${percent(m.score)}%` : t('quality.page.notApplicable')}</td>
                  <td class="num">${m.weight}</td></tr>`,
              )}</tbody>
            </table></div>`
          : nothing
      }
      <ul class="lines">${lines.map((l) => html`<li>${line(l)}</li>`)}</ul>
    </section>`;
  }

  private renderOriginality() {
    const o = this.originality;
    const body = () => {
      if (this.originalityError) return errorBanner(this.originalityError);
      if (!o) return html`<p class="muted">${t('common.loading')}</p>`;
      if (o.items.length === 0) return html`<p class="muted">${t('quality.originality.noTexts')}</p>`;
      const flagged = o.items.filter((i) => i.match);
      const others = o.items.filter((i) => !i.match);
      const item = (i: OriginalityView['items'][number]) =>
        html`<div class=${i.match ? 'flagged' : ''}>
          <p class="small muted">${t(`quality.originality.kind.${i.kind}`)} · ${t('quality.originality.subject', { name: i.subjectName })}</p>
          <p class="text">${i.text}</p>
          ${i.match ? html`<p class="flag">⚠ ${line(i.match.line)}${i.match.sameMeeting ? ` · ${t('quality.originality.sameMeeting')}` : ''}</p>` : nothing}
        </div>`;
      return html`
        <p class="muted small">${t('quality.originality.intro', {
          years: o.lookbackYears,
          compared: o.compared,
          threshold: percent(o.threshold),
        })}</p>
        <p><strong>${flagged.length ? t('quality.originality.flagged', { count: flagged.length }) : t('quality.originality.none')}</strong></p>
        ${flagged.map(item)}
        ${
          others.length
            ? html`<details><summary>${t('quality.originality.others', { count: others.length })}</summary>${others.map(item)}</details>`
            : nothing
        }
      `;
    };
    return html`<div class="card"><h2>${t('quality.originality.title')}</h2>${body()}</div>`;
  }

  private renderHistory(v: MeetingQualityView) {
    return html`<div class="card">
      <h2>${t('quality.page.history')}</h2>
      <ol class="history">${v.history.map(
        (h) => html`<li>
          <div class="row"><strong class="history-score">${h.score ?? '—'}</strong>
            ${h.grade ? html`<span class="badge ${gradeTone[h.grade]}">${t(`quality.grade.${h.grade}`)}</span>` : nothing}
            <span>${t(`quality.reason.${h.reason}`)}</span></div>
          <div class="muted small">${t('quality.page.historyEntry', {
            time: formatDate(h.computedAt, true),
            version: h.rubric.version,
            replaced: formatDate(h.supersededAt, true),
          })}</div>
        </li>`,
      )}</ol>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mj-meeting-quality': MjMeetingQuality;
  }
}
