import { css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { memberStatuses } from '../../shared/domain/enums.ts';
import type { RosterEntry, RosterResponse } from '../../shared/schemas/members.ts';
import { api, query } from '../core/api.ts';
import { errorBanner } from '../core/forms.ts';
import { t } from '../core/i18n.ts';
import { MjPage } from '../core/page.ts';
import { baseStyles } from '../core/styles.ts';
import {
  accountBadge,
  attentionBadges,
  lastAttended,
  partyGroupName,
  roleBadge,
  rosterStyles,
  statusBadge,
} from './labels.ts';

/**
 * A branch's roster: a table on a laptop, cards on a phone. Everyone in the branch sees names,
 * status, committee posts and party groups; the secretary and the committee also see contact
 * details, attendance and accounts, with the size rules and absence warnings on top.
 */
@customElement('mj-roster-page')
export class MjRosterPage extends MjPage {
  static override styles = [
    baseStyles,
    rosterStyles,
    css`
      nav.crumbs { font-size: 0.9rem; margin-bottom: 0.5rem; }
      ul.absence { margin: 0; padding-left: 1.2rem; font-weight: 600; }
      .toolbar { margin: 1rem 0; }
      .filters { display: flex; flex-wrap: wrap; gap: 0.75rem 1rem; align-items: flex-end; margin-bottom: 1rem; }
      .filters .field { margin: 0; min-width: 9rem; }
      .filters .check { min-height: 44px; }
      .templates { font-size: 0.9rem; }
      .templates a { display: inline-flex; align-items: center; min-height: 44px; padding: 0 0.25rem; }
      td a.name { font-weight: 600; text-decoration: none; }
      tr.left td { color: var(--mj-muted); }
      .cards { list-style: none; padding: 0; margin: 0; }
      .cards li.card { padding: 0; }
      .cards li + li { margin-top: 0.6rem; }
      .cards a { display: block; text-decoration: none; color: inherit; padding: 0.8rem 1rem; }
      .cards .name { font-size: 1.15rem; font-weight: 600; color: var(--mj-ink); }
      .cards .line { margin-top: 0.3rem; color: var(--mj-muted); }
      .phone-only { display: none; }
      @media (max-width: 720px) {
        .laptop-only { display: none; }
        .phone-only { display: block; }
      }
    `,
  ];

  @state() private roster?: RosterResponse;
  @state() private error: unknown;
  @state() private status = '';
  @state() private partyGroupId = '';
  @state() private includeLeft = false;

  override updated(changed: Map<string, unknown>) {
    if (changed.has('params')) {
      // A party group's page links here with its group already chosen.
      this.partyGroupId = this.query.get('partyGroupId') ?? '';
      void this.load();
    }
  }

  private async load() {
    try {
      this.roster = await api.get<RosterResponse>(
        `/api/organizations/${this.params.orgId}/members${query({
          status: this.status,
          partyGroupId: this.partyGroupId,
          includeLeft: this.includeLeft || undefined,
        })}`,
      );
      this.error = undefined;
    } catch (err) {
      this.error = err;
    }
  }

  private filter(change: () => void) {
    change();
    void this.load();
  }

  override render() {
    const roster = this.roster;
    if (!roster)
      return this.error ? errorBanner(this.error) : html`<p class="muted">${t('common.loading')}</p>`;
    const { summary, access } = roster;
    const orgId = roster.organization.id;
    return html`
      <nav class="crumbs" aria-label="breadcrumb"><a href="/orgs/${orgId}">${roster.organization.name}</a></nav>
      <h1>${t('nav.members')}</h1>
      <p class="muted">
        ${t('members.summary', { full: summary.fullMembers, probationary: summary.probationaryMembers, committee: summary.committeeMembers })}
      </p>
      ${errorBanner(this.error)}
      ${
        // The size rules are for those who run the branch; a member could do nothing with them.
        access.details
          ? summary.advice.map(
              (a) => html`<div class="alert warn" role="note">${t(`members.advice.${a}`)}</div>`,
            )
          : nothing
      }
      ${summary.absence ? this.renderAbsence(summary.absence) : nothing}
      ${access.manage ? this.renderToolbar(orgId) : nothing}
      ${this.renderFilters(roster)}
      ${this.renderMembers(roster)}
    `;
  }

  private renderAbsence(absence: { threeMonths: number; fiveMonths: number }) {
    const counts = (['fiveMonths', 'threeMonths'] as const).filter((k) => absence[k] > 0);
    if (counts.length === 0) return nothing;
    return html`<div class="alert warn" role="note">
      <ul class="absence">${counts.map((k) => html`<li>${t(`members.absenceSummary.${k}`, { n: absence[k] })}</li>`)}</ul>
      <p class="small">${t('members.absenceRule')}</p>
    </div>`;
  }

  private renderToolbar(orgId: string) {
    return html`<div class="toolbar row">
      <a class="button primary" href="/orgs/${orgId}/members/new">${t('members.addMember')}</a>
      <a class="button" href="/orgs/${orgId}/members/import">${t('members.import')}</a>
      <a class="button" href="/orgs/${orgId}/invitations/print">${t('members.printInvitations')}</a>
      <span class="templates muted">${t('members.templates')}:
        <a href="/api/members/import-template?format=xlsx" download>${t('members.templateXlsx')}</a>
        <a href="/api/members/import-template?format=csv" download>${t('members.templateCsv')}</a>
      </span>
    </div>`;
  }

  private renderFilters(roster: RosterResponse) {
    return html`<div class="filters" role="search">
      <div class="field">
        <label for="status">${t('members.field.status')}</label>
        <select id="status" .value=${this.status} @change=${(e: Event) => this.filter(() => (this.status = (e.target as HTMLSelectElement).value))}>
          <option value="">${t('members.filterAll')}</option>
          ${memberStatuses.map((s) => html`<option value=${s} ?selected=${s === this.status}>${t(`memberStatus.${s}`)}</option>`)}
        </select>
      </div>
      ${
        roster.partyGroups.length
          ? html`<div class="field">
            <label for="group">${t('members.field.partyGroup')}</label>
            <select id="group" .value=${this.partyGroupId} @change=${(e: Event) => this.filter(() => (this.partyGroupId = (e.target as HTMLSelectElement).value))}>
              <option value="">${t('members.filterAll')}</option>
              ${roster.partyGroups.map((g) => html`<option value=${g.id} ?selected=${g.id === this.partyGroupId}>${t('members.groupOption', { name: g.name, n: g.memberCount })}</option>`)}
            </select>
          </div>`
          : nothing
      }
      ${
        roster.access.details
          ? html`<label class="check"><input type="checkbox" .checked=${this.includeLeft}
              @change=${(e: Event) => this.filter(() => (this.includeLeft = (e.target as HTMLInputElement).checked))} />
              ${t('members.includeLeft')}</label>`
          : nothing
      }
      <span class="muted small">${t('members.count', { n: roster.members.length })}</span>
    </div>`;
  }

  private renderMembers(roster: RosterResponse) {
    if (roster.members.length === 0) {
      const filtered = this.status || this.partyGroupId;
      return html`<div class="card"><p class="muted">${t(filtered ? 'members.noMatch' : 'members.emptyRoster')}</p></div>`;
    }
    return html`
      <div class="laptop-only">${this.renderTable(roster)}</div>
      <ul class="cards phone-only">${roster.members.map((m) => this.renderCard(m))}</ul>
    `;
  }

  private renderTable(roster: RosterResponse) {
    const details = roster.access.details;
    return html`<div class="table-wrap"><table>
      <thead><tr>
        <th scope="col">${t('members.field.fullName')}</th>
        <th scope="col">${t('members.field.status')}</th>
        <th scope="col">${t('members.field.committeeRole')}</th>
        <th scope="col">${t('members.field.partyGroup')}</th>
        ${
          details
            ? html`<th scope="col">${t('members.field.phone')}</th>
              <th scope="col">${t('members.field.lastAttended')}</th>
              <th scope="col">${t('members.field.account')}</th>`
            : nothing
        }
      </tr></thead>
      <tbody>${roster.members.map(
        (m) => html`<tr class=${m.details?.left ? 'left' : ''}>
          <td><a class="name" href="/members/${m.id}">${m.fullName}</a> <span class="badges">${attentionBadges(m.details)}</span></td>
          <td>${statusBadge(m.status)}</td>
          <td>${m.committeeRole ? t(`committeeRole.${m.committeeRole}`) : ''}</td>
          <td>${partyGroupName(m)}</td>
          ${
            m.details
              ? html`<td>${m.details.phone ?? ''}</td><td>${lastAttended(m.details)}</td><td>${accountBadge(m.details)}</td>`
              : nothing
          }
        </tr>`,
      )}</tbody>
    </table></div>`;
  }

  private renderCard(m: RosterEntry) {
    return html`<li class="card"><a href="/members/${m.id}">
      <div><span class="name">${m.fullName}</span> <span class="badges">${roleBadge(m.committeeRole)} ${attentionBadges(m.details)}</span></div>
      <div class="line">${statusBadge(m.status)} ${partyGroupName(m)}</div>
      ${
        m.details
          ? html`<div class="line">${m.details.phone ? html`${m.details.phone} · ` : nothing}${t('members.field.lastAttended')}: ${lastAttended(m.details)}</div>`
          : nothing
      }
    </a></li>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mj-roster-page': MjRosterPage;
  }
}
