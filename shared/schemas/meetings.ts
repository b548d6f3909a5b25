import { z } from 'zod';
import {
  attendanceStatuses,
  committeeRoles,
  exemptionReasons,
  leaveStatuses,
  meetingModes,
  meetingStatuses,
  meetingTypes,
  memberStatuses,
} from '../domain/enums.ts';
import { isoDateTime, optionalText, text } from './common.ts';

/** Flags the second and later occurrences of a repeated id as `duplicate` at their own position. */
const uniqueIds = <T>(key: (item: T) => string, field?: string) =>
  z.custom<T[]>().superRefine((items, ctx) => {
    const seen = new Set<string>();
    items.forEach((item, i) => {
      const k = key(item);
      if (seen.has(k)) ctx.addIssue({ code: 'custom', message: 'duplicate', path: field ? [i, field] : [i] });
      seen.add(k);
    });
  });

export const agendaItemInput = z.strictObject({ title: text(300), notes: optionalText(2000) });

/** 列席: a guest by name and affiliation, optionally also a member from the roster. */
export const observerInput = z.strictObject({
  name: text(60),
  affiliation: optionalText(100),
  memberId: z.uuid().nullable().optional(),
});

export const preparationInput = z.strictObject({
  studyHeld: z.boolean().optional(),
  talksHeld: z.boolean().optional(),
  opinionSolicitationHeld: z.boolean().optional(),
  notes: optionalText(2000),
});

const meetingFields = {
  type: z.enum(meetingTypes),
  title: text(200),
  sessionNo: z.number().int().min(1).max(9999).nullable().optional(),
  theme: optionalText(500),
  startsAt: isoDateTime,
  endsAt: isoDateTime.nullable().optional(),
  location: optionalText(200),
  mode: z.enum(meetingModes).optional(),
  hostMemberId: z.uuid().nullable().optional(),
  recorderMemberId: z.uuid().nullable().optional(),
  agenda: z.array(agendaItemInput).max(50).optional(),
  /** Omitted when scheduling: the default invitees for the type (see defaultInviteeIds). */
  inviteeMemberIds: z
    .array(z.uuid())
    .max(2000)
    .pipe(uniqueIds((id: string) => id))
    .optional(),
  observers: z
    .array(observerInput)
    .max(100)
    .pipe(uniqueIds((o: z.infer<typeof observerInput>) => o.memberId ?? `name:${o.name}`, 'name'))
    .optional(),
  includesAppraisal: z.boolean().optional(),
  preparation: preparationInput.optional(),
};

export const createMeetingBody = z.strictObject(meetingFields);
export type CreateMeetingBody = z.infer<typeof createMeetingBody>;

/** Only the fields sent change; lists sent replace the stored ones. */
export const updateMeetingBody = createMeetingBody.partial();
export type UpdateMeetingBody = z.infer<typeof updateMeetingBody>;

export const cancelMeetingBody = z.strictObject({ reason: text(500) });

export const meetingStatusBody = z.strictObject({ status: z.enum(['inProgress', 'held']) });

export const meetingListQuery = z.strictObject({
  /** upcoming: not yet held (scheduled or in progress); past: held or cancelled. */
  when: z.enum(['upcoming', 'past']).optional(),
  type: z.enum(meetingTypes).optional(),
  /** A period on the start time, as instants (the browser knows the local calendar). */
  from: isoDateTime.optional(),
  to: isoDateTime.optional(),
});
export type MeetingListQuery = z.infer<typeof meetingListQuery>;

export const personRef = z.object({ memberId: z.uuid(), name: z.string() });
export type PersonRefView = z.infer<typeof personRef>;

export const rosterMember = z.object({
  id: z.uuid(),
  name: z.string(),
  status: z.enum(memberStatuses),
  committeeRole: z.enum(committeeRoles).nullable(),
  hasAccount: z.boolean(),
});
export type RosterMemberView = z.infer<typeof rosterMember>;

export const meetingRosterResponse = z.object({
  /** Who may be invited, host, record or keep the minutes. */
  members: z.array(rosterMember),
  /** Members of the organizations above (e.g. the branch above a party group), who may sit in as observers. */
  observerCandidates: z.array(rosterMember),
  allowedTypes: z.array(z.enum(meetingTypes)),
});

export const meetingSummary = z.object({
  id: z.uuid(),
  type: z.enum(meetingTypes),
  title: z.string(),
  sessionNo: z.number().int().nullable(),
  theme: z.string(),
  startsAt: isoDateTime,
  endsAt: isoDateTime.nullable(),
  location: z.string(),
  mode: z.enum(meetingModes),
  status: z.enum(meetingStatuses),
  includesAppraisal: z.boolean(),
  inviteeCount: z.number().int(),
  minutesLocked: z.boolean(),
  /** The caller's own leave request for this meeting, if any. */
  myLeave: z.enum(leaveStatuses).nullable(),
});
export type MeetingSummary = z.infer<typeof meetingSummary>;

/** A branch's list also holds its party groups' meetings, each marked with the group's name. */
export const meetingListItem = meetingSummary.extend({ partyGroupName: z.string().nullable() });
export type MeetingListItem = z.infer<typeof meetingListItem>;

export const leaveRequestView = z.object({
  id: z.uuid(),
  memberId: z.uuid(),
  memberName: z.string(),
  reason: z.string(),
  status: z.enum(leaveStatuses),
  decidedByName: z.string().nullable(),
  decidedAt: isoDateTime.nullable(),
  decisionNote: z.string().nullable(),
  createdAt: isoDateTime,
});
export type LeaveRequestView = z.infer<typeof leaveRequestView>;

export const meetingDetail = meetingSummary.extend({
  organizationId: z.uuid(),
  organizationName: z.string(),
  host: personRef.nullable(),
  recorder: personRef.nullable(),
  agenda: z.array(z.object({ title: z.string(), notes: z.string().optional() })),
  preparation: z.object({
    studyHeld: z.boolean().optional(),
    talksHeld: z.boolean().optional(),
    opinionSolicitationHeld: z.boolean().optional(),
    notes: z.string().optional(),
  }),
  cancelledReason: z.string().nullable(),
  invitees: z.array(
    z.object({
      memberId: z.uuid(),
      name: z.string(),
      status: z.enum(memberStatuses),
      committeeRole: z.enum(committeeRoles).nullable(),
    }),
  ),
  observers: z.array(
    z.object({ id: z.uuid(), name: z.string(), affiliation: z.string(), memberId: z.uuid().nullable() }),
  ),
  /** Everyone's for those who manage the meeting or read its record; otherwise the caller's own. */
  leaveRequests: z.array(leaveRequestView),
  minutes: z
    .object({
      lockedAt: isoDateTime.nullable(),
      hostSignedAt: isoDateTime.nullable(),
      recorderSignedAt: isoDateTime.nullable(),
    })
    .nullable(),
  me: z.object({
    /** The caller's member id among the invitees (who may ask for leave). */
    inviteeMemberId: z.uuid().nullable(),
    canManage: z.boolean(),
    canRecord: z.boolean(),
    canViewRecord: z.boolean(),
    isHost: z.boolean(),
    isRecorder: z.boolean(),
  }),
});
export type MeetingDetail = z.infer<typeof meetingDetail>;

export const leaveRequestBody = z.strictObject({ memberId: z.uuid(), reason: text(500) });

export const leaveDecisionBody = z.strictObject({
  decision: z.enum(['approved', 'rejected']),
  note: optionalText(500),
});

export const attendanceEntry = z.strictObject({
  memberId: z.uuid(),
  status: z.enum(attendanceStatuses),
  /** The absence reason, or anything the recorder wants kept with the mark. */
  note: optionalText(500),
});

export const attendanceBody = z.strictObject({
  entries: z
    .array(attendanceEntry)
    .min(1)
    .max(2000)
    .pipe(uniqueIds((e: z.infer<typeof attendanceEntry>) => e.memberId, 'memberId')),
  /** Needed once the minutes are locked: the change becomes an amendment. */
  reason: optionalText(500),
});
export type AttendanceBody = z.infer<typeof attendanceBody>;

export const quorumView = z.object({
  rule: z.enum(['majorityOfFullMembers', 'majorityOfCommittee', 'twoThirdsOfExpected', 'none']),
  base: z.number().int(),
  required: z.number().int(),
  present: z.number().int(),
  met: z.boolean().nullable(),
});

export const attendanceView = z.object({
  meetingId: z.uuid(),
  type: z.enum(meetingTypes),
  status: z.enum(meetingStatuses),
  attendees: z.array(
    z.object({
      memberId: z.uuid(),
      name: z.string(),
      memberStatus: z.enum(memberStatuses),
      committeeRole: z.enum(committeeRoles).nullable(),
      attendance: z.enum(attendanceStatuses).nullable(),
      checkedInAt: isoDateTime.nullable(),
      note: z.string().nullable(),
      leave: z.object({ status: z.enum(leaveStatuses), reason: z.string() }).nullable(),
      exemption: z.object({ reason: z.enum(exemptionReasons) }).nullable(),
    }),
  ),
  counts: z.object({
    invited: z.number().int(),
    expected: z.number().int(),
    present: z.number().int(),
    absent: z.number().int(),
    excused: z.number().int(),
    exempt: z.number().int(),
    unmarked: z.number().int(),
  }),
  quorum: quorumView,
  canMark: z.boolean(),
  locked: z.boolean(),
});
export type AttendanceView = z.infer<typeof attendanceView>;
