import { css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { CommitteeBranchRow, CommitteeDashboard } from '../../shared/schemas/dashboards.ts';
import { api, query } from '../core/api.ts';
import { errorBanner } from '../core/forms.ts';
import { formatDate, t } from '../core/i18n.ts';
import { MjPage } from '../core/page.ts';
import { navigate } from '../core/router.ts';
import { baseStyles } from '../core/styles.ts';
import { tableWrap } from '../core/table-wrap.ts';
import { NarrowScreenController } from '../rectification/view.ts';
import { comparisonHeight, comparisonOption } from './chart-options.ts';
import {
  answersText,
  dashboardStyles,
  explained,
  gradeBadge,
  indexText,
  percentText,
  periodLabel,
  sparkline,
  trendText,
} from './format.ts';
import './mj-chart.ts';
import { periodPicker } from './period-picker.ts';

interface OrgHeader {
  id: string;
  name: string;
  ancestry: Array<{ id: string; name: string }>;
}

/**
 * The committee's desk: every branch below it for a quarter or a year, those needing attention
 * first with the reason and the component that pulled the index down, a fair comparison (shrunk
 * estimates with 90% intervals, not a rank), and a way into each branch's figures. Each visit is
 * recorded in the committee's access log.
 */
@customElement('mj-committee-dashboard')
export class MjCommitteeDashboard extends MjPage {
  static override styles = [
    baseStyles,
    dashboardStyles,
    css`
      table.branches td { vertical-align: middle; }
      table.branches td.name { min-width: 7.5rem; }
      table.branches td.name a { font-weight: 600; }
      table.branches td.weakest { min-width: 7rem; }
      table.branches td.comparison { min-width: 8rem; }
      .reasons { display: flex; flex-wrap: wrap; gap: 0.25rem; }
      table.branches .reasons .badge { white-space: normal; border-radius: 6px; }
      table.branches td.reasons-cell { min-width: 7rem; max-width: 11rem; }
      .trendcell { display: flex; flex-direction: column; gap: 0.1rem; white-space: nowrap; font-size: 0.9rem; }
      td.index { white-space: nowrap; }
      .branch-cards { list-style: none; padding: 0; margin: 0; }
      .branch-cards li { border: 1px solid var(--mj-line); border-left-width: 5px; border-radius: var(--mj-radius); padding: 0.75rem; background: #fff; }
      .branch-cards li + li { margin-top: 0.75rem; }
      .branch-cards li.attention { border-left-color: var(--mj-danger); }
      .branch-cards .top { display: flex; justify-content: space-between; gap: 0.5rem; align-items: flex-start; }
      .branch-cards .name { font-weight: 700; font-size: 1.1rem; overflow-wrap: anywhere; }
      .branch-cards .index { font-size: 1.6rem; font-weight: 700; }
      .branch-cards dl { display: grid; grid-template-columns: auto 1fr; gap: 0.2rem 0.75rem; margin: 0.5rem 0 0; font-size: 0.95rem; }
      .branch-cards dt { color: var(--mj-muted); }
      .branch-cards dd { margin: 0; }
      tr.attention td:first-child { box-shadow: inset 4px 0 0 var(--mj-danger); }
      .grades { display: flex; flex-wrap: wrap; gap: 0.35rem; margin-top: 0.35rem; }
    `,
  ];

  private readonly screen = new NarrowScreenController(this);
  @state() private org?: OrgHeader;
  @state() private data?: CommitteeDashboard;
  @state() private error: unknown;
  private loaded = '';

  override updated() {
    const key = `${this.params.orgId}|${this.query.get('period') ?? ''}`;
    if (key !== this.loaded) {
      this.loaded = key;
      void this.load();
    }
  }

  private async load() {
    try {
      const [org, data] = await Promise.all([
        api.get<OrgHeader>(`/api/organizations/${this.params.orgId}`),
        api.get<CommitteeDashboard>(
          `/api/organizations/${this.params.orgId}/committee-dashboard${query({ period: this.query.get('period') })}`,
        ),
      ]);
      this.org = org;
      this.data = data;
      this.error = undefined;
    } catch (err) {
      this.error = err;
    }
  }

  override render() {
    if (this.error) return errorBanner(this.error);
    const d = this.data;
    const org = this.org;
    if (!d || !org) return html`<p class="muted">${t('common.loading')}</p>`;
    const periodKey = d.period.key;
    return html`
      <nav class="crumbs" aria-label=${t('dashboard.breadcrumb')}>
        ${org.ancestry.map((a, i) => html`${i > 0 ? ' › ' : ''}<a href="/orgs/${a.id}">${a.name}</a>`)}
      </nav>
      <div class="heading">
        <h1>${t('dashboard.committee.title', { name: d.organization.name })}</h1>
        <div class="tools">
          ${periodPicker(periodKey, (key) => navigate(`/orgs/${org.id}/committee-dashboard?period=${key}`))}
          <a class="button" href="/api/organizations/${org.id}/exports/aggregates${query({ period: periodKey })}" download>${t('dashboard.export.csv')}</a>
          ${
            d.period.unit === 'quarter'
              ? html`<a class="button" href="/orgs/${org.id}/quarterly-report?period=${periodKey}">${t('dashboard.export.report')}</a>`
              : nothing
          }
          <a class="button" href="/orgs/${org.id}/dashboard-access-log">${t('dashboard.accessLog.title')}</a>
        </div>
      </div>
      <p class="note">
        ${t('dashboard.note.period', { period: periodLabel(periodKey), start: formatDate(d.period.start), end: formatDate(d.period.end) })} ·
        ${t('dashboard.note.committee', { k: d.viewer.k })}
      </p>
      ${this.renderSummary(d)}
      <section class="panel" aria-labelledby="branches-heading">
        <h2 id="branches-heading">${t('dashboard.committee.branches')}</h2>
        <p class="small muted">${t('dashboard.committee.branchesHint')}</p>
        ${d.branches.length === 0 ? html`<p class="muted">${t('dashboard.committee.noBranches')}</p>` : nothing}
        ${this.screen.narrow ? this.renderCards(d) : this.renderTable(d)}
      </section>
      ${this.renderComparison(d)} ${this.renderCompliance(d)}
    `;
  }

  private renderSummary(d: CommitteeDashboard) {
    const s = d.summary;
    return html`<div class="kpis">
      <div class="kpi"><div class="label">${t('dashboard.committee.branchCount')}</div><div class="value">${s.branches}</div></div>
      <div class="kpi"><div class="label">${t('dashboard.committee.needingAttention')}</div><div class="value">${s.needingAttention}</div></div>
      <div class="kpi">
        <div class="label">${t('dashboard.committee.meanIndex')}</div><div class="value">${indexText(s.meanIndex)}</div>
        <div class="grades">${(['good', 'fairlyGood', 'average', 'poor'] as const).map((g) => html`<span>${gradeBadge(g)} ${s.grades[g]}</span>`)}</div>
      </div>
      <div class="kpi">
        <div class="label">${t('dashboard.kpi.onTime')}</div>
        <div class="value">${percentText(s.rectification.onTimeRate)}</div>
        <div class="sub muted">${t('dashboard.committee.itemsDue', { onTime: s.rectification.onTime, due: s.rectification.onTime + s.rectification.late + s.rectification.overdue })}</div>
      </div>
    </div>`;
  }

  private reasons(b: CommitteeBranchRow) {
    return html`<div class="reasons">${b.attention.map(
      (r) =>
        html`<span class="badge ${r === 'falling' || r === 'below' ? 'warn' : 'danger'}">${t(`dashboard.attention.${r}`)}</span>`,
    )}</div>`;
  }

  private weakest(b: CommitteeBranchRow) {
    if (!b.weakest) return '—';
    return html`${t(`dashboard.loss.${b.weakest.source}`)}
      <div class="small muted">${t('dashboard.committee.lostPoints', { points: b.weakest.lostPoints })}</div>`;
  }

  private comparisonText(b: CommitteeBranchRow) {
    const c = b.comparison;
    if (!c) return html`<span class="muted">—</span>`;
    return html`<span class=${c.position === 'below' ? 'trend-down' : c.position === 'above' ? 'trend-up' : ''}>${t(`quality.comparison.${c.position}`)}</span>
      <div class="small muted">${t('quality.comparison.interval', { estimate: c.estimate, lower: c.lower, upper: c.upper })}</div>`;
  }

  private branchLink(b: CommitteeBranchRow) {
    return html`<a href="/orgs/${b.id}/dashboard?period=${this.data!.period.key}">${b.name}</a>${
      b.parentName ? html`<div class="small muted">${b.parentName}</div>` : nothing
    }`;
  }

  private renderTable(d: CommitteeDashboard) {
    if (d.branches.length === 0) return nothing;
    return tableWrap(
      t('dashboard.committee.branches'),
      html`<table class="branches">
      <thead><tr>
        <th scope="col">${t('dashboard.column.branch')}</th>
        <th scope="col">${t('dashboard.column.branchIndex')}</th>
        <th scope="col">${t('dashboard.column.trend')}</th>
        <th scope="col">${t('dashboard.column.attention')}</th>
        <th scope="col">${t('dashboard.column.weakest')}</th>
        <th scope="col" class="num">${t('dashboard.column.satisfiedShort')}</th>
        <th scope="col" class="num">${t('dashboard.column.attendanceShort')}</th>
        <th scope="col" class="num">${t('dashboard.column.onTimeShort')}</th>
        <th scope="col">${t('dashboard.column.comparison')}</th>
      </tr></thead>
      <tbody>${d.branches.map(
        (b) => html`<tr class=${b.attention.length > 0 ? 'attention' : ''}>
          <td class="name">${this.branchLink(b)}</td>
          <td class="index">${explained(indexText(b.index), b.explanation)}<div>${gradeBadge(b.grade)}</div></td>
          <td><div class="trendcell">${sparkline(b.sparkline.map((p) => p.index))} ${trendText(b.trend)}</div></td>
          <td class="reasons-cell">${this.reasons(b)}</td>
          <td class="weakest">${this.weakest(b)}</td>
          <td class="num">${answersText(b.satisfactionRate, percentText)}</td>
          <td class="num">${percentText(b.attendanceRate)}</td>
          <td class="num">${percentText(b.onTimeRate)}</td>
          <td class="comparison">${this.comparisonText(b)}</td>
        </tr>`,
      )}</tbody>
    </table>`,
    );
  }

  private renderCards(d: CommitteeDashboard) {
    return html`<ul class="branch-cards">${d.branches.map(
      (b) => html`<li class=${b.attention.length > 0 ? 'attention' : ''}>
        <div class="top">
          <div class="name">${this.branchLink(b)}</div>
          <div class="index">${explained(indexText(b.index), b.explanation)}</div>
        </div>
        <div>${gradeBadge(b.grade)} ${sparkline(b.sparkline.map((p) => p.index))} ${trendText(b.trend)}</div>
        ${this.reasons(b)}
        <dl>
          <dt>${t('dashboard.column.weakest')}</dt><dd>${this.weakest(b)}</dd>
          <dt>${t('dashboard.kpi.satisfaction')}</dt><dd>${answersText(b.satisfactionRate, percentText)}</dd>
          <dt>${t('dashboard.kpi.attendance')}</dt><dd>${percentText(b.attendanceRate)}</dd>
          <dt>${t('dashboard.kpi.onTime')}</dt><dd>${percentText(b.onTimeRate)}</dd>
          <dt>${t('dashboard.column.comparison')}</dt><dd>${this.comparisonText(b)}</dd>
        </dl>
      </li>`,
    )}</ul>`;
  }

  private renderComparison(d: CommitteeDashboard) {
    const c = d.comparison;
    const compared = d.branches.filter((b) => b.comparison !== null);
    return html`<section class="panel">
      <h2>${t('dashboard.committee.comparison')}</h2>
      <p class="small muted">${t('dashboard.committee.comparisonHint')}</p>
      ${
        c.ok
          ? html`<mj-chart style="--mj-chart-height: ${comparisonHeight(compared.length)}"
              .option=${comparisonOption(d.branches, c.committeeMean)}
              label=${compared.map((b) => `${b.name} ${t(`quality.comparison.${b.comparison!.position}`)}`).join(t('dashboard.listSeparator'))}></mj-chart>`
          : html`<p class="muted">${t(`quality.comparison.${c.reason}`)}</p>`
      }
    </section>`;
  }

  private renderCompliance(d: CommitteeDashboard) {
    const rows = d.summary.complianceByType;
    if (rows.length === 0) return nothing;
    return html`<section class="panel">
      <h2>${t('dashboard.committee.compliance')}</h2>
      ${tableWrap(
        t('dashboard.committee.compliance'),
        html`<table>
        <thead><tr><th scope="col">${t('dashboard.column.meetingType')}</th><th scope="col" class="num">${t('dashboard.column.heldRequired')}</th>
          <th scope="col" class="num">%</th><th scope="col" class="num">${t('dashboard.column.notYetDue')}</th></tr></thead>
        <tbody>${rows.map(
          (r) => html`<tr><td>${t(`meetingType.${r.type}`)}</td><td class="num">${r.held} / ${r.required}</td>
            <td class="num">${percentText(r.required > 0 ? r.held / r.required : null)}</td><td class="num">${r.pending}</td></tr>`,
        )}</tbody>
      </table>`,
      )}
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mj-committee-dashboard': MjCommitteeDashboard;
  }
}
