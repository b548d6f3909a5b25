import type { AttendanceStatus, MeetingMode, MeetingType } from './enums.ts';

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

export interface PersonRef {
  memberId?: string;
  name: string;
}

/** Derived fields frozen at sign-off so later roster edits can't rewrite a locked record. */
export interface MinutesSnapshot {
  title: string;
  sessionNo: number | null;
  type: MeetingType;
  startsAt: string;
  endsAt: string | null;
  location: string;
  mode: MeetingMode;
  host: PersonRef | null;
  recorder: PersonRef | null;
  expectedCount: number;
  presentCount: number;
  attendees: PersonRef[];
  absentees: Array<PersonRef & { status: AttendanceStatus; reason: string | null; excused: boolean }>;
  observers: Array<{ name: string; affiliation: string }>;
  quorum: { required: number; met: boolean; rule: string };
}
