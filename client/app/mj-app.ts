import { css, html, LitElement, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { html as staticHtml, unsafeStatic } from 'lit/static-html.js';
import { api, onUnauthorized } from '../core/api.ts';
import { LocaleController, locale, setLocale, t } from '../core/i18n.ts';
import { matchRoute, navigate, RouteController } from '../core/router.ts';
import { currentUser, onSessionChange, refreshSession, setSignedOut } from '../core/session.ts';
import { baseStyles } from '../core/styles.ts';
import { routes } from './routes.ts';

/**
 * The application shell: a top bar (name, language, account) around the current page. Pages that
 * are meant for a wall or a phone in a meeting ("bare" routes) get the whole screen instead.
 */
@customElement('mj-app')
export class MjApp extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host { display: block; min-height: 100vh; }
      header {
        background: var(--mj-red);
        color: #fff;
        display: flex;
        align-items: center;
        gap: 0.75rem;
        padding: 0.5rem 1rem;
        flex-wrap: wrap;
      }
      header a.brand { color: #fff; text-decoration: none; font-weight: 700; font-size: 1.15rem; display: flex; gap: 0.4rem; align-items: center; }
      header .brand small { font-weight: 400; opacity: 0.85; font-size: 0.8rem; }
      header button, header a.button { background: transparent; color: #fff; border-color: rgba(255, 255, 255, 0.5); min-height: 40px; padding: 0.25rem 0.75rem; }
      main { max-width: 1100px; margin: 0 auto; padding: 1rem; }
      /* On a phone the bar stays one line: the name truncates, buttons stay thumb-sized. */
      @media (max-width: 600px) {
        header { flex-wrap: nowrap; gap: 0.4rem; padding: 0.4rem 0.6rem; }
        header button, header a.button { padding: 0.25rem 0.5rem; font-size: 0.9rem; min-height: 44px; }
        header a.account { max-width: 6.5em; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; display: block; line-height: 44px; }
      }
      main.bare { max-width: none; padding: 0; }
      @media print { header { display: none; } main { padding: 0; max-width: none; } }
    `,
  ];

  protected readonly router = new RouteController(this);
  protected readonly localeController = new LocaleController(this);
  @state() private loadedTags = new Set<string>();
  @state() private loadError = false;

  override connectedCallback() {
    super.connectedCallback();
    onSessionChange(() => this.requestUpdate());
    onUnauthorized(() => {
      setSignedOut();
      const here = location.pathname + location.search;
      const match = matchRoute(routes, location.pathname, location.search);
      if (!match?.route.public) navigate(`/sign-in?next=${encodeURIComponent(here)}`, { replace: true });
    });
    document.documentElement.lang = locale();
    refreshSession().catch(() => (this.loadError = true));
  }

  override render() {
    const match = matchRoute(routes, location.pathname, location.search);
    const user = currentUser();
    if (!match)
      return this.frame(
        html`<div class="card"><p>${t('error.resource.notFound')}</p><a href="/">${t('common.back')}</a></div>`,
      );
    if (user === undefined && !match.route.public) {
      return this.loadError
        ? this.frame(html`<div class="alert error" role="alert">${t('error.network')}</div>`)
        : this.frame(html`<p class="muted">${t('common.loading')}</p>`);
    }
    if (user === null && !match.route.public) {
      queueMicrotask(() =>
        navigate(`/sign-in?next=${encodeURIComponent(location.pathname + location.search)}`, {
          replace: true,
        }),
      );
      return nothing;
    }
    if (!this.loadedTags.has(match.route.tag)) {
      match.route.load().then(
        () => (this.loadedTags = new Set([...this.loadedTags, match.route.tag])),
        () => (this.loadError = true),
      );
      return this.frame(html`<p class="muted">${t('common.loading')}</p>`, match.route.bare);
    }
    const tag = unsafeStatic(match.route.tag);
    const page = staticHtml`<${tag} .params=${match.params} .query=${match.query}></${tag}>`;
    return this.frame(page, match.route.bare);
  }

  private frame(content: unknown, bare = false) {
    if (bare) return html`<main class="bare">${content}</main>`;
    const user = currentUser();
    return html`
      <header>
        <a class="brand" href="/">明镜 <small class="hide-phone">${t('app.tagline')}</small></a>
        <span class="spacer"></span>
        <button
          @click=${() => setLocale(locale() === 'zh-CN' ? 'en' : 'zh-CN')}
          title=${t('common.language')}
          lang=${locale() === 'zh-CN' ? 'en' : 'zh-CN'}
        >${locale() === 'zh-CN' ? 'English' : '中文'}</button>
        ${
          user
            ? html`<a class="button account" href="/account">${user.displayName}</a>
              <button @click=${this.signOut}>${t('auth.signOut')}</button>`
            : nothing
        }
      </header>
      <main>${content}</main>
    `;
  }

  private async signOut() {
    await api.post('/api/auth/logout').catch(() => {});
    setSignedOut();
    navigate('/sign-in');
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mj-app': MjApp;
  }
}
