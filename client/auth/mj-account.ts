import { html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { api } from '../core/api.ts';
import { errorBanner, field, formValues, isInvalid } from '../core/forms.ts';
import { t } from '../core/i18n.ts';
import { MjPage } from '../core/page.ts';
import { currentUser } from '../core/session.ts';

@customElement('mj-account')
export class MjAccount extends MjPage {
  @state() private error: unknown;
  @state() private done = false;

  override render() {
    const user = currentUser();
    const e = this.error;
    return html`
      <h1>${user?.displayName}</h1>
      <p class="muted">${t('auth.login')}: ${user?.login}</p>
      <div class="card" style="max-width: 480px">
        <h2>${t('auth.changePassword')}</h2>
        ${errorBanner(e)} ${this.done ? html`<div class="alert ok" role="status">${t('auth.passwordChanged')}</div>` : ''}
        <form @submit=${this.submit} novalidate>
          ${field('currentPassword', t('auth.currentPassword'), html`<input id="currentPassword" name="currentPassword" type="password" autocomplete="current-password" aria-invalid=${isInvalid(e, 'currentPassword')} />`, { error: e })}
          ${field('newPassword', t('auth.newPassword'), html`<input id="newPassword" name="newPassword" type="password" autocomplete="new-password" aria-invalid=${isInvalid(e, 'newPassword')} />`, { error: e, hint: t('auth.passwordHint') })}
          <button class="primary" type="submit">${t('common.save')}</button>
        </form>
      </div>
    `;
  }

  private async submit(event: SubmitEvent) {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    this.error = undefined;
    this.done = false;
    try {
      await api.post('/api/auth/password', formValues(form));
      form.reset();
      this.done = true;
    } catch (err) {
      this.error = err;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mj-account': MjAccount;
  }
}
