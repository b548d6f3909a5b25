import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { z } from 'zod';
import type { claimResponse } from '../../shared/schemas/live-http.ts';
import { api } from '../core/api.ts';
import { errorBanner, field, formValues, isInvalid } from '../core/forms.ts';
import { LocaleController, t } from '../core/i18n.ts';
import { navigate } from '../core/router.ts';
import { baseStyles } from '../core/styles.ts';
import { browserStore, DeviceStore } from './device-store.ts';
import { phoneStyles } from './live-styles.ts';

type Claimed = z.infer<typeof claimResponse>;

/**
 * Joining without an account on this phone: a member types the one-time claim code from the slip
 * the host printed (the phone keeps the device token it gets back, so this happens once), an
 * observer (列席) types an observer code. Either way the phone then opens the meeting.
 */
@customElement('mj-claim-form')
export class MjClaimForm extends LitElement {
  static override styles = [
    baseStyles,
    phoneStyles,
    css`
      .card { margin-top: 1rem; }
      input { font-size: 1.25rem; letter-spacing: 0.08em; text-transform: uppercase; }
      details { margin-top: 1rem; }
      summary { min-height: 44px; display: flex; align-items: center; cursor: pointer; font-weight: 600; }
    `,
  ];
  /** Shown above the forms, e.g. why the phone has to claim again. */
  @property() notice = '';
  /** Where "sign in" returns to. */
  @property() next = '';
  @state() private error: unknown;
  @state() private busy = false;

  protected readonly localeController = new LocaleController(this);

  override render() {
    const e = this.error;
    return html`
      ${this.notice ? html`<div class="alert warn" role="alert">${this.notice}</div>` : nothing}
      ${errorBanner(e)}
      <form class="card" @submit=${(ev: SubmitEvent) => this.claim(ev, 'device')} novalidate>
        <h2>${t('liveUi.join.claimTitle')}</h2>
        <p class="hint">${t('liveUi.join.claimHelp')}</p>
        ${field('claim-code', t('liveUi.join.claimCode'), html`<input id="claim-code" name="code" autocomplete="one-time-code" autocapitalize="characters" spellcheck="false" aria-invalid=${isInvalid(e, 'code')} />`, { error: e, name: 'code' })}
        <button class="primary big" type="submit" ?disabled=${this.busy}>${t('liveUi.join.claim')}</button>
      </form>
      <details>
        <summary>${t('liveUi.join.observerTitle')}</summary>
        <form class="card" @submit=${(ev: SubmitEvent) => this.claim(ev, 'observer')} novalidate>
          <p class="hint">${t('liveUi.join.observerHelp')}</p>
          ${field('observer-code', t('liveUi.join.observerCode'), html`<input id="observer-code" name="code" autocapitalize="characters" spellcheck="false" />`)}
          <button class="big" type="submit" ?disabled=${this.busy}>${t('liveUi.join.observe')}</button>
        </form>
      </details>
      <p><a class="button" href="/sign-in?next=${encodeURIComponent(this.next || location.pathname)}">${t('liveUi.join.signIn')}</a></p>
    `;
  }

  private async claim(event: SubmitEvent, kind: 'device' | 'observer') {
    event.preventDefault();
    const { code } = formValues(event.target as HTMLFormElement);
    this.busy = true;
    this.error = undefined;
    try {
      const claimed = await api.post<Claimed>(kind === 'device' ? '/api/live/claim' : '/api/live/observe', {
        code: code ?? '',
      });
      new DeviceStore(browserStore(), claimed.meetingId).setPass({
        kind,
        token: claimed.token,
        name: claimed.name,
      });
      this.dispatchEvent(new CustomEvent('mj-claimed', { detail: claimed, bubbles: true, composed: true }));
      const target = `/live/${claimed.meetingId}`;
      if (location.pathname !== target) navigate(target);
    } catch (err) {
      this.error = err;
    } finally {
      this.busy = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mj-claim-form': MjClaimForm;
  }
}
