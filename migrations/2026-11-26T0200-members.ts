import { type Kysely, sql } from 'kysely';

/**
 * The roster: why and when a member left (rows are never deleted — meetings, minutes and
 * rectification items keep pointing at them), and the indexes the roster's per-member look-ups need.
 * `left_at` stays the moment the entry was closed (it ends the member's grants); `left_on` is the
 * effective date the secretary records, which may lie in the past.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table members
      add column left_on date,
      add column left_reason text check (left_reason in ('transferredOut', 'removed', 'deceased', 'other')),
      add column left_note text;

    -- last attended organization life, per member, across meetings
    create index attendance_member_idx on attendance (member_id, status);
    -- a new code supersedes the member's earlier unused ones
    create index invitations_member_idx on invitations (member_id) where used_at is null;
    create index members_party_group_idx on members (party_group_id) where party_group_id is not null;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index members_party_group_idx;
    drop index invitations_member_idx;
    drop index attendance_member_idx;
    alter table members
      drop column left_note,
      drop column left_reason,
      drop column left_on;
  `.execute(db);
}
