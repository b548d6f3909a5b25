import { type Kysely, sql } from 'kysely';

/**
 * Indexes the dashboards need to stay fast over years of history (bench/dashboard.ts): the
 * committee's table reads every branch's rectification items falling due in a period, and the
 * current score and flags of tens of thousands of meetings for its trends — from the index alone,
 * without touching the rows that carry each score's explanation and inputs.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create index rectification_items_due_idx on rectification_items (organization_id, due_on)
      where status <> 'cancelled';
    create index meeting_quality_scores_current_figures_idx on meeting_quality_scores (meeting_id)
      include (score, flags) where superseded_at is null;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index meeting_quality_scores_current_figures_idx;
    drop index rectification_items_due_idx;
  `.execute(db);
}
