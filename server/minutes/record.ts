import type { Transaction } from 'kysely';
import type { FieldChange } from '../../shared/domain/field-changes.ts';
import type { MinutesSnapshot, PersonRef } from '../../shared/domain/meetings.ts';
import { votingMembers } from '../../shared/domain/quorum.ts';
import type { Principal } from '../access/principal.ts';
import type { DB, Db } from '../db/schema.ts';
import { badRequest } from '../http/errors.ts';
import type { MeetingRow } from '../meetings/access.ts';
import { type AttendanceSummary, attendanceSummary } from '../meetings/attendance-summary.ts';
import { auditMeeting, changedFieldNames } from '../meetings/audit.ts';

/**
 * Locks a meeting's minutes row for the rest of the transaction (creating an empty one first), so
 * sign-off, edits, attendance marks and leave decisions on one meeting happen one after another and
 * none can slip past the moment the minutes lock.
 */
export async function lockMinutes(trx: Transaction<DB>, meetingId: string) {
  await trx
    .insertInto('minutes')
    .values({ meeting_id: meetingId })
    .onConflict((oc) => oc.column('meeting_id').doNothing())
    .execute();
  return trx
    .selectFrom('minutes')
    .selectAll()
    .where('meeting_id', '=', meetingId)
    .forUpdate()
    .executeTakeFirstOrThrow();
}

/** A signature vouches for the record as it was when signed: changing it before the lock asks for new ones. */
export async function clearSignatures(db: Db, meetingId: string) {
  await db
    .updateTable('minutes')
    .set({ host_signed_at: null, host_signed_by: null, recorder_signed_at: null, recorder_signed_by: null })
    .where('meeting_id', '=', meetingId)
    .where('locked_at', 'is', null)
    .execute();
}

/** After the lock every change needs a reason; this refuses one without it. */
export function requireReason(reason: string | null | undefined): string {
  if (!reason) throw badRequest('minutes.reasonRequired', { reason: 'required' });
  return reason;
}

/**
 * Keeps a change to locked minutes, field by field with its reason, in the minutes' own history;
 * the audit trail notes which fields changed, not how.
 */
export async function recordAmendment(
  db: Db,
  meeting: Pick<MeetingRow, 'id' | 'organization_id'>,
  principal: Principal,
  reason: string,
  changes: FieldChange[],
) {
  await db
    .insertInto('minutes_amendments')
    .values({
      meeting_id: meeting.id,
      amended_by: principal.accountId,
      reason,
      changes: JSON.stringify(changes),
    })
    .execute();
  await auditMeeting(db, principal, meeting, 'minutes.amended', { fields: changedFieldNames(changes) });
}

type AttendancePart = Pick<
  MinutesSnapshot,
  'expectedCount' | 'presentCount' | 'attendees' | 'absentees' | 'quorum' | 'votingExpected' | 'votingPresent'
>;

/** The attendance fields of the minutes (应到/实到, 出席, 缺席及原因, quorum, voters) from the summary. */
export function attendancePart(type: MeetingRow['type'], summary: AttendanceSummary): AttendancePart {
  const voting = votingMembers(
    type,
    summary.attendees.map((a) => ({
      status: a.memberStatus,
      onCommittee: a.committeeRole !== null,
      attendance: a.attendance,
    })),
  );
  return {
    expectedCount: summary.counts.expected,
    presentCount: summary.counts.present,
    attendees: summary.attendees
      .filter((a) => a.attendance === 'present')
      .map((a) => ({ memberId: a.memberId, name: a.name })),
    absentees: summary.attendees.flatMap((a) =>
      a.attendance === null || a.attendance === 'present'
        ? []
        : [
            {
              memberId: a.memberId,
              name: a.name,
              status: a.attendance,
              reason: a.note ?? a.leave?.reason ?? null,
              ...(a.attendance === 'exempt' && a.exemption ? { exemptionReason: a.exemption.reason } : {}),
              excused: a.attendance === 'excused' || a.attendance === 'exempt',
            },
          ],
    ),
    quorum: summary.quorum,
    votingExpected: voting.expected,
    votingPresent: voting.present,
  };
}

/**
 * The header and attendance of a meeting's minutes as they stand now — what sign-off freezes into
 * minutes.snapshot — and how many invitees are still unmarked.
 */
export async function deriveRecord(
  db: Db,
  meeting: MeetingRow,
): Promise<{ record: MinutesSnapshot; summary: AttendanceSummary }> {
  const [summary, people, observers] = await Promise.all([
    attendanceSummary(db, meeting.id),
    memberNames(
      db,
      [meeting.host_member_id, meeting.recorder_member_id].filter((id): id is string => id !== null),
    ),
    db
      .selectFrom('meeting_observers')
      .select(['name', 'affiliation'])
      .where('meeting_id', '=', meeting.id)
      .orderBy('name')
      .execute(),
  ]);
  const person = (id: string | null) => personRef(people, id);
  return {
    summary,
    record: {
      title: meeting.title,
      sessionNo: meeting.session_no,
      type: meeting.type,
      theme: meeting.theme,
      startsAt: meeting.starts_at.toISOString(),
      endsAt: meeting.ends_at?.toISOString() ?? null,
      location: meeting.location,
      mode: meeting.mode,
      host: person(meeting.host_member_id),
      recorder: person(meeting.recorder_member_id),
      ...attendancePart(meeting.type, summary),
      observers,
    },
  };
}

/** A member as the record names them, from names loaded with memberNames. */
export function personRef(
  names: Map<string, string>,
  id: string | null,
): (PersonRef & { memberId: string }) | null {
  return id && names.has(id) ? { memberId: id, name: names.get(id)! } : null;
}

export async function memberNames(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('members').select(['id', 'full_name']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.full_name]));
}
