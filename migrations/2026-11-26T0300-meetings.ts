import { type Kysely, sql } from 'kysely';

/**
 * Meetings and minutes: the database refuses a meeting that ends before it starts (the API says so
 * first, this keeps every other writer honest), and a minutes page lists its attachments by meeting
 * without scanning every branch's files.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table meetings add constraint meetings_ends_after_start check (ends_at is null or ends_at > starts_at);
    create index minutes_attachments_meeting_idx on minutes_attachments (meeting_id, uploaded_at);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index minutes_attachments_meeting_idx;
    alter table meetings drop constraint meetings_ends_after_start;
  `.execute(db);
}
