import type { CommitteeRole, MemberStatus } from './enums.ts';

/** Why a member left the roster (组织关系转出, 出党: 除名/劝退/开除, 去世, other). Rows are never deleted. */
export const memberDepartureReasons = ['transferredOut', 'removed', 'deceased', 'other'] as const;
export type MemberDepartureReason = (typeof memberDepartureReasons)[number];

/**
 * Advice on a branch's size and leadership (DOMAIN.md §1): at least 3 full members to form a
 * branch; with 7 or more a committee (支委会) of 3–7; otherwise a secretary. Guidance for the
 * secretary, never a reason to refuse an edit — a branch shrinks before it is merged.
 */
export const branchSizeAdviceCodes = [
  'tooFewFullMembers',
  'committeeNeeded',
  'committeeTooLarge',
  'secretaryMissing',
] as const;
export type BranchSizeAdvice = (typeof branchSizeAdviceCodes)[number];

export const minFullMembers = 3;
export const committeeThreshold = 7;
export const committeeSize = { min: 3, max: 7 } as const;

export interface RosterFacts {
  status: MemberStatus;
  committeeRole: CommitteeRole | null;
}

/**
 * @example branchSizeAdvice([{ status: 'fullMember', committeeRole: 'secretary' }]) // ['tooFewFullMembers']
 */
export function branchSizeAdvice(current: readonly RosterFacts[]): BranchSizeAdvice[] {
  const full = current.filter((m) => m.status === 'fullMember').length;
  const committee = current.filter((m) => m.committeeRole !== null).length;
  const advice: BranchSizeAdvice[] = [];
  if (full < minFullMembers) advice.push('tooFewFullMembers');
  if (full >= committeeThreshold && committee < committeeSize.min) advice.push('committeeNeeded');
  if (committee > committeeSize.max) advice.push('committeeTooLarge');
  if (!current.some((m) => m.committeeRole === 'secretary')) advice.push('secretaryMissing');
  return advice;
}

/** Months without organization life after which the secretary is warned (DOMAIN.md §1). */
export const absenceWarningMonths = { first: 3, second: 5 } as const;
export type AbsenceWarning = 'threeMonths' | 'fiveMonths';

/** The same day of the month `months` later, clamped to the month's end (31 Jan + 1 → 28/29 Feb). */
export function addMonths(from: Date, months: number): Date {
  const target = new Date(from.getTime());
  const day = target.getUTCDate();
  target.setUTCDate(1);
  target.setUTCMonth(target.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return target;
}

/**
 * Whether a member has gone 3 or 5 months without attending organization life. The clock starts
 * at the last attendance, or at the roster entry for someone who has never attended (a freshly
 * imported branch is not flagged wholesale). Exempt members are never flagged.
 *
 * @example absenceWarning({ lastAttendedAt: null, onRosterSince: jan1, exempt: false, now: apr2 }) // 'threeMonths'
 */
export function absenceWarning(facts: {
  lastAttendedAt: Date | null;
  onRosterSince: Date;
  exempt: boolean;
  now: Date;
}): AbsenceWarning | null {
  if (facts.exempt) return null;
  const since =
    facts.lastAttendedAt && facts.lastAttendedAt > facts.onRosterSince
      ? facts.lastAttendedAt
      : facts.onRosterSince;
  if (addMonths(since, absenceWarningMonths.second) <= facts.now) return 'fiveMonths';
  if (addMonths(since, absenceWarningMonths.first) <= facts.now) return 'threeMonths';
  return null;
}

export const genders = ['male', 'female'] as const;
export type Gender = (typeof genders)[number];

/**
 * The latest calendar date that is already "today" somewhere on Earth (UTC+14). Dates entered in a
 * branch's local time zone are compared against it, so "today" is never refused as in the future.
 */
export function latestTodayIso(now = new Date()): string {
  return new Date(now.getTime() + 14 * 3600_000).toISOString().slice(0, 10);
}
