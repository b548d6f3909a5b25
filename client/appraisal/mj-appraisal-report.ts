import { css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { appraisalGrades } from '../../shared/domain/enums.ts';
import type { AppraisalReport, ReportResponse } from '../../shared/schemas/appraisal.ts';
import { ActionController } from '../core/action.ts';
import { api } from '../core/api.ts';
import { errorBanner } from '../core/forms.ts';
import { t } from '../core/i18n.ts';
import { MjPage } from '../core/page.ts';
import { baseStyles } from '../core/styles.ts';
import { listOf, pair } from '../meetings/meeting-format.ts';
import { appraisalStyles, when } from './format.ts';

/** @page rules are ignored inside shadow roots, so the paper size goes into the document while shown. */
const pageRule = '@page { size: A4; margin: 20mm 18mm 22mm; }';

/** Two reports say the same when everything but the moment they were generated agrees. */
const sameContent = (a: AppraisalReport, b: AppraisalReport) =>
  JSON.stringify({ ...a, generatedAt: '' }) === JSON.stringify({ ...b, generatedAt: '' });

/**
 * 民主评议党员情况报告, on paper: what the branch reports to the organization above — the
 * determinations by grade and the counts, never a ballot tally ("测评情况由党支部掌握"). The branch
 * committee sees the report as it stands and sends it; the superior organization sees what was sent.
 */
@customElement('mj-appraisal-report')
export class MjAppraisalReport extends MjPage {
  static override styles = [
    baseStyles,
    appraisalStyles,
    css`
      :host { background: #fff; color: #000; min-height: 100vh; }
      .toolbar { display: flex; gap: 0.75rem; flex-wrap: wrap; align-items: center; padding: 0.75rem 1rem; background: var(--mj-bg); border-bottom: 1px solid var(--mj-line); }
      .sheet { max-width: 180mm; margin: 0 auto; padding: 1.5rem 1rem 3rem; font-size: 11pt; line-height: 1.7; }
      header { text-align: center; margin-bottom: 1rem; }
      header h1 { font-size: 17pt; margin: 0; }
      header p { margin: 0.25rem 0 0; }
      table.record { border: 1px solid #000; }
      table.record th, table.record td { border: 1px solid #000; padding: 4pt 6pt; color: #000; }
      table.record th { width: 30%; background: #f3f3f3; font-weight: 600; }
      section { margin-top: 1rem; }
      section h2 { font-size: 12pt; margin: 0 0 0.25rem; border-bottom: 1px solid #000; padding-bottom: 2pt; }
      .footnote { margin-top: 1.5rem; font-size: 9.5pt; color: #444; }
      .draft { color: #9a6700; font-weight: 600; }
      @media print {
        .toolbar { display: none; }
        .sheet { max-width: none; padding: 0; }
        section, tr { break-inside: avoid; }
      }
      @media (max-width: 600px) {
        .sheet { font-size: 1rem; }
        table.record th { width: 42%; }
      }
    `,
  ];
  @state() private data?: ReportResponse;
  @state() private error: unknown;
  @state() private notice = '';
  private readonly submit = new ActionController(this);
  private pageStyle?: HTMLStyleElement;

  override connectedCallback() {
    super.connectedCallback();
    this.pageStyle = document.createElement('style');
    this.pageStyle.textContent = pageRule;
    document.head.append(this.pageStyle);
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.pageStyle?.remove();
  }

  override updated(changed: Map<string, unknown>) {
    if (changed.has('params')) void this.load();
  }

  private async load() {
    try {
      this.data = await api.get<ReportResponse>(`/api/meetings/${this.params.id}/appraisal/report`);
      this.error = undefined;
    } catch (err) {
      this.error = err;
    }
  }

  override render() {
    if (this.error) return html`<div class="sheet">${errorBanner(this.error)}</div>`;
    const data = this.data;
    if (!data) return html`<p class="muted sheet">${t('common.loading')}</p>`;
    const report = data.current ?? data.submitted?.report;
    const isDraft = !!data.current && !(data.submitted && sameContent(data.current, data.submitted.report));
    const back = report
      ? data.current
        ? `/meetings/${report.meeting.id}/appraisal`
        : `/orgs/${report.organization.id}/appraisals`
      : '/';
    return html`
      <div class="toolbar">
        <a class="button" href=${back}>${t('common.back')}</a>
        ${report ? html`<button type="button" @click=${() => window.print()}>${t('common.print')}</button>` : nothing}
        ${
          data.current
            ? html`<button type="button" class="primary" ?disabled=${!data.canSubmit || this.submit.busy || !isDraft} @click=${this.send}>
                ${data.submitted ? t('appraisal.report.resend') : t('appraisal.report.send')}</button>`
            : nothing
        }
        <span class="small">${
          data.submitted
            ? t('appraisal.report.sentBy', {
                at: when(data.submitted.submittedAt),
                name: data.submitted.submittedByName ?? '—',
              })
            : t('appraisal.report.notSent')
        }</span>
        ${data.current && !data.canSubmit ? html`<span class="small muted">${t('error.appraisal.determinationsIncomplete')}</span>` : nothing}
        ${errorBanner(this.submit.error)}
        ${this.notice ? html`<span class="alert ok" role="status">${this.notice}</span>` : nothing}
      </div>
      ${report ? this.renderReport(report, isDraft) : html`<div class="sheet"><p>${t('appraisal.report.nothingYet')}</p></div>`}
    `;
  }

  private renderReport(r: AppraisalReport, isDraft: boolean) {
    const byGrade = (grade: (typeof appraisalGrades)[number]) =>
      r.determinations.filter((d) => d.grade === grade).map((d) => d.name);
    const rows: Array<[string, string]> = [
      [t('appraisal.report.meeting'), `${r.meeting.title} · ${when(r.meeting.startsAt)}`],
      [t('appraisal.report.fullMembers'), String(r.fullMembers)],
      [
        t('appraisal.report.notGraded'),
        t('appraisal.report.notGradedDetail', {
          probationary: r.probationaryNotGraded,
          exempt: r.exemptNotGraded,
        }),
      ],
      ...appraisalGrades.map((g): [string, string] => [t(`appraisalGrade.${g}`), String(r.counts[g])]),
      ...(r.undetermined ? [[t('appraisal.undetermined'), String(r.undetermined)] as [string, string]] : []),
      [
        t('appraisal.report.excellentShare'),
        t('appraisal.report.excellentShareDetail', { excellent: r.counts.excellent, cap: r.excellentCap }),
      ],
      ...(r.excellentOverrideReason
        ? [[t('appraisal.overrideReason'), r.excellentOverrideReason] as [string, string]]
        : []),
      [
        t('appraisal.report.ballotsCast'),
        !r.ballotsCast
          ? t('appraisal.noBallot')
          : r.ballotsCast.suppressed
            ? t('appraisal.report.withheld', { k: r.ballotsCast.k })
            : String(r.ballotsCast.value),
      ],
      [t('appraisal.report.feedbackGiven'), `${r.feedbackGiven} / ${r.fullMembers}`],
      [t('appraisal.report.membersResponded'), String(r.membersResponded)],
      [
        t('appraisal.report.dispositions'),
        t('appraisal.report.dispositionsDetail', { open: r.dispositionsOpen, closed: r.dispositionsClosed }),
      ],
    ];
    return html`<article class="sheet">
      <header>
        <h1>${t('appraisal.report.title')}</h1>
        <p>${r.organization.name}</p>
        ${isDraft ? html`<p class="draft">${t('appraisal.report.draft')}</p>` : nothing}
      </header>
      <table class="record">
        <tbody>${rows.map(([label, value]) => html`<tr><th scope="row">${label}</th><td class="note-line">${value}</td></tr>`)}</tbody>
      </table>
      <section>
        <h2>${t('appraisal.report.determinations')}</h2>
        ${appraisalGrades.map((g) =>
          byGrade(g).length ? html`<p>${pair(t(`appraisalGrade.${g}`), listOf(byGrade(g)))}</p>` : nothing,
        )}
      </section>
      <p class="footnote">${t('appraisal.report.footnote')} ${t('appraisal.report.generatedAt', { at: when(r.generatedAt) })}</p>
    </article>`;
  }

  private async send() {
    this.notice = '';
    if (!(await this.submit.run(() => api.post(`/api/meetings/${this.params.id}/appraisal/report`)))) return;
    await this.load();
    this.notice = t('appraisal.report.sent');
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mj-appraisal-report': MjAppraisalReport;
  }
}
