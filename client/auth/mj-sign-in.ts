import { html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { Me } from '../../shared/schemas/auth.ts';
import { api } from '../core/api.ts';
import { errorBanner, formValues } from '../core/forms.ts';
import { t } from '../core/i18n.ts';
import { MjPage } from '../core/page.ts';
import { navigate } from '../core/router.ts';
import { setSignedIn } from '../core/session.ts';

@customElement('mj-sign-in')
export class MjSignIn extends MjPage {
  @state() private error: unknown;
  @state() private busy = false;
  @state() private needsSetup = false;

  override connectedCallback() {
    super.connectedCallback();
    api.get<{ needsSetup: boolean }>('/api/setup/status').then(
      (s) => (this.needsSetup = s.needsSetup),
      () => {},
    );
  }

  override render() {
    return html`
      <div class="card" style="max-width: 420px; margin: 2rem auto;">
        <h1>${t('auth.signIn')}</h1>
        ${this.needsSetup ? html`<div class="alert warn">${t('error.auth.setupTokenInvalid')}</div>` : ''}
        ${errorBanner(this.error)}
        <form @submit=${this.submit} novalidate>
          <div class="field">
            <label for="login">${t('auth.login')}</label>
            <input id="login" name="login" autocomplete="username" autocapitalize="off" required />
          </div>
          <div class="field">
            <label for="password">${t('auth.password')}</label>
            <input id="password" name="password" type="password" autocomplete="current-password" required />
          </div>
          <button class="primary" type="submit" ?disabled=${this.busy} style="width: 100%">${t('auth.signIn')}</button>
        </form>
      </div>
    `;
  }

  private async submit(event: SubmitEvent) {
    event.preventDefault();
    const values = formValues(event.target as HTMLFormElement);
    this.busy = true;
    this.error = undefined;
    try {
      const me = await api.post<Me>('/api/auth/login', { login: values.login, password: values.password });
      setSignedIn(me);
      const next = this.query.get('next');
      navigate(next?.startsWith('/') && !next.startsWith('//') ? next : '/', { replace: true });
    } catch (err) {
      this.error = err;
    } finally {
      this.busy = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mj-sign-in': MjSignIn;
  }
}
