import { css, html, LitElement, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { LiveState } from '../../shared/schemas/live.ts';
import { LocaleController, t } from '../core/i18n.ts';
import { clockIcon } from './icons.ts';
import { formatClock, secondsLeft } from './live-view.ts';

/**
 * The host's timer as everyone sees it, counting down in server time (so a phone with a wrong clock
 * shows the same as the wall). Ticks once a second only while a timer runs.
 */
@customElement('mj-countdown')
export class MjCountdown extends LitElement {
  static override styles = css`
    :host { display: inline-flex; align-items: baseline; gap: 0.4em; font-variant-numeric: tabular-nums; }
    .clock { font-weight: 700; }
    .up { color: var(--mj-danger); }
  `;
  @property({ attribute: false }) timer: LiveState['timer'] = null;
  @property({ type: Number }) clockOffsetMs = 0;
  private ticker?: ReturnType<typeof setInterval>;

  protected readonly localeController = new LocaleController(this);

  override updated() {
    const running = !!this.timer?.endsAt;
    if (running && !this.ticker) this.ticker = setInterval(() => this.requestUpdate(), 1000);
    if (!running && this.ticker) {
      clearInterval(this.ticker);
      this.ticker = undefined;
    }
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    clearInterval(this.ticker);
    this.ticker = undefined;
  }

  override render() {
    const timer = this.timer;
    if (!timer?.endsAt) return nothing;
    const left = secondsLeft(timer.endsAt, this.clockOffsetMs);
    return html`${clockIcon}${timer.label ? html`<span class="label">${timer.label}</span>` : nothing}
      <span class="clock ${left === 0 ? 'up' : ''}" role="timer" aria-label=${t('liveUi.timer.left', { time: formatClock(left) })}>${left === 0 ? t('liveUi.timer.up') : formatClock(left)}</span>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mj-countdown': MjCountdown;
  }
}
