import type { Period, PeriodUnit } from '../quality/compliance.ts';
import { periodBounds, previousPeriod } from '../quality/compliance.ts';

/**
 * Reporting periods as short keys for URLs, exports and chart axes: `2026` (a year), `2026-Q1` (a
 * quarter), `2026-03` (a month). The arithmetic (bounds, the period before) lives with compliance.
 *
 * @example
 * parsePeriodKey('2026-Q1');             // { unit: 'quarter', year: 2026, quarter: 1 }
 * periodKey({ unit: 'month', year: 2026, month: 3 }); // '2026-03'
 * trailingPeriods(parsePeriodKey('2026-Q1')!, 3).map(periodKey); // ['2025-Q3', '2025-Q4', '2026-Q1']
 */

export const periodKeyPattern = /^(\d{4})(?:-Q([1-4])|-(0[1-9]|1[0-2]))?$/;

export function periodKey(period: Period): string {
  switch (period.unit) {
    case 'year':
      return String(period.year);
    case 'quarter':
      return `${period.year}-Q${period.quarter}`;
    case 'month':
      return `${period.year}-${String(period.month).padStart(2, '0')}`;
  }
}

/** The period a key names, or null when it is not one. */
export function parsePeriodKey(key: string): Period | null {
  const match = periodKeyPattern.exec(key);
  if (!match) return null;
  const year = Number(match[1]);
  if (match[2]) return { unit: 'quarter', year, quarter: Number(match[2]) };
  if (match[3]) return { unit: 'month', year, month: Number(match[3]) };
  return { unit: 'year', year };
}

/** The key of the period of `unit` containing an ISO day — string work only, for many rows at once. */
export function periodKeyOfDay(day: string, unit: PeriodUnit): string {
  if (unit === 'year') return day.slice(0, 4);
  if (unit === 'month') return day.slice(0, 7);
  return `${day.slice(0, 4)}-Q${Math.ceil(Number(day.slice(5, 7)) / 3)}`;
}

/** The `count` periods ending with `last`, oldest first (for trends and sparklines). */
export function trailingPeriods(last: Period, count: number): Period[] {
  const periods: Period[] = [last];
  while (periods.length < count) periods.unshift(previousPeriod(periods[0]!));
  return periods;
}

/** How many periods of each unit a trend shows: two years of quarters, a year of months, four years. */
export const trendLength: Record<PeriodUnit, number> = { quarter: 8, month: 12, year: 4 };

/** Whether an ISO date lies inside a period. */
export function inPeriod(date: string, period: Period): boolean {
  const { start, end } = periodBounds(period);
  return date >= start && date <= end;
}
