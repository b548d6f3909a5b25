import { shanghaiDate } from '../../shared/domain/calendar.ts';
import type {
  AttendanceStatus,
  CommitteeRole,
  ExemptionReason,
  LeaveStatus,
  MemberStatus,
} from '../../shared/domain/enums.ts';
import {
  type AttendanceCounts,
  attendanceCounts,
  computeQuorum,
  type Quorum,
} from '../../shared/domain/quorum.ts';
import type { Db } from '../db/schema.ts';
import { committeeFirst } from './roster.ts';

export interface AttendeeRow {
  memberId: string;
  name: string;
  memberStatus: MemberStatus;
  committeeRole: CommitteeRole | null;
  /** Recorded status; otherwise derived from an exemption (exempt) or approved leave (excused); null = not yet marked. */
  attendance: AttendanceStatus | null;
  checkedInAt: Date | null;
  note: string | null;
  leave: { status: LeaveStatus; reason: string } | null;
  exemption: { reason: ExemptionReason } | null;
}

export interface AttendanceSummary {
  attendees: AttendeeRow[];
  counts: AttendanceCounts;
  quorum: Quorum;
}

/**
 * Who was expected at a meeting and who came, with quorum — the one place that derives these
 * figures, used by the attendance page, the minutes, the live host console and the quality index.
 */
export async function attendanceSummary(db: Db, meetingId: string): Promise<AttendanceSummary> {
  const meeting = await db
    .selectFrom('meetings')
    .select(['type', 'starts_at'])
    .where('id', '=', meetingId)
    .executeTakeFirstOrThrow();
  // Exemptions run over calendar days in China: a 07:30 meeting in Beijing is still the previous day in UTC.
  const meetingDay = shanghaiDate(meeting.starts_at);
  const rows = await db
    .selectFrom('meeting_invitees as i')
    .innerJoin('members as m', 'm.id', 'i.member_id')
    .leftJoin('attendance as a', (j) =>
      j.onRef('a.meeting_id', '=', 'i.meeting_id').onRef('a.member_id', '=', 'i.member_id'),
    )
    .leftJoin('leave_requests as l', (j) =>
      j.onRef('l.meeting_id', '=', 'i.meeting_id').onRef('l.member_id', '=', 'i.member_id'),
    )
    .select((eb) => [
      'm.id as memberId',
      'm.full_name as name',
      'm.status as memberStatus',
      'm.committee_role as committeeRole',
      'a.status as recorded',
      'a.checked_in_at as checkedInAt',
      'a.note as note',
      'l.status as leaveStatus',
      'l.reason as leaveReason',
      eb
        .selectFrom('member_exemptions as e')
        .select('e.reason')
        .whereRef('e.member_id', '=', 'm.id')
        .where('e.revoked_at', 'is', null)
        .where('e.starts_on', '<=', meetingDay)
        .where((w) => w.or([w('e.ends_on', 'is', null), w('e.ends_on', '>=', meetingDay)]))
        .orderBy('e.created_at', 'desc')
        .limit(1)
        .as('exemptionReason'),
    ])
    .where('i.meeting_id', '=', meetingId)
    .orderBy(committeeFirst('m.committee_role'))
    .orderBy('m.full_name')
    .execute();

  const attendees: AttendeeRow[] = rows.map((r) => ({
    memberId: r.memberId,
    name: r.name,
    memberStatus: r.memberStatus,
    committeeRole: r.committeeRole,
    attendance:
      r.recorded ?? (r.exemptionReason ? 'exempt' : r.leaveStatus === 'approved' ? 'excused' : null),
    checkedInAt: r.checkedInAt,
    note: r.note,
    leave: r.leaveStatus && r.leaveReason !== null ? { status: r.leaveStatus, reason: r.leaveReason } : null,
    exemption: r.exemptionReason ? { reason: r.exemptionReason } : null,
  }));

  return {
    attendees,
    counts: attendanceCounts(attendees.map((a) => a.attendance)),
    quorum: computeQuorum(
      meeting.type,
      attendees.map((a) => ({
        status: a.memberStatus,
        onCommittee: a.committeeRole !== null,
        attendance: a.attendance,
      })),
    ),
  };
}
