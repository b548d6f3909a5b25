import { type Kysely, sql } from 'kysely';

/**
 * The Meeting Quality Index's storage: rubric versions a committee edits, every computed score with
 * its rubric version, explanation and the inputs it was computed from (history kept: a recomputed
 * score supersedes the previous row, never overwrites it), a queue of meetings whose inputs changed,
 * text fingerprints for the originality measure, and the committee's dashboard access log.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table quality_rubrics (
      id uuid primary key default gen_random_uuid(),
      -- the committee (or branch) that published it; null = the built-in default
      organization_id uuid references organizations (id),
      version integer not null,
      rubric jsonb not null,
      note text,
      created_by uuid references accounts (id),
      created_at timestamptz not null default now()
    );
    create unique index quality_rubrics_version_key on quality_rubrics (coalesce(organization_id, '00000000-0000-0000-0000-000000000000'::uuid), version);

    create table meeting_quality_scores (
      id uuid primary key default gen_random_uuid(),
      meeting_id uuid not null references meetings (id) on delete cascade,
      rubric_id uuid not null references quality_rubrics (id),
      -- null when nothing could be scored (e.g. a meeting with no attendance recorded yet)
      score integer check (score between 0 and 100),
      grade text,
      components jsonb not null,
      flags jsonb not null,
      explanation jsonb not null,
      inputs jsonb not null,
      reason text not null,
      computed_at timestamptz not null default now(),
      superseded_at timestamptz
    );
    create unique index meeting_quality_scores_current_key on meeting_quality_scores (meeting_id) where superseded_at is null;
    create index meeting_quality_scores_history_idx on meeting_quality_scores (meeting_id, computed_at);

    -- Meetings whose quality inputs may have changed; a worker recomputes them (any node, SKIP LOCKED).
    create table quality_recompute_queue (
      meeting_id uuid primary key references meetings (id) on delete cascade,
      reason text not null,
      queued_at timestamptz not null default now()
    );

    -- MinHash signatures of criticism and self-examination texts, dated by their meeting (never by
    -- when they were written), for the near-duplicate measure over the branch's last two years.
    create table text_fingerprints (
      id uuid primary key default gen_random_uuid(),
      organization_id uuid not null references organizations (id),
      meeting_id uuid not null references meetings (id) on delete cascade,
      source_kind text not null check (source_kind in ('criticismItem', 'selfExamination')),
      source_id uuid not null,
      meeting_day date not null,
      signature integer[] not null,
      unique (source_kind, source_id)
    );
    create index text_fingerprints_branch_idx on text_fingerprints (organization_id, meeting_day);

    -- Who at a committee looked at which branch's figures, and when (issue: committee views are logged).
    create table dashboard_access_log (
      id uuid primary key default gen_random_uuid(),
      account_id uuid not null references accounts (id),
      organization_id uuid not null references organizations (id),
      view text not null,
      at timestamptz not null default now()
    );
    create index dashboard_access_log_org_idx on dashboard_access_log (organization_id, at);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table dashboard_access_log, text_fingerprints, quality_recompute_queue, meeting_quality_scores, quality_rubrics;
  `.execute(db);
}
