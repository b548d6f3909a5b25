import { describe, expect, it } from 'vitest';
import { computeBranchIndex, trend } from '../../shared/quality/branch-index.ts';
import { type ComplianceMeeting, computeCompliance } from '../../shared/quality/compliance.ts';
import { explain } from '../../shared/quality/explanation.ts';
import {
  computeMeetingQuality,
  type MeetingQuality,
  type MeetingQualityInputs,
} from '../../shared/quality/mqi.ts';
import { defaultRubric } from '../../shared/quality/rubric.ts';
import { shrinkBranchMeans, summarize } from '../../shared/quality/shrinkage.ts';

/**
 * The worked examples of docs/quality-index.md, encoded here independently of the document: the
 * same inputs, the same expected numbers. Change one, change both.
 */

const prepared = { study: true, talks: true, opinionSolicitation: true };
const unprepared = { study: false, talks: false, opinionSolicitation: false };
const noItems = {
  items: 0,
  wellFormed: 0,
  verifiedOnTime: 0,
  verifiedLate: 0,
  overdue: 0,
  previousItemsReviewed: null,
};
const likert = (
  themeFocus: number,
  preparation: number,
  candour: number,
  problemSolving: number,
  conduct: number,
) => ({
  themeFocus,
  preparation,
  candour,
  problemSolving,
  conduct,
});
const signedOnDay = (requiredFields: number, filledFields: number, daysToLock: number) => ({
  requiredFields,
  filledFields,
  hostSigned: true,
  recorderSigned: true,
  daysToLock,
});

const completeOrgLifeMeeting: MeetingQualityInputs = {
  meetingType: 'orgLifeMeeting',
  attendance: { expected: 26, exempt: 2, present: 21, excused: 2 },
  quorumMet: null,
  preparation: prepared,
  minutes: signedOnDay(18, 18, 3),
  satisfaction: {
    present: 22,
    answers: 20,
    likertMeans: likert(4.4, 4.2, 3.8, 4.0, 4.6),
    overall: { satisfied: 15, basicallySatisfied: 4, dissatisfied: 1 },
  },
  criticism: {
    covered: 18,
    items: 60,
    concreteAndLinked: 45,
    original: 54,
    sources: ['self', 'masses', 'peers', 'superior'],
  },
  appraisal: null,
  rectification: {
    items: 8,
    wellFormed: 8,
    verifiedOnTime: 6,
    verifiedLate: 1,
    overdue: 1,
    previousItemsReviewed: true,
  },
};

/** Component scores by key (null when the component does not count). */
function scores(quality: MeetingQuality) {
  return Object.fromEntries(quality.components.map((c) => [c.key, c.score]));
}

function expectScores(quality: MeetingQuality, expected: Record<string, number | null>) {
  const actual = scores(quality);
  for (const [key, value] of Object.entries(expected)) {
    if (value === null) expect(actual[key], key).toBeNull();
    else expect(actual[key], key).toBeCloseTo(value, 4);
  }
}

function expectCloseList(actual: Array<number | null>, expected: number[]) {
  expect(actual).toHaveLength(expected.length);
  for (const [i, value] of expected.entries()) expect(actual[i], `#${i}`).toBeCloseTo(value, 12);
}

describe('worked examples of docs/quality-index.md', () => {
  it('1. a complete 组织生活会 scores 85, 较好', () => {
    const q = computeMeetingQuality(completeOrgLifeMeeting, defaultRubric);
    expectScores(q, {
      procedure: 0.85,
      satisfaction: 0.8,
      criticism: 0.8675,
      appraisal: null,
      rectification: 0.90625,
    });
    const procedure = q.components.find((c) => c.key === 'procedure')!;
    expectCloseList(
      procedure.subMetrics.map((m) => m.score),
      [0.375 / 0.45, 2 / 3, 1],
    );
    expect(q.uncappedScore).toBeCloseTo((100 * 76.475) / 90, 9);
    expect(q).toMatchObject({
      rubricVersion: 1,
      score: 85,
      grade: 'fairlyGood',
      caps: [],
      insufficientData: false,
      provisional: false,
      flags: { procedureInvalid: false, needsAttention: false },
    });
    const zh = explain(q.explanation, 'zh-CN');
    expect(zh).toContain('出席 21/24 人（88%）');
    expect(zh).toContain('满意度 4.2/5（20 份）');
    expect(zh).toContain('8 项整改中 6 项按期销号，1 项逾期完成，1 项逾期');
    expect(zh.at(-1)).toBe('质量指数 85（按适用指标的权重 90 折算为百分制）');
    expect(explain(q.explanation, 'en')).toContain('Satisfaction 4.2/5 (20 answers)');
  });

  it('2. a 党课 is renormalised over P and S: 81, 较好', () => {
    const q = computeMeetingQuality(
      {
        meetingType: 'partyLecture',
        attendance: { expected: 30, exempt: 0, present: 27, excused: 2 },
        quorumMet: null,
        preparation: unprepared,
        minutes: signedOnDay(12, 10, 9),
        satisfaction: {
          present: 27,
          answers: 24,
          likertMeans: likert(4.5, 4.3, 4.0, 4.1, 4.6),
          overall: { satisfied: 20, basicallySatisfied: 3, dissatisfied: 1 },
        },
        criticism: null,
        appraisal: null,
        rectification: noItems,
      },
      defaultRubric,
    );
    expectScores(q, {
      procedure: 0.7861,
      satisfaction: 0.825,
      criticism: null,
      appraisal: null,
      rectification: null,
    });
    expect(q.components.map((c) => c.status)).toEqual([
      'scored',
      'scored',
      'notForMeetingType',
      'notRecorded',
      'notRecorded',
    ]);
    expect(q.components.map((c) => c.share)).toEqual([0.4, 0.6, 0, 0, 0]);
    expect(q.uncappedScore).toBeCloseTo(80.9444, 4);
    expect(q).toMatchObject({ score: 81, grade: 'fairlyGood', caps: [] });
    expect(explain(q.explanation, 'zh-CN')).toContain('会后第 9 天才签字归档，超过 7 天期限');
  });

  it('3. a 支委会 with 4 answers drops S (needs 5): 80, 较好, insufficient data', () => {
    const q = computeMeetingQuality(
      {
        meetingType: 'branchCommitteeMeeting',
        attendance: { expected: 5, exempt: 0, present: 4, excused: 1 },
        quorumMet: true,
        preparation: unprepared,
        minutes: signedOnDay(14, 14, 2),
        satisfaction: {
          present: 4,
          answers: 4,
          likertMeans: likert(4.5, 4.0, 4.25, 4.0, 4.5),
          overall: { satisfied: 2, basicallySatisfied: 1, dissatisfied: 1 },
        },
        criticism: null,
        appraisal: null,
        rectification: noItems,
      },
      defaultRubric,
    );
    expectScores(q, { procedure: 0.8, satisfaction: null });
    expect(q.components[1]!.status).toBe('insufficientData');
    expect(q).toMatchObject({ score: 80, grade: 'fairlyGood', insufficientData: true, caps: [] });
    // 3 of 4 satisfied is 75%, but four answers are too few to read: no gate fires.
    expect(q.flags.needsAttention).toBe(false);
    expect(explain(q.explanation, 'zh-CN')).toContain('满意度答卷 4 份，少于所需 5 份，本项不计入');
  });

  it('4. a 党员大会 without quorum is capped at 59 and flagged procedure-invalid', () => {
    const q = computeMeetingQuality(
      {
        meetingType: 'branchGeneralMeeting',
        attendance: { expected: 22, exempt: 0, present: 10, excused: 6 },
        quorumMet: false,
        preparation: unprepared,
        minutes: signedOnDay(15, 15, 1),
        satisfaction: {
          present: 10,
          answers: 9,
          likertMeans: likert(4.6, 4.5, 4.4, 4.6, 4.4),
          overall: { satisfied: 8, basicallySatisfied: 1, dissatisfied: 0 },
        },
        criticism: null,
        appraisal: null,
        rectification: noItems,
      },
      defaultRubric,
    );
    expectScores(q, { procedure: 0.325, satisfaction: 0.875 });
    expect(q.uncappedScore).toBeCloseTo(65.5, 9);
    expect(q).toMatchObject({
      score: 59,
      grade: 'poor',
      flags: { procedureInvalid: true, needsAttention: false },
      caps: [{ key: 'quorum', cap: 59, binding: true }],
    });
    expect(explain(q.explanation, 'zh-CN')).toContain('未达到法定人数，会议程序无效，得分不超过 59');
  });

  it('5. a 组织生活会 without recorded talks is capped at 79', () => {
    const q = computeMeetingQuality(
      { ...completeOrgLifeMeeting, preparation: { study: true, talks: false, opinionSolicitation: true } },
      defaultRubric,
    );
    expect(q.uncappedScore).toBeCloseTo(84.9722, 4);
    expect(q).toMatchObject({
      score: 79,
      grade: 'average',
      caps: [{ key: 'preparation', cap: 79, binding: true }],
    });
    const zh = explain(q.explanation, 'zh-CN');
    expect(zh).toContain('会前准备记录不全，得分不超过 79');
    expect(zh).toContain('未记录谈心谈话');
    expect(zh).not.toContain('未记录会前集中学习');
  });

  it('6. overall satisfaction of 55% needs attention: 63, 一般', () => {
    const q = computeMeetingQuality(
      {
        meetingType: 'themedPartyDay',
        attendance: { expected: 26, exempt: 0, present: 22, excused: 3 },
        quorumMet: null,
        preparation: { study: true, talks: false, opinionSolicitation: false },
        minutes: signedOnDay(10, 10, 4),
        satisfaction: {
          present: 24,
          answers: 20,
          likertMeans: likert(3.2, 3.0, 2.8, 2.9, 3.1),
          overall: { satisfied: 3, basicallySatisfied: 8, dissatisfied: 9 },
        },
        criticism: null,
        appraisal: null,
        rectification: noItems,
      },
      defaultRubric,
    );
    expectScores(q, { procedure: 0.824, satisfaction: 0.5 });
    expect(q.uncappedScore).toBeCloseTo(62.9615, 4);
    expect(q).toMatchObject({
      score: 63,
      grade: 'average',
      flags: { procedureInvalid: false, needsAttention: true },
      caps: [{ key: 'satisfactionGrade', cap: 79, binding: false }],
    });
    const zh = explain(q.explanation, 'zh-CN');
    expect(zh).toContain('总体满意率 55%（20 份中 11 份满意或基本满意）');
    expect(zh).toContain('总体满意率低于 60%，需要关注');
  });

  it('7. overall satisfaction of 85% rules out 好 and 较好: 91 becomes 79', () => {
    const q = computeMeetingQuality(
      {
        meetingType: 'partyLecture',
        attendance: { expected: 30, exempt: 0, present: 29, excused: 1 },
        quorumMet: null,
        preparation: { study: true, talks: false, opinionSolicitation: false },
        minutes: signedOnDay(12, 12, 2),
        satisfaction: {
          present: 29,
          answers: 20,
          likertMeans: likert(4.5, 4.4, 4.3, 4.4, 4.4),
          overall: { satisfied: 12, basicallySatisfied: 5, dissatisfied: 3 },
        },
        criticism: null,
        appraisal: null,
        rectification: noItems,
      },
      defaultRubric,
    );
    expectScores(q, { procedure: 1, satisfaction: 0.85 });
    expect(q.uncappedScore).toBeCloseTo(91, 9);
    expect(q).toMatchObject({
      score: 79,
      grade: 'average',
      flags: { procedureInvalid: false, needsAttention: false },
      caps: [{ key: 'satisfactionGrade', cap: 79, binding: true }],
    });
  });

  it('8. before rectification items fall due, R is r1 and r3 only, and provisional: 84', () => {
    const q = computeMeetingQuality(
      {
        ...completeOrgLifeMeeting,
        rectification: {
          items: 8,
          wellFormed: 6,
          verifiedOnTime: 0,
          verifiedLate: 0,
          overdue: 0,
          previousItemsReviewed: true,
        },
      },
      defaultRubric,
    );
    const r = q.components.find((c) => c.key === 'rectification')!;
    expect(r.subMetrics).toEqual([
      { key: 'wellFormed', weight: 6, applicable: true, score: 0.75 },
      { key: 'onTime', weight: 10, applicable: false, score: null },
      { key: 'followUpReview', weight: 4, applicable: true, score: 1 },
    ]);
    expect(r).toMatchObject({ score: 0.85, provisional: true });
    expect(q.uncappedScore).toBeCloseTo(83.7222, 4);
    expect(q).toMatchObject({ score: 84, grade: 'fairlyGood', provisional: true });
    expect(explain(q.explanation, 'zh-CN')).toContain('8 项整改尚未到期，整改落实为暂估');
  });

  it('9. a 民主评议党员 meeting counts E, where 4 优秀 of 11 without a reason breaks the rules: 84', () => {
    const q = computeMeetingQuality(
      {
        meetingType: 'memberAppraisal',
        attendance: { expected: 15, exempt: 1, present: 13, excused: 1 },
        quorumMet: true,
        preparation: prepared,
        minutes: signedOnDay(16, 16, 5),
        satisfaction: {
          present: 13,
          answers: 12,
          likertMeans: likert(4.3, 4.1, 4.0, 4.2, 4.4),
          overall: { satisfied: 9, basicallySatisfied: 3, dissatisfied: 0 },
        },
        criticism: {
          covered: 11,
          items: 30,
          concreteAndLinked: 21,
          original: 27,
          sources: ['self', 'peers'],
        },
        appraisal: {
          selfAssessmentDone: true,
          peerAssessmentDone: true,
          eligibleVotersPresent: 13,
          ballotsCast: 12,
          fullMembers: 11,
          determinationsEntered: 11,
          feedbackGiven: 9,
          excellent: 4,
          excellentOverrideReasonRecorded: false,
          probationaryGraded: 0,
        },
        rectification: noItems,
      },
      defaultRubric,
    );
    expectScores(q, {
      procedure: 0.9714,
      satisfaction: 0.8,
      criticism: 0.8178,
      appraisal: 0.7636,
      rectification: null,
    });
    const e = q.components.find((c) => c.key === 'appraisal')!;
    expectCloseList(
      e.subMetrics.map((m) => m.score),
      [1, 1, 1, 9 / 11, 0],
    );
    expect(q.uncappedScore).toBeCloseTo(84.2767, 4);
    expect(q).toMatchObject({ score: 84, grade: 'fairlyGood' });
    expect(explain(q.explanation, 'zh-CN')).toContain('评定“优秀” 4 名，超过三分之一上限 3 名，且未记录理由');
  });
});

describe('worked examples: compliance, branch index, comparison', () => {
  const held = (
    type: ComplianceMeeting['type'],
    date: string,
    partyGroupId: string | null = null,
  ): ComplianceMeeting => ({
    type,
    date,
    status: 'held',
    partyGroupId,
  });
  const meetings: ComplianceMeeting[] = [
    held('branchCommitteeMeeting', '2026-01-08'),
    held('branchCommitteeMeeting', '2026-02-12'),
    held('branchCommitteeMeeting', '2026-03-05'),
    held('branchGeneralMeeting', '2026-03-20'),
    held('partyGroupMeeting', '2026-01-15', 'g1'),
    held('partyGroupMeeting', '2026-02-19', 'g1'),
    held('partyGroupMeeting', '2026-03-19', 'g1'),
    held('partyGroupMeeting', '2026-01-16', 'g2'),
    held('partyGroupMeeting', '2026-03-26', 'g2'),
    { ...held('partyGroupMeeting', '2026-02-20', 'g2'), status: 'cancelled' },
    held('themedPartyDay', '2026-01-01'),
    held('themedPartyDay', '2026-02-01'),
    { ...held('themedPartyDay', '2026-03-01'), status: 'cancelled' },
    { ...held('partyLecture', '2026-04-10'), status: 'scheduled' },
  ];
  const compliance = computeCompliance(
    {
      period: { unit: 'quarter', year: 2026, quarter: 1 },
      asOf: '2026-04-02',
      meetings,
      partyGroupIds: ['g1', 'g2'],
    },
    defaultRubric,
  );

  it('Q1 compliance: 11 of 14 required meetings held', () => {
    expect(compliance).toMatchObject({ required: 14, held: 11 });
    expect(compliance.share).toBeCloseTo(11 / 14, 12);
    expect(compliance.byType.map((t) => [t.type, t.required, t.held])).toEqual([
      ['branchGeneralMeeting', 1, 1],
      ['branchCommitteeMeeting', 3, 3],
      ['partyGroupMeeting', 6, 5],
      ['partyLecture', 1, 0],
      ['themedPartyDay', 3, 2],
    ]);
  });

  it('Q1 branch index: 73.5, down 2.7 on the quarter before', () => {
    const scored = (
      type: ComplianceMeeting['type'],
      score: number,
      flag?: 'procedureInvalid' | 'needsAttention',
    ) => ({
      type,
      score,
      flags: { procedureInvalid: flag === 'procedureInvalid', needsAttention: flag === 'needsAttention' },
    });
    const index = computeBranchIndex(
      {
        compliance: compliance.share,
        meetings: [
          scored('branchCommitteeMeeting', 80),
          scored('branchCommitteeMeeting', 76),
          scored('branchCommitteeMeeting', 82),
          scored('branchGeneralMeeting', 59, 'procedureInvalid'),
          ...[70, 72, 68, 75, 71].map((s) => scored('partyGroupMeeting', s)),
          scored('themedPartyDay', 63, 'needsAttention'),
          scored('themedPartyDay', 81),
        ],
      },
      defaultRubric,
    );
    expect(index.meanMqi).toBeCloseTo(856 / 12, 12);
    expect(index).toMatchObject({
      index: 73.5,
      scoredMeetings: 11,
      flags: { procedureInvalid: 1, needsAttention: 1 },
    });
    expect(explain(index.explanation, 'zh-CN')).toEqual([
      '规定会议按时召开率 78.6%',
      '11 次会议的加权平均质量指数 71.3',
      '支部指数 73.5 = 0.3 × 78.6 + 0.7 × 71.3',
      '1 次会议程序无效',
      '1 次会议满意率偏低，需要关注',
    ]);
    expect(trend(index.index, 76.2)).toEqual({ change: -2.7, direction: 'down' });
  });

  it('comparison: the one-meeting branch moves most and no branch is ranked on noise', () => {
    const result = shrinkBranchMeans(
      [
        summarize('A', [82, 88, 79]),
        summarize('B', [95]),
        summarize('C', [70, 75, 72, 68, 71, 74]),
        summarize('D', [60, 90]),
      ],
      { bounds: [0, 100] },
    );
    if (!result.ok) throw new Error(result.reason);
    expect(result.withinVariance).toBeCloseTo(65.6667, 4);
    expect(result.betweenVariance).toBeCloseTo(74.8333, 4);
    expect(result.committeeMean).toBeCloseTo(79.85, 2);
    const rows = result.branches.map((b) => [
      b.id,
      Number(b.shrinkage.toFixed(2)),
      Number(b.estimate.toFixed(1)),
      Number(b.lower.toFixed(1)),
      Number(b.upper.toFixed(1)),
      b.position,
    ]);
    expect(rows).toEqual([
      ['A', 0.23, 82.3, 75.3, 89.3, 'indistinguishable'],
      ['B', 0.47, 87.9, 77.4, 98.4, 'indistinguishable'],
      ['C', 0.13, 72.7, 67.5, 77.9, 'below'],
      ['D', 0.3, 76.5, 68.2, 84.7, 'indistinguishable'],
    ]);
  });
});
