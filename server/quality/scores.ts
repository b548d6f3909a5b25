import { isDeepStrictEqual } from 'node:util';
import { type Kysely, sql, type Transaction } from 'kysely';
import { computeMeetingQuality, type MeetingQuality } from '../../shared/quality/mqi.ts';
import type { QualityReason, ScoreFlags } from '../../shared/schemas/quality.ts';
import type { DB, Db } from '../db/schema.ts';
import { gatherMeetingQualityInputs } from './inputs.ts';
import { effectiveRubric } from './rubrics.ts';

/**
 * Stored scores. A meeting has at most one current row (superseded_at is null); a recomputation
 * that changes the result supersedes it and inserts the new one, so earlier values stay as history
 * with the reason each was computed. An unchanged result writes nothing.
 */
export type StoreOutcome = 'stored' | 'unchanged' | 'notHeld';

export function flagsOf(quality: MeetingQuality): ScoreFlags {
  return {
    procedureInvalid: quality.flags.procedureInvalid,
    needsAttention: quality.flags.needsAttention,
    provisional: quality.provisional,
    insufficientData: quality.insufficientData,
  };
}

/** What makes two results the same: everything a reader of the score would see. */
function comparable(row: {
  rubric_id: string;
  score: number | null;
  grade: string | null;
  components: unknown;
  flags: unknown;
  caps: unknown;
  explanation: unknown;
}) {
  // Through JSON, so a freshly computed result and one read back from jsonb compare alike.
  return JSON.parse(
    JSON.stringify([
      row.rubric_id,
      row.score,
      row.grade,
      row.components,
      row.flags,
      row.caps,
      row.explanation,
    ]),
  );
}

/**
 * Scores a held meeting with the rubric in force for its organization and stores the result if it
 * differs from the current one (in its own transaction, or the caller's). Meetings not (yet) held
 * are not scored.
 *
 * @example
 * await computeAndStore(db, meetingId, 'rectificationVerified'); // 'stored'
 */
export async function computeAndStore(
  db: Db,
  meetingId: string,
  reason: QualityReason,
  options: { today?: string } = {},
): Promise<StoreOutcome> {
  const run = async (trx: Transaction<DB>): Promise<StoreOutcome> => {
    // One computation per meeting at a time, whichever node or caller starts it.
    await sql`select pg_advisory_xact_lock(hashtext('meeting_quality:' || ${meetingId}))`.execute(trx);
    const meeting = await trx
      .selectFrom('meetings as m')
      .innerJoin('organizations as o', 'o.id', 'm.organization_id')
      .select(['m.status', 'o.ancestry'])
      .where('m.id', '=', meetingId)
      .executeTakeFirst();
    if (meeting?.status !== 'held') return 'notHeld';
    const rubric = await effectiveRubric(trx, meeting.ancestry);
    const inputs = await gatherMeetingQualityInputs(trx, meetingId, { rubric: rubric.rubric, ...options });
    const quality = computeMeetingQuality(inputs, rubric.rubric);
    const next = {
      rubric_id: rubric.id,
      score: quality.score,
      grade: quality.grade,
      components: quality.components,
      flags: flagsOf(quality),
      caps: quality.caps,
      explanation: quality.explanation,
    };
    const current = await trx
      .selectFrom('meeting_quality_scores')
      .select(['id', 'rubric_id', 'score', 'grade', 'components', 'flags', 'caps', 'explanation'])
      .where('meeting_id', '=', meetingId)
      .where('superseded_at', 'is', null)
      .executeTakeFirst();
    if (current && isDeepStrictEqual(comparable(current), comparable(next))) return 'unchanged';
    if (current)
      await trx
        .updateTable('meeting_quality_scores')
        .set({ superseded_at: sql<Date>`now()` })
        .where('id', '=', current.id)
        .execute();
    await trx
      .insertInto('meeting_quality_scores')
      .values({
        meeting_id: meetingId,
        rubric_id: rubric.id,
        score: quality.score,
        grade: quality.grade,
        uncapped_score: quality.uncappedScore,
        components: JSON.stringify(quality.components),
        flags: JSON.stringify(next.flags),
        caps: JSON.stringify(quality.caps),
        explanation: JSON.stringify(quality.explanation),
        inputs: JSON.stringify(inputs),
        reason,
      })
      .execute();
    return 'stored';
  };
  return db.isTransaction ? run(db as Transaction<DB>) : (db as Kysely<DB>).transaction().execute(run);
}
