import { type Kysely, sql } from 'kysely';

/**
 * Indexes the dashboards need to stay fast over years of history (bench/dashboard.ts): the
 * committee's table reads every branch's rectification items falling due in a period.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create index rectification_items_due_idx on rectification_items (organization_id, due_on)
      where status <> 'cancelled';
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index rectification_items_due_idx;`.execute(db);
}
