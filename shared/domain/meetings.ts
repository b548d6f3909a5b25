import type {
  AttendanceStatus,
  CommitteeRole,
  ExemptionReason,
  MeetingMode,
  MeetingStatus,
  MeetingType,
  OrganizationKind,
} from './enums.ts';
import type { Quorum } from './quorum.ts';

export interface AgendaItem {
  title: string;
  notes?: string;
}

/** Pre-meeting work a 组织生活会 must have done (its absence caps the quality index at 79). */
export interface MeetingPreparation {
  studyHeld?: boolean;
  talksHeld?: boolean;
  opinionSolicitationHeld?: boolean;
  notes?: string;
}

/** Meeting types whose record includes the pre-meeting preparation (学习、谈心谈话、征求意见). */
export const typesWithPreparation: readonly MeetingType[] = ['orgLifeMeeting', 'leadershipLifeMeeting'];

/**
 * Which meeting types an organization may hold. A 党小组会 belongs to a party group (and a group may
 * hold its 组织生活会 as a group meeting); 党员大会, 支委会, 党课 and 主题党日 belong to branches and
 * the committees above them; a 民主生活会 only to an organization flagged as a leadership group.
 */
export function meetingTypesFor(org: { kind: OrganizationKind; isLeadershipGroup: boolean }): MeetingType[] {
  const types: MeetingType[] =
    org.kind === 'partyGroup'
      ? ['partyGroupMeeting', 'orgLifeMeeting']
      : [
          'branchGeneralMeeting',
          'branchCommitteeMeeting',
          'partyLecture',
          'themedPartyDay',
          'orgLifeMeeting',
          'memberAppraisal',
        ];
  if (org.isLeadershipGroup) types.push('leadershipLifeMeeting');
  return types;
}

/**
 * The invitees a new meeting starts with (the secretary may edit them): the committee for a
 * 支委会, everyone on the organization's roster otherwise — for a party group that roster is the
 * group's own members.
 */
export function defaultInviteeIds(
  type: MeetingType,
  roster: readonly { id: string; committeeRole: CommitteeRole | null }[],
): string[] {
  return (type === 'branchCommitteeMeeting' ? roster.filter((m) => m.committeeRole !== null) : roster).map(
    (m) => m.id,
  );
}

/**
 * Status moves a secretary may make. A meeting may be recorded as held without a live session
 * (scheduled → held); cancelling is for meetings that have not started; held and cancelled are final.
 */
const transitions: Record<MeetingStatus, readonly MeetingStatus[]> = {
  scheduled: ['inProgress', 'held', 'cancelled'],
  inProgress: ['held'],
  held: [],
  cancelled: [],
};

export function canMoveTo(from: MeetingStatus, to: MeetingStatus): boolean {
  return transitions[from].includes(to);
}

export const recordingMethods = ['summary', 'verbatim'] as const;
export type RecordingMethod = (typeof recordingMethods)[number];

/** Attachments filed with the minutes: sign-in sheets, photos, materials — up to 10 MB each. */
export const attachmentMaxBytes = 10 * 1024 * 1024;
export const attachmentExtensions = ['pdf', 'jpg', 'jpeg', 'png', 'docx', 'xlsx', 'doc', 'xls'] as const;

export const signerRoles = ['host', 'recorder'] as const;
export type SignerRole = (typeof signerRoles)[number];

export interface SpeechSummary {
  /** A member of the branch, or a free-text name for an observer or guest. */
  speakerMemberId?: string;
  speakerName?: string;
  summary: string;
}

export interface MinutesVote {
  item: string;
  yes: number;
  no: number;
  abstain: number;
}

/** The parts of the minutes (会议记录) the recorder writes; the rest is derived from the meeting. */
export interface MinutesContent {
  agendaItems?: string[];
  reports?: string[];
  speeches?: SpeechSummary[];
  votes?: MinutesVote[];
  resolutions?: string[];
  closingSummary?: string;
}

/** Stored content may predate a section; readers always see every section. */
export function completeContent(content: MinutesContent): Required<MinutesContent> {
  return {
    agendaItems: content.agendaItems ?? [],
    reports: content.reports ?? [],
    speeches: content.speeches ?? [],
    votes: content.votes ?? [],
    resolutions: content.resolutions ?? [],
    closingSummary: content.closingSummary ?? '',
  };
}

export interface PersonRef {
  memberId?: string;
  name: string;
}

export interface Absentee extends PersonRef {
  status: AttendanceStatus;
  /** The recorder's note, else the leave request's reason. */
  reason: string | null;
  /** Set when the member was outside the denominator because of a standing exemption. */
  exemptionReason?: ExemptionReason;
  /** Approved leave or an exemption: the absence was allowed. */
  excused: boolean;
}

/** Derived fields frozen at sign-off so later roster edits can't rewrite a locked record. */
export interface MinutesSnapshot {
  title: string;
  sessionNo: number | null;
  type: MeetingType;
  theme?: string;
  startsAt: string;
  endsAt: string | null;
  location: string;
  mode: MeetingMode;
  host: PersonRef | null;
  recorder: PersonRef | null;
  expectedCount: number;
  presentCount: number;
  attendees: PersonRef[];
  absentees: Absentee[];
  observers: Array<{ name: string; affiliation: string }>;
  quorum: Quorum;
  /** Members with a vote in resolutions (full members; the committee at a 支委会), expected and present. */
  votingExpected?: number;
  votingPresent?: number;
}
