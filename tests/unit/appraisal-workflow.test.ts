import { describe, expect, it } from 'vitest';
import {
  closeProblem,
  correctionDeadlineProblem,
  type DispositionFacts,
  dispositionState,
  nextStepProblem,
  oneYearAfter,
  recordedDayProblem,
  stepState,
} from '../../shared/domain/appraisal.ts';

const facts = (overrides: Partial<DispositionFacts> = {}): DispositionFacts => ({
  educationRecorded: true,
  closed: false,
  steps: [],
  ...overrides,
});

describe('the disposition of 不合格', () => {
  it('counts a year to the same calendar day, 29 February to 28 February', () => {
    expect(oneYearAfter('2026-12-10')).toBe('2027-12-10');
    expect(oneYearAfter('2028-02-29')).toBe('2029-02-28');
    expect(oneYearAfter('2027-02-28')).toBe('2028-02-28');
    expect(oneYearAfter('2026-12-31')).toBe('2027-12-31');
  });

  it('gives a correction at most a year after the decision, and some time after it', () => {
    expect(correctionDeadlineProblem('2026-12-10', '2027-06-10')).toBeNull();
    expect(correctionDeadlineProblem('2026-12-10', '2027-12-10')).toBeNull();
    expect(correctionDeadlineProblem('2026-12-10', '2027-12-11')).toBe('beyondOneYear');
    expect(correctionDeadlineProblem('2026-12-10', '2026-12-10')).toBe('notAfterDecision');
    expect(correctionDeadlineProblem('2026-12-10', '2026-11-30')).toBe('notAfterDecision');
  });

  it('reads a step from its vote and the superior’s decision', () => {
    expect(stepState({ passed: false, approvalDecision: null })).toBe('voteFailed');
    expect(stepState({ passed: true, approvalDecision: null })).toBe('awaitingApproval');
    expect(stepState({ passed: true, approvalDecision: 'approved' })).toBe('approved');
    expect(stepState({ passed: true, approvalDecision: 'notApproved' })).toBe('notApproved');
  });

  it('puts education first, one decision awaiting the superior at a time, and removal last', () => {
    expect(nextStepProblem(facts({ educationRecorded: false }))).toBe('appraisal.educationFirst');
    expect(nextStepProblem(facts())).toBeNull();
    expect(
      nextStepProblem(facts({ steps: [{ kind: 'correctionWithinDeadline', state: 'voteFailed' }] })),
    ).toBeNull();
    expect(
      nextStepProblem(facts({ steps: [{ kind: 'correctionWithinDeadline', state: 'awaitingApproval' }] })),
    ).toBe('appraisal.stepAwaitingApproval');
    // A correction that ran out, or a persuasion refused, may be followed by removal.
    expect(
      nextStepProblem(facts({ steps: [{ kind: 'correctionWithinDeadline', state: 'approved' }] })),
    ).toBeNull();
    expect(nextStepProblem(facts({ steps: [{ kind: 'persuadeToWithdraw', state: 'approved' }] }))).toBeNull();
    expect(nextStepProblem(facts({ steps: [{ kind: 'removal', state: 'approved' }] }))).toBe(
      'appraisal.dispositionDecided',
    );
    expect(nextStepProblem(facts({ steps: [{ kind: 'removal', state: 'notApproved' }] }))).toBeNull();
    expect(nextStepProblem(facts({ closed: true }))).toBe('appraisal.dispositionClosed');
  });

  it('closes with an outcome only when its decision was approved', () => {
    const approvedCorrection = facts({ steps: [{ kind: 'correctionWithinDeadline', state: 'approved' }] });
    expect(closeProblem(approvedCorrection, 'corrected')).toBeNull();
    expect(closeProblem(approvedCorrection, 'removed')).toBe('appraisal.outcomeNotApproved');
    expect(closeProblem(facts({ steps: [{ kind: 'removal', state: 'awaitingApproval' }] }), 'removed')).toBe(
      'appraisal.outcomeNotApproved',
    );
    expect(
      closeProblem(facts({ steps: [{ kind: 'persuadeToWithdraw', state: 'approved' }] }), 'withdrew'),
    ).toBeNull();
    expect(closeProblem({ ...approvedCorrection, closed: true }, 'corrected')).toBe(
      'appraisal.dispositionClosed',
    );
  });

  it('says where a disposition stands', () => {
    expect(dispositionState({ educationRecorded: false, closed: false })).toBe('education');
    expect(dispositionState({ educationRecorded: true, closed: false })).toBe('inProgress');
    expect(dispositionState({ educationRecorded: true, closed: true })).toBe('closed');
  });
});

describe('a recorded day', () => {
  it('falls between the event it follows and today', () => {
    expect(recordedDayProblem('2026-11-20', '2026-11-20', 'beforeVote', '2026-11-26')).toBeNull();
    expect(recordedDayProblem('2026-11-26', '2026-11-20', 'beforeVote', '2026-11-26')).toBeNull();
    expect(recordedDayProblem('2026-11-19', '2026-11-20', 'beforeVote', '2026-11-26')).toBe('beforeVote');
    expect(recordedDayProblem('2026-11-27', '2026-11-20', 'beforeVote', '2026-11-26')).toBe('inFuture');
  });
});
