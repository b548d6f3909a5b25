import { type Kysely, sql } from 'kysely';

/**
 * The democratic appraisal after the ballot (DOMAIN.md §4): one record per meeting that held an
 * appraisal; the committee's determination of each full member, append-only (a change supersedes
 * the current row, so history is kept); feedback to the member and the member's responses (申辩);
 * the disposition of a member determined 不合格, with each general-meeting vote and the superior
 * organization's decision; and the reports sent upward, each a frozen copy of what was reported.
 * None of these tables holds ballot content: tallies are read from the sealed ballots when needed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table appraisal_records (
      id uuid primary key default gen_random_uuid(),
      meeting_id uuid not null unique references meetings (id) on delete cascade,
      organization_id uuid not null references organizations (id),
      -- why more than a third of the full members are 优秀, when they are (the rule says "一般")
      excellent_override_reason text,
      created_at timestamptz not null default now()
    );

    create table appraisal_determinations (
      id uuid primary key default gen_random_uuid(),
      record_id uuid not null references appraisal_records (id) on delete cascade,
      member_id uuid not null references members (id),
      -- null: a determination withdrawn (the member is back to "not yet determined")
      grade text check (grade in ('excellent', 'qualified', 'basicallyQualified', 'unqualified')),
      note text,
      decided_by uuid references accounts (id),
      decided_at timestamptz not null default now(),
      superseded_at timestamptz
    );
    create unique index appraisal_determinations_current_key
      on appraisal_determinations (record_id, member_id) where superseded_at is null;
    create index appraisal_determinations_history_idx on appraisal_determinations (record_id, member_id, decided_at);

    create table appraisal_feedback (
      id uuid primary key default gen_random_uuid(),
      record_id uuid not null references appraisal_records (id) on delete cascade,
      member_id uuid not null references members (id),
      -- the determination the member was told; a later change makes this feedback out of date
      determination_id uuid not null references appraisal_determinations (id),
      given_on date not null,
      method text not null check (method in ('talk', 'meeting', 'written', 'phone')),
      note text,
      recorded_by uuid references accounts (id),
      recorded_at timestamptz not null default now(),
      unique (record_id, member_id)
    );

    create table appraisal_responses (
      id uuid primary key default gen_random_uuid(),
      feedback_id uuid not null references appraisal_feedback (id) on delete cascade,
      -- what the member was responding to, even if the determination changes afterwards
      determination_id uuid not null references appraisal_determinations (id),
      text text not null,
      submitted_by uuid references accounts (id),
      submitted_at timestamptz not null default now()
    );
    create index appraisal_responses_feedback_idx on appraisal_responses (feedback_id, submitted_at);

    create table appraisal_dispositions (
      id uuid primary key default gen_random_uuid(),
      record_id uuid not null references appraisal_records (id) on delete cascade,
      member_id uuid not null references members (id),
      opened_at timestamptz not null default now(),
      education_started_on date,
      education_measures text,
      outcome text check (outcome in ('corrected', 'withdrew', 'removed')),
      closed_on date,
      closing_note text,
      closed_by uuid references accounts (id),
      unique (record_id, member_id)
    );

    create table appraisal_disposition_steps (
      id uuid primary key default gen_random_uuid(),
      disposition_id uuid not null references appraisal_dispositions (id) on delete cascade,
      kind text not null check (kind in ('correctionWithinDeadline', 'persuadeToWithdraw', 'removal')),
      -- the branch general meeting that voted; voters and quorum are copied from its attendance
      meeting_id uuid not null references meetings (id),
      correction_deadline date,
      note text,
      votes_yes integer not null check (votes_yes >= 0),
      votes_no integer not null check (votes_no >= 0),
      votes_abstain integer not null check (votes_abstain >= 0),
      voting_expected integer not null,
      voting_present integer not null,
      quorum_met boolean not null,
      passed boolean not null,
      approval_decision text check (approval_decision in ('approved', 'notApproved')),
      approver_organization text,
      approver_name text,
      approved_on date,
      approval_document text,
      approval_recorded_by uuid references accounts (id),
      recorded_by uuid references accounts (id),
      recorded_at timestamptz not null default now()
    );
    create index appraisal_disposition_steps_idx on appraisal_disposition_steps (disposition_id, recorded_at);

    create table appraisal_reports (
      id uuid primary key default gen_random_uuid(),
      record_id uuid not null references appraisal_records (id) on delete cascade,
      report jsonb not null,
      submitted_by uuid references accounts (id),
      submitted_at timestamptz not null default now()
    );
    create index appraisal_reports_record_idx on appraisal_reports (record_id, submitted_at);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table appraisal_reports, appraisal_disposition_steps, appraisal_dispositions, appraisal_responses,
      appraisal_feedback, appraisal_determinations, appraisal_records;
  `.execute(db);
}
