import { css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { AccessLogPage } from '../../shared/schemas/dashboards.ts';
import { api, query } from '../core/api.ts';
import { errorBanner } from '../core/forms.ts';
import { formatDate, t } from '../core/i18n.ts';
import { MjPage } from '../core/page.ts';
import { baseStyles } from '../core/styles.ts';
import { tableWrap } from '../core/table-wrap.ts';
import { dashboardStyles } from './format.ts';

/**
 * Who at the committee looked at which figures, and when: every view of a branch's dashboard, the
 * committee's table, the quarterly report and every export, newest first.
 */
@customElement('mj-access-log')
export class MjAccessLog extends MjPage {
  static override styles = [
    baseStyles,
    dashboardStyles,
    css`
      td.when { white-space: nowrap; }
      .more { margin-top: 1rem; }
    `,
  ];

  @state() private entries: AccessLogPage['entries'] = [];
  @state() private next: string | null = null;
  @state() private done = false;
  @state() private error: unknown;
  @state() private org?: { id: string; name: string };
  private loaded = '';

  override updated() {
    if (this.params.orgId !== this.loaded) {
      this.loaded = this.params.orgId ?? '';
      this.entries = [];
      void this.load();
    }
  }

  private async load(before?: string) {
    try {
      const [org, page] = await Promise.all([
        this.org?.id === this.params.orgId
          ? Promise.resolve(this.org)
          : api.get<{ id: string; name: string }>(`/api/organizations/${this.params.orgId}`),
        api.get<AccessLogPage>(
          `/api/organizations/${this.params.orgId}/dashboard-access-log${query({ before })}`,
        ),
      ]);
      this.org = org;
      this.entries = [...this.entries, ...page.entries];
      this.next = page.nextBefore;
      this.done = true;
      this.error = undefined;
    } catch (err) {
      this.error = err;
    }
  }

  override render() {
    if (this.error) return errorBanner(this.error);
    if (!this.done || !this.org) return html`<p class="muted">${t('common.loading')}</p>`;
    return html`
      <nav class="crumbs" aria-label=${t('dashboard.breadcrumb')}>
        <a href="/orgs/${this.org.id}">${this.org.name}</a> › <a href="/orgs/${this.org.id}/committee-dashboard">${t('nav.dashboard')}</a>
      </nav>
      <h1>${t('dashboard.accessLog.title')}</h1>
      <p class="note">${t('dashboard.accessLog.intro')}</p>
      ${
        this.entries.length === 0
          ? html`<p class="muted">${t('common.empty')}</p>`
          : html`${tableWrap(
              t('dashboard.accessLog.title'),
              html`<table>
            <thead><tr>
              <th scope="col">${t('dashboard.accessLog.when')}</th><th scope="col">${t('dashboard.accessLog.who')}</th>
              <th scope="col">${t('dashboard.accessLog.organization')}</th><th scope="col">${t('dashboard.accessLog.view')}</th>
            </tr></thead>
            <tbody>${this.entries.map(
              (e) => html`<tr>
                <td class="when">${formatDate(e.at, true)}</td>
                <td>${e.account.displayName} <span class="muted small">${e.account.login}</span></td>
                <td>${e.organization.name}</td>
                <td>${t(`dashboard.view.${e.view}`)}</td>
              </tr>`,
            )}</tbody>
          </table>`,
            )}`
      }
      ${this.next ? html`<p class="more"><button @click=${() => this.load(this.next!)}>${t('dashboard.accessLog.more')}</button></p>` : nothing}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mj-access-log': MjAccessLog;
  }
}
