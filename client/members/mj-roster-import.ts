import { css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { ImportIssue, ImportPreview, ImportResult } from '../../shared/schemas/members.ts';
import { ActionController } from '../core/action.ts';
import { ApiError, api } from '../core/api.ts';
import { errorBanner } from '../core/forms.ts';
import { formatDate, t } from '../core/i18n.ts';
import { MjPage } from '../core/page.ts';
import { baseStyles } from '../core/styles.ts';
import { listOf, rosterStyles, statusBadge } from './labels.ts';

type Step = 'choose' | 'check' | 'done';
const steps: readonly Step[] = ['choose', 'check', 'done'];

const issueMessage = (issue: ImportIssue) =>
  t(`validation.${issue.code}`, issue.otherRow ? { otherRow: issue.otherRow } : undefined) +
  (issue.value ? t('members.import.issueValue', { value: issue.value }) : '');

/** One problem as the person will find it in Excel: row, column, what is wrong. */
const issueText = (issue: ImportIssue) =>
  t('members.import.issue', { row: issue.row, column: issue.column ?? '', message: issueMessage(issue) });

/**
 * The roster import wizard: choose a file → see what it would do, row by row, with every problem
 * marked → confirm → result. The file is sent again on confirmation and checked afresh, so what is
 * written is exactly what the server re-read, all or nothing.
 */
@customElement('mj-roster-import')
export class MjRosterImport extends MjPage {
  static override styles = [
    baseStyles,
    rosterStyles,
    css`
      ol.steps { display: flex; gap: 0.5rem; list-style: none; padding: 0; margin: 0 0 1rem; flex-wrap: wrap; }
      ol.steps li { padding: 0.25rem 0.75rem; border-radius: 999px; background: #eaeef2; color: var(--mj-muted); font-size: 0.9rem; }
      ol.steps li[aria-current='step'] { background: var(--mj-red); color: #fff; font-weight: 600; }
      input[type='file'] { padding: 0.6rem; }
      ul.issues { margin: 0.5rem 0 0; padding-left: 1.2rem; }
      tr.error td { background: #fff5f5; }
      .preview th, .preview td:not(:last-child) { white-space: nowrap; }
      td.bad { color: var(--mj-danger); font-weight: 600; }
      .rows { list-style: none; padding: 0; }
      .rows li { padding: 0.6rem 0.8rem; }
      .rows li.error { border-color: #ff8182; background: #fff5f5; }
      .rows .problems { color: var(--mj-danger); font-size: 0.9rem; margin-top: 0.25rem; }
      .phone-only { display: none; }
      @media (max-width: 720px) {
        .laptop-only { display: none; }
        .phone-only { display: block; }
      }
    `,
  ];

  @state() private step: Step = 'choose';
  @state() private file?: File;
  @state() private preview?: ImportPreview;
  @state() private result?: ImportResult;
  private readonly action = new ActionController(this);

  private get base() {
    return `/api/organizations/${this.params.orgId}/members/import`;
  }

  override render() {
    return html`
      <nav class="small"><a href="/orgs/${this.params.orgId}/members">${t('members.backToRoster')}</a></nav>
      <h1>${t('members.import.title')}</h1>
      <ol class="steps">
        ${steps.map(
          (s, i) =>
            html`<li aria-current=${this.step === s ? 'step' : 'false'}>${i + 1}. ${t(`members.import.step${s[0]!.toUpperCase()}${s.slice(1)}`)}</li>`,
        )}
      </ol>
      ${errorBanner(this.action.error)}
      ${this.step === 'choose' ? this.renderChoose() : this.step === 'check' ? this.renderCheck(this.preview!) : this.renderDone(this.result!)}
    `;
  }

  private renderChoose() {
    return html`<div class="card">
      <p>${t('members.import.intro')}</p>
      <p class="small">${t('members.templates')}:
        <a href="/api/members/import-template?format=xlsx" download>${t('members.templateXlsx')}</a> ·
        <a href="/api/members/import-template?format=csv" download>${t('members.templateCsv')}</a>
      </p>
      <form @submit=${this.check} novalidate>
        <div class="field">
          <label for="file">${t('members.import.file')}</label>
          <input id="file" name="file" type="file" accept=".xlsx,.csv,.txt,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"
            @change=${(e: Event) => (this.file = (e.target as HTMLInputElement).files?.[0])} />
        </div>
        <button class="primary" type="submit" ?disabled=${!this.file || this.action.busy}>
          ${this.action.busy ? t('members.import.checking') : t('members.import.check')}
        </button>
      </form>
    </div>`;
  }

  private renderCheck(p: ImportPreview) {
    const issuesByRow = new Map<number, ImportIssue[]>();
    for (const issue of p.errors) issuesByRow.set(issue.row, [...(issuesByRow.get(issue.row) ?? []), issue]);
    const errors = p.errors;
    const ignored = p.columns.filter((c) => c.field === null && c.header).map((c) => c.header);
    return html`
      <div class="card">
        <p><strong>${t('members.import.summary', { rows: p.counts.rows, create: p.counts.toCreate, existing: p.counts.existing, errors: p.counts.withErrors })}</strong></p>
        <p class="muted small">${t('members.import.source', { file: p.fileName, row: p.headerRow })}${p.encoding ? ` · ${p.encoding.toUpperCase()}` : ''}</p>
        ${p.partyGroupsToCreate.length ? html`<p>${t('members.import.groupsToCreate', { names: listOf(p.partyGroupsToCreate) })}</p>` : nothing}
        ${ignored.length ? html`<p class="muted small">${t('members.import.ignoredColumns', { columns: listOf(ignored) })}</p>` : nothing}
      </div>
      ${
        errors.length
          ? html`<div class="alert error" role="alert">
            <strong>${t('members.import.errorsTitle', { n: errors.length })}</strong>
            <ul class="issues">${errors.map((i) => html`<li>${issueText(i)}</li>`)}</ul>
          </div>`
          : nothing
      }
      ${
        p.warnings.length
          ? html`<div class="alert warn" role="note"><strong>${t('members.import.warningsTitle')}</strong>
            <ul class="issues">${p.warnings.map((i) => html`<li>${issueText(i)}</li>`)}</ul></div>`
          : nothing
      }
      ${p.errors.length === 0 && p.counts.toCreate === 0 ? html`<div class="alert ok" role="status">${t('members.import.nothingToCreate')}</div>` : nothing}
      <div class="row" style="margin: 1rem 0">
        <button class="primary" ?disabled=${p.errors.length > 0 || p.counts.toCreate === 0 || this.action.busy} @click=${this.commit}>
          ${t('members.import.confirm', { n: p.counts.toCreate })}
        </button>
        <button @click=${this.restart}>${t('members.import.chooseAnother')}</button>
      </div>
      <div class="laptop-only">${this.renderTable(p, issuesByRow)}</div>
      <ul class="rows phone-only">${p.rows.map((r) => this.renderRowCard(r, issuesByRow.get(r.row) ?? []))}</ul>
    `;
  }

  private renderTable(p: ImportPreview, issuesByRow: Map<number, ImportIssue[]>) {
    const columns = [
      'fullName',
      'status',
      'committeeRole',
      'partyGroup',
      'gender',
      'birthDate',
      'phone',
      'joinedPartyOn',
    ] as const;
    return html`<div class="table-wrap"><table class="preview">
      <thead><tr>
        <th scope="col">${t('members.import.row')}</th>
        ${columns.map((c) => html`<th scope="col">${t(`members.field.${c}`)}</th>`)}
        <th scope="col">${t('members.import.rowStatus')}</th>
      </tr></thead>
      <tbody>${p.rows.map((r) => {
        // Field → what the file said there, for the cells with a problem.
        const bad = new Map(
          (issuesByRow.get(r.row) ?? []).map((i) => [
            p.columns.find((c) => c.header === i.column)?.field ?? '',
            i.value ?? '',
          ]),
        );
        const v = r.values;
        const cell = (c: (typeof columns)[number]) => {
          switch (c) {
            case 'status':
              return v.status ? statusBadge(v.status) : '';
            case 'committeeRole':
              return v.committeeRole ? t(`committeeRole.${v.committeeRole}`) : '';
            case 'partyGroup':
              return v.partyGroupName ?? '';
            case 'gender':
              return v.gender ? t(`gender.${v.gender}`) : '';
            case 'birthDate':
            case 'joinedPartyOn':
              return v[c] ? formatDate(v[c]) : '';
            default:
              return v[c] ?? '';
          }
        };
        return html`<tr class=${r.status}>
          <td>${r.row}</td>
          ${columns.map((c) => (bad.has(c) ? html`<td class="bad">${bad.get(c) || cell(c) || '—'}</td>` : html`<td>${cell(c)}</td>`))}
          <td>${this.statusLabel(r.status)}${(issuesByRow.get(r.row) ?? []).map((i) => html`<div class="small bad">${i.column}: ${issueMessage(i)}</div>`)}</td>
        </tr>`;
      })}</tbody>
    </table></div>`;
  }

  private renderRowCard(r: ImportPreview['rows'][number], issues: ImportIssue[]) {
    const v = r.values;
    return html`<li class="card ${r.status}">
      <div class="row"><strong>${t('members.import.rowNumber', { row: r.row })} · ${v.fullName || '—'}</strong><span class="spacer"></span>${this.statusLabel(r.status)}</div>
      <div class="small muted">${v.status ? t(`memberStatus.${v.status}`) : ''} ${v.committeeRole ? `· ${t(`committeeRole.${v.committeeRole}`)}` : ''} ${v.partyGroupName ? `· ${v.partyGroupName}` : ''}</div>
      ${issues.length ? html`<div class="problems">${issues.map((i) => html`<div>${i.column}: ${issueMessage(i)}</div>`)}</div>` : nothing}
    </li>`;
  }

  private statusLabel(status: ImportPreview['rows'][number]['status']) {
    const tone = { new: 'ok', existing: '', error: 'danger' }[status];
    return html`<span class="badge ${tone}">${t(`members.import.status.${status}`)}</span>`;
  }

  private renderDone(result: ImportResult) {
    const orgId = this.params.orgId;
    return html`<div class="card">
      <div class="alert ok" role="status">${t('members.import.done', { created: result.created, skipped: result.skipped })}</div>
      ${result.partyGroupsCreated.length ? html`<p>${t('members.import.groupsCreated', { names: listOf(result.partyGroupsCreated) })}</p>` : nothing}
      <div class="row">
        <a class="button primary" href="/orgs/${orgId}/members">${t('members.import.toRoster')}</a>
        ${result.created > 0 ? html`<a class="button" href="/orgs/${orgId}/invitations/print">${t('members.import.inviteNext')}</a>` : nothing}
      </div>
    </div>`;
  }

  private upload(url: string) {
    const data = new FormData();
    data.append('file', this.file!);
    return api.post(url, data);
  }

  private async check(event: SubmitEvent) {
    event.preventDefault();
    if (!this.file) return;
    await this.action.run(async () => {
      this.preview = (await this.upload(`${this.base}/preview`)) as ImportPreview;
      this.step = 'check';
    });
  }

  private async commit() {
    await this.action.run(async () => {
      try {
        this.result = (await this.upload(this.base)) as ImportResult;
        this.step = 'done';
      } catch (err) {
        // The roster changed since the preview (or the file did): show what the server found now.
        if (err instanceof ApiError && err.code === 'members.importInvalid') {
          this.preview = (await this.upload(`${this.base}/preview`)) as ImportPreview;
        }
        throw err;
      }
    });
  }

  private restart() {
    this.step = 'choose';
    this.file = undefined;
    this.preview = undefined;
    this.action.setError(undefined);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mj-roster-import': MjRosterImport;
  }
}
