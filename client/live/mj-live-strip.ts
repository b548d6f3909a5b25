import { css, html, LitElement, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { LocaleController, t } from '../core/i18n.ts';
import { baseStyles } from '../core/styles.ts';
import type { ConnectionStatus } from './connection.ts';

/**
 * The phone's persistent strip: meeting name, "已签到 ✓" and the connection state, including how
 * many submissions are saved on the phone waiting to be sent. Announced politely to screen readers.
 */
@customElement('mj-live-strip')
export class MjLiveStrip extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host { position: sticky; top: 0; z-index: 5; }
      .strip { background: var(--mj-red); color: #fff; padding: 0.5rem 0.9rem; display: flex; flex-wrap: wrap; align-items: center; gap: 0.25rem 0.75rem; }
      .title { font-weight: 700; font-size: 1.05rem; flex: 1 1 100%; overflow-wrap: anywhere; }
      .badge { background: rgba(255, 255, 255, 0.18); color: #fff; font-size: 0.9rem; }
      .badge.away { background: #ffe08a; color: #4a3000; }
      .state { font-size: 0.95rem; display: inline-flex; align-items: center; gap: 0.35rem; }
      .dot { width: 0.7rem; height: 0.7rem; border-radius: 50%; background: #7ee787; display: inline-block; }
      .state.reconnecting .dot, .state.connecting .dot { background: var(--mj-gold); }
      .state.offline .dot, .state.refused .dot { background: #ffb4b4; }
      button { background: transparent; color: #fff; border-color: rgba(255, 255, 255, 0.6); min-height: 36px; padding: 0.1rem 0.6rem; font-size: 0.9rem; margin-left: auto; }
    `,
  ];

  @property() meetingTitle = '';
  @property() presence: 'member' | 'observer' | null = null;
  /** A member admitted but not recorded present: the badge must not say they are checked in. */
  @property({ type: Boolean }) notPresent = false;
  /** null before there is anything to connect to (the phone is asking for a code). */
  @property({ attribute: false }) status: ConnectionStatus | null = 'connecting';
  @property({ type: Number }) pending = 0;

  protected readonly localeController = new LocaleController(this);

  override render() {
    const status = this.status === 'refused' ? 'offline' : this.status;
    let text = status ? t(`liveUi.status.${status}`) : '';
    if (this.pending > 0 && status !== 'online')
      text = t('liveUi.status.savedPending', { status: text, n: this.pending });
    else if (this.pending > 0) text = t('liveUi.status.sending', { status: text, n: this.pending });
    return html`<div class="strip">
      <span class="title">${this.meetingTitle}</span>
      ${
        this.presence === 'member' && this.notPresent
          ? html`<span class="badge away">${t('liveUi.notCheckedIn')}</span>`
          : this.presence
            ? html`<span class="badge">${t(this.presence === 'member' ? 'liveUi.checkedIn' : 'liveUi.observing')}</span>`
            : nothing
      }
      ${status ? html`<span class="state ${status}" role="status" aria-live="polite"><span class="dot" aria-hidden="true"></span>${text}</span>` : nothing}
      <slot></slot>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mj-live-strip': MjLiveStrip;
  }
}
