import { type Kysely, sql } from 'kysely';

/**
 * Live meetings: sessions with their event sequence, device/observer passes, survey instruments,
 * rounds, and the anonymous stores (ballots, criticism items). The anonymous tables hold no person,
 * device, connection or time column (docs/anonymity.md); who has answered lives apart, in
 * round_participations, which in turn holds no answer and no time.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table survey_instruments (
      id uuid primary key default gen_random_uuid(),
      -- null: the built-in default of DOMAIN.md §5; otherwise the organization that published it
      organization_id uuid references organizations (id),
      version integer not null check (version >= 1),
      definition jsonb not null,
      created_by uuid references accounts (id),
      created_at timestamptz not null default now(),
      unique nulls not distinct (organization_id, version)
    );

    create table live_sessions (
      meeting_id uuid primary key references meetings (id) on delete cascade,
      open boolean not null default false,
      join_code text,
      projector_token_hash text,
      opened_at timestamptz,
      opened_by uuid references accounts (id),
      closed_at timestamptz,
      -- bumped in the same transaction as every structural change (see live_events)
      seq bigint not null default 0,
      timer_ends_at timestamptz,
      timer_label text not null default '',
      check (not open or join_code is not null)
    );
    create unique index live_sessions_join_code_key on live_sessions (join_code) where open;

    -- What changed, never how: a kind and an entity id; no content, no author. Deleted when the
    -- session closes.
    create table live_events (
      meeting_id uuid not null references meetings (id) on delete cascade,
      seq bigint not null,
      kind text not null check (kind in ('round', 'roundRemoved', 'attendance', 'timer', 'session')),
      entity_id uuid,
      primary key (meeting_id, seq)
    );

    -- One-time codes for a roster entry (a member's phone) or an observer, and the device token a
    -- claimed code became. Hashes only. A lost phone is rebound by revoking its pass (who, when, why).
    create table live_passes (
      id uuid primary key default gen_random_uuid(),
      meeting_id uuid not null references meetings (id) on delete cascade,
      kind text not null check (kind in ('member', 'observer')),
      member_id uuid references members (id),
      observer_id uuid references meeting_observers (id) on delete cascade,
      code_hash text not null unique,
      code_expires_at timestamptz not null,
      token_hash text unique,
      claimed_at timestamptz,
      issued_by uuid references accounts (id),
      issued_at timestamptz not null default now(),
      revoked_at timestamptz,
      revoked_by uuid references accounts (id),
      revoke_reason text,
      check ((kind = 'member') = (member_id is not null)),
      check ((kind = 'observer') = (observer_id is not null)),
      check ((claimed_at is null) = (token_hash is null))
    );
    create unique index live_passes_member_key on live_passes (meeting_id, member_id)
      where revoked_at is null and kind = 'member';
    create unique index live_passes_observer_key on live_passes (meeting_id, observer_id)
      where revoked_at is null and kind = 'observer';

    create table rounds (
      id uuid primary key default gen_random_uuid(),
      meeting_id uuid not null references meetings (id) on delete cascade,
      kind text not null check (kind in ('survey', 'criticism', 'appraisal', 'poll')),
      title text not null,
      position integer not null,
      anonymous boolean not null,
      state text not null default 'draft' check (state in ('draft', 'open', 'closed')),
      config jsonb not null,
      instrument_id uuid references survey_instruments (id),
      instrument_version integer,
      created_by uuid references accounts (id),
      opened_at timestamptz,
      closed_at timestamptz,
      revealed_at timestamptz,
      sealed_at timestamptz,
      check ((kind = 'survey') = (instrument_id is not null)),
      check (revealed_at is null or state = 'closed')
    );
    create index rounds_meeting_idx on rounds (meeting_id, position);

    -- A closed round is sealed: reopening it would let new ballots sit beside sealed ones.
    create function rounds_never_reopen() returns trigger language plpgsql as $fn$
    begin
      if old.state = 'closed' and new.state <> 'closed' then
        raise exception 'a closed round cannot be reopened' using errcode = 'check_violation';
      end if;
      return new;
    end
    $fn$;
    create trigger rounds_never_reopen before update on rounds
      for each row execute function rounds_never_reopen();

    -- Who has answered (at most once per round). No answer, no time.
    create table round_participations (
      round_id uuid not null references rounds (id) on delete cascade,
      participant_kind text not null check (participant_kind in ('member', 'observer')),
      participant_id uuid not null,
      client_id uuid not null,
      primary key (round_id, participant_kind, participant_id),
      unique (round_id, client_id)
    );

    -- What was answered. No person, device, connection or time; random ids; rewritten in random
    -- order when the round closes.
    create table ballots (
      id uuid primary key default gen_random_uuid(),
      round_id uuid not null references rounds (id) on delete cascade,
      content jsonb not null,
      receipt text not null
    );
    create index ballots_round_idx on ballots (round_id);

    create table criticism_subjects (
      id uuid primary key default gen_random_uuid(),
      round_id uuid not null references rounds (id) on delete cascade,
      member_id uuid not null references members (id),
      position integer not null,
      phase text not null default 'waiting' check (phase in
        ('waiting', 'selfExamination', 'criticism', 'reveal', 'response', 'done')),
      self_examination_mode text check (self_examination_mode in ('written', 'oral')),
      self_examination text,
      self_examination_client_id uuid,
      response text,
      response_client_id uuid,
      unique (round_id, member_id)
    );

    -- Criticism of a subject. Anonymous rounds keep only the hash of the author's device secret
    -- (edit/withdraw until reveal) and of the submission's client id (at-most-once); both are
    -- erased when the round is sealed. The author is stored only when the round is named.
    create table criticism_items (
      id uuid primary key default gen_random_uuid(),
      round_id uuid not null references rounds (id) on delete cascade,
      subject_id uuid not null references criticism_subjects (id) on delete cascade,
      text text not null,
      concrete boolean not null,
      status text not null default 'pending' check (status in
        ('pending', 'approved', 'returned', 'rejected', 'withdrawn')),
      -- shown to the moderator only in batches, never as each one arrives
      released boolean not null default false,
      reveal_position integer,
      author_key_hash text,
      client_hash text,
      author_member_id uuid references members (id),
      author_observer_id uuid references meeting_observers (id)
    );
    create index criticism_items_round_idx on criticism_items (round_id);
    create unique index criticism_items_client_key on criticism_items (round_id, client_hash)
      where client_hash is not null;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table criticism_items, criticism_subjects, ballots, round_participations, rounds, live_passes,
      live_events, live_sessions, survey_instruments;
    drop function rounds_never_reopen();
  `.execute(db);
}
