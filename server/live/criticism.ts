import { randomInt } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { z } from 'zod';
import type { IssueSource, ProblemCategory, ProblemOrigin } from '../../shared/domain/enums.ts';
import { type CriticismPhase, criticismPhases, type ownItemView } from '../../shared/schemas/live.ts';
import type { AuditInTransaction } from '../audit/audit-log.ts';
import { hashToken } from '../auth/secrets.ts';
import type { DB, Db } from '../db/schema.ts';
import { conflict, notFound } from '../http/errors.ts';
import { fingerprintSelfExamination } from '../quality/originality.ts';
import { createProblem, createRectificationItem } from '../rectification/records.ts';
import { wsError } from './errors.ts';
import { recordEvent } from './events.ts';
import { loadPresence, mayCriticise, type ParticipantRef } from './presence.ts';
import type { MeetingInfo } from './views.ts';

/**
 * The criticism and self-criticism round (批评与自我批评): per subject, self-examination → criticism
 * from the others → reveal → the subject's response (表态). Anonymous items are stored without an
 * author; the author's device proves authorship with a secret whose hash is kept until the round is
 * sealed. The moderator never sees an item as it arrives: items are released to the queue in
 * batches (see moderationBatch), so the moment someone presses send tells nobody anything.
 */

/** New items are released to the host's queue once this many have accumulated in the round. */
export const moderationBatch = 3;

const phaseIndex = (phase: CriticismPhase) => criticismPhases.indexOf(phase);
/** Until its subject reaches `reveal`, an item may be written, edited or withdrawn. */
const writable = (phase: CriticismPhase) => phaseIndex(phase) < phaseIndex('reveal');

export interface Submitted {
  duplicate: boolean;
  /** The event to announce, when the submission changed something others see. */
  seq: number | null;
  itemId?: string;
}

async function lockCriticismRound(trx: Db, meetingId: string, roundId: string, forParticipant: boolean) {
  const round = await trx
    .selectFrom('rounds')
    .select(['id', 'kind', 'state', 'config', 'anonymous'])
    .where('id', '=', roundId)
    .where('meeting_id', '=', meetingId)
    .forUpdate()
    .executeTakeFirst();
  if (!round) throw forParticipant ? wsError('round.notFound') : notFound();
  if (round.kind !== 'criticism')
    throw forParticipant ? wsError('round.wrongKind') : conflict('round.wrongKind');
  return round;
}

function assertOpen(state: string, forParticipant: boolean) {
  if (state === 'open') return;
  const code = state === 'draft' ? 'round.notOpen' : 'round.closed';
  throw forParticipant ? wsError(code) : conflict(code);
}

async function subjectOf(trx: Db, roundId: string, subjectId: string, forParticipant: boolean) {
  const subject = await trx
    .selectFrom('criticism_subjects')
    .selectAll()
    .where('id', '=', subjectId)
    .where('round_id', '=', roundId)
    .executeTakeFirst();
  if (!subject) throw forParticipant ? wsError('criticism.subjectNotFound') : notFound();
  return subject;
}

/** Releases accumulated pending items to the moderation queue; returns how many. */
async function release(trx: Db, roundId: string, force: { subjectId: string } | null): Promise<number> {
  let pending = trx
    .selectFrom('criticism_items')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('round_id', '=', roundId)
    .where('released', '=', false)
    .where('status', '=', 'pending');
  if (force) pending = pending.where('subject_id', '=', force.subjectId);
  const { n } = await pending.executeTakeFirstOrThrow();
  if (n === 0 || (!force && n < moderationBatch)) return 0;
  let update = trx
    .updateTable('criticism_items')
    .set({ released: true })
    .where('round_id', '=', roundId)
    .where('released', '=', false)
    .where('status', '=', 'pending');
  if (force) update = update.where('subject_id', '=', force.subjectId);
  await update.execute();
  return n;
}

export async function submitCriticism(
  db: Kysely<DB>,
  meetingId: string,
  participant: ParticipantRef,
  input: {
    clientId: string;
    roundId: string;
    subjectId: string;
    text: string;
    concrete: boolean;
    authorKey: string;
  },
): Promise<Submitted> {
  return db.transaction().execute(async (trx) => {
    const round = await lockCriticismRound(trx, meetingId, input.roundId, true);
    const clientHash = hashToken(input.clientId);
    const prior = await trx
      .selectFrom('criticism_items')
      .select('id')
      .where('round_id', '=', round.id)
      .where('client_hash', '=', clientHash)
      .executeTakeFirst();
    if (prior) return { duplicate: true, seq: null, itemId: prior.id };
    assertOpen(round.state, true);
    if (!mayCriticise(participant, await loadPresence(trx, meetingId))) throw wsError('live.notPresent');
    const subject = await subjectOf(trx, round.id, input.subjectId, true);
    if (!writable(subject.phase)) throw wsError('criticism.locked');
    if (participant.kind === 'member' && subject.member_id === participant.id)
      throw wsError('criticism.selfCriticism');
    const named = !round.anonymous;
    const item = await trx
      .insertInto('criticism_items')
      .values({
        round_id: round.id,
        subject_id: subject.id,
        text: input.text,
        concrete: input.concrete,
        author_key_hash: hashToken(input.authorKey),
        client_hash: clientHash,
        // Only a round the host declared named remembers who wrote what.
        author_member_id: named && participant.kind === 'member' ? participant.id : null,
        author_observer_id: named && participant.kind === 'observer' ? participant.id : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const released = await release(trx, round.id, null);
    return {
      duplicate: false,
      itemId: item.id,
      seq: released > 0 ? await recordEvent(trx, meetingId, 'round', round.id) : null,
    };
  });
}

/** The item, its round locked, once the author has proven it holds the item's secret. */
async function authorsItem(trx: Transaction<DB>, meetingId: string, itemId: string, authorKey: string) {
  const located = await trx
    .selectFrom('criticism_items as i')
    .innerJoin('rounds as r', 'r.id', 'i.round_id')
    .select('i.round_id')
    .where('i.id', '=', itemId)
    .where('r.meeting_id', '=', meetingId)
    .executeTakeFirst();
  // Unknown item and someone else's item are one answer: ids reveal nothing.
  if (!located) throw wsError('criticism.notYours');
  const round = await lockCriticismRound(trx, meetingId, located.round_id, true);
  const item = await trx
    .selectFrom('criticism_items as i')
    .innerJoin('criticism_subjects as s', 's.id', 'i.subject_id')
    .select(['i.id', 'i.status', 'i.author_key_hash', 'i.client_hash', 's.phase'])
    .where('i.id', '=', itemId)
    .executeTakeFirstOrThrow();
  if (item.author_key_hash === null || item.author_key_hash !== hashToken(authorKey))
    throw wsError(round.state === 'closed' ? 'round.closed' : 'criticism.notYours');
  return { round, item };
}

/** Rewriting puts the item back in the queue as pending; it reappears to the host with a later batch. */
export async function editCriticism(
  db: Kysely<DB>,
  meetingId: string,
  input: { clientId: string; itemId: string; authorKey: string; text: string; concrete: boolean },
): Promise<Submitted> {
  return db.transaction().execute(async (trx) => {
    const { round, item } = await authorsItem(trx, meetingId, input.itemId, input.authorKey);
    const clientHash = hashToken(input.clientId);
    if (item.client_hash === clientHash) return { duplicate: true, seq: null };
    assertOpen(round.state, true);
    if (!writable(item.phase)) throw wsError('criticism.locked');
    if (item.status === 'withdrawn') throw wsError('criticism.withdrawn');
    if (item.status === 'rejected') throw wsError('criticism.rejected');
    await trx
      .updateTable('criticism_items')
      .set({
        text: input.text,
        concrete: input.concrete,
        status: 'pending',
        released: false,
        client_hash: clientHash,
      })
      .where('id', '=', item.id)
      .execute();
    const released = await release(trx, round.id, null);
    return {
      duplicate: false,
      seq: released > 0 ? await recordEvent(trx, meetingId, 'round', round.id) : null,
    };
  });
}

export async function withdrawCriticism(
  db: Kysely<DB>,
  meetingId: string,
  input: { clientId: string; itemId: string; authorKey: string },
): Promise<Submitted> {
  return db.transaction().execute(async (trx) => {
    const { round, item } = await authorsItem(trx, meetingId, input.itemId, input.authorKey);
    const clientHash = hashToken(input.clientId);
    if (item.client_hash === clientHash) return { duplicate: true, seq: null };
    assertOpen(round.state, true);
    if (!writable(item.phase)) throw wsError('criticism.locked');
    if (item.status === 'withdrawn') return { duplicate: true, seq: null };
    // No event: the host's queue loses the item with the next batch, not at the moment of withdrawal.
    await trx
      .updateTable('criticism_items')
      .set({ status: 'withdrawn', client_hash: clientHash })
      .where('id', '=', item.id)
      .execute();
    return { duplicate: false, seq: null };
  });
}

/** The subject's own written self-examination (自我剖析); named, so it is shown as it arrives. */
export async function submitSelfExamination(
  db: Kysely<DB>,
  meetingId: string,
  participant: ParticipantRef,
  input: { clientId: string; roundId: string; subjectId: string; text: string },
): Promise<Submitted> {
  return writeSubjectText(db, meetingId, participant, input, 'selfExamination');
}

/** The subject's response (表态) after the criticisms were revealed. */
export async function submitResponse(
  db: Kysely<DB>,
  meetingId: string,
  participant: ParticipantRef,
  input: { clientId: string; roundId: string; subjectId: string; text: string },
): Promise<Submitted> {
  return writeSubjectText(db, meetingId, participant, input, 'response');
}

async function writeSubjectText(
  db: Kysely<DB>,
  meetingId: string,
  participant: ParticipantRef,
  input: { clientId: string; roundId: string; subjectId: string; text: string },
  what: 'selfExamination' | 'response',
): Promise<Submitted> {
  return db.transaction().execute(async (trx) => {
    const round = await lockCriticismRound(trx, meetingId, input.roundId, true);
    const subject = await subjectOf(trx, round.id, input.subjectId, true);
    if (participant.kind !== 'member' || subject.member_id !== participant.id)
      throw wsError('criticism.notSubject');
    const prior =
      what === 'selfExamination' ? subject.self_examination_client_id : subject.response_client_id;
    if (prior === input.clientId) return { duplicate: true, seq: null };
    assertOpen(round.state, true);
    const allowed: CriticismPhase[] =
      what === 'selfExamination' ? ['waiting', 'selfExamination'] : ['reveal', 'response'];
    if (!allowed.includes(subject.phase)) throw wsError('criticism.wrongPhase');
    await trx
      .updateTable('criticism_subjects')
      .set(
        what === 'selfExamination'
          ? {
              self_examination_mode: 'written',
              self_examination: input.text,
              self_examination_client_id: input.clientId,
            }
          : { response: input.text, response_client_id: input.clientId },
      )
      .where('id', '=', subject.id)
      .execute();
    if (what === 'selfExamination') await fingerprintSelfExamination(trx, subject.id);
    return { duplicate: false, seq: await recordEvent(trx, meetingId, 'round', round.id) };
  });
}

/** How the author's own items stand; items whose secret does not match are silently left out. */
export async function ownItems(
  db: Kysely<DB>,
  meetingId: string,
  claims: ReadonlyArray<{ itemId: string; authorKey: string }>,
): Promise<Array<z.infer<typeof ownItemView>>> {
  const rows = await db
    .selectFrom('criticism_items as i')
    .innerJoin('rounds as r', 'r.id', 'i.round_id')
    .innerJoin('criticism_subjects as s', 's.id', 'i.subject_id')
    .select([
      'i.id',
      'i.round_id',
      'i.subject_id',
      'i.text',
      'i.concrete',
      'i.status',
      'i.reveal_position',
      'i.author_key_hash',
      'r.state',
      's.phase',
    ])
    .where('r.meeting_id', '=', meetingId)
    .where(
      'i.id',
      'in',
      claims.map((c) => c.itemId),
    )
    .execute();
  const keyOf = new Map(claims.map((c) => [c.itemId, hashToken(c.authorKey)]));
  return rows
    .filter((r) => r.author_key_hash !== null && r.author_key_hash === keyOf.get(r.id))
    .map((r) => ({
      id: r.id,
      roundId: r.round_id,
      subjectId: r.subject_id,
      text: r.text,
      concrete: r.concrete,
      status: r.status,
      revealed: r.reveal_position !== null,
      editable:
        r.state === 'open' && writable(r.phase) && r.status !== 'withdrawn' && r.status !== 'rejected',
    }));
}

// --- the host's side ---------------------------------------------------------------------------

/** Moves a subject forward (never back: going back past reveal would reopen revealed items). */
export async function setPhase(
  db: Kysely<DB>,
  meetingId: string,
  roundId: string,
  subjectId: string,
  phase: CriticismPhase,
  audit?: AuditInTransaction,
): Promise<number | null> {
  return db.transaction().execute(async (trx) => {
    const round = await lockCriticismRound(trx, meetingId, roundId, false);
    assertOpen(round.state, false);
    const subject = await subjectOf(trx, round.id, subjectId, false);
    if (phase === subject.phase) return null;
    if (phaseIndex(phase) < phaseIndex(subject.phase)) throw conflict('criticism.phaseBackwards');
    await trx.updateTable('criticism_subjects').set({ phase }).where('id', '=', subject.id).execute();
    // Ending the criticism phase releases what is still held back, however few.
    if (writable(subject.phase) && !writable(phase)) await release(trx, round.id, { subjectId: subject.id });
    await audit?.(trx);
    return recordEvent(trx, meetingId, 'round', round.id);
  });
}

/** The recorder's summary when the subject gave the self-examination orally (口头). */
export async function recordOralSelfExamination(
  db: Kysely<DB>,
  meetingId: string,
  roundId: string,
  subjectId: string,
  summary: string,
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const round = await lockCriticismRound(trx, meetingId, roundId, false);
    assertOpen(round.state, false);
    const subject = await subjectOf(trx, round.id, subjectId, false);
    await trx
      .updateTable('criticism_subjects')
      .set({ self_examination_mode: 'oral', self_examination: summary, self_examination_client_id: null })
      .where('id', '=', subject.id)
      .execute();
    await fingerprintSelfExamination(trx, subject.id);
    return recordEvent(trx, meetingId, 'round', round.id);
  });
}

const moderationStatus = { approve: 'approved', return: 'returned', reject: 'rejected' } as const;

export async function moderate(
  db: Kysely<DB>,
  meetingId: string,
  roundId: string,
  itemId: string,
  action: keyof typeof moderationStatus,
  audit?: AuditInTransaction,
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const round = await lockCriticismRound(trx, meetingId, roundId, false);
    assertOpen(round.state, false);
    const item = await trx
      .selectFrom('criticism_items')
      .select(['id', 'status', 'released', 'reveal_position'])
      .where('id', '=', itemId)
      .where('round_id', '=', round.id)
      .executeTakeFirst();
    if (!item) throw notFound();
    // Edited or withdrawn by its author since the host last saw it: it returns with a later batch.
    if (!item.released || item.status === 'withdrawn') throw conflict('criticism.notReleased');
    if (item.reveal_position !== null) throw conflict('criticism.alreadyRevealed');
    await trx
      .updateTable('criticism_items')
      .set({ status: moderationStatus[action] })
      .where('id', '=', item.id)
      .execute();
    await audit?.(trx);
    return recordEvent(trx, meetingId, 'round', round.id);
  });
}

/** Reveals a subject's approved items on the projector, one at a time or all, in random order. */
export async function revealItems(
  db: Kysely<DB>,
  meetingId: string,
  roundId: string,
  subjectId: string,
  mode: 'next' | 'all',
  audit?: AuditInTransaction,
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const round = await lockCriticismRound(trx, meetingId, roundId, false);
    assertOpen(round.state, false);
    const subject = await subjectOf(trx, round.id, subjectId, false);
    if (subject.phase !== 'reveal') throw conflict('criticism.wrongPhase');
    const items = await trx
      .selectFrom('criticism_items')
      .select(['id', 'reveal_position', 'status', 'released'])
      .where('subject_id', '=', subject.id)
      .execute();
    const candidates = items.filter(
      (i) => i.reveal_position === null && i.released && i.status === 'approved',
    );
    if (candidates.length === 0) throw conflict('criticism.nothingToReveal');
    let position = Math.max(0, ...items.map((i) => i.reveal_position ?? 0));
    const chosen = mode === 'next' ? [candidates[randomInt(candidates.length)]!] : shuffled(candidates);
    for (const item of chosen)
      await trx
        .updateTable('criticism_items')
        .set({ reveal_position: ++position })
        .where('id', '=', item.id)
        .execute();
    await audit?.(trx);
    return recordEvent(trx, meetingId, 'round', round.id);
  });
}

function shuffled<T>(items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export interface ConversionInput {
  description?: string;
  source?: IssueSource;
  category?: ProblemCategory;
  rectification?: {
    measures: string;
    ownerMemberId?: string;
    dueOn?: string;
    pledge?: string;
    immediateFix?: boolean;
  };
}

async function recordProblem(
  trx: Transaction<DB>,
  meeting: MeetingInfo,
  origin: {
    kind: ProblemOrigin;
    id: string;
    text: string;
    subjectMemberId: string;
    defaultSource: IssueSource;
  },
  input: ConversionInput,
  accountId: string,
) {
  const existing = await trx
    .selectFrom('problems')
    .select('id')
    .where('origin_kind', '=', origin.kind)
    .where('origin_id', '=', origin.id)
    .executeTakeFirst();
  if (existing) throw conflict('criticism.alreadyConverted');
  const problemId = await createProblem(trx, {
    organizationId: meeting.organizationId,
    meetingId: meeting.id,
    scope: 'member',
    subjectMemberId: origin.subjectMemberId,
    description: input.description ?? origin.text,
    source: input.source ?? origin.defaultSource,
    category: input.category ?? null,
    originKind: origin.kind,
    originId: origin.id,
    createdBy: accountId,
  });
  const rectificationItemId = input.rectification
    ? await createRectificationItem(trx, { problemId, ...input.rectification, createdBy: accountId })
    : null;
  return { problemId, rectificationItemId };
}

/** Turns an approved criticism into a problem (查摆问题, source 互相帮 by default) and, optionally, a rectification item. */
export async function convertItem(
  db: Kysely<DB>,
  meeting: MeetingInfo,
  roundId: string,
  itemId: string,
  input: ConversionInput,
  accountId: string,
) {
  return db.transaction().execute(async (trx) => {
    const item = await trx
      .selectFrom('criticism_items as i')
      .innerJoin('rounds as r', 'r.id', 'i.round_id')
      .innerJoin('criticism_subjects as s', 's.id', 'i.subject_id')
      .select(['i.id', 'i.text', 'i.status', 's.member_id'])
      .where('i.id', '=', itemId)
      .where('i.round_id', '=', roundId)
      .where('r.meeting_id', '=', meeting.id)
      .executeTakeFirst();
    if (!item) throw notFound();
    if (item.status !== 'approved') throw conflict('criticism.itemNotApproved');
    const ids = await recordProblem(
      trx,
      meeting,
      {
        kind: 'criticismItem',
        id: item.id,
        text: item.text,
        subjectMemberId: item.member_id,
        defaultSource: 'peers',
      },
      input,
      accountId,
    );
    return { ...ids, seq: await recordEvent(trx, meeting.id, 'round', roundId) };
  });
}

/** Turns a subject's self-examination into a problem (source 自己找 by default). */
export async function convertSelfExamination(
  db: Kysely<DB>,
  meeting: MeetingInfo,
  roundId: string,
  subjectId: string,
  input: ConversionInput,
  accountId: string,
) {
  return db.transaction().execute(async (trx) => {
    const subject = await trx
      .selectFrom('criticism_subjects as s')
      .innerJoin('rounds as r', 'r.id', 's.round_id')
      .select(['s.id', 's.member_id', 's.self_examination'])
      .where('s.id', '=', subjectId)
      .where('s.round_id', '=', roundId)
      .where('r.meeting_id', '=', meeting.id)
      .executeTakeFirst();
    if (!subject) throw notFound();
    if (subject.self_examination === null) throw conflict('criticism.noSelfExamination');
    return recordProblem(
      trx,
      meeting,
      {
        kind: 'selfExamination',
        id: subject.id,
        text: subject.self_examination,
        subjectMemberId: subject.member_id,
        defaultSource: 'self',
      },
      input,
      accountId,
    );
  });
}
