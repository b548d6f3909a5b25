import { type ExpressionBuilder, sql, type Updateable } from 'kysely';
import { shanghaiDate } from '../../shared/domain/rectification.ts';
import { absenceWarning, branchSizeAdvice } from '../../shared/domain/roster.ts';
import {
  type CreateMemberBody,
  joinedBeforeBirth,
  type MemberDetails,
  type RosterEntry,
  type UpdateMemberBody,
} from '../../shared/schemas/members.ts';
import type { Permission } from '../access/permissions.ts';
import { authorize, can, type OrganizationScope, type Principal } from '../access/principal.ts';
import type { DB, Db } from '../db/schema.ts';
import type { MembersTable } from '../db/tables/organizations.ts';
import { badRequest, conflict, notFound } from '../http/errors.ts';
import { auditRoster, type RosterActor } from './audit.ts';

/**
 * Loads a branch and checks a permission on it. The roster lives on 党支部 only (a 党小组 is a
 * subdivision of its branch's roster, a committee has branches, not members).
 */
export async function authorizeBranch(
  db: Db,
  principal: Principal,
  permission: Permission,
  organizationId: string,
): Promise<OrganizationScope> {
  const scope = await authorize(db, principal, permission, organizationId);
  if (scope.kind !== 'partyBranch') throw badRequest('members.notABranch');
  return scope;
}

/** Loads a roster entry and checks a permission on its branch (404 for unknown ids and strangers alike). */
export async function authorizeMember(
  db: Db,
  principal: Principal,
  permission: Permission,
  memberId: string,
) {
  const member = await db
    .selectFrom('members')
    .select(['id', 'organization_id', 'account_id', 'left_at'])
    .where('id', '=', memberId)
    .executeTakeFirst();
  if (!member) throw notFound();
  const scope = await authorize(db, principal, permission, member.organization_id);
  return { member, scope };
}

/** What the principal may see and do on this branch's roster. */
export function rosterAccess(principal: Principal, scope: OrganizationScope) {
  return {
    details: can(principal, 'members.view', scope.ancestry),
    manage: can(principal, 'members.manage', scope.ancestry),
  };
}

/** Meetings that count as organization life for the absence warning: everything but 支委会. */
const lastAttendedAt = (eb: ExpressionBuilder<DB, 'members'>) =>
  eb
    .selectFrom('attendance as a')
    .innerJoin('meetings as mt', 'mt.id', 'a.meeting_id')
    .select((s) => s.fn.max('mt.starts_at').as('at'))
    .whereRef('a.member_id', '=', 'members.id')
    .where('a.status', '=', 'present')
    .where('mt.type', '!=', 'branchCommitteeMeeting')
    .where('mt.status', '!=', 'cancelled');

/**
 * The roster rows of a branch (or one member), with everything the list and the detail page show:
 * party group, account and invitation state, the exemption in force today and the last attended
 * organization life. One query, so list and detail can never disagree.
 */
export async function loadRosterRows(
  db: Db,
  filter: { organizationId: string; includeLeft: boolean; memberId?: string },
) {
  // Branches keep Beijing dates; the database server's own date may be a day behind (UTC).
  const today = shanghaiDate(new Date());
  let query = db
    .selectFrom('members')
    .leftJoin('organizations as pg', 'pg.id', 'members.party_group_id')
    .selectAll('members')
    .select((eb) => [
      'pg.name as party_group_name',
      lastAttendedAt(eb).as('last_attended_at'),
      eb
        .selectFrom('invitations as i')
        .select((s) => s.fn.max('i.expires_at').as('at'))
        .whereRef('i.member_id', '=', 'members.id')
        .where('i.used_at', 'is', null)
        .where('i.expires_at', '>', sql<Date>`now()`)
        .as('invitation_expires_at'),
      eb
        .selectFrom('member_exemptions as e')
        .select(
          sql<{
            id: string;
            reason: string;
            endsOn: string | null;
          }>`json_build_object('id', e.id, 'reason', e.reason, 'endsOn', e.ends_on)`.as('x'),
        )
        .whereRef('e.member_id', '=', 'members.id')
        .where('e.revoked_at', 'is', null)
        .where('e.starts_on', '<=', today)
        .where((w) => w.or([w('e.ends_on', 'is', null), w('e.ends_on', '>=', today)]))
        .orderBy('e.starts_on', 'desc')
        .limit(1)
        .as('exemption'),
    ])
    .where('members.organization_id', '=', filter.organizationId)
    // Committee first in its customary order, then everyone by name in Chinese collation order.
    .orderBy(sql`members.left_at is not null`)
    .orderBy(
      sql`array_position(array['secretary','deputySecretary','organization','publicity','discipline','committeeMember']::text[], members.committee_role)`,
    )
    .orderBy(sql`convert_to(members.full_name, 'GB18030')`)
    .orderBy('members.created_at');
  if (!filter.includeLeft) query = query.where('members.left_at', 'is', null);
  if (filter.memberId) query = query.where('members.id', '=', filter.memberId);
  return query.execute();
}

export type RosterRow = Awaited<ReturnType<typeof loadRosterRows>>[number];

/** Shapes a row for the API; personal fields only when the caller holds `members.view`. */
export function toRosterEntry(row: RosterRow, withDetails: boolean, now: Date): RosterEntry {
  const entry: RosterEntry = {
    id: row.id,
    fullName: row.full_name,
    status: row.status,
    committeeRole: row.committee_role,
    partyGroup:
      row.party_group_id && row.party_group_name
        ? { id: row.party_group_id, name: row.party_group_name }
        : null,
  };
  if (!withDetails) return entry;
  const exemption = row.exemption as MemberDetails['exemption'];
  const details: MemberDetails = {
    gender: row.gender,
    ethnicity: row.ethnicity,
    birthDate: row.birth_date,
    education: row.education,
    phone: row.phone,
    joinedPartyOn: row.joined_party_on,
    leadingCadre: row.leading_cadre,
    dualOrgLife: row.dual_org_life,
    notes: row.notes,
    hasAccount: row.account_id !== null,
    invitationExpiresAt: row.invitation_expires_at ? new Date(row.invitation_expires_at) : null,
    exemption,
    lastAttendedAt: row.last_attended_at ? new Date(row.last_attended_at) : null,
    absenceWarning:
      row.left_at === null
        ? absenceWarning({
            lastAttendedAt: row.last_attended_at ? new Date(row.last_attended_at) : null,
            onRosterSince: row.created_at,
            exempt: exemption !== null,
            now,
          })
        : null,
    left: row.left_at ? { on: row.left_on, reason: row.left_reason, note: row.left_note } : null,
    createdAt: row.created_at,
  };
  return { ...entry, details };
}

/**
 * Head counts and the DOMAIN.md §1 size advice over the current members, and the absence
 * warnings for those who may see them.
 */
export function rosterSummary(current: readonly RosterEntry[], withDetails: boolean) {
  const warnings = current.map((m) => m.details?.absenceWarning);
  return {
    fullMembers: current.filter((m) => m.status === 'fullMember').length,
    probationaryMembers: current.filter((m) => m.status === 'probationaryMember').length,
    committeeMembers: current.filter((m) => m.committeeRole !== null).length,
    advice: branchSizeAdvice(current),
    ...(withDetails
      ? {
          absence: {
            threeMonths: warnings.filter((w) => w === 'threeMonths').length,
            fiveMonths: warnings.filter((w) => w === 'fiveMonths').length,
          },
        }
      : {}),
  };
}

export async function listPartyGroups(db: Db, branchId: string) {
  return db
    .selectFrom('organizations as g')
    .select((eb) => [
      'g.id',
      'g.name',
      eb
        .selectFrom('members as m')
        .select((s) => s.fn.countAll<number>().as('n'))
        .whereRef('m.party_group_id', '=', 'g.id')
        .where('m.left_at', 'is', null)
        .as('memberCount'),
    ])
    .where('g.parent_id', '=', branchId)
    .where('g.kind', '=', 'partyGroup')
    .where('g.archived_at', 'is', null)
    .orderBy(sql`convert_to(g.name, 'GB18030')`)
    .execute()
    .then((rows) => rows.map((r) => ({ id: r.id, name: r.name, memberCount: Number(r.memberCount ?? 0) })));
}

/** A party group must be one of this branch's own (党小组 under 党支部), not archived. */
async function assertPartyGroupOf(db: Db, branchId: string, partyGroupId: string | null | undefined) {
  if (!partyGroupId) return;
  const group = await db
    .selectFrom('organizations')
    .select('id')
    .where('id', '=', partyGroupId)
    .where('parent_id', '=', branchId)
    .where('kind', '=', 'partyGroup')
    .where('archived_at', 'is', null)
    .executeTakeFirst();
  if (!group) throw badRequest('members.partyGroupNotInBranch', { partyGroupId: 'invalidOption' });
}

/** The branch's current secretary (支部书记), if any: there is one at a time. */
export async function currentSecretary(db: Db, branchId: string) {
  return db
    .selectFrom('members')
    .select(['id', 'full_name'])
    .where('organization_id', '=', branchId)
    .where('committee_role', '=', 'secretary')
    .where('left_at', 'is', null)
    .executeTakeFirst();
}

async function assertSecretaryVacant(db: Db, branchId: string, memberId?: string) {
  const holder = await currentSecretary(db, branchId);
  if (holder && holder.id !== memberId)
    throw conflict('members.secretaryTaken', { committeeRole: 'secretaryTaken' });
}

/** Column values from the API's field names; Kysely leaves out the ones that are undefined. */
function memberColumns(input: UpdateMemberBody): Updateable<MembersTable> {
  return {
    full_name: input.fullName,
    gender: input.gender,
    ethnicity: input.ethnicity,
    birth_date: input.birthDate,
    education: input.education,
    phone: input.phone,
    joined_party_on: input.joinedPartyOn,
    status: input.status,
    committee_role: input.committeeRole,
    party_group_id: input.partyGroupId,
    leading_cadre: input.leadingCadre,
    dual_org_life: input.dualOrgLife,
    notes: input.notes,
  };
}

export async function createMember(
  db: Db,
  branchId: string,
  input: CreateMemberBody,
  actor: RosterActor,
): Promise<string> {
  await assertPartyGroupOf(db, branchId, input.partyGroupId);
  if (input.committeeRole === 'secretary') await assertSecretaryVacant(db, branchId);
  const row = await db
    .insertInto('members')
    .values({
      ...memberColumns(input),
      organization_id: branchId,
      full_name: input.fullName,
      status: input.status,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await auditRoster(db, actor, 'member.created', branchId, {
    memberId: row.id,
    status: input.status,
    committeeRole: input.committeeRole ?? null,
  });
  return row.id;
}

/**
 * Edits a roster entry. A change of committee post (which grants or ends the secretary role) or of
 * status (转正: probationary to full) is audited with what it was before, read under a row lock so
 * two edits at once cannot both claim the same "before". Run inside a transaction.
 */
export async function updateMember(
  db: Db,
  member: { id: string; organization_id: string },
  patch: UpdateMemberBody,
  actor: RosterActor,
) {
  const current = await db
    .selectFrom('members')
    .select(['left_at', 'birth_date', 'joined_party_on', 'committee_role', 'status'])
    .where('id', '=', member.id)
    .forUpdate()
    .executeTakeFirstOrThrow();
  if (current.left_at) throw conflict('members.hasLeft');
  await assertPartyGroupOf(db, member.organization_id, patch.partyGroupId);
  if (patch.committeeRole === 'secretary') await assertSecretaryVacant(db, member.organization_id, member.id);
  const merged = {
    birthDate: patch.birthDate === undefined ? current.birth_date : patch.birthDate,
    joinedPartyOn: patch.joinedPartyOn === undefined ? current.joined_party_on : patch.joinedPartyOn,
  };
  if (joinedBeforeBirth(merged)) throw badRequest('request.invalid', { joinedPartyOn: 'beforeBirth' });
  await db
    .updateTable('members')
    .set({ ...memberColumns(patch), updated_at: new Date() })
    .where('id', '=', member.id)
    .execute();
  if (patch.committeeRole !== undefined && patch.committeeRole !== current.committee_role)
    await auditRoster(db, actor, 'member.committeeRoleChanged', member.organization_id, {
      memberId: member.id,
      from: current.committee_role,
      to: patch.committeeRole,
    });
  if (patch.status !== undefined && patch.status !== current.status)
    await auditRoster(db, actor, 'member.statusChanged', member.organization_id, {
      memberId: member.id,
      from: current.status,
      to: patch.status,
    });
}
