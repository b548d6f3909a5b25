import type { Kysely, Selectable } from 'kysely';
import { shanghaiDate } from '../../shared/domain/calendar.ts';
import type { FeedbackBody, MyAppraisal } from '../../shared/schemas/appraisal.ts';
import type { Principal } from '../access/principal.ts';
import { actorOf, appendAudit } from '../audit/audit-log.ts';
import type { DB, Db } from '../db/schema.ts';
import type { AppraisalFeedbackTable } from '../db/tables/appraisal.ts';
import { badRequest, conflict } from '../http/errors.ts';
import type { MeetingRow } from '../meetings/access.ts';
import { markQualityDirty } from '../quality/queue.ts';
import { ownFeedback, ownMemberIds } from './access.ts';
import { requireDay } from './days.ts';
import { lockRecord } from './determinations.ts';
import { currentOf, determinationHistory, sheetPeople } from './state.ts';

/** A member may add this many responses to one feedback; enough to answer, not to flood the record. */
export const maxResponses = 10;

/**
 * Records that the member has been told their current determination (反馈本人): when, how, and a
 * note. Telling them again after a change replaces the record and points it at the new
 * determination; the audit log keeps each time.
 */
export async function recordFeedback(
  db: Kysely<DB>,
  meeting: MeetingRow,
  memberId: string,
  body: FeedbackBody,
  principal: Principal,
  now = new Date(),
) {
  requireDay('givenOn', body.givenOn, shanghaiDate(meeting.starts_at), 'beforeMeeting', now);
  await db.transaction().execute(async (trx) => {
    const record = await lockRecord(trx, meeting);
    const people = await sheetPeople(trx, meeting.id);
    if (!people.some((p) => p.memberId === memberId))
      throw badRequest('request.invalid', { memberId: 'notOnSheet' });
    const determination = currentOf(await determinationHistory(trx, record.id)).get(memberId);
    if (!determination?.grade) throw conflict('appraisal.notDetermined');
    const values = {
      determination_id: determination.id,
      given_on: body.givenOn,
      method: body.method,
      note: body.note ?? null,
      recorded_by: principal.accountId,
      recorded_at: now,
    };
    await trx
      .insertInto('appraisal_feedback')
      .values({ record_id: record.id, member_id: memberId, ...values })
      .onConflict((oc) => oc.columns(['record_id', 'member_id']).doUpdateSet(values))
      .execute();
    await appendAudit(trx, {
      ...actorOf(principal),
      action: 'appraisal.feedbackGiven',
      organizationId: meeting.organization_id,
      meetingId: meeting.id,
      details: { memberId, method: body.method, grade: determination.grade },
    });
    await markQualityDirty(trx, meeting.id, 'appraisalDetermination');
  });
}

type FeedbackRow = Selectable<AppraisalFeedbackTable>;

/**
 * The member's own appraisals, as they were told them: the communicated grade, how and when, the
 * committee's note, and their responses. Never a tally, never anyone else's.
 */
async function describeOwn(db: Db, rows: FeedbackRow[]): Promise<MyAppraisal[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [details, responses] = await Promise.all([
    db
      .selectFrom('appraisal_feedback as f')
      .innerJoin('appraisal_determinations as d', 'd.id', 'f.determination_id')
      .innerJoin('appraisal_records as r', 'r.id', 'f.record_id')
      .innerJoin('meetings as m', 'm.id', 'r.meeting_id')
      .innerJoin('organizations as o', 'o.id', 'r.organization_id')
      .select(['f.id', 'd.grade', 'm.id as meetingId', 'm.title', 'm.type', 'm.starts_at', 'o.name'])
      .where('f.id', 'in', ids)
      .execute(),
    db
      .selectFrom('appraisal_responses')
      .select(['id', 'feedback_id', 'text', 'submitted_at'])
      .where('feedback_id', 'in', ids)
      .orderBy('submitted_at')
      .execute(),
  ]);
  const detailOf = new Map(details.map((d) => [d.id, d]));
  return rows
    .map((row) => {
      const detail = detailOf.get(row.id)!;
      const own = responses.filter((r) => r.feedback_id === row.id);
      return {
        feedbackId: row.id,
        meeting: {
          id: detail.meetingId,
          title: detail.title,
          type: detail.type,
          startsAt: detail.starts_at.toISOString(),
        },
        organizationName: detail.name,
        // A feedback row only ever points at a determination with a grade (recordFeedback checks).
        grade: detail.grade!,
        givenOn: row.given_on,
        method: row.method,
        note: row.note,
        responses: own.map((r) => ({ id: r.id, text: r.text, submittedAt: r.submitted_at.toISOString() })),
        canRespond: own.length < maxResponses,
      };
    })
    .sort((a, b) => (a.meeting.startsAt < b.meeting.startsAt ? 1 : -1));
}

export async function listOwnAppraisals(db: Db, principal: Principal): Promise<MyAppraisal[]> {
  const members = ownMemberIds(principal);
  if (members.length === 0) return [];
  const rows = await db
    .selectFrom('appraisal_feedback')
    .selectAll()
    .where('member_id', 'in', members)
    .execute();
  return describeOwn(db, rows);
}

export async function ownAppraisal(db: Db, principal: Principal, feedbackId: string): Promise<MyAppraisal> {
  const [view] = await describeOwn(db, [await ownFeedback(db, principal, feedbackId)]);
  return view!;
}

/** The member's response (申辩) to what they were told; kept as written, about that determination. */
export async function addResponse(db: Kysely<DB>, principal: Principal, feedbackId: string, text: string) {
  return db.transaction().execute(async (trx) => {
    const own = await ownFeedback(trx, principal, feedbackId);
    // Re-read under a lock: the count below and a concurrent re-telling are then seen one at a time.
    const feedback = await trx
      .selectFrom('appraisal_feedback')
      .select(['id', 'determination_id'])
      .where('id', '=', own.id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const { count } = await trx
      .selectFrom('appraisal_responses')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('feedback_id', '=', feedback.id)
      .executeTakeFirstOrThrow();
    if (count >= maxResponses) throw conflict('appraisal.tooManyResponses');
    const row = await trx
      .insertInto('appraisal_responses')
      .values({
        feedback_id: feedback.id,
        determination_id: feedback.determination_id,
        text,
        submitted_by: principal.accountId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  });
}
