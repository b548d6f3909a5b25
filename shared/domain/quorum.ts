import type { AttendanceStatus, MeetingType, MemberStatus } from './enums.ts';

/**
 * Quorum rules (DOMAIN.md §2): a 党员大会 (and a 民主评议 session, held as one) needs more than half
 * of the full members with voting rights present; a 支委会 more than half of the committee; a
 * 民主生活会 at least two thirds of those expected. Other meetings have no formal quorum.
 * Members with an approved exemption are outside every denominator.
 */
export type QuorumRule = 'majorityOfFullMembers' | 'majorityOfCommittee' | 'twoThirdsOfExpected' | 'none';

export function quorumRuleFor(type: MeetingType): QuorumRule {
  switch (type) {
    case 'branchGeneralMeeting':
    case 'memberAppraisal':
      return 'majorityOfFullMembers';
    case 'branchCommitteeMeeting':
      return 'majorityOfCommittee';
    case 'leadershipLifeMeeting':
      return 'twoThirdsOfExpected';
    default:
      return 'none';
  }
}

export interface AttendeeFacts {
  status: MemberStatus;
  onCommittee: boolean;
  attendance: AttendanceStatus | null;
}

export interface Quorum {
  rule: QuorumRule;
  /** Size of the denominator the rule counts (e.g. full members not exempt). */
  base: number;
  /** How many of them must be present. 0 when the rule is `none`. */
  required: number;
  /** How many of them are present. */
  present: number;
  /** null when the meeting type has no quorum. */
  met: boolean | null;
}

/** Smallest count strictly greater than half of n. */
export const moreThanHalf = (n: number) => Math.floor(n / 2) + 1;

export function computeQuorum(type: MeetingType, attendees: readonly AttendeeFacts[]): Quorum {
  const rule = quorumRuleFor(type);
  const counted = attendees.filter((a) => a.attendance !== 'exempt');
  const inBase =
    rule === 'majorityOfFullMembers'
      ? counted.filter((a) => a.status === 'fullMember')
      : rule === 'majorityOfCommittee'
        ? counted.filter((a) => a.onCommittee)
        : counted;
  const base = inBase.length;
  const present = inBase.filter((a) => a.attendance === 'present').length;
  if (rule === 'none') return { rule, base, required: 0, present, met: null };
  const required = rule === 'twoThirdsOfExpected' ? Math.ceil((2 * base) / 3) : moreThanHalf(base);
  return { rule, base, required, present, met: base > 0 && present >= required };
}

export interface AttendanceCounts {
  invited: number;
  /** 应到: invited minus exempt. */
  expected: number;
  present: number;
  absent: number;
  excused: number;
  exempt: number;
  unmarked: number;
}

/** 应到/实到/请假/缺席 from each invitee's mark (null: not yet marked). */
export function attendanceCounts(marks: readonly (AttendanceStatus | null)[]): AttendanceCounts {
  const count = (status: AttendanceStatus | null) => marks.filter((m) => m === status).length;
  return {
    invited: marks.length,
    expected: marks.length - count('exempt'),
    present: count('present'),
    absent: count('absent'),
    excused: count('excused'),
    exempt: count('exempt'),
    unmarked: count(null),
  };
}

/**
 * A motion at a 党员大会 passes with yes-votes from more than half of the members *expected* with
 * voting rights — not of those present (支部工作条例).
 */
export function motionPasses(yes: number, expectedVotingMembers: number): boolean {
  return expectedVotingMembers > 0 && yes >= moreThanHalf(expectedVotingMembers);
}

/**
 * Who has a vote in resolutions: full members (probationary members and observers never vote),
 * and at a 支委会 only the committee; exempt members are outside the count.
 */
export function votingMembers(
  type: MeetingType,
  attendees: readonly AttendeeFacts[],
): { expected: number; present: number } {
  const voters = attendees.filter(
    (a) =>
      a.attendance !== 'exempt' &&
      a.status === 'fullMember' &&
      (type !== 'branchCommitteeMeeting' || a.onCommittee),
  );
  return { expected: voters.length, present: voters.filter((a) => a.attendance === 'present').length };
}

export interface VoteOutcome {
  /** Ballots cast: yes + no + abstain. */
  cast: number;
  passed: boolean;
  /** More ballots than voting members present: the record is wrong somewhere. */
  exceedsPresent: boolean;
}

export function voteOutcome(
  vote: { yes: number; no: number; abstain: number },
  voting: { expected: number; present: number },
): VoteOutcome {
  const cast = vote.yes + vote.no + vote.abstain;
  return { cast, passed: motionPasses(vote.yes, voting.expected), exceedsPresent: cast > voting.present };
}
