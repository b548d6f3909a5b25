import { css, html, nothing } from 'lit';
import type { CommitteeRole, MemberStatus } from '../../shared/domain/enums.ts';
import type { MemberDetails, RosterEntry } from '../../shared/schemas/members.ts';
import { formatDate, t } from '../core/i18n.ts';

/** How the roster marks people, shared by the list, the cards and the member page. */
export function statusBadge(status: MemberStatus) {
  return html`<span class="badge ${status === 'probationaryMember' ? 'probationary' : ''}">${t(`memberStatus.${status}`)}</span>`;
}

export function roleBadge(role: CommitteeRole | null) {
  return role ? html`<span class="badge role">${t(`committeeRole.${role}`)}</span>` : nothing;
}

/** Exempt, absent for months, or gone: what a secretary must notice about a person at a glance. */
export function attentionBadges(details: MemberDetails | undefined) {
  if (!details) return nothing;
  if (details.left) return html`<span class="badge">${t('members.badge.left')}</span>`;
  return html`${details.exemption ? html`<span class="badge ok">${t('members.badge.exempt')}</span>` : nothing}
    ${
      details.absenceWarning
        ? html`<span class="badge ${details.absenceWarning === 'fiveMonths' ? 'danger' : 'warn'}">${t(`members.absence.${details.absenceWarning}`)}</span>`
        : nothing
    }`;
}

export function accountBadge(details: MemberDetails) {
  if (details.hasAccount) return html`<span class="badge ok">${t('members.badge.hasAccount')}</span>`;
  if (details.invitationExpiresAt)
    return html`<span class="badge" title=${t('members.invitation.pending', { date: formatDate(details.invitationExpiresAt) })}>${t('members.badge.invited')}</span>`;
  return html`<span class="badge">${t('members.badge.noAccount')}</span>`;
}

export function lastAttended(details: MemberDetails) {
  return details.lastAttendedAt
    ? formatDate(details.lastAttendedAt)
    : html`<span class="muted">${t('members.neverAttended')}</span>`;
}

export const partyGroupName = (entry: RosterEntry) => entry.partyGroup?.name ?? '';

export const rosterStyles = css`
  .badge.role { background: #fde7e7; color: var(--mj-red-dark); }
  .badge.probationary { background: #e8f0fe; color: #174ea6; }
  .badges { display: inline-flex; gap: 0.3rem; flex-wrap: wrap; vertical-align: middle; }
`;

/** Today's date where the person is (for date inputs' defaults and limits), as YYYY-MM-DD. */
export function localToday(): string {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
}

/** Names in a sentence: 、 in Chinese, commas in English. */
export const listOf = (items: readonly string[]) => items.join(t('members.listSeparator'));
