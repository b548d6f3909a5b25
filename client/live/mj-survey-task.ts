import { html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { checkBallot } from '../../shared/domain/ballot-rules.ts';
import type { RoundView } from '../../shared/schemas/live.ts';
import type { OverallSatisfaction } from '../../shared/schemas/rounds.ts';
import { LocaleController, locale, t } from '../core/i18n.ts';
import { baseStyles } from '../core/styles.ts';
import type { LiveConnection } from './connection.ts';
import { phoneStyles } from './live-styles.ts';
import { announceSubmitted, anonymityNote, choice, styleHint } from './live-templates.ts';

/** The overall answers in the order shown; `satisfies` makes the compiler insist on all of them. */
const overallChoices = Object.keys({
  satisfied: 1,
  basicallySatisfied: 1,
  dissatisfied: 1,
} satisfies Record<OverallSatisfaction, 1>) as OverallSatisfaction[];

/**
 * The satisfaction survey on a phone: each item on a 1–5 scale, the overall 满意/基本满意/不满意,
 * an optional comment. Nothing is sent until every item is answered (checked with the same rule
 * the server applies); the ballot is saved on the phone before it is sent.
 */
@customElement('mj-survey-task')
export class MjSurveyTask extends LitElement {
  static override styles = [baseStyles, phoneStyles];
  @property({ attribute: false }) round!: RoundView;
  @property({ attribute: false }) connection!: LiveConnection;
  @state() private likert: Record<string, number> = {};
  @state() private overall?: OverallSatisfaction;
  @state() private comment = '';
  @state() private missing: string[] = [];

  protected readonly localeController = new LocaleController(this);

  override render() {
    const instrument = this.round.instrument;
    if (!instrument) return nothing;
    const lang = locale();
    return html`<form class="task" @submit=${this.submit} novalidate>
      <h1>${this.round.title}</h1>
      ${anonymityNote('ballot', this.round.anonymous)}
      ${instrument.likert.map(
        (item) => html`<fieldset>
          <legend id="q-${item.key}">${item.label[lang]}${this.missing.includes(item.key) ? html` <span class="missing">${t('validation.required')}</span>` : nothing}</legend>
          <div class="choices scale">
            ${[1, 2, 3, 4, 5].map((n) =>
              choice({
                type: 'radio',
                name: item.key,
                value: String(n),
                label: String(n),
                ariaLabel: t('liveUi.survey.points', { n }),
                checked: this.likert[item.key] === n,
                onChange: () => {
                  this.likert = { ...this.likert, [item.key]: n };
                  this.missing = this.missing.filter((k) => k !== item.key);
                },
              }),
            )}
          </div>
          <div class="scale-ends" aria-hidden="true"><span>${t('liveUi.survey.low')}</span><span>${t('liveUi.survey.high')}</span></div>
        </fieldset>`,
      )}
      ${
        instrument.overall
          ? html`<fieldset>
            <legend>${t('liveUi.survey.overall')}${this.missing.includes('overall') ? html` <span class="missing">${t('validation.required')}</span>` : nothing}</legend>
            <div class="choices">
              ${overallChoices.map((value) =>
                choice({
                  type: 'radio',
                  name: 'overall',
                  value,
                  label: t(`overallSatisfaction.${value}`),
                  checked: this.overall === value,
                  onChange: () => {
                    this.overall = value;
                    this.missing = this.missing.filter((k) => k !== 'overall');
                  },
                }),
              )}
            </div>
          </fieldset>`
          : nothing
      }
      ${
        instrument.comment
          ? html`<div class="field">
            <label for="comment">${t('liveUi.survey.comment')} <span class="hint">${t('common.optional')}</span></label>
            <textarea id="comment" maxlength="1000" .value=${this.comment} @input=${(e: Event) => (this.comment = (e.target as HTMLTextAreaElement).value)}></textarea>
            ${styleHint(this.comment)}
          </div>`
          : nothing
      }
      ${this.missing.length > 0 ? html`<div class="alert error" role="alert">${t('liveUi.survey.incomplete', { n: this.missing.length })}</div>` : nothing}
      <button class="primary big" type="submit">${t('common.submit')}</button>
    </form>`;
  }

  private submit(event: SubmitEvent) {
    event.preventDefault();
    const instrument = this.round.instrument!;
    const comment = this.comment.trim();
    const answers = {
      kind: 'survey' as const,
      likert: this.likert,
      ...(this.overall ? { overall: this.overall } : {}),
      ...(comment ? { comment } : {}),
    };
    const problem = checkBallot({ kind: 'survey' }, instrument, answers);
    if (problem) {
      this.missing = Object.keys(problem.fields).map((f) => f.replace(/^answers\.(likert\.)?/, ''));
      void this.updateComplete.then(() =>
        this.renderRoot.querySelector('.missing')?.scrollIntoView({ block: 'center' }),
      );
      return;
    }
    void this.connection.castBallot(this.round.id, answers);
    announceSubmitted(this, this.round.id);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mj-survey-task': MjSurveyTask;
  }
}
