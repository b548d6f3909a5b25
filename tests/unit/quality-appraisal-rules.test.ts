import { describe, expect, it } from 'vitest';
import * as rules from '../../shared/quality/appraisal-rules.ts';
import {
  checkDeterminations,
  checkExcellentShare,
  type Determination,
  excellentCap,
  isGraded,
  unqualifiedReferral,
} from '../../shared/quality/appraisal-rules.ts';

const member = (
  memberId: string,
  grade: Determination['grade'],
  status: Determination['status'] = 'fullMember',
) => ({
  memberId,
  status,
  grade,
});

describe('appraisal rules', () => {
  it('grades full members only', () => {
    expect(isGraded('fullMember')).toBe(true);
    expect(isGraded('probationaryMember')).toBe(false);
  });

  it('caps 优秀 at a third of full members, rounded down', () => {
    expect([2, 3, 5, 6, 14, 30].map(excellentCap)).toEqual([0, 1, 1, 2, 4, 10]);
  });

  it('lets the committee exceed the cap only with a recorded reason', () => {
    expect(checkExcellentShare({ fullMembers: 14, excellent: 4, overrideReason: null })).toEqual({
      cap: 4,
      excellent: 4,
      status: 'withinCap',
    });
    expect(checkExcellentShare({ fullMembers: 14, excellent: 5, overrideReason: null }).status).toBe(
      'reasonRequired',
    );
    expect(checkExcellentShare({ fullMembers: 14, excellent: 5, overrideReason: '   ' }).status).toBe(
      'reasonRequired',
    );
    expect(
      checkExcellentShare({ fullMembers: 14, excellent: 5, overrideReason: '抗洪抢险集体立功' }).status,
    ).toBe('reasonRecorded');
  });

  it('counts only full members towards the cap and refuses a graded probationary member', () => {
    const determinations = [
      member('a', 'excellent'),
      member('b', 'qualified'),
      member('c', 'qualified'),
      member('p', 'excellent', 'probationaryMember'),
      member('q', null, 'probationaryMember'),
    ];
    // 3 full members → cap 1; one full member is 优秀, so only the probationary grade is wrong.
    expect(checkDeterminations(determinations, null)).toEqual([
      { code: 'appraisal.probationaryGraded', memberId: 'p' },
    ]);
    const twoExcellent = [member('a', 'excellent'), member('b', 'excellent'), member('c', 'qualified')];
    expect(checkDeterminations(twoExcellent, null)).toEqual([
      { code: 'appraisal.excellentOverCap', cap: 1, excellent: 2 },
    ]);
    expect(checkDeterminations(twoExcellent, '两人均获省级表彰')).toEqual([]);
  });

  it('flags a member for verification only when the option is on and more than half the ballots are 不合格', () => {
    const half = { excellent: 0, qualified: 4, basicallyQualified: 1, unqualified: 5 };
    const more = { excellent: 0, qualified: 3, basicallyQualified: 1, unqualified: 6 };
    expect(unqualifiedReferral(more, false)).toBe(false);
    expect(unqualifiedReferral(half, true)).toBe(false);
    expect(unqualifiedReferral(more, true)).toBe(true);
    expect(
      unqualifiedReferral({ excellent: 0, qualified: 0, basicallyQualified: 0, unqualified: 0 }, true),
    ).toBe(false);
  });

  it('offers no way to turn ballots into a grade', () => {
    // The committee enters every determination ("不唯票数"). Adding an export here must be a
    // deliberate decision, reviewed against that rule.
    expect(Object.keys(rules).sort()).toEqual([
      'checkDeterminations',
      'checkExcellentShare',
      'excellentCap',
      'isGraded',
      'unqualifiedReferral',
    ]);
  });
});
