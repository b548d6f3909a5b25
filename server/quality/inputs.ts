import { shanghaiDate } from '../../shared/domain/calendar.ts';
import { issueSources } from '../../shared/domain/enums.ts';
import { tallySurvey } from '../../shared/domain/live-tallies.ts';
import { completeContent } from '../../shared/domain/meetings.ts';
import { daysBetween } from '../../shared/domain/rectification.ts';
import { followThrough } from '../../shared/quality/follow-through.ts';
import { type MinutesFieldKey, minutesCompleteness } from '../../shared/quality/minutes-fields.ts';
import type { MeetingQualityInputs } from '../../shared/quality/mqi.ts';
import type { Rubric } from '../../shared/quality/rubric.ts';
import type { BallotAnswers } from '../../shared/schemas/rounds.ts';
import type { Db } from '../db/schema.ts';
import { instrumentById } from '../live/instruments.ts';
import { gradedMembers } from '../live/presence.ts';
import type { MeetingRow } from '../meetings/access.ts';
import { type AttendanceSummary, attendanceSummary } from '../meetings/attendance-summary.ts';
import { meetingTexts, originalityOf } from './originality.ts';

/**
 * Everything computeMeetingQuality needs about one meeting (the contract is
 * meetingQualityInputsSchema in shared/quality/mqi.ts), read from the records the features keep.
 * Ballots are read only as the aggregates of closed, sealed rounds — never who answered what.
 *
 * @example
 * const inputs = await gatherMeetingQualityInputs(db, meetingId, { rubric });
 * computeMeetingQuality(inputs, rubric);
 */

export interface GatherOptions {
  /** The rubric in force: its near-duplicate threshold and look-back govern originality. */
  rubric: Rubric;
  /** Today in Asia/Shanghai (YYYY-MM-DD), which decides what is overdue; defaults to now. */
  today?: string;
}

export interface Gathered {
  inputs: MeetingQualityInputs;
  /** Required minutes fields still empty, so the recorder can be told which. */
  missingMinutesFields: MinutesFieldKey[];
}

export async function gatherMeetingQualityInputs(
  db: Db,
  meetingId: string,
  options: GatherOptions,
): Promise<MeetingQualityInputs> {
  return (await gather(db, meetingId, options)).inputs;
}

export async function gather(db: Db, meetingId: string, options: GatherOptions): Promise<Gathered> {
  const meeting = await db
    .selectFrom('meetings')
    .selectAll()
    .where('id', '=', meetingId)
    .executeTakeFirstOrThrow();
  const today = options.today ?? shanghaiDate(new Date());
  const summary = await attendanceSummary(db, meetingId);
  const { counts } = summary;
  const minutes = await minutesOf(db, meeting, summary);
  const inputs: MeetingQualityInputs = {
    meetingType: meeting.type,
    attendance: {
      // 应到 before exemptions: the roster invited to this meeting. Unmarked invitees count as absent.
      expected: counts.invited,
      exempt: counts.exempt,
      present: counts.present,
      excused: counts.excused,
    },
    quorumMet: summary.quorum.met,
    preparation: {
      study: !!meeting.preparation.studyHeld,
      talks: !!meeting.preparation.talksHeld,
      opinionSolicitation: !!meeting.preparation.opinionSolicitationHeld,
    },
    minutes: minutes.inputs,
    satisfaction: await satisfactionOf(db, meetingId, counts.present),
    criticism: await criticismOf(db, meeting, summary, options.rubric),
    appraisal: await appraisalOf(db, meeting, counts.present),
    rectification: await rectificationOf(db, meeting, today),
  };
  return { inputs, missingMinutesFields: minutes.missing };
}

/** The required minutes fields a meeting still lacks, as they stand now. */
export async function missingMinutesFields(db: Db, meeting: MeetingRow): Promise<MinutesFieldKey[]> {
  return (await minutesOf(db, meeting, await attendanceSummary(db, meeting.id))).missing;
}

/** Required fields filled, sign-off, and calendar days from the meeting's end to the lock. */
async function minutesOf(db: Db, meeting: MeetingRow, summary: AttendanceSummary) {
  const row = await db
    .selectFrom('minutes')
    .select(['content', 'custodian_member_id', 'host_signed_at', 'recorder_signed_at', 'locked_at'])
    .where('meeting_id', '=', meeting.id)
    .executeTakeFirst();
  const absent = new Set(['absent', 'excused', 'exempt']);
  const { required, missing } = minutesCompleteness(meeting.type, {
    endsAt: meeting.ends_at,
    location: meeting.location,
    mode: meeting.mode,
    hostSet: meeting.host_member_id !== null,
    recorderSet: meeting.recorder_member_id !== null,
    unmarked: summary.counts.unmarked,
    absenteesWithoutReason: summary.attendees.filter(
      (a) => a.attendance !== null && absent.has(a.attendance) && !(a.note || a.leave?.reason || a.exemption),
    ).length,
    content: completeContent(row?.content ?? {}),
    custodianSet: !!row?.custodian_member_id,
  });
  const inputs: MeetingQualityInputs['minutes'] = {
    requiredFields: required.length,
    filledFields: required.length - missing.length,
    hostSigned: !!row?.host_signed_at,
    recorderSigned: !!row?.recorder_signed_at,
    // "Filed within 7 days" as a person counts it: calendar days in China from the day it ended.
    daysToLock: row?.locked_at
      ? Math.max(
          0,
          daysBetween(shanghaiDate(meeting.ends_at ?? meeting.starts_at), shanghaiDate(row.locked_at)),
        )
      : null,
  };
  return { inputs, missing };
}

/** Closed ballot rounds of a kind with how many ballots each holds, most answered first. */
async function closedRounds(db: Db, meetingId: string, kind: 'survey' | 'appraisal') {
  return db
    .selectFrom('rounds as r')
    .leftJoin('ballots as b', 'b.round_id', 'r.id')
    .select((eb) => ['r.id', 'r.instrument_id', 'r.config', eb.fn.count<number>('b.id').as('ballots')])
    .where('r.meeting_id', '=', meetingId)
    .where('r.kind', '=', kind)
    .where('r.state', '=', 'closed')
    .groupBy('r.id')
    .orderBy('ballots', 'desc')
    .orderBy('r.position', 'desc')
    .execute();
}

/**
 * The meeting's satisfaction survey: of its closed survey rounds, the one most people answered (a
 * short supplementary poll after it does not replace it). Everyone who could answer is present:
 * members present and observers who joined the session.
 */
async function satisfactionOf(
  db: Db,
  meetingId: string,
  membersPresent: number,
): Promise<MeetingQualityInputs['satisfaction']> {
  const joined = await db
    .selectFrom('live_passes')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('meeting_id', '=', meetingId)
    .where('kind', '=', 'observer')
    .where('claimed_at', 'is not', null)
    .where('revoked_at', 'is', null)
    .executeTakeFirstOrThrow();
  const survey = (await closedRounds(db, meetingId, 'survey'))[0];
  const instrument = survey?.instrument_id ? await instrumentById(db, survey.instrument_id) : undefined;
  if (!survey || !instrument || survey.ballots === 0)
    return { present: membersPresent + joined.n, answers: 0, likertMeans: {}, overall: null };
  const ballots = await db
    .selectFrom('ballots')
    .select('content')
    .where('round_id', '=', survey.id)
    .execute();
  const tally = tallySurvey(
    instrument.definition,
    ballots
      .map((b) => b.content)
      .filter((c): c is Extract<BallotAnswers, { kind: 'survey' }> => c.kind === 'survey'),
  );
  const likertMeans: Record<string, number> = {};
  for (const item of tally.likert) {
    const n = item.distribution.reduce((a, b) => a + b, 0);
    if (n > 0) likertMeans[item.key] = item.distribution.reduce((sum, c, i) => sum + c * (i + 1), 0) / n;
  }
  return {
    // Whoever answered was there when they did, even if the record later marks them otherwise.
    present: Math.max(membersPresent + joined.n, tally.n),
    answers: tally.n,
    likertMeans,
    overall: tally.overall,
  };
}

/**
 * The criticism-and-self-criticism rounds once closed (null when none was held). A self-examination
 * has no 具体事例 mark of its own: it counts as concrete and linked once the recorder has turned it
 * into a problem, which is what makes it one (具体人具体事).
 */
async function criticismOf(
  db: Db,
  meeting: MeetingRow,
  summary: AttendanceSummary,
  rubric: Rubric,
): Promise<MeetingQualityInputs['criticism']> {
  const held = await db
    .selectFrom('rounds')
    .select('id')
    .where('meeting_id', '=', meeting.id)
    .where('kind', '=', 'criticism')
    .where('state', '=', 'closed')
    .executeTakeFirst();
  if (!held) return null;
  const texts = await meetingTexts(db, meeting.id);
  const problems = await db
    .selectFrom('problems')
    .select(['source', 'origin_kind', 'origin_id'])
    .where('meeting_id', '=', meeting.id)
    .execute();
  const linked = new Set(
    problems
      .filter((p) => p.origin_kind === 'criticismItem' || p.origin_kind === 'selfExamination')
      .map((p) => p.origin_id),
  );
  const present = new Set(summary.attendees.filter((a) => a.attendance === 'present').map((a) => a.memberId));
  const examined = new Set(texts.filter((t) => t.kind === 'selfExamination').map((t) => t.subjectMemberId));
  const criticised = new Set(texts.filter((t) => t.kind === 'criticismItem').map((t) => t.subjectMemberId));
  const { flags } = await originalityOf(
    db,
    { id: meeting.id, organizationId: meeting.organization_id, startsAt: meeting.starts_at },
    texts,
    rubric,
  );
  return {
    covered: [...examined].filter((id) => criticised.has(id) && present.has(id)).length,
    items: texts.length,
    concreteAndLinked: texts.filter((t) => linked.has(t.id) && (t.kind === 'selfExamination' || t.concrete))
      .length,
    original: texts.filter((t) => !flags.get(t.id)).length,
    // In the vocabulary's order, so equal inputs are stored alike.
    sources: issueSources.filter((source) => problems.some((p) => p.source === source)),
  };
}

/**
 * The democratic appraisal held at the meeting (null when none was). From what is recorded today:
 * the ballot of the closed appraisal round most members cast, and the members it graded. The
 * organizational determinations, feedback and self-/peer-assessment records belong to the appraisal
 * workflow; until it records them they count as not done.
 */
async function appraisalOf(
  db: Db,
  meeting: MeetingRow,
  membersPresent: number,
): Promise<MeetingQualityInputs['appraisal']> {
  const ballot = (await closedRounds(db, meeting.id, 'appraisal'))[0];
  if (!meeting.includes_appraisal && !ballot) return null;
  const graded = ballot?.config.graded ?? (await gradedMembers(db, meeting.id));
  const cast = ballot?.ballots ?? 0;
  const [record, assessment] = await Promise.all([
    appraisalRecordFacts(db, meeting.id),
    assessmentFacts(db, meeting.id),
  ]);
  return {
    ...assessment,
    // Members present when the ballot ran may since have been marked otherwise; those who voted were there.
    eligibleVotersPresent: Math.max(membersPresent, cast),
    ballotsCast: cast,
    fullMembers: graded.length,
    ...record,
  };
}

/**
 * 个人自评 and 党员互评 as the live meeting records them: self-examinations given in the meeting's
 * criticism rounds (written or oral), and criticism the members gave each other there.
 */
async function assessmentFacts(db: Db, meetingId: string) {
  const row = await db
    .selectFrom('rounds as r')
    .where('r.meeting_id', '=', meetingId)
    .where('r.kind', '=', 'criticism')
    .select((eb) => [
      eb
        .exists(
          eb
            .selectFrom('criticism_subjects as s')
            .whereRef('s.round_id', '=', 'r.id')
            .where('s.self_examination_mode', 'is not', null)
            .select('s.id'),
        )
        .as('selfAssessed'),
      eb
        .exists(
          eb
            .selectFrom('criticism_items as i')
            .whereRef('i.round_id', '=', 'r.id')
            .where('i.status', '!=', 'withdrawn')
            .select('i.id'),
        )
        .as('peerAssessed'),
    ])
    .execute();
  return {
    selfAssessmentDone: row.some((r) => r.selfAssessed),
    peerAssessmentDone: row.some((r) => r.peerAssessed),
  };
}

/** The committee's determinations (组织评定) and the feedback given on the current ones. */
async function appraisalRecordFacts(db: Db, meetingId: string) {
  const record = await db
    .selectFrom('appraisal_records')
    .select(['id', 'excellent_override_reason'])
    .where('meeting_id', '=', meetingId)
    .executeTakeFirst();
  if (!record) {
    return {
      determinationsEntered: 0,
      feedbackGiven: 0,
      excellent: 0,
      excellentOverrideReasonRecorded: false,
      probationaryGraded: 0,
    };
  }
  const current = await db
    .selectFrom('appraisal_determinations as d')
    .innerJoin('members as m', 'm.id', 'd.member_id')
    .leftJoin('appraisal_feedback as f', (j) =>
      j
        .onRef('f.record_id', '=', 'd.record_id')
        .onRef('f.member_id', '=', 'd.member_id')
        .onRef('f.determination_id', '=', 'd.id'),
    )
    .select(['d.grade', 'm.status', 'f.id as feedbackId'])
    .where('d.record_id', '=', record.id)
    .where('d.superseded_at', 'is', null)
    .where('d.grade', 'is not', null)
    .execute();
  const full = current.filter((d) => d.status === 'fullMember');
  return {
    determinationsEntered: full.length,
    feedbackGiven: full.filter((d) => d.feedbackId !== null).length,
    excellent: full.filter((d) => d.grade === 'excellent').length,
    excellentOverrideReasonRecorded: !!record.excellent_override_reason,
    probationaryGraded: current.length - full.length,
  };
}

/**
 * The items this meeting produced, and whether the previous meeting of its kind (the last
 * 组织生活会 before this one) had its items looked back at here (回头看): every one of them, not
 * cancelled, marked as reviewed at this meeting.
 */
async function rectificationOf(
  db: Db,
  meeting: MeetingRow,
  today: string,
): Promise<MeetingQualityInputs['rectification']> {
  const items = await db
    .selectFrom('rectification_items')
    .select(['status', 'due_on', 'verified_at', 'measures', 'owner_member_id', 'owner_unit', 'problem_id'])
    .where('meeting_id', '=', meeting.id)
    .execute();
  const previous = await db
    .selectFrom('meetings')
    .select('id')
    .where('organization_id', '=', meeting.organization_id)
    .where('type', '=', meeting.type)
    .where('status', '=', 'held')
    .where('starts_at', '<', meeting.starts_at)
    .orderBy('starts_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  const previousItems = previous
    ? await db
        .selectFrom('rectification_items')
        .select('reviewed_at_meeting_id')
        .where('meeting_id', '=', previous.id)
        .where('status', '!=', 'cancelled')
        .execute()
    : [];
  return {
    ...followThrough(
      items.map((i) => ({
        status: i.status,
        dueOn: i.due_on,
        verifiedOn: i.verified_at ? shanghaiDate(i.verified_at) : null,
        measures: i.measures,
        hasOwner: !!(i.owner_member_id || i.owner_unit),
        hasProblem: !!i.problem_id,
      })),
      today,
    ),
    previousItemsReviewed:
      previousItems.length === 0 ? null : previousItems.every((i) => i.reviewed_at_meeting_id === meeting.id),
  };
}
