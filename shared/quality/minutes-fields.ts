import type { MeetingMode, MeetingType } from '../domain/enums.ts';
import type { MinutesContent } from '../domain/meetings.ts';

/**
 * Which fields of the minutes (会议记录, DOMAIN.md §2.4) a meeting of each type must have filled,
 * for the record-completeness part of the quality index (P). Only fields someone can leave empty
 * are counted: the title, type and the derived counts are always there and would only dilute the
 * share. Sign-off is scored on its own, and attachments are not required (attendance is recorded
 * in Mingjing itself, so no scanned sign-in sheet is needed).
 *
 * @example
 * const { required, missing } = minutesCompleteness('branchGeneralMeeting', facts);
 * // required: 12 fields, missing: ['votes'] → "会议记录必填项已填 11/12"
 */
export const minutesFieldKeys = [
  'time',
  'place',
  'host',
  'recorder',
  'attendance',
  'absenceReasons',
  'agendaItems',
  'reports',
  'speeches',
  'votes',
  'resolutions',
  'closingSummary',
  'custodian',
] as const;
export type MinutesFieldKey = (typeof minutesFieldKeys)[number];

/** Every meeting records when, where, who ran and recorded it, who came, what was said and concluded. */
const everyMeeting: readonly MinutesFieldKey[] = [
  'time',
  'place',
  'host',
  'recorder',
  'attendance',
  'absenceReasons',
  'agendaItems',
  'speeches',
  'closingSummary',
  'custodian',
];

/**
 * What a type adds: a report (the secretary's report with last year's 回头看 at a 组织生活会, the
 * lecture itself at a 党课); decision meetings record their resolutions, and a 党员大会 its votes.
 */
const byType: Record<MeetingType, readonly MinutesFieldKey[]> = {
  branchGeneralMeeting: ['votes', 'resolutions'],
  branchCommitteeMeeting: ['resolutions'],
  partyGroupMeeting: [],
  partyLecture: ['reports'],
  themedPartyDay: [],
  orgLifeMeeting: ['reports'],
  leadershipLifeMeeting: ['reports'],
  memberAppraisal: ['reports'],
};

/** The required fields of a meeting type, in the order of the minutes. */
export function requiredMinutesFields(type: MeetingType): MinutesFieldKey[] {
  const wanted = new Set([...everyMeeting, ...byType[type]]);
  return minutesFieldKeys.filter((key) => wanted.has(key));
}

/** What the record shows about each field. */
export interface MinutesFacts {
  endsAt: string | Date | null;
  location: string;
  mode: MeetingMode;
  hostSet: boolean;
  recorderSet: boolean;
  /** Invitees not yet marked present or absent. */
  unmarked: number;
  /** Absent, excused or exempt invitees with no reason recorded (no note, leave reason or exemption). */
  absenteesWithoutReason: number;
  content: Required<MinutesContent>;
  custodianSet: boolean;
}

function filled(key: MinutesFieldKey, facts: MinutesFacts): boolean {
  const c = facts.content;
  switch (key) {
    case 'time':
      return facts.endsAt !== null;
    case 'place':
      // An online meeting has no room to name.
      return facts.location.trim() !== '' || facts.mode === 'online';
    case 'host':
      return facts.hostSet;
    case 'recorder':
      return facts.recorderSet;
    case 'attendance':
      return facts.unmarked === 0;
    case 'absenceReasons':
      return facts.absenteesWithoutReason === 0;
    case 'agendaItems':
      return c.agendaItems.length > 0;
    case 'reports':
      return c.reports.length > 0;
    case 'speeches':
      return c.speeches.length > 0;
    case 'votes':
      return c.votes.length > 0;
    case 'resolutions':
      return c.resolutions.length > 0;
    case 'closingSummary':
      return c.closingSummary.trim() !== '';
    case 'custodian':
      return facts.custodianSet;
  }
}

export function minutesCompleteness(
  type: MeetingType,
  facts: MinutesFacts,
): { required: MinutesFieldKey[]; missing: MinutesFieldKey[] } {
  const required = requiredMinutesFields(type);
  return { required, missing: required.filter((key) => !filled(key, facts)) };
}
