import type { Kysely } from 'kysely';
import { authorize, memberIdsIn, type Principal } from '../access/principal.ts';
import type { DB, Db } from '../db/schema.ts';
import { badRequest, conflict, forbidden, notFound } from '../http/errors.ts';
import { clearSignatures, lockMinutes } from '../minutes/record.ts';
import { markQualityDirty } from '../quality/queue.ts';
import type { MeetingRow } from './access.ts';
import { auditMeeting } from './audit.ts';
import { leaveRequestsOf } from './service.ts';

/** Leave is asked for before the meeting: once it has started (or its time has come) it is too late. */
function assertNotStarted(meeting: Pick<MeetingRow, 'status' | 'starts_at'>) {
  if (meeting.status !== 'scheduled' || meeting.starts_at.getTime() <= Date.now())
    throw conflict('leave.meetingStarted');
}

/** Whether the member id is one of the caller's own roster entries (a person may ask only for themself). */
async function isOwnMember(db: Db, principal: Principal, memberId: string): Promise<boolean> {
  const member = await db
    .selectFrom('members')
    .select(['id', 'organization_id'])
    .where('id', '=', memberId)
    .executeTakeFirst();
  return !!member && memberIdsIn(principal, member.organization_id).includes(member.id);
}

/**
 * A member asks for leave (请假) from a meeting they are invited to, with a reason. Asking again
 * after a refusal, or to change the reason of a pending request, replaces it; an approved request
 * stands until withdrawn.
 */
export async function requestLeave(
  db: Kysely<DB>,
  principal: Principal,
  meeting: MeetingRow,
  body: { memberId: string; reason: string },
) {
  if (!(await isOwnMember(db, principal, body.memberId))) throw forbidden('leave.notYourOwn');
  const invited = await db
    .selectFrom('meeting_invitees')
    .select('member_id')
    .where('meeting_id', '=', meeting.id)
    .where('member_id', '=', body.memberId)
    .executeTakeFirst();
  if (!invited) throw badRequest('leave.notInvited', { memberId: 'notInvited' });
  assertNotStarted(meeting);
  const row = await db
    .insertInto('leave_requests')
    .values({ meeting_id: meeting.id, member_id: body.memberId, reason: body.reason })
    .onConflict((oc) =>
      oc
        .columns(['meeting_id', 'member_id'])
        .doUpdateSet({
          reason: body.reason,
          status: 'pending',
          decided_by: null,
          decided_at: null,
          decision_note: null,
        })
        .where('leave_requests.status', '!=', 'approved'),
    )
    .returning('id')
    .executeTakeFirst();
  if (!row) throw conflict('leave.alreadyApproved');
  const [view] = await leaveRequestsOf(db, meeting.id, [body.memberId]);
  return view!;
}

async function loadLeave(db: Db, leaveId: string) {
  const leave = await db
    .selectFrom('leave_requests')
    .select(['id', 'meeting_id', 'member_id', 'status'])
    .where('id', '=', leaveId)
    .executeTakeFirst();
  if (!leave) throw notFound();
  const meeting = await db
    .selectFrom('meetings')
    .selectAll()
    .where('id', '=', leave.meeting_id)
    .executeTakeFirstOrThrow();
  return { leave, meeting };
}

/** The member takes back their own request (pending or approved) while the meeting has not started. */
export async function withdrawLeave(db: Kysely<DB>, principal: Principal, leaveId: string) {
  const { leave, meeting } = await loadLeave(db, leaveId);
  await authorize(db, principal, 'meetings.view', meeting.organization_id);
  if (!(await isOwnMember(db, principal, leave.member_id))) throw forbidden('leave.notYourOwn');
  assertNotStarted(meeting);
  await db.deleteFrom('leave_requests').where('id', '=', leave.id).execute();
}

/**
 * A secretary approves or refuses a request, with a note; approved leave makes the member excused.
 * Nobody decides their own request. Decisions may come late, but not once the minutes are locked.
 */
export async function decideLeave(
  db: Kysely<DB>,
  principal: Principal,
  leaveId: string,
  body: { decision: 'approved' | 'rejected'; note?: string | null },
) {
  const { leave, meeting } = await loadLeave(db, leaveId);
  await authorize(db, principal, 'meetings.manage', meeting.organization_id);
  if (principal.grants.some((g) => g.memberId === leave.member_id)) throw forbidden('leave.ownRequest');
  if (meeting.status === 'cancelled') throw conflict('meeting.cancelled');
  await db.transaction().execute(async (trx) => {
    const minutes = await lockMinutes(trx, meeting.id);
    if (minutes.locked_at) throw conflict('minutes.locked');
    await trx
      .updateTable('leave_requests')
      .set({
        status: body.decision,
        decided_by: principal.accountId,
        decided_at: new Date(),
        decision_note: body.note ?? null,
      })
      .where('id', '=', leave.id)
      .execute();
    if (leave.status !== body.decision) await clearSignatures(trx, meeting.id);
    await markQualityDirty(trx, meeting.id, 'leaveDecided');
    await auditMeeting(trx, principal, meeting, 'leave.decided', {
      leaveRequestId: leave.id,
      memberId: leave.member_id,
      decision: body.decision,
    });
  });
  const [view] = await leaveRequestsOf(db, meeting.id, [leave.member_id]);
  return view!;
}
