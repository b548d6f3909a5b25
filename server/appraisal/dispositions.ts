import type { Kysely, Selectable, Transaction } from 'kysely';
import {
  closeProblem,
  correctionDeadlineProblem,
  type DispositionFacts,
  dispositionState,
  nextStepProblem,
  outcomeRequires,
  stepState,
} from '../../shared/domain/appraisal.ts';
import { shanghaiDate } from '../../shared/domain/calendar.ts';
import type { MeetingType } from '../../shared/domain/enums.ts';
import { voteOutcome, votingMembers } from '../../shared/domain/quorum.ts';
import type {
  ApprovalBody,
  CloseBody,
  DispositionStep,
  DispositionView,
  EducationBody,
  StepBody,
} from '../../shared/schemas/appraisal.ts';
import type { Principal } from '../access/principal.ts';
import { actorOf, appendAudit } from '../audit/audit-log.ts';
import type { DB, Db } from '../db/schema.ts';
import type { AppraisalDispositionStepsTable } from '../db/tables/appraisal.ts';
import { AppError, badRequest, conflict } from '../http/errors.ts';
import type { MeetingRow } from '../meetings/access.ts';
import { attendanceSummary } from '../meetings/attendance-summary.ts';
import type { DispositionRecordRow } from './access.ts';
import { requireDay } from './days.ts';

/**
 * The disposition of a member determined 不合格 (组织处置): education first, then decisions of the
 * branch general meeting — correction within at most a year, persuasion to withdraw, removal —
 * each passing only with yes-votes from more than half of the members expected with a vote, at a
 * meeting with quorum, and each then approved (or not) by the superior organization.
 */

/** Meetings whose vote decides a disposition: the general meeting, and an appraisal session held as one. */
const votingMeetingTypes: readonly MeetingType[] = ['branchGeneralMeeting', 'memberAppraisal'];

type StepRow = Selectable<AppraisalDispositionStepsTable>;

async function stepsOf(db: Db, dispositionId: string) {
  return db
    .selectFrom('appraisal_disposition_steps as s')
    .innerJoin('meetings as m', 'm.id', 's.meeting_id')
    .leftJoin('accounts as a', 'a.id', 's.recorded_by')
    .selectAll('s')
    .select(['m.title', 'm.type', 'm.starts_at', 'a.display_name as recordedByName'])
    .where('s.disposition_id', '=', dispositionId)
    .orderBy('s.recorded_at')
    .execute();
}

function factsOf(
  disposition: Pick<DispositionRecordRow, 'education_started_on' | 'outcome'>,
  steps: readonly StepRow[],
): DispositionFacts {
  return {
    educationRecorded: disposition.education_started_on !== null,
    closed: disposition.outcome !== null,
    steps: steps.map((s) => ({
      kind: s.kind,
      state: stepState({ passed: s.passed, approvalDecision: s.approval_decision }),
    })),
  };
}

/** Voters and quorum of a held meeting, from its attendance (the minutes' own derivation). */
async function votersAt(db: Db, meeting: { id: string; type: MeetingType }) {
  const summary = await attendanceSummary(db, meeting.id);
  const voting = votingMembers(
    meeting.type,
    summary.attendees.map((a) => ({
      status: a.memberStatus,
      onCommittee: a.committeeRole !== null,
      attendance: a.attendance,
    })),
  );
  return { voting, quorumMet: summary.quorum.met, unmarked: summary.counts.unmarked };
}

/** Held general meetings of the branch after the appraisal: where a disposition can be voted. */
async function voteMeetings(db: Db, organizationId: string, appraisal: MeetingRow) {
  const rows = await db
    .selectFrom('meetings')
    .select(['id', 'title', 'type', 'starts_at'])
    .where('organization_id', '=', organizationId)
    .where('type', 'in', votingMeetingTypes)
    .where('status', '=', 'held')
    .where('starts_at', '>', appraisal.starts_at)
    .orderBy('starts_at', 'desc')
    .limit(20)
    .execute();
  return Promise.all(
    rows.map(async (m) => {
      const { voting, quorumMet } = await votersAt(db, m);
      return {
        id: m.id,
        title: m.title,
        type: m.type,
        startsAt: m.starts_at.toISOString(),
        votingExpected: voting.expected,
        votingPresent: voting.present,
        quorumMet,
      };
    }),
  );
}

export async function describeDisposition(
  db: Db,
  disposition: DispositionRecordRow,
  appraisal: MeetingRow,
  now = new Date(),
): Promise<DispositionView> {
  const [member, organization, closer, steps, meetings] = await Promise.all([
    db
      .selectFrom('members')
      .select('full_name')
      .where('id', '=', disposition.member_id)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('organizations')
      .select('name')
      .where('id', '=', disposition.organization_id)
      .executeTakeFirstOrThrow(),
    disposition.closed_by
      ? db
          .selectFrom('accounts')
          .select('display_name')
          .where('id', '=', disposition.closed_by)
          .executeTakeFirst()
      : undefined,
    stepsOf(db, disposition.id),
    voteMeetings(db, disposition.organization_id, appraisal),
  ]);
  const facts = factsOf(disposition, steps);
  return {
    id: disposition.id,
    meeting: {
      id: appraisal.id,
      title: appraisal.title,
      type: appraisal.type,
      startsAt: appraisal.starts_at.toISOString(),
    },
    organizationId: disposition.organization_id,
    organizationName: organization.name,
    member: { id: disposition.member_id, name: member.full_name },
    openedAt: disposition.opened_at.toISOString(),
    state: dispositionState(facts),
    education:
      disposition.education_started_on && disposition.education_measures
        ? { startedOn: disposition.education_started_on, measures: disposition.education_measures }
        : null,
    steps: steps.map(
      (s): DispositionStep => ({
        id: s.id,
        kind: s.kind,
        meeting: { id: s.meeting_id, title: s.title, type: s.type, startsAt: s.starts_at.toISOString() },
        correctionDeadline: s.correction_deadline,
        note: s.note,
        vote: { yes: s.votes_yes, no: s.votes_no, abstain: s.votes_abstain },
        votingExpected: s.voting_expected,
        votingPresent: s.voting_present,
        quorumMet: s.quorum_met,
        passed: s.passed,
        state: stepState({ passed: s.passed, approvalDecision: s.approval_decision }),
        approval:
          s.approval_decision && s.approved_on
            ? {
                decision: s.approval_decision,
                approverOrganization: s.approver_organization ?? '',
                approverName: s.approver_name ?? '',
                decidedOn: s.approved_on,
                documentNo: s.approval_document,
              }
            : null,
        recordedAt: s.recorded_at.toISOString(),
        recordedByName: s.recordedByName,
      }),
    ),
    closed:
      disposition.outcome && disposition.closed_on
        ? {
            outcome: disposition.outcome,
            closedOn: disposition.closed_on,
            note: disposition.closing_note,
            closedByName: closer?.display_name ?? null,
          }
        : null,
    nextStepBlockedBy: nextStepProblem(facts),
    voteMeetings: meetings,
    today: shanghaiDate(now),
  };
}

/** Re-reads the disposition under a row lock so its steps are decided one at a time. */
async function lockDisposition(trx: Transaction<DB>, id: string) {
  const row = await trx
    .selectFrom('appraisal_dispositions')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirstOrThrow();
  return {
    row,
    steps: await trx
      .selectFrom('appraisal_disposition_steps')
      .selectAll()
      .where('disposition_id', '=', id)
      .orderBy('recorded_at')
      .execute(),
  };
}

function audit(
  trx: Transaction<DB>,
  principal: Principal,
  disposition: DispositionRecordRow,
  action: string,
  details: Record<string, string | boolean | null>,
) {
  return appendAudit(trx, {
    ...actorOf(principal),
    action,
    organizationId: disposition.organization_id,
    meetingId: disposition.meeting_id,
    details: { dispositionId: disposition.id, memberId: disposition.member_id, ...details },
  });
}

/** Education and help (教育帮助) come first; the record says from when and what is being done. */
export async function recordEducation(
  db: Kysely<DB>,
  disposition: DispositionRecordRow,
  appraisal: MeetingRow,
  body: EducationBody,
  principal: Principal,
  now = new Date(),
) {
  requireDay('startedOn', body.startedOn, shanghaiDate(appraisal.starts_at), 'beforeMeeting', now);
  await db.transaction().execute(async (trx) => {
    const { row, steps } = await lockDisposition(trx, disposition.id);
    if (row.outcome !== null) throw conflict('appraisal.dispositionClosed');
    const firstVote = steps.length ? await earliestStepDay(trx, steps) : null;
    if (firstVote && body.startedOn > firstVote)
      throw badRequest('request.invalid', { startedOn: 'afterVote' });
    await trx
      .updateTable('appraisal_dispositions')
      .set({ education_started_on: body.startedOn, education_measures: body.measures })
      .where('id', '=', disposition.id)
      .execute();
    await audit(trx, principal, disposition, 'appraisal.educationRecorded', {});
  });
}

async function earliestStepDay(db: Db, steps: readonly StepRow[]): Promise<string> {
  const meetings = await db
    .selectFrom('meetings')
    .select('starts_at')
    .where(
      'id',
      'in',
      steps.map((s) => s.meeting_id),
    )
    .orderBy('starts_at')
    .limit(1)
    .executeTakeFirstOrThrow();
  return shanghaiDate(meetings.starts_at);
}

/**
 * Records a decision of the branch general meeting. The meeting must be a held general meeting of
 * the branch after the appraisal, with every invitee marked, on or after the day education began; voters expected and
 * present are taken from its attendance, never typed in, and more ballots than voters present is
 * refused. The step passes with quorum and yes-votes from more than half of those expected.
 */
export async function addStep(
  db: Kysely<DB>,
  disposition: DispositionRecordRow,
  appraisal: MeetingRow,
  body: StepBody,
  principal: Principal,
): Promise<string> {
  return db.transaction().execute(async (trx) => {
    const { row, steps } = await lockDisposition(trx, disposition.id);
    const blocked = nextStepProblem(factsOf(row, steps));
    if (blocked) throw conflict(blocked);
    const meeting = await trx
      .selectFrom('meetings')
      .select(['id', 'type', 'status', 'starts_at', 'organization_id'])
      .where('id', '=', body.meetingId)
      .executeTakeFirst();
    const meetingProblem = voteMeetingProblem(meeting, disposition, appraisal, row.education_started_on);
    if (meetingProblem || !meeting)
      throw badRequest('request.invalid', { meetingId: meetingProblem ?? 'notInBranch' });
    const { voting, quorumMet, unmarked } = await votersAt(trx, meeting);
    if (unmarked > 0)
      throw badRequest('appraisal.attendanceIncomplete', { meetingId: 'attendanceIncomplete' });
    const outcome = voteOutcome(body, voting);
    if (outcome.exceedsPresent) throw badRequest('appraisal.votesExceedPresent', { yes: 'exceedsPresent' });
    const decidedOn = shanghaiDate(meeting.starts_at);
    if (body.correctionDeadline) {
      const problem = correctionDeadlineProblem(decidedOn, body.correctionDeadline);
      if (problem) throw badRequest('request.invalid', { correctionDeadline: problem });
    }
    const passed = quorumMet === true && outcome.passed;
    const step = await trx
      .insertInto('appraisal_disposition_steps')
      .values({
        disposition_id: disposition.id,
        kind: body.kind,
        meeting_id: meeting.id,
        correction_deadline: body.correctionDeadline ?? null,
        note: body.note ?? null,
        votes_yes: body.yes,
        votes_no: body.no,
        votes_abstain: body.abstain,
        voting_expected: voting.expected,
        voting_present: voting.present,
        quorum_met: quorumMet === true,
        passed,
        recorded_by: principal.accountId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit(trx, principal, disposition, 'appraisal.dispositionVoted', {
      stepId: step.id,
      kind: body.kind,
      passed,
    });
    return step.id;
  });
}

/** Why this meeting cannot have decided the step, or null. */
function voteMeetingProblem(
  meeting: { type: MeetingType; status: string; starts_at: Date; organization_id: string } | undefined,
  disposition: DispositionRecordRow,
  appraisal: MeetingRow,
  educationStartedOn: string | null,
): string | null {
  if (!meeting || meeting.organization_id !== disposition.organization_id) return 'notInBranch';
  if (!votingMeetingTypes.includes(meeting.type)) return 'notGeneralMeeting';
  if (meeting.status !== 'held') return 'notHeld';
  if (meeting.starts_at <= appraisal.starts_at) return 'beforeAppraisal';
  if (educationStartedOn && shanghaiDate(meeting.starts_at) < educationStartedOn) return 'beforeEducation';
  return null;
}

/** The superior organization's decision on a step the general meeting passed (上级党组织审批). */
export async function recordApproval(
  db: Kysely<DB>,
  disposition: DispositionRecordRow,
  stepId: string,
  body: ApprovalBody,
  principal: Principal,
  now = new Date(),
) {
  await db.transaction().execute(async (trx) => {
    const { row, steps } = await lockDisposition(trx, disposition.id);
    const step = steps.find((s) => s.id === stepId);
    if (!step) throw new AppError('resource.notFound', 404);
    if (row.outcome !== null) throw conflict('appraisal.dispositionClosed');
    if (stepState({ passed: step.passed, approvalDecision: step.approval_decision }) !== 'awaitingApproval')
      throw conflict('appraisal.stepNotAwaitingApproval');
    const voted = await trx
      .selectFrom('meetings')
      .select('starts_at')
      .where('id', '=', step.meeting_id)
      .executeTakeFirstOrThrow();
    requireDay('decidedOn', body.decidedOn, shanghaiDate(voted.starts_at), 'beforeVote', now);
    await trx
      .updateTable('appraisal_disposition_steps')
      .set({
        approval_decision: body.decision,
        approver_organization: body.approverOrganization,
        approver_name: body.approverName,
        approved_on: body.decidedOn,
        approval_document: body.documentNo ?? null,
        approval_recorded_by: principal.accountId,
      })
      .where('id', '=', step.id)
      .execute();
    await audit(trx, principal, disposition, 'appraisal.dispositionApproval', {
      stepId: step.id,
      decision: body.decision,
    });
  });
}

/**
 * Closes the disposition with its outcome, which needs the matching step approved; the closing day
 * is not before that approval, and a correction counts only if it closes by its deadline.
 */
export async function closeDisposition(
  db: Kysely<DB>,
  disposition: DispositionRecordRow,
  body: CloseBody,
  principal: Principal,
  now = new Date(),
) {
  await db.transaction().execute(async (trx) => {
    const { row, steps } = await lockDisposition(trx, disposition.id);
    const problem = closeProblem(factsOf(row, steps), body.outcome);
    if (problem) throw conflict(problem);
    const approved = steps.filter(
      (s) => s.kind === outcomeRequires[body.outcome] && s.approval_decision === 'approved',
    );
    const basis = approved.at(-1)!;
    requireDay('closedOn', body.closedOn, basis.approved_on!, 'beforeApproval', now);
    if (body.outcome === 'corrected' && body.closedOn > basis.correction_deadline!)
      throw badRequest('request.invalid', { closedOn: 'afterDeadline' });
    await trx
      .updateTable('appraisal_dispositions')
      .set({
        outcome: body.outcome,
        closed_on: body.closedOn,
        closing_note: body.note ?? null,
        closed_by: principal.accountId,
      })
      .where('id', '=', disposition.id)
      .execute();
    await audit(trx, principal, disposition, 'appraisal.dispositionClosed', { outcome: body.outcome });
  });
}
