import { describe, expect, it } from 'vitest';
import {
  attendanceWarnings,
  type ComplianceMeeting,
  computeCompliance,
  type Period,
  periodBounds,
  periodContaining,
  previousPeriod,
  wholeMonthsBetween,
} from '../../shared/quality/compliance.ts';
import { defaultRubric, type Rubric } from '../../shared/quality/rubric.ts';

const meeting = (
  type: ComplianceMeeting['type'],
  date: string,
  status: ComplianceMeeting['status'] = 'held',
  partyGroupId: string | null = null,
): ComplianceMeeting => ({ type, date, status, partyGroupId });

const q1: Period = { unit: 'quarter', year: 2026, quarter: 1 };

function compliance(
  meetings: ComplianceMeeting[],
  asOf = '2026-04-02',
  period = q1,
  rubric: Rubric = defaultRubric,
) {
  return computeCompliance({ period, asOf, meetings, partyGroupIds: [] }, rubric);
}

describe('periods', () => {
  it('knows where months, quarters and years begin and end, leap years included', () => {
    expect(periodBounds(q1)).toEqual({ start: '2026-01-01', end: '2026-03-31' });
    expect(periodBounds({ unit: 'month', year: 2028, month: 2 })).toEqual({
      start: '2028-02-01',
      end: '2028-02-29',
    });
    expect(periodBounds({ unit: 'year', year: 2026 })).toEqual({ start: '2026-01-01', end: '2026-12-31' });
  });

  it('steps back across year ends and finds the period of a date', () => {
    expect(previousPeriod(q1)).toEqual({ unit: 'quarter', year: 2025, quarter: 4 });
    expect(previousPeriod({ unit: 'month', year: 2026, month: 1 })).toEqual({
      unit: 'month',
      year: 2025,
      month: 12,
    });
    expect(periodContaining('2026-08-31', 'quarter')).toEqual({ unit: 'quarter', year: 2026, quarter: 3 });
    expect(() => periodContaining('31/08/2026', 'month')).toThrow(RangeError);
  });
});

describe('compliance', () => {
  it('requires each monthly type once a month and quarterly types once a quarter', () => {
    const result = compliance([]);
    expect(result.byType.map((t) => [t.type, t.frequency, t.required])).toEqual([
      ['branchGeneralMeeting', 'quarterly', 1],
      ['branchCommitteeMeeting', 'monthly', 3],
      ['partyLecture', 'quarterly', 1],
      ['themedPartyDay', 'monthly', 3],
    ]);
    expect(result).toMatchObject({ required: 8, held: 0, share: 0 });
  });

  it('judges yearly meetings in the year view only', () => {
    const year = compliance([meeting('orgLifeMeeting', '2026-12-10')], '2027-01-05', {
      unit: 'year',
      year: 2026,
    });
    expect(year.byType.find((t) => t.type === 'orgLifeMeeting')).toMatchObject({ required: 1, held: 1 });
    expect(year.byType.find((t) => t.type === 'memberAppraisal')).toMatchObject({ required: 1, held: 0 });
    expect(year.byType.find((t) => t.type === 'branchCommitteeMeeting')).toMatchObject({ required: 12 });
    expect(year.byType.find((t) => t.type === 'leadershipLifeMeeting')).toBeUndefined();
    expect(compliance([meeting('orgLifeMeeting', '2026-02-10')]).byType.map((t) => t.type)).not.toContain(
      'orgLifeMeeting',
    );
  });

  it('counts only held meetings, and two in one month as one', () => {
    const result = compliance([
      meeting('branchCommitteeMeeting', '2026-01-05'),
      meeting('branchCommitteeMeeting', '2026-01-31'),
      meeting('branchCommitteeMeeting', '2026-02-10', 'cancelled'),
      meeting('branchCommitteeMeeting', '2026-03-10', 'scheduled'),
      meeting('branchCommitteeMeeting', '2026-03-31', 'inProgress'),
    ]);
    expect(result.byType.find((t) => t.type === 'branchCommitteeMeeting')).toMatchObject({
      required: 3,
      held: 1,
    });
    expect(result.slots.filter((s) => s.type === 'branchCommitteeMeeting').map((s) => s.state)).toEqual([
      'held',
      'missed',
      'missed',
    ]);
  });

  it('owes a 党小组会 from every party group, each one only by its own meetings', () => {
    const result = computeCompliance(
      {
        period: { unit: 'month', year: 2026, month: 3 },
        asOf: '2026-04-01',
        meetings: [meeting('partyGroupMeeting', '2026-03-19', 'held', 'g1')],
        partyGroupIds: ['g1', 'g2'],
      },
      defaultRubric,
    );
    expect(result.byType.find((t) => t.type === 'partyGroupMeeting')).toMatchObject({ required: 2, held: 1 });
    expect(result.slots.filter((s) => s.type === 'partyGroupMeeting')).toEqual([
      {
        type: 'partyGroupMeeting',
        partyGroupId: 'g1',
        start: '2026-03-01',
        end: '2026-03-31',
        state: 'held',
      },
      {
        type: 'partyGroupMeeting',
        partyGroupId: 'g2',
        start: '2026-03-01',
        end: '2026-03-31',
        state: 'missed',
      },
    ]);
  });

  it('in a running quarter, counts a met month at once but never a month that is not over', () => {
    const result = compliance(
      [meeting('branchCommitteeMeeting', '2026-02-03'), meeting('themedPartyDay', '2026-01-10')],
      '2026-02-15',
    );
    const committee = result.byType.find((t) => t.type === 'branchCommitteeMeeting')!;
    expect(committee).toMatchObject({ required: 2, held: 1, pending: 1 }); // Jan missed, Feb held, Mar pending
    const themed = result.byType.find((t) => t.type === 'themedPartyDay')!;
    expect(themed).toMatchObject({ required: 1, held: 1, pending: 2 });
    expect(result.share).toBeCloseTo(2 / 3, 12);
  });

  it('has no share before anything has fallen due', () => {
    expect(compliance([], '2026-01-01').share).toBeNull();
  });

  it('follows the rubric’s frequencies', () => {
    const rubric = structuredClone(defaultRubric);
    rubric.compliance.frequencies.partyLecture = 'yearly';
    rubric.compliance.frequencies.themedPartyDay = 'none';
    const types = compliance([], '2026-04-02', q1, rubric).byType.map((t) => t.type);
    expect(types).toEqual(['branchGeneralMeeting', 'branchCommitteeMeeting']);
  });
});

describe('attendance warnings', () => {
  it('counts whole calendar months, month ends included', () => {
    expect(wholeMonthsBetween('2026-01-15', '2026-04-14')).toBe(2);
    expect(wholeMonthsBetween('2026-01-15', '2026-04-15')).toBe(3);
    expect(wholeMonthsBetween('2026-01-31', '2026-04-30')).toBe(3);
    expect(wholeMonthsBetween('2026-01-31', '2026-02-28')).toBe(1);
    expect(wholeMonthsBetween('2028-02-29', '2029-02-28')).toBe(12);
    expect(wholeMonthsBetween('2025-11-20', '2026-01-19')).toBe(1);
  });

  it('warns at 3 and 5 months, counting from joining for a member who never attended, skipping exempt members', () => {
    const asOf = '2026-06-30';
    const warnings = attendanceWarnings(
      [
        { memberId: 'recent', lastAttended: '2026-05-20', memberSince: '2020-01-01', exempt: false },
        { memberId: 'three', lastAttended: '2026-03-30', memberSince: '2020-01-01', exempt: false },
        { memberId: 'four', lastAttended: '2026-02-28', memberSince: '2020-01-01', exempt: false },
        { memberId: 'five', lastAttended: '2026-01-30', memberSince: '2020-01-01', exempt: false },
        { memberId: 'newcomer', lastAttended: null, memberSince: '2026-05-01', exempt: false },
        { memberId: 'transferred', lastAttended: '2025-06-01', memberSince: '2026-04-10', exempt: false },
        { memberId: 'bedridden', lastAttended: '2024-01-01', memberSince: '2000-01-01', exempt: true },
      ],
      asOf,
    );
    expect(warnings.map((w) => [w.memberId, w.monthsWithout, w.level])).toEqual([
      ['recent', 1, 'none'],
      ['three', 3, 'warn3'],
      ['four', 4, 'warn3'],
      ['five', 5, 'warn5'],
      ['newcomer', 1, 'none'],
      ['transferred', 2, 'none'],
    ]);
  });
});
