import type { AppraisalGrade, MemberStatus } from '../domain/enums.ts';

/**
 * The rules of 民主评议党员 that software may enforce (DOMAIN.md §4). Deliberately absent: any
 * function from ballots to a grade. The ballot is an input to the committee's determination
 * ("不唯票数"); the committee enters every grade itself.
 *
 * @example
 * excellentCap(14); // 4 — 优秀 is generally at most a third of the full members
 * checkExcellentShare({ fullMembers: 14, excellent: 5, overrideReason: null }).status; // 'reasonRequired'
 * unqualifiedReferral({ excellent: 1, qualified: 3, basicallyQualified: 1, unqualified: 6 }, true); // true
 */

/** Only full members receive a grade; probationary members cast ballots but are never graded. */
export function isGraded(status: MemberStatus): boolean {
  return status === 'fullMember';
}

/** Most 优秀 determinations the soft rule allows: ⌊full members ÷ 3⌋ (probationary excluded). */
export function excellentCap(fullMembers: number): number {
  return Math.floor(fullMembers / 3);
}

export interface ExcellentShareCheck {
  cap: number;
  excellent: number;
  /**
   * `withinCap` — nothing to do; `reasonRecorded` — above the cap with a recorded reason (allowed:
   * the rule says "一般"); `reasonRequired` — above the cap, the committee must record why.
   */
  status: 'withinCap' | 'reasonRecorded' | 'reasonRequired';
}

/** The ⅓ 优秀 soft check: exceeding it is allowed only with a recorded, non-blank reason. */
export function checkExcellentShare(input: {
  fullMembers: number;
  excellent: number;
  overrideReason: string | null;
}): ExcellentShareCheck {
  const cap = excellentCap(input.fullMembers);
  const base = { cap, excellent: input.excellent };
  if (input.excellent <= cap) return { ...base, status: 'withinCap' };
  return { ...base, status: input.overrideReason?.trim() ? 'reasonRecorded' : 'reasonRequired' };
}

export interface Determination {
  memberId: string;
  status: MemberStatus;
  /** The committee's grade; null while not entered (and always for probationary members). */
  grade: AppraisalGrade | null;
}

export type DeterminationProblem =
  | { code: 'appraisal.probationaryGraded'; memberId: string }
  | { code: 'appraisal.excellentOverCap'; cap: number; excellent: number };

/**
 * Checks a set of determinations before the committee saves them: a probationary member with a
 * grade is always refused; more 优秀 than the cap is refused until a reason is recorded.
 */
export function checkDeterminations(
  determinations: readonly Determination[],
  excellentOverrideReason: string | null,
): DeterminationProblem[] {
  const problems: DeterminationProblem[] = determinations
    .filter((d) => !isGraded(d.status) && d.grade !== null)
    .map((d) => ({ code: 'appraisal.probationaryGraded', memberId: d.memberId }));
  const share = checkExcellentShare({
    fullMembers: determinations.filter((d) => isGraded(d.status)).length,
    excellent: determinations.filter((d) => isGraded(d.status) && d.grade === 'excellent').length,
    overrideReason: excellentOverrideReason,
  });
  if (share.status === 'reasonRequired') {
    problems.push({ code: 'appraisal.excellentOverCap', cap: share.cap, excellent: share.excellent });
  }
  return problems;
}

/**
 * The optional local rule (off by default, `rubric.appraisalRules.unqualifiedReferral`): when more
 * than half of the ballots on a member are 不合格, the committee is asked to verify the case. It
 * is a flag for people to act on, never a grade.
 */
export function unqualifiedReferral(
  tally: Readonly<Record<AppraisalGrade, number>>,
  enabled: boolean,
): boolean {
  const total = tally.excellent + tally.qualified + tally.basicallyQualified + tally.unqualified;
  return enabled && total > 0 && tally.unqualified * 2 > total;
}
