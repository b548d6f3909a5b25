import type { MemberDepartureReason } from '../../shared/domain/roster.ts';
import type { Db } from '../db/schema.ts';
import { badRequest, conflict } from '../http/errors.ts';
import { expireUnusedInvitations } from './invitations.ts';

/**
 * Closes a roster entry (组织关系转出, 出党, 去世…). The row stays — meetings, minutes and
 * rectification items point at it — but the member's grants end at once and any unused invitation
 * code stops working.
 */
export async function markMemberLeft(
  db: Db,
  member: { id: string; account_id: string | null; left_at: Date | null },
  input: { reason: MemberDepartureReason; leftOn: string; note?: string | null },
  actingAccountId: string,
) {
  if (member.left_at) throw conflict('members.hasLeft');
  // A secretary who closes their own entry would lock themselves out mid-action.
  if (member.account_id === actingAccountId) throw badRequest('members.cannotRemoveSelf');
  await db
    .updateTable('members')
    .set({
      left_at: new Date(),
      left_on: input.leftOn,
      left_reason: input.reason,
      left_note: input.note ?? null,
      updated_at: new Date(),
    })
    .where('id', '=', member.id)
    .execute();
  await expireUnusedInvitations(db, [member.id]);
}
