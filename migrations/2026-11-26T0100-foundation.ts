import { type Kysely, sql } from 'kysely';

/**
 * Foundation schema: accounts and sessions, the organization tree with role grants, the branch
 * roster, meetings with leave, attendance and minutes, and problems with rectification items.
 * Migrations are frozen in time: they never import application code.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table accounts (
      id uuid primary key default gen_random_uuid(),
      login text not null,
      display_name text not null,
      password_hash text,
      locale text not null default 'zh-CN' check (locale in ('zh-CN', 'en')),
      failed_login_count integer not null default 0,
      locked_until timestamptz,
      password_changed_at timestamptz,
      disabled_at timestamptz,
      created_at timestamptz not null default now()
    );
    create unique index accounts_login_key on accounts (lower(login));

    create table sessions (
      token_hash text primary key,
      account_id uuid not null references accounts (id) on delete cascade,
      created_at timestamptz not null default now(),
      last_seen_at timestamptz not null default now(),
      expires_at timestamptz not null
    );
    create index sessions_account_idx on sessions (account_id);

    create table setup_tokens (
      token_hash text primary key,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      used_at timestamptz
    );

    create table organizations (
      id uuid primary key default gen_random_uuid(),
      parent_id uuid references organizations (id),
      kind text not null check (kind in ('primaryCommittee', 'generalBranch', 'partyBranch', 'partyGroup')),
      name text not null,
      -- ids from the root down to this organization, inclusive: subtree = ancestry @> array[id]
      ancestry uuid[] not null,
      is_leadership_group boolean not null default false,
      settings jsonb not null default '{}',
      created_at timestamptz not null default now(),
      archived_at timestamptz
    );
    create index organizations_ancestry_idx on organizations using gin (ancestry);
    create index organizations_parent_idx on organizations (parent_id);

    create table role_grants (
      id uuid primary key default gen_random_uuid(),
      account_id uuid not null references accounts (id) on delete cascade,
      organization_id uuid not null references organizations (id),
      role text not null check (role in ('admin', 'committeeViewer', 'secretary', 'member', 'observer')),
      granted_by uuid references accounts (id),
      created_at timestamptz not null default now(),
      unique (account_id, organization_id, role)
    );

    create table members (
      id uuid primary key default gen_random_uuid(),
      organization_id uuid not null references organizations (id),
      party_group_id uuid references organizations (id),
      account_id uuid references accounts (id),
      full_name text not null,
      gender text check (gender in ('male', 'female')),
      ethnicity text,
      birth_date date,
      education text,
      phone text,
      joined_party_on date,
      status text not null check (status in ('fullMember', 'probationaryMember')),
      committee_role text check (committee_role in
        ('secretary', 'deputySecretary', 'organization', 'publicity', 'discipline', 'committeeMember')),
      leading_cadre boolean not null default false,
      dual_org_life boolean not null default false,
      notes text,
      left_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index members_organization_idx on members (organization_id);
    create unique index members_account_per_org_key on members (organization_id, account_id)
      where account_id is not null and left_at is null;

    create table member_exemptions (
      id uuid primary key default gen_random_uuid(),
      member_id uuid not null references members (id),
      reason text not null check (reason in
        ('illness', 'abroad', 'elderlyOrBedridden', 'serving', 'awayUnreachable', 'other')),
      note text,
      approved_by text not null,
      approved_on date not null,
      starts_on date not null,
      ends_on date,
      created_by uuid references accounts (id),
      created_at timestamptz not null default now(),
      revoked_at timestamptz
    );
    create index member_exemptions_member_idx on member_exemptions (member_id);

    create table invitations (
      id uuid primary key default gen_random_uuid(),
      member_id uuid not null references members (id),
      code_hash text not null unique,
      created_by uuid references accounts (id),
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      used_at timestamptz
    );

    create table meetings (
      id uuid primary key default gen_random_uuid(),
      organization_id uuid not null references organizations (id),
      type text not null check (type in ('branchGeneralMeeting', 'branchCommitteeMeeting', 'partyGroupMeeting',
        'partyLecture', 'themedPartyDay', 'orgLifeMeeting', 'leadershipLifeMeeting', 'memberAppraisal')),
      title text not null,
      session_no integer,
      theme text not null default '',
      starts_at timestamptz not null,
      ends_at timestamptz,
      location text not null default '',
      mode text not null default 'inPerson' check (mode in ('inPerson', 'online', 'hybrid')),
      host_member_id uuid references members (id),
      recorder_member_id uuid references members (id),
      agenda jsonb not null default '[]',
      includes_appraisal boolean not null default false,
      preparation jsonb not null default '{}',
      status text not null default 'scheduled' check (status in ('scheduled', 'inProgress', 'held', 'cancelled')),
      cancelled_reason text,
      created_by uuid references accounts (id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index meetings_organization_idx on meetings (organization_id, starts_at);

    create table meeting_invitees (
      meeting_id uuid not null references meetings (id) on delete cascade,
      member_id uuid not null references members (id),
      primary key (meeting_id, member_id)
    );

    create table meeting_observers (
      id uuid primary key default gen_random_uuid(),
      meeting_id uuid not null references meetings (id) on delete cascade,
      name text not null,
      affiliation text not null default '',
      member_id uuid references members (id)
    );

    create table leave_requests (
      id uuid primary key default gen_random_uuid(),
      meeting_id uuid not null references meetings (id) on delete cascade,
      member_id uuid not null references members (id),
      reason text not null,
      status text not null default 'pending' check (status in ('pending', 'approved', 'rejected')),
      decided_by uuid references accounts (id),
      decided_at timestamptz,
      decision_note text,
      created_at timestamptz not null default now(),
      unique (meeting_id, member_id)
    );

    create table attendance (
      meeting_id uuid not null references meetings (id) on delete cascade,
      member_id uuid not null references members (id),
      status text not null check (status in ('present', 'absent', 'excused', 'exempt')),
      checked_in_at timestamptz,
      source text not null default 'recorder' check (source in ('recorder', 'checkIn')),
      note text,
      recorded_by uuid references accounts (id),
      updated_at timestamptz not null default now(),
      primary key (meeting_id, member_id)
    );

    create table minutes (
      meeting_id uuid primary key references meetings (id) on delete cascade,
      recording_method text not null default 'summary' check (recording_method in ('summary', 'verbatim')),
      content jsonb not null default '{}',
      custodian_member_id uuid references members (id),
      host_signed_at timestamptz,
      host_signed_by uuid references accounts (id),
      recorder_signed_at timestamptz,
      recorder_signed_by uuid references accounts (id),
      locked_at timestamptz,
      -- the derived header and attendance frozen when both have signed
      snapshot jsonb,
      updated_by uuid references accounts (id),
      updated_at timestamptz not null default now()
    );

    create table minutes_amendments (
      id uuid primary key default gen_random_uuid(),
      meeting_id uuid not null references minutes (meeting_id) on delete cascade,
      amended_by uuid not null references accounts (id),
      amended_at timestamptz not null default now(),
      reason text not null,
      changes jsonb not null
    );
    create index minutes_amendments_meeting_idx on minutes_amendments (meeting_id, amended_at);

    create table minutes_attachments (
      id uuid primary key default gen_random_uuid(),
      meeting_id uuid not null references meetings (id) on delete cascade,
      file_name text not null,
      content_type text not null,
      size_bytes integer not null,
      data bytea not null,
      uploaded_by uuid references accounts (id),
      uploaded_at timestamptz not null default now()
    );

    create table problems (
      id uuid primary key default gen_random_uuid(),
      organization_id uuid not null references organizations (id),
      meeting_id uuid references meetings (id),
      scope text not null check (scope in ('branch', 'member')),
      subject_member_id uuid references members (id),
      description text not null,
      source text not null check (source in ('self', 'masses', 'superior', 'peers', 'collective', 'inspection')),
      category text check (category in ('work', 'style', 'thought')),
      origin_kind text not null default 'manual' check (origin_kind in
        ('manual', 'criticismItem', 'selfExamination', 'opinionSolicitation')),
      origin_id uuid,
      created_by uuid references accounts (id),
      created_at timestamptz not null default now(),
      check ((scope = 'member') = (subject_member_id is not null))
    );
    create index problems_organization_idx on problems (organization_id);
    create index problems_meeting_idx on problems (meeting_id);

    create table rectification_items (
      id uuid primary key default gen_random_uuid(),
      organization_id uuid not null references organizations (id),
      problem_id uuid not null references problems (id),
      meeting_id uuid references meetings (id),
      scope text not null check (scope in ('branch', 'member')),
      subject_member_id uuid references members (id),
      measures text not null,
      owner_member_id uuid references members (id),
      owner_unit text,
      due_on date,
      pledge text,
      immediate_fix boolean not null default false,
      status text not null default 'planned' check (status in
        ('planned', 'inProgress', 'completed', 'verified', 'cancelled')),
      completion_note text,
      evidence jsonb not null default '[]',
      completed_at timestamptz,
      verified_by uuid references accounts (id),
      verified_at timestamptz,
      published_scope text check (published_scope in ('branch', 'organization', 'public')),
      published_at timestamptz,
      reviewed_at_meeting_id uuid references meetings (id),
      cancelled_reason text,
      created_by uuid references accounts (id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index rectification_items_organization_idx on rectification_items (organization_id, status);

    create table rectification_events (
      id uuid primary key default gen_random_uuid(),
      item_id uuid not null references rectification_items (id) on delete cascade,
      at timestamptz not null default now(),
      by_account uuid references accounts (id),
      from_status text,
      to_status text not null,
      note text
    );
    create index rectification_events_item_idx on rectification_events (item_id, at);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table rectification_events, rectification_items, problems, minutes_attachments, minutes_amendments,
      minutes, attendance, leave_requests, meeting_observers, meeting_invitees, meetings, invitations,
      member_exemptions, members, role_grants, organizations, setup_tokens, sessions, accounts;
  `.execute(db);
}
