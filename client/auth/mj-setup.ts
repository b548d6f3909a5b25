import { html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { organizationKinds } from '../../shared/domain/enums.ts';
import { api } from '../core/api.ts';
import { errorBanner, field, formValues, isInvalid } from '../core/forms.ts';
import { t } from '../core/i18n.ts';
import { MjPage } from '../core/page.ts';
import { navigate } from '../core/router.ts';

/** First start: the operator opens the one-time link printed on the server console. */
@customElement('mj-setup')
export class MjSetup extends MjPage {
  @state() private error: unknown;
  @state() private busy = false;

  override render() {
    const e = this.error;
    return html`
      <div class="card" style="max-width: 520px; margin: 2rem auto;">
        <h1>${t('auth.setupTitle')}</h1>
        <p class="muted">${t('auth.setupIntro')}</p>
        ${errorBanner(e)}
        <form @submit=${this.submit} novalidate>
          ${field('organizationName', t('auth.organizationName'), html`<input id="organizationName" name="organizationName" aria-invalid=${isInvalid(e, 'organizationName')} />`, { error: e })}
          ${field(
            'organizationKind',
            t('auth.organizationKind'),
            html`<select id="organizationKind" name="organizationKind">
              ${organizationKinds
                .filter((k) => k !== 'partyGroup')
                .map((k) => html`<option value=${k}>${t(`organizationKind.${k}`)}</option>`)}
            </select>`,
            { error: e },
          )}
          ${field('displayName', t('auth.displayName'), html`<input id="displayName" name="displayName" autocomplete="name" aria-invalid=${isInvalid(e, 'displayName')} />`, { error: e })}
          ${field('login', t('auth.login'), html`<input id="login" name="login" autocomplete="username" autocapitalize="off" aria-invalid=${isInvalid(e, 'login')} />`, { error: e })}
          ${field('password', t('auth.password'), html`<input id="password" name="password" type="password" autocomplete="new-password" aria-invalid=${isInvalid(e, 'password')} />`, { error: e, hint: t('auth.passwordHint') })}
          <button class="primary" type="submit" ?disabled=${this.busy}>${t('common.submit')}</button>
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
      await api.post('/api/setup', { ...values, token: this.query.get('token') ?? '' });
      navigate('/sign-in', { replace: true });
    } catch (err) {
      this.error = err;
    } finally {
      this.busy = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mj-setup': MjSetup;
  }
}
