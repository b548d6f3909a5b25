import { describe, expect, it } from 'vitest';
import {
  type BranchMeetingScore,
  computeBranchIndex,
  trend,
  trendLine,
} from '../../shared/quality/branch-index.ts';
import { explain } from '../../shared/quality/explanation.ts';
import { defaultRubric } from '../../shared/quality/rubric.ts';

const clean = { procedureInvalid: false, needsAttention: false };
const scored = (type: BranchMeetingScore['type'], score: number | null): BranchMeetingScore => ({
  type,
  score,
  flags: clean,
});

describe('branch index', () => {
  it('is 0.3 × compliance + 0.7 × the type-weighted mean MQI', () => {
    const index = computeBranchIndex(
      { compliance: 0.9, meetings: [scored('orgLifeMeeting', 84), scored('partyLecture', 60)] },
      defaultRubric,
    );
    // Mean = (3 × 84 + 1 × 60) / 4 = 78; index = 0.3 × 90 + 0.7 × 78 = 81.6.
    expect(index.meanMqi).toBe(78);
    expect(index.index).toBe(81.6);
    expect(explain(index.explanation, 'en')).toEqual([
      'Required meetings held on time: 90%',
      'Weighted mean quality index 78 (scored meetings: 2)',
      'Branch index 81.6 = 0.3 × 90 + 0.7 × 78',
    ]);
  });

  it('leaves unscored meetings out of the mean but counts their flags', () => {
    const index = computeBranchIndex(
      {
        compliance: 1,
        meetings: [
          scored('branchCommitteeMeeting', 70),
          {
            type: 'branchGeneralMeeting',
            score: null,
            flags: { procedureInvalid: true, needsAttention: false },
          },
        ],
      },
      defaultRubric,
    );
    expect(index).toMatchObject({
      meanMqi: 70,
      scoredMeetings: 1,
      index: 79,
      flags: { procedureInvalid: 1 },
    });
  });

  it('judges a period on the part it has, and says so', () => {
    const complianceOnly = computeBranchIndex({ compliance: 0.5, meetings: [] }, defaultRubric);
    expect(complianceOnly.index).toBe(50);
    expect(explain(complianceOnly.explanation, 'zh-CN')).toEqual([
      '规定会议按时召开率 50%',
      '本期没有已计分的会议',
      '支部指数 50（仅按已有的一项计算）',
    ]);
    expect(
      computeBranchIndex({ compliance: null, meetings: [scored('themedPartyDay', 72)] }, defaultRubric).index,
    ).toBe(72);
    expect(computeBranchIndex({ compliance: null, meetings: [] }, defaultRubric)).toMatchObject({
      index: null,
      meanMqi: null,
    });
  });

  it('follows the rubric’s weights', () => {
    const rubric = structuredClone(defaultRubric);
    rubric.branchIndex.complianceWeight = 1;
    rubric.branchIndex.mqiWeight = 1;
    rubric.branchIndex.meetingTypeWeights.partyLecture = 3;
    const index = computeBranchIndex(
      { compliance: 0.8, meetings: [scored('orgLifeMeeting', 90), scored('partyLecture', 70)] },
      rubric,
    );
    expect(index.meanMqi).toBe(80);
    expect(index.index).toBe(80);
  });
});

describe('trend', () => {
  it('reads up, down, flat within a point, or unknown without a previous period', () => {
    expect(trend(73.5, 76.2)).toEqual({ change: -2.7, direction: 'down' });
    expect(trend(80.2, 78.1)).toEqual({ change: 2.1, direction: 'up' });
    expect(trend(80.2, 79.6)).toEqual({ change: 0.6, direction: 'flat' });
    expect(trend(80, 79)).toEqual({ change: 1, direction: 'up' });
    expect(trend(80, null)).toEqual({ change: null, direction: 'unknown' });
    expect(trend(80.2, 79.6, 0.5)).toEqual({ change: 0.6, direction: 'up' });
  });

  it('reads as a line without a minus sign, the direction saying which way', () => {
    expect(explain([trendLine(trend(73.5, 76.2))], 'zh-CN')).toEqual(['下降 2.7']);
    expect(explain([trendLine(trend(80.2, 79.6))], 'en')).toEqual(['About the same']);
    expect(explain([trendLine(trend(80, null))], 'en')).toEqual(['No previous period']);
  });
});
