import { css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { CommitteeDashboard } from '../../shared/schemas/dashboards.ts';
import { api, query } from '../core/api.ts';
import { errorBanner } from '../core/forms.ts';
import { formatDate, t } from '../core/i18n.ts';
import { MjPage } from '../core/page.ts';
import { PaperController } from '../core/paper.ts';
import { baseStyles } from '../core/styles.ts';
import { tableWrap } from '../core/table-wrap.ts';
import { answersText, changeText, indexText, listText, percentText, periodLabel } from './format.ts';

const byName = new Intl.Collator('zh-CN');

/**
 * The committee's quarterly report on paper (A4): the overview, the branches needing attention
 * and why, every branch's figures with the comparison, compliance by meeting type, and how the
 * figures were made. Built from the same data as the committee dashboard, with the same
 * suppression; opening it is recorded in the access log like the dashboard.
 */
@customElement('mj-quarterly-report')
export class MjQuarterlyReport extends MjPage {
  static override styles = [
    baseStyles,
    css`
      :host { background: #fff; color: #000; }
      .toolbar { display: flex; gap: 0.75rem; flex-wrap: wrap; padding: 0.75rem 1rem; background: var(--mj-bg); border-bottom: 1px solid var(--mj-line); }
      .sheet { max-width: 186mm; margin: 0 auto; padding: 1.5rem 1rem 3rem; font-size: 10.5pt; line-height: 1.55; }
      header { text-align: center; margin-bottom: 1rem; }
      header h1 { font-size: 17pt; margin: 0; }
      header p { margin: 0.25rem 0 0; color: #333; }
      section { margin-top: 1.1rem; }
      section h2 { font-size: 12pt; margin: 0 0 0.35rem; border-bottom: 1px solid #000; padding-bottom: 2pt; }
      table { font-size: 9.5pt; }
      th, td { border: 1px solid #000; padding: 3pt 4pt; color: #000; }
      th { background: #f3f3f3; }
      td.num, th.num { text-align: right; white-space: nowrap; }
      .suppressed { color: #444; font-size: 8.5pt; }
      .muted { color: #444; }
      ol.notes { padding-left: 1.3em; margin: 0; }
      @media print {
        .toolbar { display: none; }
        .sheet { max-width: none; padding: 0; }
        section, tr { break-inside: avoid; }
        section h2 { break-after: avoid; }
      }
      @media (max-width: 600px) {
        .sheet { font-size: 1rem; }
        .table-wrap { overflow-x: auto; }
      }
    `,
  ];

  protected readonly paper = new PaperController(this, 'A4', '16mm 14mm 18mm');
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
      this.data = await api.get<CommitteeDashboard>(
        `/api/organizations/${this.params.orgId}/quarterly-report${query({ period: this.query.get('period') })}`,
      );
      this.error = undefined;
    } catch (err) {
      this.error = err;
    }
  }

  override render() {
    if (this.error) return html`<div class="sheet">${errorBanner(this.error)}</div>`;
    const d = this.data;
    if (!d) return html`<p class="muted sheet">${t('common.loading')}</p>`;
    const s = d.summary;
    const attention = d.branches.filter((b) => b.attention.length > 0);
    const required = s.complianceByType.reduce((sum, r) => sum + r.required, 0);
    const held = s.complianceByType.reduce((sum, r) => sum + r.held, 0);
    return html`
      <div class="toolbar">
        <button class="primary" @click=${() => window.print()}>${t('common.print')}</button>
        <a class="button" href="/orgs/${d.organization.id}/committee-dashboard?period=${d.period.key}">${t('common.back')}</a>
      </div>
      <article class="sheet">
        <header>
          <h1>${t('dashboard.report.title', { name: d.organization.name, period: periodLabel(d.period.key) })}</h1>
          <p>${formatDate(d.period.start)} – ${formatDate(d.period.end)} · ${t('dashboard.ledger.asOf')} ${formatDate(d.asOf)}</p>
        </header>
        <section>
          <h2>${t('dashboard.report.overview')}</h2>
          <p>${t('dashboard.report.overviewText', {
            branches: s.branches,
            attention: s.needingAttention,
            mean: indexText(s.meanIndex),
            good: s.grades.good,
            fairlyGood: s.grades.fairlyGood,
            average: s.grades.average,
            poor: s.grades.poor,
          })}</p>
          <p>${t('dashboard.report.complianceText', {
            held,
            required,
            rate: percentText(required > 0 ? held / required : null),
          })}
          ${t('dashboard.report.rectificationText', {
            onTime: s.rectification.onTime,
            late: s.rectification.late,
            overdue: s.rectification.overdue,
            rate: percentText(s.rectification.onTimeRate),
          })}</p>
        </section>
        <section>
          <h2>${t('dashboard.report.attention')}</h2>
          ${
            attention.length === 0
              ? html`<p>${t('dashboard.report.noneNeedAttention')}</p>`
              : tableWrap(
                  t('dashboard.report.attention'),
                  html`<table>
                <thead><tr><th scope="col">${t('dashboard.column.branch')}</th><th scope="col" class="num">${t('dashboard.column.branchIndex')}</th>
                  <th scope="col">${t('dashboard.column.attention')}</th><th scope="col">${t('dashboard.column.weakest')}</th></tr></thead>
                <tbody>${attention.map(
                  (b) => html`<tr><td>${b.name}</td><td class="num">${indexText(b.index)}</td>
                    <td>${listText(b.attention.map((r) => t(`dashboard.attention.${r}`)))}</td>
                    <td>${b.weakest ? `${t(`dashboard.loss.${b.weakest.source}`)} · ${t('dashboard.committee.lostPoints', { points: b.weakest.lostPoints })}` : '—'}</td></tr>`,
                )}</tbody></table>`,
                )
          }
        </section>
        <section>
          <h2>${t('dashboard.report.branches')}</h2>
          ${tableWrap(
            t('dashboard.report.branches'),
            html`<table>
            <thead><tr>
              <th scope="col">${t('dashboard.column.branch')}</th><th scope="col" class="num">${t('dashboard.column.members')}</th>
              <th scope="col" class="num">${t('dashboard.column.branchIndex')}</th><th scope="col">${t('dashboard.column.grade')}</th>
              <th scope="col" class="num">${t('dashboard.column.trend')}</th><th scope="col" class="num">${t('dashboard.kpi.compliance')}</th>
              <th scope="col" class="num">${t('dashboard.kpi.attendance')}</th><th scope="col" class="num">${t('dashboard.kpi.satisfaction')}</th>
              <th scope="col" class="num">${t('dashboard.kpi.onTime')}</th><th scope="col">${t('dashboard.column.comparison')}</th>
            </tr></thead>
            <tbody>${[...d.branches]
              .sort((a, b) => byName.compare(a.name, b.name))
              .map(
                (b) => html`<tr>
                  <td>${b.name}</td><td class="num">${b.members}</td><td class="num">${indexText(b.index)}</td>
                  <td>${b.grade ? t(`quality.grade.${b.grade}`) : '—'}</td>
                  <td class="num">${changeText(b.trend.change)}</td>
                  <td class="num">${percentText(b.compliance)}</td><td class="num">${percentText(b.attendanceRate)}</td>
                  <td class="num">${answersText(b.satisfactionRate, percentText)}</td><td class="num">${percentText(b.onTimeRate)}</td>
                  <td>${
                    b.comparison
                      ? html`${t(`quality.comparison.${b.comparison.position}`)}<br /><span class="muted">${b.comparison.lower}–${b.comparison.upper}</span>`
                      : '—'
                  }</td>
                </tr>`,
              )}</tbody>
          </table>`,
          )}
        </section>
        ${
          s.complianceByType.length > 0
            ? html`<section>
              <h2>${t('dashboard.committee.compliance')}</h2>
              <table>
                <thead><tr><th scope="col">${t('dashboard.column.meetingType')}</th><th scope="col" class="num">${t('dashboard.column.heldRequired')}</th>
                  <th scope="col" class="num">${t('dashboard.column.notYetDue')}</th></tr></thead>
                <tbody>${s.complianceByType.map((r) => html`<tr><td>${t(`meetingType.${r.type}`)}</td><td class="num">${r.held} / ${r.required}</td><td class="num">${r.pending}</td></tr>`)}</tbody>
              </table>
            </section>`
            : nothing
        }
        <section>
          <h2>${t('dashboard.report.method')}</h2>
          <ol class="notes">
            <li>${t('dashboard.report.methodIndex')}</li>
            <li>${t('dashboard.report.methodComparison')}</li>
            <li>${t('dashboard.report.methodSuppression', { k: d.viewer.k })}</li>
          </ol>
        </section>
      </article>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mj-quarterly-report': MjQuarterlyReport;
  }
}
