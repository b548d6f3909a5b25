import { describe, expect, it } from 'vitest';
import { absenceWarning, addMonths, branchSizeAdvice, latestTodayIso } from '../../shared/domain/roster.ts';

const at = (iso: string) => new Date(`${iso}T00:00:00Z`);

describe('absence warnings (DOMAIN.md §1)', () => {
  const base = { onRosterSince: at('2020-01-01'), exempt: false };

  it('warns at 3 and at 5 months since the last attended organization life', () => {
    const last = at('2026-01-31');
    expect(absenceWarning({ ...base, lastAttendedAt: last, now: at('2026-04-29') })).toBeNull();
    expect(absenceWarning({ ...base, lastAttendedAt: last, now: at('2026-04-30') })).toBe('threeMonths');
    expect(absenceWarning({ ...base, lastAttendedAt: last, now: at('2026-06-29') })).toBe('threeMonths');
    expect(absenceWarning({ ...base, lastAttendedAt: last, now: at('2026-06-30') })).toBe('fiveMonths');
  });

  it('counts from the roster entry for someone who never attended, and never flags the exempt', () => {
    const joined = { lastAttendedAt: null, onRosterSince: at('2026-03-01') };
    expect(absenceWarning({ ...joined, exempt: false, now: at('2026-05-31') })).toBeNull();
    expect(absenceWarning({ ...joined, exempt: false, now: at('2026-06-01') })).toBe('threeMonths');
    expect(absenceWarning({ ...joined, exempt: true, now: at('2027-06-01') })).toBeNull();
  });

  it('adds calendar months, clamping to the end of shorter months', () => {
    expect(addMonths(at('2026-01-31'), 1).toISOString().slice(0, 10)).toBe('2026-02-28');
    expect(addMonths(at('2024-01-31'), 1).toISOString().slice(0, 10)).toBe('2024-02-29');
    expect(addMonths(at('2026-11-30'), 3).toISOString().slice(0, 10)).toBe('2027-02-28');
  });
});

describe('branch size advice', () => {
  const full = (n: number, committeeRole: 'secretary' | 'organization' | null = null) =>
    Array.from({ length: n }, () => ({ status: 'fullMember' as const, committeeRole }));

  it('follows the ≥3 full members and the 3–7 committee rules', () => {
    expect(branchSizeAdvice([])).toEqual(['tooFewFullMembers', 'secretaryMissing']);
    expect(branchSizeAdvice([...full(1, 'secretary'), ...full(1)])).toEqual(['tooFewFullMembers']);
    // Probationary members do not count towards the minimum.
    expect(
      branchSizeAdvice([...full(2, null), { status: 'probationaryMember', committeeRole: 'secretary' }]),
    ).toEqual(['tooFewFullMembers']);
    expect(branchSizeAdvice([...full(1, 'secretary'), ...full(5)])).toEqual([]);
    expect(branchSizeAdvice([...full(1, 'secretary'), ...full(6)])).toEqual(['committeeNeeded']);
    expect(branchSizeAdvice([...full(1, 'secretary'), ...full(2, 'organization'), ...full(4)])).toEqual([]);
    expect(branchSizeAdvice([...full(1, 'secretary'), ...full(7, 'organization')])).toEqual([
      'committeeTooLarge',
    ]);
  });
});

describe('the latest "today"', () => {
  it('is today somewhere on Earth, so a date typed in UTC+8 early in the morning is not in the future', () => {
    expect(latestTodayIso(new Date('2026-11-25T23:30:00Z'))).toBe('2026-11-26');
    expect(latestTodayIso(new Date('2026-11-25T09:00:00Z'))).toBe('2026-11-25');
  });
});
