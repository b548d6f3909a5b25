import { sql } from 'kysely';
import type { QualityReason } from '../../shared/schemas/quality.ts';
import type { Db } from '../db/schema.ts';

/**
 * Queues meetings whose quality inputs changed, for the worker (worker.ts) to score again. Features
 * call it inside the transaction of the change, so the mark commits or rolls back with it. A
 * meeting already queued keeps its place (the earlier time) and takes the newer reason; ids that
 * are null (an item that belongs to no meeting) are skipped.
 *
 * @example
 * await markQualityDirty(trx, item.meeting_id, 'rectificationVerified');
 */
export async function markQualityDirty(
  db: Db,
  meetingIds: string | null | ReadonlyArray<string | null>,
  reason: QualityReason,
): Promise<void> {
  const list = typeof meetingIds === 'string' || meetingIds === null ? [meetingIds] : meetingIds;
  const ids = [...new Set(list.filter((id): id is string => !!id))];
  if (ids.length === 0) return;
  await db
    .insertInto('quality_recompute_queue')
    // Sorted, so two transactions marking the same meetings take their row locks in one order.
    .values(ids.sort().map((meeting_id) => ({ meeting_id, reason })))
    .onConflict((oc) =>
      oc.column('meeting_id').doUpdateSet({
        reason,
        // A retry pushed into the future comes back now that there is something new to score.
        queued_at: sql`least(quality_recompute_queue.queued_at, now())`,
      }),
    )
    .execute();
}
