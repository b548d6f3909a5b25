import type { Selectable } from 'kysely';
import { gradeCounts, type NotGradedReason } from '../../shared/domain/appraisal.ts';
import type { AppraisalGrade, MemberStatus } from '../../shared/domain/enums.ts';
import type { AppraisalTally } from '../../shared/domain/live-tallies.ts';
import { effectiveK } from '../../shared/quality/suppression.ts';
import type { StoredRoundConfig } from '../../shared/schemas/rounds.ts';
import type { Db } from '../db/schema.ts';
import type {
  AppraisalDeterminationsTable,
  AppraisalDispositionsTable,
  AppraisalFeedbackTable,
  AppraisalResponsesTable,
} from '../db/tables/appraisal.ts';
import { conflict } from '../http/errors.ts';
import type { ResultsCache } from '../live/results.ts';
import type { MeetingRow } from '../meetings/access.ts';
import { attendanceSummary } from '../meetings/attendance-summary.ts';
import { effectiveRubric } from '../quality/rubrics.ts';

/**
 * Everything known about one meeting's appraisal after the ballot, loaded once and projected into
 * the committee's sheet, the upward report and the progress counts — so the three can never
 * disagree about who is graded or what counts as feedback given.
 */

export interface SheetPerson {
  memberId: string;
  name: string;
  status: MemberStatus;
  notGraded: NotGradedReason | null;
}

export type DeterminationRow = Selectable<AppraisalDeterminationsTable> & { decidedByName: string | null };
export type FeedbackRow = Selectable<AppraisalFeedbackTable> & { recordedByName: string | null };
export type ResponseRow = Selectable<AppraisalResponsesTable>;
export type DispositionRow = Selectable<AppraisalDispositionsTable> & { hasProgress: boolean };

export interface AppraisalRecord {
  id: string;
  excellent_override_reason: string | null;
}

export interface Thresholds {
  /** k for the per-member distributions the branch committee sees. */
  branchK: number;
  /** k for what leaves the branch. */
  committeeK: number;
  /** The optional ">50% 不合格 ballots → 提请支委会核实" flag. */
  referral: boolean;
}

export interface ClosedBallot {
  roundId: string;
  title: string;
  closedAt: Date;
  tally: AppraisalTally;
}

export interface AppraisalState {
  meeting: MeetingRow;
  organizationName: string;
  record: AppraisalRecord | null;
  people: SheetPerson[];
  /** Every determination row per member, oldest first; the last one is current. */
  history: Map<string, DeterminationRow[]>;
  feedback: Map<string, FeedbackRow>;
  responses: Map<string, ResponseRow[]>;
  dispositions: Map<string, DispositionRow>;
  ballot: ClosedBallot | null;
  blockedBy: string | null;
  thresholds: Thresholds;
  lastReport: { submittedAt: Date; submittedByName: string | null } | null;
}

/** A meeting holds an appraisal when it is one, says it includes one, or ran an appraisal ballot. */
export async function holdsAppraisal(db: Db, meeting: MeetingRow): Promise<boolean> {
  if (meeting.type === 'memberAppraisal' || meeting.includes_appraisal) return true;
  const round = await db
    .selectFrom('rounds')
    .select('id')
    .where('meeting_id', '=', meeting.id)
    .where('kind', '=', 'appraisal')
    .executeTakeFirst();
  return !!round;
}

export async function requireAppraisalMeeting(db: Db, meeting: MeetingRow) {
  if (!(await holdsAppraisal(db, meeting))) throw conflict('appraisal.notAppraisalMeeting');
}

/**
 * Who is on the sheet: the meeting's invitees, as the ballot saw them. Full members who are not
 * exempt are graded (the same list an appraisal ballot freezes when it opens); probationary
 * members are listed but never graded; exempt members are outside the appraisal.
 */
export async function sheetPeople(db: Db, meetingId: string): Promise<SheetPerson[]> {
  const { attendees } = await attendanceSummary(db, meetingId);
  return attendees.map((a) => ({
    memberId: a.memberId,
    name: a.name,
    status: a.memberStatus,
    notGraded:
      a.memberStatus === 'probationaryMember' ? 'probationary' : a.attendance === 'exempt' ? 'exempt' : null,
  }));
}

/**
 * Why determinations cannot be entered now, or null: not before the meeting has taken place, never
 * for a cancelled one, and not while an appraisal ballot is still open (its result is an input).
 */
export async function determinationBlocker(db: Db, meeting: MeetingRow): Promise<string | null> {
  if (meeting.status === 'cancelled') return 'meeting.cancelled';
  if (meeting.status === 'scheduled') return 'appraisal.meetingNotHeld';
  const open = await db
    .selectFrom('rounds')
    .select('id')
    .where('meeting_id', '=', meeting.id)
    .where('kind', '=', 'appraisal')
    .where('state', '=', 'open')
    .executeTakeFirst();
  return open ? 'appraisal.ballotOpen' : null;
}

/** The thresholds in force for a branch: k and the referral flag, from the quality rubric in force. */
export async function thresholdsFor(db: Db, ancestry: readonly string[]): Promise<Thresholds> {
  const { rubric } = await effectiveRubric(db, ancestry);
  return {
    branchK: effectiveK(rubric.suppression.branchK, 'branch'),
    committeeK: effectiveK(rubric.suppression.committeeK, 'committee'),
    referral: rubric.appraisalRules.unqualifiedReferral,
  };
}

/** The most recently closed (and so sealed) appraisal ballot of the meeting, tallied. */
async function closedBallot(db: Db, meetingId: string, results: ResultsCache): Promise<ClosedBallot | null> {
  const round = await db
    .selectFrom('rounds')
    .select(['id', 'title', 'state', 'config', 'closed_at'])
    .where('meeting_id', '=', meetingId)
    .where('kind', '=', 'appraisal')
    .where('state', '=', 'closed')
    .orderBy('closed_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!round) return null;
  const tally = await results.tally(
    db,
    { id: round.id, kind: 'appraisal', state: round.state, config: round.config as StoredRoundConfig },
    undefined,
  );
  if (tally.kind !== 'appraisal') return null;
  return { roundId: round.id, title: round.title, closedAt: round.closed_at!, tally: tally.tally };
}

export async function findRecord(db: Db, meetingId: string): Promise<AppraisalRecord | null> {
  const row = await db
    .selectFrom('appraisal_records')
    .select(['id', 'excellent_override_reason'])
    .where('meeting_id', '=', meetingId)
    .executeTakeFirst();
  return row ?? null;
}

/** Rows in the order they were written (saves of one sheet are serialized by the record's lock). */
export async function determinationHistory(
  db: Db,
  recordId: string,
): Promise<Map<string, DeterminationRow[]>> {
  const rows = await db
    .selectFrom('appraisal_determinations as d')
    .leftJoin('accounts as a', 'a.id', 'd.decided_by')
    .selectAll('d')
    .select('a.display_name as decidedByName')
    .where('d.record_id', '=', recordId)
    .orderBy('d.decided_at')
    .execute();
  const history = new Map<string, DeterminationRow[]>();
  for (const row of rows) history.set(row.member_id, [...(history.get(row.member_id) ?? []), row]);
  return history;
}

/** The current determination of each member (undefined when none; grade null when withdrawn). */
export function currentOf(history: Map<string, DeterminationRow[]>): Map<string, DeterminationRow> {
  const current = new Map<string, DeterminationRow>();
  for (const [memberId, rows] of history) {
    const last = rows.find((r) => r.superseded_at === null);
    if (last) current.set(memberId, last);
  }
  return current;
}

export async function dispositionsOf(db: Db, recordId: string): Promise<Map<string, DispositionRow>> {
  const rows = await db
    .selectFrom('appraisal_dispositions as d')
    .selectAll('d')
    .select((eb) =>
      eb
        .exists(
          eb
            .selectFrom('appraisal_disposition_steps as s')
            .select('s.id')
            .whereRef('s.disposition_id', '=', 'd.id'),
        )
        .as('hasStep'),
    )
    .where('d.record_id', '=', recordId)
    .execute();
  return new Map(
    rows.map(({ hasStep, ...row }) => [
      row.member_id,
      { ...row, hasProgress: Boolean(hasStep) || row.education_started_on !== null },
    ]),
  );
}

export async function loadAppraisal(
  db: Db,
  meeting: MeetingRow,
  results: ResultsCache,
): Promise<AppraisalState> {
  const organization = await db
    .selectFrom('organizations')
    .select(['name', 'ancestry'])
    .where('id', '=', meeting.organization_id)
    .executeTakeFirstOrThrow();
  const [record, people, ballot, blockedBy, thresholds] = await Promise.all([
    findRecord(db, meeting.id),
    sheetPeople(db, meeting.id),
    closedBallot(db, meeting.id, results),
    determinationBlocker(db, meeting),
    thresholdsFor(db, organization.ancestry),
  ]);
  const state: AppraisalState = {
    meeting,
    organizationName: organization.name,
    record,
    people,
    history: new Map(),
    feedback: new Map(),
    responses: new Map(),
    dispositions: new Map(),
    ballot,
    blockedBy,
    thresholds,
    lastReport: null,
  };
  if (!record) return state;
  const [history, feedback, responses, dispositions, lastReport] = await Promise.all([
    determinationHistory(db, record.id),
    db
      .selectFrom('appraisal_feedback as f')
      .leftJoin('accounts as a', 'a.id', 'f.recorded_by')
      .selectAll('f')
      .select('a.display_name as recordedByName')
      .where('f.record_id', '=', record.id)
      .execute(),
    db
      .selectFrom('appraisal_responses as r')
      .innerJoin('appraisal_feedback as f', 'f.id', 'r.feedback_id')
      .selectAll('r')
      .where('f.record_id', '=', record.id)
      .orderBy('r.submitted_at')
      .execute(),
    dispositionsOf(db, record.id),
    db
      .selectFrom('appraisal_reports as r')
      .leftJoin('accounts as a', 'a.id', 'r.submitted_by')
      .select(['r.submitted_at', 'a.display_name'])
      .where('r.record_id', '=', record.id)
      .orderBy('r.submitted_at', 'desc')
      .limit(1)
      .executeTakeFirst(),
  ]);
  state.history = history;
  state.feedback = new Map(feedback.map((f) => [f.member_id, f]));
  for (const response of responses)
    state.responses.set(response.feedback_id, [
      ...(state.responses.get(response.feedback_id) ?? []),
      response,
    ]);
  state.dispositions = dispositions;
  state.lastReport = lastReport
    ? { submittedAt: lastReport.submitted_at, submittedByName: lastReport.display_name }
    : null;
  return state;
}

export interface AppraisalCounts {
  fullMembers: number;
  probationaryNotGraded: number;
  exemptNotGraded: number;
  counts: Record<AppraisalGrade, number>;
  determined: number;
  undetermined: number;
  /** Feedback on the member's current determination (told an older grade does not count). */
  feedbackGiven: number;
  membersResponded: number;
  dispositionsOpen: number;
  dispositionsClosed: number;
  excellentOverrideReasonRecorded: boolean;
}

/**
 * The counts of an appraisal: what the upward report and the branch's progress show, and what the
 * quality index's component E reads (determinations entered, feedback given, the ⅓ rule).
 */
export function appraisalCounts(state: AppraisalState): AppraisalCounts {
  const current = currentOf(state.history);
  const graded = state.people.filter((p) => p.notGraded === null);
  const grades = graded.map((p) => current.get(p.memberId)?.grade ?? null);
  const determined = grades.filter((g) => g !== null).length;
  const dispositions = [...state.dispositions.values()];
  return {
    fullMembers: graded.length,
    probationaryNotGraded: state.people.filter((p) => p.notGraded === 'probationary').length,
    exemptNotGraded: state.people.filter((p) => p.notGraded === 'exempt').length,
    counts: gradeCounts(grades),
    determined,
    undetermined: graded.length - determined,
    feedbackGiven: graded.filter((p) => isFeedbackCurrent(state, p.memberId, current)).length,
    membersResponded: graded.filter((p) => {
      const feedback = state.feedback.get(p.memberId);
      return !!feedback && (state.responses.get(feedback.id)?.length ?? 0) > 0;
    }).length,
    dispositionsOpen: dispositions.filter((d) => d.outcome === null).length,
    dispositionsClosed: dispositions.filter((d) => d.outcome !== null).length,
    excellentOverrideReasonRecorded: !!state.record?.excellent_override_reason,
  };
}

export function isFeedbackCurrent(
  state: AppraisalState,
  memberId: string,
  current: Map<string, DeterminationRow>,
): boolean {
  const feedback = state.feedback.get(memberId);
  const determination = current.get(memberId);
  return !!feedback && !!determination?.grade && feedback.determination_id === determination.id;
}
