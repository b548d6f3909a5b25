import type { MeetingStatus, MeetingType } from '../domain/enums.ts';
import { meetingTypes } from '../domain/enums.ts';
import type { ComplianceFrequency, Rubric } from './rubric.ts';

/**
 * Compliance (规范执行率): meetings held versus required, per meeting type and period, from the
 * rubric's frequencies (支委会 monthly, 党员大会 quarterly, …); and the attendance warnings for
 * members who have not attended organization life for 3 and 5 months (six months without a valid
 * reason is treated as leaving the Party, 党章 Art. 9).
 *
 * Dates are ISO calendar dates (YYYY-MM-DD) in the branch's own time zone, computed by the data
 * layer, so no time-zone arithmetic happens here.
 *
 * @example
 * const q = computeCompliance({ period: { unit: 'quarter', year: 2026, quarter: 1 }, asOf: '2026-04-02',
 *   meetings, partyGroupIds: ['g1', 'g2'] }, rubric);
 * q.share;    // 0.786 — 11 of 14 required meetings held (docs/quality-index.md, "Compliance")
 * q.byType;   // [{ type: 'branchCommitteeMeeting', required: 3, held: 3, pending: 0, … }, …]
 */

export type Period =
  | { unit: 'month'; year: number; month: number }
  | { unit: 'quarter'; year: number; quarter: number }
  | { unit: 'year'; year: number };
export type PeriodUnit = Period['unit'];

interface DateParts {
  year: number;
  month: number;
  day: number;
}

function parseDate(iso: string): DateParts {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) throw new RangeError(`Not an ISO date: ${iso}`);
  return { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
}

const pad = (n: number) => String(n).padStart(2, '0');
const daysInMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** First and last day (inclusive, ISO) of a period. */
export function periodBounds(period: Period): { start: string; end: string } {
  const [firstMonth, months] =
    period.unit === 'year'
      ? [1, 12]
      : period.unit === 'quarter'
        ? [3 * period.quarter - 2, 3]
        : [period.month, 1];
  const lastMonth = firstMonth + months - 1;
  return {
    start: `${period.year}-${pad(firstMonth)}-01`,
    end: `${period.year}-${pad(lastMonth)}-${pad(daysInMonth(period.year, lastMonth))}`,
  };
}

/** The period of the given unit that contains a date. */
export function periodContaining(date: string, unit: PeriodUnit): Period {
  const { year, month } = parseDate(date);
  if (unit === 'year') return { unit, year };
  if (unit === 'quarter') return { unit, year, quarter: Math.ceil(month / 3) };
  return { unit, year, month };
}

/** The period just before (for trends: this quarter against the last). */
export function previousPeriod(period: Period): Period {
  switch (period.unit) {
    case 'year':
      return { unit: 'year', year: period.year - 1 };
    case 'quarter':
      return period.quarter > 1
        ? { ...period, quarter: period.quarter - 1 }
        : { unit: 'quarter', year: period.year - 1, quarter: 4 };
    case 'month':
      return period.month > 1
        ? { ...period, month: period.month - 1 }
        : { unit: 'month', year: period.year - 1, month: 12 };
  }
}

const slotUnit: Record<Exclude<ComplianceFrequency, 'none'>, PeriodUnit> = {
  monthly: 'month',
  quarterly: 'quarter',
  yearly: 'year',
};
const unitLength: Record<PeriodUnit, number> = { month: 1, quarter: 3, year: 12 };

/** The frequency's slots that lie wholly inside the period (none when a slot is longer than it). */
function slotsOf(frequency: ComplianceFrequency, period: Period): Period[] {
  if (frequency === 'none') return [];
  const unit = slotUnit[frequency];
  if (unitLength[unit] > unitLength[period.unit]) return [];
  const slots: Period[] = [];
  const { start, end } = periodBounds(period);
  let slot = periodContaining(end, unit);
  while (periodBounds(slot).start >= start) {
    slots.unshift(slot);
    slot = previousPeriod(slot);
  }
  return slots;
}

export interface ComplianceMeeting {
  type: MeetingType;
  /** ISO date the meeting was held (or scheduled). */
  date: string;
  status: MeetingStatus;
  /** The party group of a 党小组会; null otherwise. */
  partyGroupId: string | null;
}

export type SlotState = 'held' | 'missed' | 'pending';

export interface ComplianceSlot {
  type: MeetingType;
  partyGroupId: string | null;
  start: string;
  end: string;
  /** `held` — a held meeting of the type falls in the slot; `missed` — the slot ended without one;
   * `pending` — not yet ended and not yet held (not counted either way). */
  state: SlotState;
}

export interface ComplianceByType {
  type: MeetingType;
  frequency: ComplianceFrequency;
  required: number;
  held: number;
  pending: number;
}

export interface Compliance {
  period: Period;
  asOf: string;
  byType: ComplianceByType[];
  /** Slots judged so far: held ones (even early in a running period) and missed ones. */
  required: number;
  held: number;
  /** held / required, 0–1; null when nothing was required yet. */
  share: number | null;
  /** Every slot, for the compliance calendar. */
  slots: ComplianceSlot[];
}

/**
 * Meetings required versus held in a period. Each required meeting is a slot — a month, quarter
 * or year of its frequency lying inside the period, once per party group for 党小组会 — met by
 * any held (not cancelled or merely scheduled) meeting of the type inside it. A requirement whose
 * slot is longer than the period (the yearly 组织生活会 in a quarter) is judged in the year view
 * only. A slot still running counts once it is met and is otherwise left out until it ends, so a
 * branch is never marked down for a month that is not over.
 */
export function computeCompliance(
  input: {
    period: Period;
    asOf: string;
    meetings: readonly ComplianceMeeting[];
    /** The branch's party groups (each owes its own 党小组会). */
    partyGroupIds: readonly string[];
  },
  rubric: Pick<Rubric, 'compliance'>,
): Compliance {
  const held = input.meetings.filter((m) => m.status === 'held');
  const slots: ComplianceSlot[] = [];
  const byType: ComplianceByType[] = [];
  for (const type of meetingTypes) {
    const frequency = rubric.compliance.frequencies[type];
    const owners = type === 'partyGroupMeeting' ? input.partyGroupIds : [null];
    const counts = { type, frequency, required: 0, held: 0, pending: 0 };
    for (const slot of slotsOf(frequency, input.period)) {
      const { start, end } = periodBounds(slot);
      for (const partyGroupId of owners) {
        const met = held.some(
          (m) =>
            m.type === type &&
            m.date >= start &&
            m.date <= end &&
            (partyGroupId === null || m.partyGroupId === partyGroupId),
        );
        const state: SlotState = met ? 'held' : end < input.asOf ? 'missed' : 'pending';
        slots.push({ type, partyGroupId, start, end, state });
        if (state === 'pending') counts.pending++;
        else counts.required++;
        if (state === 'held') counts.held++;
      }
    }
    if (counts.required + counts.pending > 0) byType.push(counts);
  }
  const required = byType.reduce((sum, t) => sum + t.required, 0);
  const heldCount = byType.reduce((sum, t) => sum + t.held, 0);
  return {
    period: input.period,
    asOf: input.asOf,
    byType,
    required,
    held: heldCount,
    share: required > 0 ? heldCount / required : null,
    slots,
  };
}

/** Months without organization life at which the secretary is warned (the Party rule is six). */
export const attendanceWarningMonths = { warn3: 3, warn5: 5 } as const;
export type AttendanceWarningLevel = 'none' | 'warn3' | 'warn5';

/**
 * Whole calendar months from one date to another: 2026-01-31 → 2026-04-30 is 3 (the month end
 * counts as the anniversary when the later month is shorter).
 */
export function wholeMonthsBetween(from: string, to: string): number {
  const a = parseDate(from);
  const b = parseDate(to);
  const months = (b.year - a.year) * 12 + (b.month - a.month);
  const anniversary = Math.min(a.day, daysInMonth(b.year, b.month));
  return b.day < anniversary ? months - 1 : months;
}

export interface MemberAttendanceFacts {
  memberId: string;
  /** Last organization-life meeting the member attended (ISO date); null if never in this branch. */
  lastAttended: string | null;
  /** When the member joined (or transferred into) the branch: the clock starts there. */
  memberSince: string;
  /** An approved exemption (年老体弱, abroad…) takes the member out of the warnings. */
  exempt: boolean;
}

export interface AttendanceWarning {
  memberId: string;
  monthsWithout: number;
  level: AttendanceWarningLevel;
}

/**
 * The attendance warning of each non-exempt member as of a date. These are member-level figures:
 * they stay inside the branch and never feed a committee view.
 */
export function attendanceWarnings(
  members: readonly MemberAttendanceFacts[],
  asOf: string,
): AttendanceWarning[] {
  return members
    .filter((m) => !m.exempt)
    .map((m) => {
      const since =
        m.lastAttended !== null && m.lastAttended > m.memberSince ? m.lastAttended : m.memberSince;
      const monthsWithout = Math.max(0, wholeMonthsBetween(since, asOf));
      const level: AttendanceWarningLevel =
        monthsWithout >= attendanceWarningMonths.warn5
          ? 'warn5'
          : monthsWithout >= attendanceWarningMonths.warn3
            ? 'warn3'
            : 'none';
      return { memberId: m.memberId, monthsWithout, level };
    });
}
