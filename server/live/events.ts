import { sql } from 'kysely';
import type { LiveEventKind } from '../../shared/schemas/live.ts';
import type { Db } from '../db/schema.ts';

/**
 * Records a structural change of a live meeting: bumps the session's sequence number and writes a
 * live_events row (what kind, which entity — never content, never an author). Call it inside the
 * transaction that makes the change, so the change and its event commit together; notify the hub
 * (hub.noteEvent) only after that transaction commits. Creates the session row on first use, so a
 * host may prepare rounds before opening the session.
 *
 * @example
 *   const seq = await db.transaction().execute(async (trx) => {
 *     await trx.updateTable('rounds').set({ state: 'open' }).where('id', '=', id).execute();
 *     return recordEvent(trx, meetingId, 'round', id);
 *   });
 *   hub.noteEvent(meetingId, seq);
 */
export async function recordEvent(
  db: Db,
  meetingId: string,
  kind: LiveEventKind,
  entityId: string | null = null,
): Promise<number> {
  const { seq } = await db
    .insertInto('live_sessions')
    .values({ meeting_id: meetingId, seq: 1 })
    .onConflict((oc) => oc.column('meeting_id').doUpdateSet({ seq: sql`live_sessions.seq + 1` }))
    .returning('seq')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('live_events')
    .values({ meeting_id: meetingId, seq, kind, entity_id: entityId })
    .execute();
  return seq;
}

export interface EventRow {
  seq: number;
  kind: LiveEventKind;
  entityId: string | null;
}

/** Events after `afterSeq`, oldest first, at most `limit`. */
export async function eventsAfter(
  db: Db,
  meetingId: string,
  afterSeq: number,
  limit: number,
): Promise<EventRow[]> {
  const rows = await db
    .selectFrom('live_events')
    .select(['seq', 'kind', 'entity_id'])
    .where('meeting_id', '=', meetingId)
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ seq: r.seq, kind: r.kind, entityId: r.entity_id }));
}

export async function currentSeqs(db: Db, meetingIds: readonly string[]): Promise<Map<string, number>> {
  if (meetingIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('live_sessions')
    .select(['meeting_id', 'seq'])
    .where('meeting_id', 'in', [...meetingIds])
    .execute();
  return new Map(rows.map((r) => [r.meeting_id, r.seq]));
}
