import type { Insertable, Kysely } from 'kysely';
import type { DB } from '../../server/db/schema.ts';
import type { MeetingQualityScoresTable } from '../../server/db/tables/quality.ts';
import { builtInRubric, type StoredRubric } from '../../server/quality/rubrics.ts';
import type { MeetingType } from '../../shared/domain/enums.ts';
import {
  computeMeetingQuality,
  type MeetingQuality,
  type MeetingQualityInputs,
} from '../../shared/quality/mqi.ts';

/**
 * Stored quality scores for tests and the benchmark. The scoring service is another feature's
 * (recompute queue, triggers); the dashboards only read meeting_quality_scores. So these fixtures
 * compute each score with the real computeMeetingQuality from realistic inputs and store it the way
 * a score row is defined (migrations/2026-11-26T0800-quality.ts): every figure a dashboard shows
 * is then a real computation, never a number typed into a test.
 */

/** A score row as the scoring service writes it: the result, its inputs, its rubric version. */
export function scoreRow(
  meetingId: string,
  rubricId: string,
  inputs: MeetingQualityInputs,
  quality: MeetingQuality,
  reason = 'fixture',
): Insertable<MeetingQualityScoresTable> {
  return {
    meeting_id: meetingId,
    rubric_id: rubricId,
    score: quality.score,
    grade: quality.grade,
    components: JSON.stringify(quality.components),
    flags: JSON.stringify({
      ...quality.flags,
      provisional: quality.provisional,
      insufficientData: quality.insufficientData,
    }),
    explanation: JSON.stringify(quality.explanation),
    inputs: JSON.stringify(inputs),
    reason,
  };
}

/**
 * Scores a meeting and stores it as its current score; an earlier current row is superseded
 * (kept as history), as a recomputation does.
 */
export async function storeScore(
  db: Kysely<DB>,
  meetingId: string,
  inputs: MeetingQualityInputs,
  rubric?: StoredRubric,
): Promise<MeetingQuality> {
  const stored = rubric ?? (await builtInRubric(db));
  const quality = computeMeetingQuality(inputs, stored.rubric);
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('meeting_quality_scores')
      .set({ superseded_at: new Date() })
      .where('meeting_id', '=', meetingId)
      .where('superseded_at', 'is', null)
      .execute();
    await trx
      .insertInto('meeting_quality_scores')
      .values(scoreRow(meetingId, stored.id, inputs, quality))
      .execute();
  });
  return quality;
}

export interface InputsSketch {
  type: MeetingType;
  /** Members expected (before exemptions), present, and absent with approved leave. */
  expected: number;
  present: number;
  excused?: number;
  exempt?: number;
  quorumMet?: boolean | null;
  /** Survey: answers, the mean of every dimension (1–5), and 满意/基本满意/不满意 counts. */
  answers?: number;
  likert?: number;
  overall?: [number, number, number];
  /** Minutes locked this many days after the meeting; null = not yet locked. */
  daysToLock?: number | null;
  rectification?: Partial<MeetingQualityInputs['rectification']>;
  criticism?: MeetingQualityInputs['criticism'];
  appraisal?: MeetingQualityInputs['appraisal'];
  preparation?: MeetingQualityInputs['preparation'];
}

export const likertDimensionKeys = ['themeFocus', 'preparation', 'candour', 'problemSolving', 'conduct'];

/**
 * Complete MeetingQualityInputs from the few numbers a test is about; the rest is what a well-run
 * meeting records (complete, signed minutes, preparation done).
 */
export function qualityInputs(sketch: InputsSketch): MeetingQualityInputs {
  const answers = sketch.answers ?? 0;
  const likert = sketch.likert ?? 4;
  const [satisfied, basicallySatisfied, dissatisfied] = sketch.overall ?? [answers, 0, 0];
  const daysToLock = sketch.daysToLock === undefined ? 2 : sketch.daysToLock;
  return {
    meetingType: sketch.type,
    attendance: {
      expected: sketch.expected,
      exempt: sketch.exempt ?? 0,
      present: sketch.present,
      excused: sketch.excused ?? 0,
    },
    quorumMet: sketch.quorumMet === undefined ? null : sketch.quorumMet,
    preparation: sketch.preparation ?? { study: true, talks: true, opinionSolicitation: true },
    minutes: {
      requiredFields: 18,
      filledFields: 18,
      hostSigned: daysToLock !== null,
      recorderSigned: daysToLock !== null,
      daysToLock,
    },
    satisfaction: {
      present: sketch.present,
      answers,
      likertMeans: answers > 0 ? Object.fromEntries(likertDimensionKeys.map((key) => [key, likert])) : {},
      overall: answers > 0 ? { satisfied, basicallySatisfied, dissatisfied } : null,
    },
    criticism: sketch.criticism ?? null,
    appraisal: sketch.appraisal ?? null,
    rectification: {
      items: 0,
      wellFormed: 0,
      verifiedOnTime: 0,
      verifiedLate: 0,
      overdue: 0,
      previousItemsReviewed: null,
      ...sketch.rectification,
    },
  };
}
