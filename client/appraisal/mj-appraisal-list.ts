import { css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { AppraisalListRow } from '../../shared/schemas/appraisal.ts';
import { api } from '../core/api.ts';
import { errorBanner } from '../core/forms.ts';
import { t } from '../core/i18n.ts';
import { MjPage } from '../core/page.ts';
import { baseStyles } from '../core/styles.ts';
import { appraisalStyles, when } from './format.ts';

/**
 * The appraisals of a branch (for its committee: how far each has come) or of every branch below
 * a committee (for its staff: which have reported, and the reports themselves).
 */
@customElement('mj-appraisal-list')
export class MjAppraisalList extends MjPage {
  static override styles = [
    baseStyles,
    appraisalStyles,
    css`
      ul.list { list-style: none; padding: 0; margin: 0; }
      ul.list > li { background: var(--mj-card); border: 1px solid var(--mj-line); border-radius: var(--mj-radius); padding: 0.85rem 1rem; }
      ul.list > li + li { margin-top: 0.75rem; }
      .top { display: flex; flex-wrap: wrap; gap: 0.4rem 0.75rem; align-items: baseline; }
      .title { font-weight: 700; font-size: 1.05rem; overflow-wrap: anywhere; }
      .progress { display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; margin: 0.4rem 0; font-size: 0.95rem; }
      .actions { display: flex; flex-wrap: wrap; gap: 0.5rem; margin-top: 0.5rem; }
    `,
  ];
  @state() private rows?: AppraisalListRow[];
  @state() private error: unknown;

  override updated(changed: Map<string, unknown>) {
    if (changed.has('params')) void this.load();
  }

  private async load() {
    try {
      this.rows = await api.get<AppraisalListRow[]>(`/api/organizations/${this.params.orgId}/appraisals`);
      this.error = undefined;
    } catch (err) {
      this.error = err;
    }
  }

  override render() {
    if (this.error) return errorBanner(this.error);
    const rows = this.rows;
    if (!rows) return html`<p class="muted">${t('common.loading')}</p>`;
    // Listed from a committee, each row says whose appraisal it is.
    const elsewhere = rows.some((r) => r.organization.id !== this.params.orgId);
    return html`
      <nav class="crumbs"><a href="/orgs/${this.params.orgId}">${t('common.back')}</a></nav>
      <h1>${t('appraisal.list.title')}</h1>
      <p class="muted">${t('appraisal.list.intro')}</p>
      ${
        rows.length === 0
          ? html`<div class="card"><p>${t('appraisal.list.empty')}</p></div>`
          : html`<ul class="list">${rows.map((r) => this.renderRow(r, elsewhere))}</ul>`
      }
    `;
  }

  private renderRow(r: AppraisalListRow, showBranch: boolean) {
    const p = r.progress;
    return html`<li>
      <div class="top">
        <span class="title">${r.meeting.title}</span>
        <span class="small muted">${showBranch ? `${r.organization.name} · ` : ''}${when(r.meeting.startsAt)}</span>
        ${
          r.reportedAt
            ? html`<span class="badge ok">${t('appraisal.list.reported', { at: when(r.reportedAt) })}</span>`
            : html`<span class="badge">${t('appraisal.report.notSent')}</span>`
        }
      </div>
      ${
        p
          ? html`<div class="progress">
            <span>${t('appraisal.list.determined', { done: p.determined, total: p.fullMembers })}</span>
            <span>${t('appraisal.list.feedback', { done: p.feedbackGiven, total: p.fullMembers })}</span>
            ${p.membersResponded ? html`<span>${t('appraisal.responses.count', { count: p.membersResponded })}</span>` : nothing}
            ${p.dispositionsOpen ? html`<span class="flag">${t('appraisal.list.dispositionsOpen', { count: p.dispositionsOpen })}</span>` : nothing}
          </div>`
          : nothing
      }
      <div class="actions">
        ${p ? html`<a class="button primary" href="/meetings/${r.meeting.id}/appraisal">${t('appraisal.sheetTitle')}</a>` : nothing}
        ${p || r.reportedAt ? html`<a class="button" href="/meetings/${r.meeting.id}/appraisal/report">${t('appraisal.report.title')}</a>` : nothing}
      </div>
    </li>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mj-appraisal-list': MjAppraisalList;
  }
}
