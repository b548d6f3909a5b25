import { type Kysely, sql } from 'kysely';

/**
 * An append-only, hash-chained log of host and administrative actions. Each row's hash covers its
 * content and the previous row's hash, so editing or deleting a row breaks the chain from there on
 * (`npm run audit:verify`). A trigger refuses UPDATE and DELETE outright; the chain also catches
 * someone who disables the trigger.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table audit_log (
      seq bigint primary key,
      at timestamptz not null,
      actor_account_id uuid,
      actor_label text not null,
      action text not null,
      organization_id uuid,
      meeting_id uuid,
      details jsonb not null default '{}',
      prev_hash text not null,
      hash text not null
    );
    create index audit_log_organization_idx on audit_log (organization_id, seq);
    create index audit_log_meeting_idx on audit_log (meeting_id, seq);

    create function audit_log_is_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_log is append-only';
    end $$;
    create trigger audit_log_append_only before update or delete or truncate on audit_log
      for each statement execute function audit_log_is_append_only();
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table audit_log; drop function audit_log_is_append_only();`.execute(db);
}
