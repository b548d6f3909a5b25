import { css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api } from '../core/api.ts';
import { errorBanner } from '../core/forms.ts';
import { t } from '../core/i18n.ts';
import { baseStyles } from '../core/styles.ts';
import { ConsolePanel, consoleStyles } from './console-panel.ts';
import './mj-countdown.ts';

/** Speaking-time presets in minutes (a self-examination often gets 5, a criticism 2 or 3). */
const presets = [1, 2, 3, 5, 10];

/** The host's timer: shown on the wall and on every phone, counted down in server time. */
@customElement('mj-timer-control')
export class MjTimerControl extends ConsolePanel {
  static override styles = [
    baseStyles,
    consoleStyles,
    css`
      :host { display: block; }
      .row { gap: 0.4rem; }
      input.minutes { width: 5rem; }
      input.label { width: 12rem; }
      mj-countdown { font-size: 1.4rem; }
      button { min-height: 40px; padding: 0.25rem 0.7rem; }
    `,
  ];
  @property({ type: Number }) clockOffsetMs = 0;
  @state() private minutes = '3';
  @state() private label = '';

  override render() {
    const running = !!this.live.timer?.endsAt;
    return html`<div class="row" role="group" aria-label=${t('liveUi.timer.title')}>
        <strong>${t('liveUi.timer.title')}</strong>
        ${running ? html`<mj-countdown .timer=${this.live.timer} .clockOffsetMs=${this.clockOffsetMs}></mj-countdown>` : ''}
        ${presets.map((m) => html`<button type="button" ?disabled=${this.busy} @click=${() => this.start(m)}>${t('liveUi.timer.minutes', { n: m })}</button>`)}
        <label class="visually-hidden" for="timer-minutes">${t('liveUi.timer.customMinutes')}</label>
        <input id="timer-minutes" class="minutes" type="number" min="1" max="240" .value=${this.minutes} @input=${(e: Event) => (this.minutes = (e.target as HTMLInputElement).value)} />
        <label class="visually-hidden" for="timer-label">${t('liveUi.timer.label')}</label>
        <input id="timer-label" class="label" maxlength="60" placeholder=${t('liveUi.timer.label')} .value=${this.label} @input=${(e: Event) => (this.label = (e.target as HTMLInputElement).value)} />
        <button type="button" class="primary" ?disabled=${this.busy} @click=${() => this.start(Number(this.minutes))}>${t('liveUi.timer.start')}</button>
        ${running ? html`<button type="button" ?disabled=${this.busy} @click=${this.stop}>${t('liveUi.timer.stop')}</button>` : ''}
      </div>
      ${errorBanner(this.error)}`;
  }

  private start(minutes: number) {
    return this.run(() =>
      api.put(this.url('/timer'), { seconds: Math.round(minutes * 60), label: this.label.trim() }),
    );
  }

  private stop() {
    return this.run(() => api.delete(this.url('/timer')));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mj-timer-control': MjTimerControl;
  }
}
