import { type Kysely, sql } from 'kysely';

/**
 * Rectification follow-through: uploaded evidence files, a kind and details on each history entry
 * (so edits, evidence, publication and 回头看 appear in the timeline beside status moves), and the
 * indexes the owner's "my items" page and the problem filters need.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table rectification_attachments (
      id uuid primary key default gen_random_uuid(),
      item_id uuid not null references rectification_items (id) on delete cascade,
      file_name text not null,
      content_type text not null,
      size_bytes integer not null check (size_bytes between 1 and 10485760),
      data bytea not null,
      uploaded_by uuid references accounts (id),
      uploaded_at timestamptz not null default now()
    );
    create index rectification_attachments_item_idx on rectification_attachments (item_id);

    alter table rectification_events
      add column kind text not null default 'transition' check (kind in
        ('transition', 'edited', 'evidenceAdded', 'evidenceRemoved', 'published', 'reviewed')),
      add column details jsonb;

    create index rectification_items_owner_idx on rectification_items (owner_member_id)
      where owner_member_id is not null;
    create index rectification_items_problem_idx on rectification_items (problem_id);
    create index problems_subject_idx on problems (subject_member_id) where subject_member_id is not null;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index problems_subject_idx;
    drop index rectification_items_problem_idx;
    drop index rectification_items_owner_idx;
    alter table rectification_events drop column details, drop column kind;
    drop table rectification_attachments;
  `.execute(db);
}
