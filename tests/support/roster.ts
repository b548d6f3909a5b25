import { type Kysely, sql } from 'kysely';
import type { DB } from '../../server/db/schema.ts';
import type { AttendanceStatus, MeetingType } from '../../shared/domain/enums.ts';

/** A held meeting of a branch with one member's attendance: the history the absence warnings read. */
export async function recordAttendance(
  db: Kysely<DB>,
  input: {
    organizationId: string;
    memberId: string;
    startsAt: Date;
    type?: MeetingType;
    status?: AttendanceStatus;
  },
): Promise<string> {
  const meeting = await db
    .insertInto('meetings')
    .values({
      organization_id: input.organizationId,
      type: input.type ?? 'themedPartyDay',
      title: `${input.type ?? 'themedPartyDay'} ${input.startsAt.toISOString().slice(0, 10)}`,
      starts_at: input.startsAt,
      status: 'held',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('meeting_invitees')
    .values({ meeting_id: meeting.id, member_id: input.memberId })
    .execute();
  await db
    .insertInto('attendance')
    .values({ meeting_id: meeting.id, member_id: input.memberId, status: input.status ?? 'present' })
    .execute();
  return meeting.id;
}

/** Moves a roster entry's creation into the past, as if the branch had used Mingjing for a while. */
export async function backdateMember(db: Kysely<DB>, memberId: string, createdAt: Date) {
  // created_at is insert-only in the table types; a test rewinding the clock is the exception.
  await sql`update members set created_at = ${createdAt} where id = ${memberId}`.execute(db);
}

export const monthsAgo = (months: number, from = new Date()) => {
  const d = new Date(from);
  d.setUTCMonth(d.getUTCMonth() - months);
  return d;
};
