import { css, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { z } from 'zod';
import type { joinResolution } from '../../shared/schemas/live-http.ts';
import { api } from '../core/api.ts';
import { errorBanner, field, formValues } from '../core/forms.ts';
import { t } from '../core/i18n.ts';
import { MjPage } from '../core/page.ts';
import { navigate } from '../core/router.ts';
import { currentUser, onSessionChange } from '../core/session.ts';
import { baseStyles } from '../core/styles.ts';
import { browserStore, DeviceStore } from './device-store.ts';
import { phoneStyles } from './live-styles.ts';
import './mj-claim-form.ts';

type Resolution = z.infer<typeof joinResolution>;

/**
 * Where the QR code on the wall leads (/j/<code>), and where people type the short code (/j). It
 * names the meeting; then a signed-in member goes straight in, a phone that claimed its roster
 * entry before goes straight in, and anyone else claims their entry with the code on their slip
 * (or joins as an observer).
 */
@customElement('mj-join-page')
export class MjJoinPage extends MjPage {
  static override styles = [
    baseStyles,
    phoneStyles,
    css`
      .meeting { text-align: center; padding: 1.25rem 1rem 0.5rem; }
      .meeting .org { color: var(--mj-muted); }
      .code-input { font-size: 1.6rem; letter-spacing: 0.3em; text-align: center; text-transform: uppercase; }
    `,
  ];
  @state() private meeting?: Resolution;
  @state() private error: unknown;
  @state() private busy = false;
  private unsubscribe?: () => void;

  override connectedCallback() {
    super.connectedCallback();
    this.unsubscribe = onSessionChange(() => this.requestUpdate());
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.unsubscribe?.();
  }

  override updated(changed: Map<string, unknown>) {
    if (changed.has('params') && this.params.code) void this.resolve(this.params.code);
    this.enterIfKnown();
  }

  /** A phone that claimed its entry before, or a signed-in account, goes straight in. */
  private enterIfKnown() {
    const meeting = this.meeting;
    if (!meeting) return;
    const pass = new DeviceStore(browserStore(), meeting.meetingId).pass();
    if (pass || currentUser()) navigate(`/live/${meeting.meetingId}`, { replace: true });
  }

  private async resolve(code: string) {
    this.busy = true;
    this.error = undefined;
    try {
      this.meeting = await api.post<Resolution>('/api/live/join', { code });
    } catch (err) {
      this.meeting = undefined;
      this.error = err;
    } finally {
      this.busy = false;
    }
  }

  override render() {
    const meeting = this.meeting;
    return html`<div class="task">
      ${meeting ? html`<div class="meeting"><h1>${meeting.title}</h1><p class="org">${meeting.organizationName}</p></div>` : html`<h1>${t('liveUi.join.title')}</h1>`}
      ${errorBanner(this.error)}
      ${meeting ? this.renderWays(meeting) : this.renderCodeForm()}
    </div>`;
  }

  private renderCodeForm() {
    return html`<form class="card" @submit=${this.submitCode} novalidate>
      ${field('join-code', t('liveUi.join.codeLabel'), html`<input id="join-code" class="code-input" name="code" maxlength="8" autocomplete="off" autocapitalize="characters" spellcheck="false" .value=${this.params.code ?? ''} />`, { hint: t('liveUi.join.codeHint') })}
      <button class="primary big" type="submit" ?disabled=${this.busy}>${t('liveUi.join.go')}</button>
    </form>`;
  }

  private submitCode(event: SubmitEvent) {
    event.preventDefault();
    const { code } = formValues(event.target as HTMLFormElement);
    if (code) navigate(`/j/${encodeURIComponent(code.toUpperCase())}`);
  }

  private renderWays(meeting: Resolution) {
    if (currentUser() !== null) return html`<p class="muted">${t('common.loading')}</p>`;
    return html`<mj-claim-form .next=${`/live/${meeting.meetingId}`}></mj-claim-form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mj-join-page': MjJoinPage;
  }
}
