import { css, html, LitElement, svg } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { LocaleController, t } from '../core/i18n.ts';

/**
 * How many have answered, as a ring and a number ("已作答 23 / 31") — the only thing the wall ever
 * shows of an open round: a count, never a distribution.
 */
@customElement('mj-progress-ring')
export class MjProgressRing extends LitElement {
  static override styles = css`
    :host { display: inline-flex; flex-direction: column; align-items: center; gap: 0.3em; }
    svg { width: var(--ring-size, 8em); height: var(--ring-size, 8em); transform: rotate(-90deg); }
    .track { stroke: #e6e9ee; }
    .fill { stroke: var(--mj-red); transition: stroke-dashoffset 0.4s ease; }
    .count { font-weight: 700; font-variant-numeric: tabular-nums; font-size: 1.4em; }
  `;
  @property({ type: Number }) answered = 0;
  @property({ type: Number }) eligible = 0;
  /** The words before the numbers: 已作答 (answered) by default. */
  @property() label = '';

  protected readonly localeController = new LocaleController(this);

  override render() {
    const radius = 42;
    const circumference = 2 * Math.PI * radius;
    const share = this.eligible > 0 ? Math.min(1, this.answered / this.eligible) : 0;
    const text = t('liveUi.wall.answered', {
      label: this.label || t('liveUi.wall.answeredLabel'),
      answered: this.answered,
      eligible: this.eligible,
    });
    return html`<svg viewBox="0 0 100 100" aria-hidden="true">
        ${svg`<circle class="track" cx="50" cy="50" r=${radius} fill="none" stroke-width="12"></circle>
          <circle class="fill" cx="50" cy="50" r=${radius} fill="none" stroke-width="12" stroke-linecap="round"
            stroke-dasharray=${circumference} stroke-dashoffset=${circumference * (1 - share)}></circle>`}
      </svg>
      <span class="count" role="status">${text}</span>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mj-progress-ring': MjProgressRing;
  }
}
