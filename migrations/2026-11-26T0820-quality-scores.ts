import { type Kysely, sql } from 'kysely';

/**
 * Stored scores keep the caps a score met (with whether each lowered it) and the exact uncapped
 * value beside the rounded score, so a page can say "capped at 59 from 65.5" from the row alone.
 * Indexes for the quality data layer: a meeting's rectification items, the open items a daily sweep
 * looks at as they fall due, and the recompute queue in the order it is drained.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table meeting_quality_scores
      add column caps jsonb not null default '[]',
      add column uncapped_score double precision;
    create index rectification_items_meeting_idx on rectification_items (meeting_id)
      where meeting_id is not null;
    create index rectification_items_open_due_idx on rectification_items (due_on)
      where meeting_id is not null and status in ('planned', 'inProgress', 'completed');
    create index quality_recompute_queue_order_idx on quality_recompute_queue (queued_at);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index quality_recompute_queue_order_idx;
    drop index rectification_items_open_due_idx;
    drop index rectification_items_meeting_idx;
    alter table meeting_quality_scores drop column uncapped_score, drop column caps;
  `.execute(db);
}
