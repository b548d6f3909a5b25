import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { checkBallot } from '../../shared/domain/ballot-rules.ts';
import type { RoundView } from '../../shared/schemas/live.ts';
import { LocaleController, t } from '../core/i18n.ts';
import { baseStyles } from '../core/styles.ts';
import type { LiveConnection } from './connection.ts';
import { phoneStyles } from './live-styles.ts';
import { announceSubmitted, anonymityNote, choice } from './live-templates.ts';

/** Word-cloud answers: up to three short words (the protocol's limits). */
const maxWords = 3;
const maxWordLength = 20;

/** A quick poll on a phone: one choice, several choices, or up to three words for a word cloud. */
@customElement('mj-poll-task')
export class MjPollTask extends LitElement {
  static override styles = [
    baseStyles,
    phoneStyles,
    css`
      .question { font-size: 1.25rem; font-weight: 600; margin: 0.5rem 0 1rem; }
      .words input { margin-bottom: 0.5rem; font-size: 1.15rem; }
    `,
  ];
  @property({ attribute: false }) round!: RoundView;
  @property({ attribute: false }) connection!: LiveConnection;
  @state() private choices: number[] = [];
  @state() private words: string[] = ['', '', ''];
  @state() private problem = '';

  protected readonly localeController = new LocaleController(this);

  override render() {
    const poll = this.round.poll;
    if (!poll) return nothing;
    const multiple = poll.mode === 'multiple';
    return html`<form class="task" @submit=${this.submit} novalidate>
      <h1>${this.round.title}</h1>
      ${anonymityNote('ballot', this.round.anonymous)}
      ${
        poll.mode === 'wordCloud'
          ? html`<fieldset class="words">
            <legend class="question">${poll.question}</legend>
            <p class="hint">${t('liveUi.poll.wordsHint', { n: maxWords, max: maxWordLength })}</p>
            ${this.words.map(
              (word, i) => html`<input
                aria-label=${t('liveUi.poll.word', { n: i + 1 })}
                maxlength=${maxWordLength}
                .value=${word}
                @input=${(e: Event) => {
                  const next = [...this.words];
                  next[i] = (e.target as HTMLInputElement).value;
                  this.words = next;
                }}
              />`,
            )}
          </fieldset>`
          : html`<fieldset>
            <legend class="question">${poll.question}</legend>
            <p class="hint">${t(multiple ? 'liveUi.poll.chooseMany' : 'liveUi.poll.chooseOne')}</p>
            <div class="choices list">
              ${poll.options.map((option, i) =>
                choice({
                  type: multiple ? 'checkbox' : 'radio',
                  name: 'poll',
                  value: String(i),
                  label: option,
                  checked: this.choices.includes(i),
                  onChange: (checked) => {
                    if (!multiple) this.choices = [i];
                    else
                      this.choices = checked
                        ? [...this.choices, i].sort()
                        : this.choices.filter((c) => c !== i);
                  },
                }),
              )}
            </div>
          </fieldset>`
      }
      ${this.problem ? html`<div class="alert error" role="alert">${this.problem}</div>` : nothing}
      <button class="primary big" type="submit">${t('common.submit')}</button>
    </form>`;
  }

  private submit(event: SubmitEvent) {
    event.preventDefault();
    const poll = this.round.poll!;
    const words = [...new Set(this.words.map((w) => w.trim()).filter(Boolean))];
    const answers =
      poll.mode === 'wordCloud'
        ? { kind: 'poll' as const, words }
        : { kind: 'poll' as const, choices: this.choices };
    const problem = checkBallot({ kind: 'poll', ...poll }, undefined, answers);
    if (problem) {
      this.problem = t(poll.mode === 'wordCloud' ? 'liveUi.poll.needWord' : 'liveUi.poll.needChoice');
      return;
    }
    void this.connection.castBallot(this.round.id, answers);
    announceSubmitted(this, this.round.id);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mj-poll-task': MjPollTask;
  }
}
