import type { MemberDepartureReason } from '../../shared/domain/roster.ts';
import type { Db } from '../db/schema.ts';
import { badRequest, conflict } from '../http/errors.ts';
import { auditRoster, type RosterActor } from './audit.ts';
import { expireUnusedInvitations } from './invitations.ts';

/**
 * Closes a roster entry (组织关系转出, 出党, 去世…). The row stays — meetings, minutes and
 * rectification items point at it — but the member's grants end at once (a committee post with
 * them, which the audit entry records) and any unused invitation code stops working. Run inside a
 * transaction.
 */
export async function markMemberLeft(
  db: Db,
  member: { id: string; organization_id: string; account_id: string | null },
  input: { reason: MemberDepartureReason; leftOn: string; note?: string | null },
  actor: RosterActor,
) {
  // A secretary who closes their own entry would lock themselves out mid-action.
  if (member.account_id === actor.accountId) throw badRequest('members.cannotRemoveSelf');
  const closed = await db
    .updateTable('members')
    .set({
      left_at: new Date(),
      left_on: input.leftOn,
      left_reason: input.reason,
      left_note: input.note ?? null,
      updated_at: new Date(),
    })
    .where('id', '=', member.id)
    // Checked here rather than on the row read earlier, so two departures at once record one.
    .where('left_at', 'is', null)
    .returning('committee_role')
    .executeTakeFirst();
  if (!closed) throw conflict('members.hasLeft');
  await expireUnusedInvitations(db, [member.id]);
  // The note may name people and places; it stays on the roster entry.
  await auditRoster(db, actor, 'member.departed', member.organization_id, {
    memberId: member.id,
    reason: input.reason,
    leftOn: input.leftOn,
    committeeRole: closed.committee_role,
  });
}
