import { sql } from 'kysely';
import { shanghaiDate } from '../../shared/domain/rectification.ts';
import type { CreateExemptionBody, ExemptionRow } from '../../shared/schemas/members.ts';
import type { Db } from '../db/schema.ts';
import { conflict, notFound } from '../http/errors.ts';
import { auditRoster, type RosterActor } from './audit.ts';

/**
 * Exemptions (免于参加): a member who is ill, abroad, bedridden… is taken out of attendance
 * denominators for the approved period (server/meetings/attendance-summary.ts reads them). Rows
 * are kept when revoked, so an old meeting's figures can still be explained.
 */
export async function listExemptions(db: Db, memberId: string): Promise<ExemptionRow[]> {
  // Branches keep Beijing dates; the database server's own date may be a day behind (UTC).
  const today = shanghaiDate(new Date());
  const rows = await db
    .selectFrom('member_exemptions')
    .selectAll()
    .select(
      sql<boolean>`revoked_at is null and starts_on <= ${today}::date and (ends_on is null or ends_on >= ${today}::date)`.as(
        'active',
      ),
    )
    .where('member_id', '=', memberId)
    .orderBy('starts_on', 'desc')
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    reason: r.reason,
    note: r.note,
    approvedBy: r.approved_by,
    approvedOn: r.approved_on,
    startsOn: r.starts_on,
    endsOn: r.ends_on,
    revokedAt: r.revoked_at,
    createdAt: r.created_at,
    active: r.active,
  }));
}

/** Records an exemption for a current member. Run inside a transaction (it is audited). */
export async function addExemption(
  db: Db,
  member: { id: string; organization_id: string; left_at: Date | null },
  input: CreateExemptionBody,
  actor: RosterActor,
): Promise<string> {
  if (member.left_at) throw conflict('members.hasLeft');
  const row = await db
    .insertInto('member_exemptions')
    .values({
      member_id: member.id,
      reason: input.reason,
      note: input.note ?? null,
      approved_by: input.approvedBy,
      approved_on: input.approvedOn,
      starts_on: input.startsOn,
      ends_on: input.endsOn ?? null,
      created_by: actor.accountId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await auditRoster(db, actor, 'exemption.granted', member.organization_id, {
    memberId: member.id,
    exemptionId: row.id,
    reason: input.reason,
    startsOn: input.startsOn,
    endsOn: input.endsOn ?? null,
  });
  return row.id;
}

/** The exemption with its member's branch, for authorization. */
export async function findExemption(db: Db, exemptionId: string) {
  const row = await db
    .selectFrom('member_exemptions as e')
    .innerJoin('members as m', 'm.id', 'e.member_id')
    .select(['e.id', 'e.member_id', 'm.organization_id'])
    .where('e.id', '=', exemptionId)
    .executeTakeFirst();
  if (!row) throw notFound();
  return row;
}

/** Ends an exemption, keeping its row. Run inside a transaction (it is audited). */
export async function revokeExemption(
  db: Db,
  exemption: { id: string; member_id: string; organization_id: string },
  actor: RosterActor,
) {
  const revoked = await db
    .updateTable('member_exemptions')
    .set({ revoked_at: new Date() })
    .where('id', '=', exemption.id)
    .where('revoked_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  if (!revoked) throw conflict('members.exemptionAlreadyRevoked');
  await auditRoster(db, actor, 'exemption.revoked', exemption.organization_id, {
    memberId: exemption.member_id,
    exemptionId: exemption.id,
  });
}
