import { css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { ActionController } from '../core/action.ts';
import { ApiError, api } from '../core/api.ts';
import { errorBanner, field, formValues, isInvalid } from '../core/forms.ts';
import { t } from '../core/i18n.ts';
import { MjPage } from '../core/page.ts';
import { navigate } from '../core/router.ts';
import { refreshSession } from '../core/session.ts';
import { baseStyles } from '../core/styles.ts';

interface Invitation {
  memberName: string;
  organizationName: string;
}

/**
 * Where a printed slip leads: the member checks it is their name, chooses a login and password,
 * and is signed in. The code is taken out of the address bar at once so it does not linger in the
 * browser's history.
 */
@customElement('mj-invite')
export class MjInvite extends MjPage {
  static override styles = [
    baseStyles,
    css`
      .card { max-width: 460px; margin: 1.5rem auto; }
      .who { font-size: 1.25rem; }
      input.code { font-family: ui-monospace, Menlo, Consolas, monospace; letter-spacing: 0.08em; text-transform: uppercase; }
      button.primary { width: 100%; }
    `,
  ];

  @state() private code = '';
  @state() private invitation?: Invitation;
  private readonly action = new ActionController(this);

  override connectedCallback() {
    super.connectedCallback();
    const code = this.query.get('code') ?? new URLSearchParams(location.search).get('code');
    if (code) {
      history.replaceState(null, '', '/invite');
      this.code = code;
      void this.check();
    }
  }

  override render() {
    return html`<div class="card">
      <h1>${t('auth.invitationTitle')}</h1>
      ${errorBanner(this.action.error)}
      ${this.invitation ? this.renderAccountForm(this.invitation) : this.renderCodeForm()}
    </div>`;
  }

  private renderCodeForm() {
    return html`<form @submit=${this.submitCode} novalidate>
      <p>${t('members.invite.enterCode')}</p>
      ${field(
        'code',
        t('auth.invitationCode'),
        html`<input id="code" name="code" class="code" autocomplete="off" autocapitalize="characters" spellcheck="false"
          .value=${this.code} aria-invalid=${isInvalid(this.action.error, 'code')} />`,
        { error: this.action.error },
      )}
      <button class="primary" type="submit" ?disabled=${this.action.busy}>${t('common.next')}</button>
    </form>`;
  }

  private renderAccountForm(invitation: Invitation) {
    const e = this.action.error;
    return html`
      <p class="who">${t('auth.invitationIntro', { organization: invitation.organizationName, name: invitation.memberName })}</p>
      <p class="muted small">${t('members.invite.notYou')}
        <button class="link" @click=${this.otherCode}>${t('members.invite.otherCode')}</button></p>
      <form @submit=${this.accept} novalidate>
        ${field(
          'login',
          t('auth.login'),
          html`<input id="login" name="login" autocomplete="username" autocapitalize="off" aria-invalid=${isInvalid(e, 'login')} />`,
          {
            error: e,
            hint: t('members.invite.loginHint'),
          },
        )}
        ${field(
          'password',
          t('auth.password'),
          html`<input id="password" name="password" type="password" autocomplete="new-password" aria-invalid=${isInvalid(e, 'password')} />`,
          {
            error: e,
            hint: t('auth.passwordHint'),
          },
        )}
        ${field('confirm', t('members.invite.confirmPassword'), html`<input id="confirm" name="confirm" type="password" autocomplete="new-password" aria-invalid=${isInvalid(e, 'confirm')} />`, { error: e })}
        <button class="primary" type="submit" ?disabled=${this.action.busy}>${t('members.invite.create')}</button>
      </form>
      ${this.action.busy ? html`<p class="muted" role="status">${t('common.loading')}</p>` : nothing}
    `;
  }

  private otherCode() {
    this.invitation = undefined;
    this.action.setError(undefined);
  }

  private submitCode(event: SubmitEvent) {
    event.preventDefault();
    this.code = formValues(event.target as HTMLFormElement).code ?? '';
    return this.check();
  }

  private async check() {
    await this.run(async () => {
      this.invitation = await api.post<Invitation>('/api/invitations/preview', { code: this.code });
    });
  }

  private async accept(event: SubmitEvent) {
    event.preventDefault();
    const v = formValues(event.target as HTMLFormElement);
    if (v.password !== v.confirm) {
      this.action.setError(new ApiError(400, 'request.invalid', { confirm: 'passwordMismatch' }));
      return;
    }
    await this.run(async () => {
      await api.post('/api/invitations/accept', {
        code: this.code,
        login: v.login ?? '',
        password: v.password ?? '',
      });
      await refreshSession();
      navigate('/', { replace: true });
    });
  }

  private async run(action: () => Promise<void>) {
    await this.action.run(action);
    // A code that stopped working mid-way sends the person back to enter another.
    const error = this.action.error;
    if (error instanceof ApiError && error.code === 'auth.invitationInvalid') this.invitation = undefined;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mj-invite': MjInvite;
  }
}
