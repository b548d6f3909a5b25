import { describe, expect, it } from 'vitest';
import { toCsv } from '../../server/dashboards/csv.ts';
import type { MeetingFact, ScoreDetail } from '../../server/dashboards/facts.ts';
import {
  attentionOf,
  meetingFigure,
  rectificationOf,
  satisfactionOf,
  weakestOf,
} from '../../server/dashboards/figures.ts';
import { parsePeriodKey, periodKey, periodKeyOfDay, trailingPeriods } from '../../shared/domain/periods.ts';
import { periodContaining } from '../../shared/quality/compliance.ts';
import { computeMeetingQuality } from '../../shared/quality/mqi.ts';
import { defaultRubric } from '../../shared/quality/rubric.ts';
import { periodQuery } from '../../shared/schemas/dashboards.ts';
import { type InputsSketch, qualityInputs } from '../support/quality-fixtures.ts';

/** A scored meeting as the dashboards load it, computed from a sketch of its inputs. */
function scored(id: string, sketch: InputsSketch): { fact: MeetingFact; detail: ScoreDetail } {
  const inputs = qualityInputs(sketch);
  const q = computeMeetingQuality(inputs, defaultRubric);
  return {
    fact: {
      id,
      branchId: 'b',
      partyGroupId: null,
      type: sketch.type,
      title: id,
      date: '2025-02-01',
      status: 'held',
      score: q.score,
      scored: true,
      flags: { ...q.flags, provisional: q.provisional, insufficientData: q.insufficientData },
    },
    detail: {
      grade: q.grade,
      components: q.components,
      explanation: q.explanation,
      satisfaction: inputs.satisfaction,
      attendance: inputs.attendance,
    },
  };
}

function world(...meetings: Array<{ fact: MeetingFact; detail: ScoreDetail }>) {
  return {
    facts: meetings.map((m) => m.fact),
    details: new Map(meetings.map((m) => [m.fact.id, m.detail])),
  };
}

describe('period keys', () => {
  it('round-trip years, quarters and months and list the periods before', () => {
    for (const key of ['2026', '2026-Q1', '2026-Q4', '2026-03', '2026-12']) {
      expect(periodKey(parsePeriodKey(key)!)).toBe(key);
    }
    expect(parsePeriodKey('2026-Q5')).toBeNull();
    expect(parsePeriodKey('2026-13')).toBeNull();
    expect(trailingPeriods(parsePeriodKey('2026-Q1')!, 3).map(periodKey)).toEqual([
      '2025-Q3',
      '2025-Q4',
      '2026-Q1',
    ]);
    expect(trailingPeriods(parsePeriodKey('2026-01')!, 2).map(periodKey)).toEqual(['2025-12', '2026-01']);
    for (const day of ['2026-01-01', '2026-03-31', '2026-04-01', '2026-12-31']) {
      for (const unit of ['month', 'quarter', 'year'] as const) {
        expect(periodKeyOfDay(day, unit)).toBe(periodKey(periodContaining(day, unit)));
      }
    }
  });

  it('refuses malformed and out-of-range periods with a field code', () => {
    expect(periodQuery.safeParse({ period: '2026-Q2' }).success).toBe(true);
    expect(periodQuery.safeParse({}).success).toBe(true);
    expect(periodQuery.safeParse({ period: '26-Q2' }).error?.issues[0]?.code).toBe('invalid_format');
    expect(periodQuery.safeParse({ period: '2101' }).error?.issues[0]?.message).toBe('outOfRange');
  });
});

describe('satisfaction for a viewer', () => {
  const big = scored('big', {
    type: 'themedPartyDay',
    expected: 10,
    present: 10,
    answers: 10,
    likert: 4,
    overall: [8, 1, 1],
  });
  const small = scored('small', {
    type: 'themedPartyDay',
    expected: 4,
    present: 4,
    answers: 4,
    likert: 2,
    overall: [1, 1, 2],
  });

  it('counts a meeting only when that meeting alone has k answers', () => {
    const { facts, details } = world(big, small);
    const committee = satisfactionOf(facts, details, 5);
    expect(committee).toMatchObject({ answers: 10, meetings: 1, withheldMeetings: 1 });
    expect(committee.overallRate).toEqual({ suppressed: false, value: 0.9, n: 10 });
    expect(committee.dimensions[0]!.mean).toEqual({ suppressed: false, value: 4, n: 10 });
    // With k = 3 both count, weighted by answers: (4 × 10 + 2 × 4) / 14.
    const branch = satisfactionOf(facts, details, 3);
    expect(branch.dimensions[0]!.mean).toEqual({ suppressed: false, value: 3.43, n: 14 });
    expect(branch.overallRate).toEqual({ suppressed: false, value: 0.7857, n: 14 });
  });

  it('withholds every figure when no meeting reaches k, and says why', () => {
    const { facts, details } = world(small);
    const result = satisfactionOf(facts, details, 5);
    expect(result.overallRate).toEqual({ suppressed: true, n: 0, k: 5 });
    expect(result.dimensions.every((d) => d.mean.suppressed)).toBe(true);
    expect(result.explanation.map((l) => l.key)).toEqual([
      'dashboard.explain.noSatisfaction',
      'dashboard.explain.satisfactionWithheld',
    ]);
  });

  it("hides a meeting's satisfaction points, lines and flag from a viewer with a larger k", () => {
    const unhappy = scored('unhappy', {
      type: 'themedPartyDay',
      expected: 6,
      present: 6,
      answers: 6,
      likert: 3,
      overall: [1, 1, 4],
    });
    expect(unhappy.fact.flags.needsAttention).toBe(true);
    const shown = meetingFigure(unhappy.fact, unhappy.detail, 5);
    expect(shown.flags).toContain('needsAttention');
    // S = (3 − 1) / 4 = 0.5 with a share of 30/50: 30 points.
    expect(shown.components.find((c) => c.key === 'satisfaction')!.points).toBe(30);
    const hidden = meetingFigure(unhappy.fact, unhappy.detail, 7);
    expect(hidden.flags).not.toContain('needsAttention');
    expect(hidden.components.find((c) => c.key === 'satisfaction')).toEqual({
      key: 'satisfaction',
      points: null,
      suppressed: true,
    });
    expect(hidden.satisfaction).toEqual({ suppressed: true, n: 6, k: 7 });
    const keys = hidden.explanation.map((l) => l.key);
    expect(keys).not.toContain('quality.explain.satisfaction');
    expect(keys).not.toContain('quality.explain.needsAttention');
    expect(keys).toContain('quality.explain.attendance');
    expect(keys).toContain('quality.suppressed');
  });
});

describe('where the index lost most', () => {
  it('names compliance when meetings were good but too few', () => {
    const good = scored('good', {
      type: 'themedPartyDay',
      expected: 10,
      present: 10,
      answers: 10,
      likert: 4.8,
    });
    const { facts, details } = world(good);
    expect(weakestOf(facts, details, 0.5, defaultRubric)).toEqual({ source: 'compliance', lostPoints: 15 });
  });

  it('names the component that lost most points, weighted into the index', () => {
    // Attendance 60%: P loses most; S is full marks.
    const poorlyAttended = scored('p', {
      type: 'themedPartyDay',
      expected: 10,
      present: 6,
      answers: 6,
      likert: 5,
    });
    const { facts, details } = world(poorlyAttended);
    const weakest = weakestOf(facts, details, 1, defaultRubric)!;
    expect(weakest.source).toBe('procedure');
    // P = (12 × 0.2222 + 3 × 0 + 5 × 1) / 20 = 0.3833; its share is 20/50, so 100 × 0.4 × 0.6167 × 0.7.
    expect(weakest.lostPoints).toBeCloseTo(17.3, 1);
  });

  it('names the caps when a gate held the score down', () => {
    const noQuorum = scored('q', {
      type: 'branchGeneralMeeting',
      expected: 20,
      present: 19,
      quorumMet: false,
      answers: 19,
      likert: 5,
    });
    expect(noQuorum.fact.score).toBe(59);
    const { facts, details } = world(noQuorum);
    expect(weakestOf(facts, details, 1, defaultRubric)!.source).toBe('caps');
  });
});

describe('rectification on time and attention', () => {
  it('reads items due in the period by when they were done', () => {
    const today = '2025-04-02';
    const figure = rectificationOf(
      [
        {
          branchId: 'b',
          dueOn: '2025-03-01',
          status: 'verified',
          completedAt: new Date('2025-02-27T04:00:00Z'),
        },
        {
          branchId: 'b',
          dueOn: '2025-03-01',
          status: 'completed',
          completedAt: new Date('2025-03-05T04:00:00Z'),
        },
        { branchId: 'b', dueOn: '2025-03-20', status: 'inProgress', completedAt: null },
        { branchId: 'b', dueOn: '2025-04-30', status: 'planned', completedAt: null },
      ],
      today,
    );
    expect(figure).toMatchObject({ onTime: 1, late: 1, overdue: 1, pending: 1 });
    expect(figure.onTimeRate).toBeCloseTo(1 / 3, 4);
  });

  it('gives a committee its reasons to look, strongest first', () => {
    const index = {
      index: 55,
      grade: 'poor' as const,
      compliance: 0.5,
      meanMqi: 57,
      scoredMeetings: 3,
      flags: { procedureInvalid: 1, needsAttention: 0 },
      trend: { change: -6, direction: 'down' as const },
      explanation: [],
    };
    expect(attentionOf(index, 'below')).toEqual(['procedureInvalid', 'poor', 'below', 'falling']);
    expect(
      attentionOf(
        { ...index, index: 85, grade: 'fairlyGood', flags: { procedureInvalid: 0, needsAttention: 0 } },
        null,
      ),
    ).toEqual(['falling']);
  });
});

describe('CSV for Excel', () => {
  it('starts with a BOM, quotes what needs quoting and defuses formulas', () => {
    const text = toCsv([
      ['名称', '值'],
      ['第一党支部, 机关', 85.2],
      ['=HYPERLINK("x")', -2.7],
      ['多行\n文本', null],
    ]).toString('utf8');
    expect(text).toBe(
      '\uFEFF名称,值\r\n"第一党支部, 机关",85.2\r\n"\'=HYPERLINK(""x"")",-2.7\r\n"多行\n文本",\r\n',
    );
  });
});
