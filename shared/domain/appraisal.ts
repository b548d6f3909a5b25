import type { AppraisalGrade } from './enums.ts';

/**
 * The appraisal workflow after the ballot (DOMAIN.md §4): feedback to each member, and the
 * disposition (组织处置) of a member determined 不合格 — education first, then correction within a
 * deadline, persuasion to withdraw or removal, each decided by the branch general meeting and
 * approved by the superior organization. Pure rules, shared by the server (which enforces them)
 * and the client (which explains them before anyone presses a button).
 *
 * @example
 * correctionDeadlineProblem('2026-12-10', '2027-12-10'); // null — exactly one year is allowed
 * correctionDeadlineProblem('2026-12-10', '2027-12-11'); // 'beyondOneYear'
 * nextStepProblem({ educationRecorded: false, closed: false, steps: [] }); // 'appraisal.educationFirst'
 */

/** How the determination was conveyed to the member (反馈方式). */
export const feedbackMethods = ['talk', 'meeting', 'written', 'phone'] as const;
export type FeedbackMethod = (typeof feedbackMethods)[number];

/** Why someone on the sheet receives no grade. */
export const notGradedReasons = ['probationary', 'exempt'] as const;
export type NotGradedReason = (typeof notGradedReasons)[number];

/** The decisions that may follow education (党员教育管理工作条例 Art. 30–31). */
export const dispositionKinds = ['correctionWithinDeadline', 'persuadeToWithdraw', 'removal'] as const;
export type DispositionKind = (typeof dispositionKinds)[number];

export const approvalDecisions = ['approved', 'notApproved'] as const;
export type ApprovalDecision = (typeof approvalDecisions)[number];

/** How a disposition ends; each needs the matching step approved by the superior organization. */
export const dispositionOutcomes = ['corrected', 'withdrew', 'removed'] as const;
export type DispositionOutcome = (typeof dispositionOutcomes)[number];

export const outcomeRequires: Record<DispositionOutcome, DispositionKind> = {
  corrected: 'correctionWithinDeadline',
  withdrew: 'persuadeToWithdraw',
  removed: 'removal',
};

/**
 * Where a step stands: the general meeting's vote failed; or it passed and waits for the superior
 * organization; or the superior approved or did not.
 */
export const stepStates = ['voteFailed', 'awaitingApproval', 'approved', 'notApproved'] as const;
export type StepState = (typeof stepStates)[number];

export function stepState(step: { passed: boolean; approvalDecision: ApprovalDecision | null }): StepState {
  if (!step.passed) return 'voteFailed';
  return step.approvalDecision ?? 'awaitingApproval';
}

export const dispositionStates = ['education', 'inProgress', 'closed'] as const;
export type DispositionState = (typeof dispositionStates)[number];

export interface DispositionFacts {
  educationRecorded: boolean;
  closed: boolean;
  steps: ReadonlyArray<{ kind: DispositionKind; state: StepState }>;
}

export function dispositionState(
  d: Pick<DispositionFacts, 'educationRecorded' | 'closed'>,
): DispositionState {
  if (d.closed) return 'closed';
  return d.educationRecorded ? 'inProgress' : 'education';
}

/**
 * Why no further step may be recorded now, or null. Education comes first ("立足教育转化"); one
 * step at a time waits for the superior; an approved removal is final. A correction that ran out
 * without change may still be followed by removal, and so may a persuasion the member refused.
 */
export function nextStepProblem(d: DispositionFacts): string | null {
  if (d.closed) return 'appraisal.dispositionClosed';
  if (!d.educationRecorded) return 'appraisal.educationFirst';
  if (d.steps.some((s) => s.state === 'awaitingApproval')) return 'appraisal.stepAwaitingApproval';
  if (d.steps.some((s) => s.kind === 'removal' && s.state === 'approved'))
    return 'appraisal.dispositionDecided';
  return null;
}

/** Why the disposition cannot close with this outcome, or null: its step must have been approved. */
export function closeProblem(d: DispositionFacts, outcome: DispositionOutcome): string | null {
  if (d.closed) return 'appraisal.dispositionClosed';
  const needed = outcomeRequires[outcome];
  return d.steps.some((s) => s.kind === needed && s.state === 'approved')
    ? null
    : 'appraisal.outcomeNotApproved';
}

/** The same calendar day a year later (29 February becomes 28 February). */
export function oneYearAfter(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const next = new Date(Date.UTC(y + 1, m - 1, d));
  // Date.UTC rolls 29 Feb over into March in a common year; step back to the month's last day.
  if (next.getUTCMonth() !== m - 1) next.setUTCDate(0);
  return next.toISOString().slice(0, 10);
}

/**
 * 限期改正 gives at most a year (党员教育管理工作条例 Art. 30), counted from the general meeting
 * that decided it; the deadline must also lie after that day.
 */
export function correctionDeadlineProblem(
  decidedOn: string,
  deadline: string,
): 'notAfterDecision' | 'beyondOneYear' | null {
  if (deadline <= decidedOn) return 'notAfterDecision';
  if (deadline > oneYearAfter(decidedOn)) return 'beyondOneYear';
  return null;
}

/**
 * Why a day someone records (told on, approved on, closed on…) cannot be right, or null: before the
 * event it follows (reported as `tooEarly`), or later than today in the branch's calendar.
 */
export function recordedDayProblem(
  day: string,
  earliest: string,
  tooEarly: string,
  today: string,
): string | null {
  if (day < earliest) return tooEarly;
  if (day > today) return 'inFuture';
  return null;
}

/** Counts of determinations per grade, with every grade present (zeros included). */
export function gradeCounts(grades: Iterable<AppraisalGrade | null>): Record<AppraisalGrade, number> {
  const counts: Record<AppraisalGrade, number> = {
    excellent: 0,
    qualified: 0,
    basicallyQualified: 0,
    unqualified: 0,
  };
  for (const grade of grades) if (grade) counts[grade] += 1;
  return counts;
}
