import { sql } from 'kysely';
import {
  type CommitteeRole,
  committeeRoles,
  type MemberStatus,
  type OrganizationKind,
} from '../../shared/domain/enums.ts';
import type { Db } from '../db/schema.ts';

export interface RosterMember {
  id: string;
  name: string;
  status: MemberStatus;
  committeeRole: CommitteeRole | null;
  hasAccount: boolean;
}

export interface RosterOrganization {
  id: string;
  kind: OrganizationKind | string;
  ancestry: readonly string[];
}

/**
 * Orders people the way a branch lists them: the secretary first, the other committee posts in
 * their customary order, then everyone else.
 */
export const committeeFirst = (column: 'committee_role' | 'm.committee_role') =>
  sql`array_position(${sql.val(committeeRoles)}::text[], ${sql.ref(column)}) nulls last`;

/**
 * The current members an organization's meetings draw on (invitees, host, recorder, custodian):
 * a party group's own members, otherwise the organization's roster, committee first.
 */
export async function rosterOf(db: Db, org: RosterOrganization): Promise<RosterMember[]> {
  const rows = await db
    .selectFrom('members')
    .select(['id', 'full_name', 'status', 'committee_role', 'account_id'])
    .where(org.kind === 'partyGroup' ? 'party_group_id' : 'organization_id', '=', org.id)
    .where('left_at', 'is', null)
    .orderBy(committeeFirst('committee_role'))
    .orderBy('full_name')
    .orderBy('id')
    .execute();
  return rows.map(toRosterMember);
}

/**
 * Members of the organizations above (for a party group: its branch) who are not on the roster
 * itself; they may sit in on a meeting as observers (列席) but are not invited by default.
 */
export async function observerCandidatesOf(db: Db, org: RosterOrganization): Promise<RosterMember[]> {
  const rows = await db
    .selectFrom('members')
    .select(['id', 'full_name', 'status', 'committee_role', 'account_id'])
    .where('organization_id', 'in', [...org.ancestry])
    .where('left_at', 'is', null)
    .where((eb) =>
      org.kind === 'partyGroup'
        ? eb.or([eb('party_group_id', 'is', null), eb('party_group_id', '!=', org.id)])
        : eb('organization_id', '!=', org.id),
    )
    .orderBy(committeeFirst('committee_role'))
    .orderBy('full_name')
    .orderBy('id')
    .execute();
  return rows.map(toRosterMember);
}

function toRosterMember(row: {
  id: string;
  full_name: string;
  status: MemberStatus;
  committee_role: CommitteeRole | null;
  account_id: string | null;
}): RosterMember {
  return {
    id: row.id,
    name: row.full_name,
    status: row.status,
    committeeRole: row.committee_role,
    hasAccount: row.account_id !== null,
  };
}
