import { describe, expect, it } from 'vitest';
import {
  type AttendeeFacts,
  computeQuorum,
  moreThanHalf,
  motionPasses,
  voteOutcome,
  votingMembers,
} from '../../shared/domain/quorum.ts';

const full = (attendance: AttendeeFacts['attendance'], onCommittee = false): AttendeeFacts => ({
  status: 'fullMember',
  onCommittee,
  attendance,
});
const probationary = (attendance: AttendeeFacts['attendance']): AttendeeFacts => ({
  status: 'probationaryMember',
  onCommittee: false,
  attendance,
});

describe('quorum', () => {
  it('needs more than half of full members at a branch general meeting, probationary members not counted', () => {
    const people = [
      full('present'),
      full('present'),
      full('absent'),
      full('excused'),
      probationary('present'),
    ];
    // 4 full members → 3 needed; only 2 present.
    expect(computeQuorum('branchGeneralMeeting', people)).toEqual({
      rule: 'majorityOfFullMembers',
      base: 4,
      required: 3,
      present: 2,
      met: false,
    });
    expect(
      computeQuorum('branchGeneralMeeting', [...people.slice(0, 3), full('present'), probationary('present')])
        .met,
    ).toBe(true);
  });

  it('leaves exempt members out of the denominator', () => {
    const people = [full('present'), full('present'), full('exempt'), full('exempt'), full('absent')];
    expect(computeQuorum('memberAppraisal', people)).toMatchObject({
      base: 3,
      required: 2,
      present: 2,
      met: true,
    });
  });

  it('counts only committee members at a committee meeting', () => {
    const people = [full('present', true), full('absent', true), full('absent', true), full('present')];
    expect(computeQuorum('branchCommitteeMeeting', people)).toMatchObject({
      base: 3,
      required: 2,
      present: 1,
      met: false,
    });
  });

  it('needs two thirds of those expected at a democratic-life meeting', () => {
    const six = [
      full('present'),
      full('present'),
      full('present'),
      full('present'),
      full('absent'),
      full('absent'),
    ];
    expect(computeQuorum('leadershipLifeMeeting', six)).toMatchObject({ required: 4, met: true });
    expect(computeQuorum('leadershipLifeMeeting', [...six.slice(1), full('absent')])).toMatchObject({
      met: false,
    });
  });

  it('has no quorum for lectures, themed days and organization-life meetings', () => {
    expect(computeQuorum('partyLecture', [full('absent')])).toMatchObject({ rule: 'none', met: null });
    expect(computeQuorum('orgLifeMeeting', [full('present')]).met).toBeNull();
  });

  it('passes a motion with more than half of the expected voting members, not of those present', () => {
    expect(moreThanHalf(10)).toBe(6);
    expect(moreThanHalf(9)).toBe(5);
    expect(motionPasses(5, 10)).toBe(false);
    expect(motionPasses(6, 10)).toBe(true);
    expect(motionPasses(0, 0)).toBe(false);
  });
});

describe('voting members and vote outcomes', () => {
  it('gives the vote to full members not exempt, and to the committee only at a committee meeting', () => {
    const people = [
      full('present', true),
      full('absent', true),
      full('present'),
      full('exempt'),
      probationary('present'),
    ];
    expect(votingMembers('branchGeneralMeeting', people)).toEqual({ expected: 3, present: 2 });
    expect(votingMembers('branchCommitteeMeeting', people)).toEqual({ expected: 2, present: 1 });
  });

  it('passes a motion on more than half of those expected and flags more ballots than voters present', () => {
    const voting = { expected: 10, present: 7 };
    expect(voteOutcome({ yes: 6, no: 1, abstain: 0 }, voting)).toEqual({
      cast: 7,
      passed: true,
      exceedsPresent: false,
    });
    expect(voteOutcome({ yes: 5, no: 0, abstain: 2 }, voting)).toMatchObject({
      passed: false,
      exceedsPresent: false,
    });
    expect(voteOutcome({ yes: 6, no: 2, abstain: 0 }, voting)).toMatchObject({ exceedsPresent: true });
  });
});
