import type { Kysely, Transaction } from 'kysely';
import { sql } from 'kysely';
import { diffFields, type FieldChange } from '../../shared/domain/field-changes.ts';
import type { AttendanceBody, AttendanceView } from '../../shared/schemas/meetings.ts';
import type { Principal } from '../access/principal.ts';
import type { DB } from '../db/schema.ts';
import { badRequest, conflict } from '../http/errors.ts';
import {
  attendancePart,
  clearSignatures,
  lockMinutes,
  recordAmendment,
  requireReason,
} from '../minutes/record.ts';
import { markQualityDirty } from '../quality/queue.ts';
import type { MeetingCapabilities, MeetingRow } from './access.ts';
import { type AttendanceSummary, attendanceSummary } from './attendance-summary.ts';
import { auditMeeting } from './audit.ts';

export async function attendanceView(
  db: Kysely<DB>,
  meeting: MeetingRow,
  capabilities: MeetingCapabilities,
): Promise<AttendanceView> {
  const [summary, minutes] = await Promise.all([
    attendanceSummary(db, meeting.id),
    db.selectFrom('minutes').select('locked_at').where('meeting_id', '=', meeting.id).executeTakeFirst(),
  ]);
  return {
    meetingId: meeting.id,
    type: meeting.type,
    status: meeting.status,
    attendees: summary.attendees.map((a) => ({ ...a, checkedInAt: a.checkedInAt?.toISOString() ?? null })),
    counts: summary.counts,
    quorum: summary.quorum,
    canMark: capabilities.canRecord && meeting.status !== 'cancelled',
    locked: !!minutes?.locked_at,
  };
}

/** Each invitee's mark and note as the record shows them, keyed by member id. */
function marks(summary: AttendanceSummary) {
  return new Map(summary.attendees.map((a) => [a.memberId, { status: a.attendance, note: a.note }]));
}

/**
 * The recorder (or a secretary) marks invitees present, absent, excused or exempt, with a note.
 * A check-in time recorded by the live meeting is kept. Before the lock a change clears the
 * signatures; after it, the change needs a reason and becomes an amendment of the minutes, whose
 * frozen attendance figures are brought up to date with it.
 */
export async function markAttendance(
  db: Kysely<DB>,
  meeting: MeetingRow,
  body: AttendanceBody,
  principal: Principal,
) {
  await db.transaction().execute((trx) => markAttendanceIn(trx, meeting, body, principal));
}

/**
 * markAttendance inside the caller's transaction — the live host console marks a member this way
 * and records its own event in the same transaction, so both screens obey the same rules (the
 * lock, the reason, the audit trail).
 */
export async function markAttendanceIn(
  trx: Transaction<DB>,
  meeting: MeetingRow,
  body: AttendanceBody,
  principal: Principal,
) {
  if (meeting.status === 'cancelled') throw conflict('meeting.cancelled');
  const minutes = await lockMinutes(trx, meeting.id);
  const before = await attendanceSummary(trx, meeting.id);
  const invited = new Set(before.attendees.map((a) => a.memberId));
  const notInvited = Object.fromEntries(
    body.entries.flatMap((e, i) =>
      invited.has(e.memberId) ? [] : [[`entries.${i}.memberId`, 'notInvited']],
    ),
  );
  if (Object.keys(notInvited).length) throw badRequest('attendance.notInvited', notInvited);
  const reason = minutes.locked_at ? requireReason(body.reason) : undefined;

  await trx
    .insertInto('attendance')
    .values(
      body.entries.map((e) => ({
        meeting_id: meeting.id,
        member_id: e.memberId,
        status: e.status,
        note: e.note ?? null,
        source: 'recorder' as const,
        recorded_by: principal.accountId,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['meeting_id', 'member_id']).doUpdateSet((eb) => ({
        status: eb.ref('excluded.status'),
        note: eb.ref('excluded.note'),
        source: eb.ref('excluded.source'),
        recorded_by: eb.ref('excluded.recorded_by'),
        updated_at: sql`now()`,
      })),
    )
    .execute();

  const after = await attendanceSummary(trx, meeting.id);
  const was = marks(before);
  const changes: FieldChange[] = after.attendees.flatMap((a) => {
    const old = was.get(a.memberId)!;
    const now = { status: a.attendance, note: a.note };
    return diffFields(old, now).length ? [{ field: `attendance.${a.name}`, before: old, after: now }] : [];
  });
  if (changes.length === 0) return;
  // One entry per save, however many marks it changed; whose marks they were stays in the record.
  await auditMeeting(trx, principal, meeting, 'attendance.marked', { changed: changes.length });
  await markQualityDirty(trx, meeting.id, 'attendanceSaved');
  if (!minutes.locked_at) {
    await clearSignatures(trx, meeting.id);
    return;
  }
  const snapshot = minutes.snapshot!;
  const refreshed = { ...snapshot, ...attendancePart(meeting.type, after) };
  const counts = (s: typeof snapshot) => ({
    expectedCount: s.expectedCount,
    presentCount: s.presentCount,
    quorum: { met: s.quorum.met },
  });
  changes.push(...diffFields(counts(snapshot), counts(refreshed)));
  await trx
    .updateTable('minutes')
    .set({ snapshot: JSON.stringify(refreshed) })
    .where('meeting_id', '=', meeting.id)
    .execute();
  await recordAmendment(trx, meeting, principal, reason!, changes);
}
