import { type Kysely, sql } from 'kysely';
import type { RoundConfig, StoredRoundConfig } from '../../shared/schemas/rounds.ts';
import type { AuditInTransaction } from '../audit/audit-log.ts';
import type { DB, Db } from '../db/schema.ts';
import { badRequest, conflict, notFound } from '../http/errors.ts';
import { qualityOnRoundClosed } from '../quality/originality.ts';
import { recordEvent } from './events.ts';
import { effectiveInstrument, instrumentById, usableBy } from './instruments.ts';
import { eligibleFor, gradedMembers, loadPresence } from './presence.ts';
import type { MeetingInfo } from './views.ts';

/**
 * The life of a round: draft → open → closed (sealed), never back. Each function runs in its own
 * transaction and returns the event's seq for the hub (null when nothing changed).
 */

async function lockRound(db: Db, meetingId: string, roundId: string) {
  const round = await db
    .selectFrom('rounds')
    .selectAll()
    .where('id', '=', roundId)
    .where('meeting_id', '=', meetingId)
    .forUpdate()
    .executeTakeFirst();
  if (!round) throw notFound();
  return round;
}

export async function createRound(
  db: Kysely<DB>,
  meeting: MeetingInfo,
  input: { title: string; config: RoundConfig },
  accountId: string,
  audit?: AuditInTransaction,
): Promise<{ id: string; seq: number }> {
  return db.transaction().execute(async (trx) => {
    const { config } = input;
    let instrument: { id: string; version: number } | undefined;
    if (config.kind === 'survey') {
      if (config.instrumentId) {
        const chosen = await instrumentById(trx, config.instrumentId);
        if (!chosen || !usableBy(chosen, meeting.ancestry))
          throw badRequest('instrument.notFound', { 'config.instrumentId': 'invalidOption' });
        instrument = chosen;
      } else instrument = await effectiveInstrument(trx, meeting.ancestry);
    }
    if (config.kind === 'criticism') {
      const invited = await trx
        .selectFrom('meeting_invitees')
        .select('member_id')
        .where('meeting_id', '=', meeting.id)
        .where('member_id', 'in', config.subjectMemberIds)
        .execute();
      const ids = new Set(invited.map((i) => i.member_id));
      const fields: Record<string, string> = {};
      config.subjectMemberIds.forEach((id, i) => {
        if (!ids.has(id)) fields[`config.subjectMemberIds.${i}`] = 'invalidOption';
      });
      if (Object.keys(fields).length > 0) throw badRequest('criticism.subjectNotInvited', fields);
    }
    const last = await trx
      .selectFrom('rounds')
      .select((eb) => eb.fn.max('position').as('position'))
      .where('meeting_id', '=', meeting.id)
      .executeTakeFirst();
    const round = await trx
      .insertInto('rounds')
      .values({
        meeting_id: meeting.id,
        kind: config.kind,
        title: input.title,
        position: (last?.position ?? 0) + 1,
        // Criticism is anonymous unless the host names it; every ballot round is anonymous.
        anonymous: config.kind === 'criticism' ? !config.named : true,
        config: JSON.stringify(config satisfies StoredRoundConfig),
        instrument_id: instrument?.id ?? null,
        instrument_version: instrument?.version ?? null,
        created_by: accountId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (config.kind === 'criticism')
      await trx
        .insertInto('criticism_subjects')
        .values(
          config.subjectMemberIds.map((memberId, i) => ({
            round_id: round.id,
            member_id: memberId,
            position: i + 1,
          })),
        )
        .execute();
    await audit?.(trx, { roundId: round.id });
    return { id: round.id, seq: await recordEvent(trx, meeting.id, 'round', round.id) };
  });
}

/** Only a draft can be deleted; an opened round is part of the meeting's record. */
export async function deleteRound(
  db: Kysely<DB>,
  meetingId: string,
  roundId: string,
  audit?: AuditInTransaction,
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const round = await lockRound(trx, meetingId, roundId);
    if (round.state !== 'draft') throw conflict('round.notDraft');
    await trx.deleteFrom('rounds').where('id', '=', roundId).execute();
    await audit?.(trx);
    return recordEvent(trx, meetingId, 'roundRemoved', roundId);
  });
}

export async function openRound(
  db: Kysely<DB>,
  meeting: MeetingInfo,
  roundId: string,
  audit?: AuditInTransaction,
): Promise<number | null> {
  return db.transaction().execute(async (trx) => {
    const session = await trx
      .selectFrom('live_sessions')
      .select('open')
      .where('meeting_id', '=', meeting.id)
      .executeTakeFirst();
    const round = await lockRound(trx, meeting.id, roundId);
    if (round.state === 'closed') throw conflict('round.cannotReopen');
    if (round.state === 'open') return null;
    if (!session?.open) throw conflict('live.notOpen');
    let config: StoredRoundConfig = round.config;
    if (config.kind === 'appraisal') {
      // Frozen now: every ballot of this round grades exactly this list.
      const graded = await gradedMembers(trx, meeting.id);
      if (graded.length === 0) throw conflict('appraisal.noGradedMembers');
      config = { ...config, graded };
    }
    await trx
      .updateTable('rounds')
      .set({ state: 'open', opened_at: new Date(), config: JSON.stringify(config) })
      .where('id', '=', roundId)
      .execute();
    await audit?.(trx);
    return recordEvent(trx, meeting.id, 'round', roundId);
  });
}

/**
 * Closes and seals a round in one transaction: the round is marked closed, then its ballots (and
 * criticism items, whose author secrets and client-id hashes are erased) are deleted and inserted
 * again in random order. Afterwards every sealed row carries this transaction's id as xmin, their
 * physical order is a random permutation, and no participation row shares their xmin. VACUUM then
 * removes the dead pre-seal versions. A closed round can never reopen.
 */
export async function closeRound(
  db: Kysely<DB>,
  meetingId: string,
  roundId: string,
  audit?: AuditInTransaction,
): Promise<number | null> {
  const seq = await db.transaction().execute(async (trx) => {
    const round = await lockRound(trx, meetingId, roundId);
    if (round.state === 'closed') return null;
    if (round.state === 'draft') throw conflict('round.notOpen');
    const now = new Date();
    const eligibleAtClose =
      round.kind === 'criticism' ? null : eligibleFor(round.kind, await loadPresence(trx, meetingId)).length;
    await trx
      .updateTable('rounds')
      .set({ state: 'closed', closed_at: now, sealed_at: now, eligible_at_close: eligibleAtClose })
      .where('id', '=', roundId)
      .execute();
    await sql`
      with sealed as (delete from ballots where round_id = ${roundId} returning id, round_id, content, receipt)
      insert into ballots (id, round_id, content, receipt)
      select id, round_id, content, receipt from sealed order by random()
    `.execute(trx);
    if (round.kind === 'criticism') {
      // Items still held back for a batch reach the record (and the host) now that nobody is writing.
      await trx
        .updateTable('criticism_items')
        .set({ released: true })
        .where('round_id', '=', roundId)
        .where('status', '=', 'pending')
        .execute();
      await sql`
        with sealed as (delete from criticism_items where round_id = ${roundId} returning *)
        insert into criticism_items (id, round_id, subject_id, text, concrete, status, released, reveal_position,
          author_key_hash, client_hash, author_member_id, author_observer_id)
        select id, round_id, subject_id, text, concrete, status, released, reveal_position,
          null, null, author_member_id, author_observer_id
        from sealed order by random()
      `.execute(trx);
    }
    await qualityOnRoundClosed(trx, meetingId, round);
    await audit?.(trx);
    return recordEvent(trx, meetingId, 'round', roundId);
  });
  if (seq !== null) await vacuumSealed(db);
  return seq;
}

/**
 * VACUUM cannot remove versions an older snapshot might still see; if a concurrent query held one,
 * try again shortly. (Outside any transaction: VACUUM refuses to run inside one.)
 */
export async function vacuumSealed(db: Kysely<DB>) {
  for (const delayMs of [0, 250, 1000]) {
    if (delayMs) await new Promise((resolve) => setTimeout(resolve, delayMs));
    // TRUNCATE false: giving the file's empty tail back to the OS needs an exclusive lock, which
    // VACUUM waits up to 5 s for while other meetings are writing ballots — every close would stall.
    // The dead versions are removed either way; only empty pages stay allocated for reuse.
    await sql`vacuum (truncate false) ballots, criticism_items`.execute(db);
    const dead = await sql<{ dead: number }>`
      select coalesce(sum(n_dead_tup), 0)::int as dead from pg_stat_user_tables
      where relname in ('ballots', 'criticism_items') and schemaname = current_schema()
    `.execute(db);
    if ((dead.rows[0]?.dead ?? 0) === 0) return;
  }
}

/** Shows a closed survey's or poll's results on the projector and phones. */
export async function revealRound(
  db: Kysely<DB>,
  meetingId: string,
  roundId: string,
  audit?: AuditInTransaction,
): Promise<number | null> {
  return db.transaction().execute(async (trx) => {
    const round = await lockRound(trx, meetingId, roundId);
    if (round.kind !== 'survey' && round.kind !== 'poll') throw conflict('round.revealNotAllowed');
    if (round.state !== 'closed') throw conflict('round.notClosed');
    if (round.revealed_at) return null;
    await trx.updateTable('rounds').set({ revealed_at: new Date() }).where('id', '=', roundId).execute();
    await audit?.(trx);
    return recordEvent(trx, meetingId, 'round', roundId);
  });
}
