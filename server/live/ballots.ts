import type { FastifyBaseLogger } from 'fastify';
import type { Kysely, Transaction } from 'kysely';
import { checkBallot } from '../../shared/domain/ballot-rules.ts';
import type { BallotAnswers } from '../../shared/schemas/rounds.ts';
import type { DB } from '../db/schema.ts';
import { AppError } from '../http/errors.ts';
import { wsError } from './errors.ts';
import { GroupCommit } from './group-commit.ts';
import { instrumentById } from './instruments.ts';
import { loadPresence, mayVote, type ParticipantRef, type Presence } from './presence.ts';
import { safeError } from './safe-log.ts';

export interface BallotSubmission {
  meetingId: string;
  participant: ParticipantRef;
  clientId: string;
  roundId: string;
  receipt: string;
  answers: BallotAnswers;
}

export type SubmissionOutcome = { ok: true; duplicate: boolean } | { ok: false; error: AppError };

/** How long the first ballot of a batch waits for company, and the largest batch. */
const batchWindowMs = 3;
const maxBatch = 200;

/**
 * Group commit for ballots: submissions arriving within a few milliseconds are written in one
 * transaction (participation and ballot rows together, so neither exists without the other), and
 * each is acknowledged only after that commit. Eligibility, duplicates and completeness are decided
 * per submission before writing, so one bad ballot never fails the others; if the transaction
 * fails anyway, the batch is retried one by one to isolate the culprit.
 */
export class BallotWriter {
  private readonly batches = new GroupCommit<BallotSubmission, SubmissionOutcome>(
    (batch) => this.write(batch),
    {
      windowMs: batchWindowMs,
      maxBatch,
    },
  );

  constructor(
    private readonly db: Kysely<DB>,
    private readonly onCommitted: (meetingIds: ReadonlySet<string>) => void,
    private readonly log: FastifyBaseLogger,
  ) {}

  submit(submission: BallotSubmission): Promise<SubmissionOutcome> {
    return this.batches.submit(submission);
  }

  /** Waits until everything submitted so far has been written (or refused). */
  drain() {
    return this.batches.drain();
  }

  private async write(batch: BallotSubmission[]): Promise<SubmissionOutcome[]> {
    let outcomes: SubmissionOutcome[];
    try {
      outcomes = await this.db.transaction().execute((trx) => writeBatch(trx, batch));
    } catch (err) {
      if (batch.length > 1) {
        outcomes = [];
        for (const submission of batch) outcomes.push(...(await this.write([submission])));
        return outcomes;
      }
      this.log.error({ err: safeError(err) }, 'ballot write failed');
      outcomes = [{ ok: false, error: new AppError('internal', 500) }];
    }
    const committed = new Set<string>();
    batch.forEach((submission, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok && !outcome.duplicate) committed.add(submission.meetingId);
    });
    if (committed.size > 0) this.onCommitted(committed);
    return outcomes;
  }
}

const participantKey = (roundId: string, p: ParticipantRef) => `${roundId}:${p.kind}:${p.id}`;

async function writeBatch(trx: Transaction<DB>, batch: BallotSubmission[]): Promise<SubmissionOutcome[]> {
  const roundIds = [...new Set(batch.map((s) => s.roundId))].sort();
  // FOR SHARE: a close (which updates the round row) waits for this batch, and this batch waits for
  // a close in progress and then sees the round closed — no ballot can slip in beside a sealed round.
  const rounds = new Map(
    (
      await trx
        .selectFrom('rounds')
        .select(['id', 'meeting_id', 'kind', 'state', 'config', 'instrument_id'])
        .where('id', 'in', roundIds)
        .orderBy('id')
        .forShare()
        .execute()
    ).map((r) => [r.id, r]),
  );
  const presence = new Map<string, Presence>();
  for (const meetingId of new Set(batch.map((s) => s.meetingId)))
    presence.set(
      meetingId,
      await loadPresence(
        trx,
        meetingId,
        batch.filter((s) => s.meetingId === meetingId).map((s) => s.participant),
      ),
    );
  const existing = await trx
    .selectFrom('round_participations')
    .select(['round_id', 'participant_kind', 'participant_id', 'client_id'])
    .where('round_id', 'in', roundIds)
    .where((eb) =>
      eb.or([
        eb(
          'client_id',
          'in',
          batch.map((s) => s.clientId),
        ),
        eb(
          'participant_id',
          'in',
          batch.map((s) => s.participant.id),
        ),
      ]),
    )
    .execute();
  const byClient = new Map(existing.map((p) => [`${p.round_id}:${p.client_id}`, p]));
  const voted = new Set(
    existing.map((p) => participantKey(p.round_id, { kind: p.participant_kind, id: p.participant_id })),
  );

  const outcomes: SubmissionOutcome[] = [];
  const accepted: number[] = [];
  const acceptedClients = new Map<string, BallotSubmission>();
  for (const [i, s] of batch.entries()) {
    const decide = async (): Promise<SubmissionOutcome | 'accept'> => {
      const round = rounds.get(s.roundId);
      if (!round || round.meeting_id !== s.meetingId) return { ok: false, error: wsError('round.notFound') };
      const prior = byClient.get(`${s.roundId}:${s.clientId}`);
      const inBatch = acceptedClients.get(`${s.roundId}:${s.clientId}`);
      const sameParticipant = (kind: string, id: string) =>
        kind === s.participant.kind && id === s.participant.id;
      if (prior)
        return sameParticipant(prior.participant_kind, prior.participant_id)
          ? { ok: true, duplicate: true }
          : { ok: false, error: wsError('live.clientIdReused') };
      if (inBatch)
        return sameParticipant(inBatch.participant.kind, inBatch.participant.id)
          ? { ok: true, duplicate: true }
          : { ok: false, error: wsError('live.clientIdReused') };
      if (round.state === 'draft') return { ok: false, error: wsError('round.notOpen') };
      if (round.state === 'closed') return { ok: false, error: wsError('round.closed') };
      if (round.kind === 'criticism') return { ok: false, error: wsError('ballot.wrongKind') };
      if (round.kind === 'appraisal' && s.participant.kind === 'observer')
        return { ok: false, error: wsError('ballot.observerCannotVote') };
      if (!mayVote(round.kind, s.participant, presence.get(s.meetingId)!))
        return { ok: false, error: wsError('live.notPresent') };
      if (voted.has(participantKey(s.roundId, s.participant)))
        return { ok: false, error: wsError('ballot.alreadyCast') };
      const instrument = round.instrument_id ? await instrumentById(trx, round.instrument_id) : undefined;
      const problem = checkBallot(round.config, instrument?.definition, s.answers);
      if (problem) return { ok: false, error: wsError(problem.code, problem.fields) };
      return 'accept';
    };
    const outcome = await decide();
    if (outcome === 'accept') {
      accepted.push(i);
      acceptedClients.set(`${s.roundId}:${s.clientId}`, s);
      voted.add(participantKey(s.roundId, s.participant));
      outcomes.push({ ok: true, duplicate: false });
    } else outcomes.push(outcome);
  }
  if (accepted.length === 0) return outcomes;

  // Another node may have written the same participant meanwhile: ON CONFLICT tells us which rows
  // are really ours, and only those get a ballot.
  const inserted = await trx
    .insertInto('round_participations')
    .values(
      accepted.map((i) => {
        const s = batch[i]!;
        return {
          round_id: s.roundId,
          participant_kind: s.participant.kind,
          participant_id: s.participant.id,
          client_id: s.clientId,
        };
      }),
    )
    .onConflict((oc) => oc.doNothing())
    .returning(['client_id', 'round_id'])
    .execute();
  const mine = new Set(inserted.map((r) => `${r.round_id}:${r.client_id}`));
  const lost = accepted.filter((i) => !mine.has(`${batch[i]!.roundId}:${batch[i]!.clientId}`));
  if (lost.length > 0) {
    const rows = await trx
      .selectFrom('round_participations')
      .select(['round_id', 'participant_kind', 'participant_id', 'client_id'])
      .where('round_id', 'in', roundIds)
      .where(
        'client_id',
        'in',
        lost.map((i) => batch[i]!.clientId),
      )
      .execute();
    for (const i of lost) {
      const s = batch[i]!;
      const row = rows.find((r) => r.round_id === s.roundId && r.client_id === s.clientId);
      outcomes[i] =
        row && row.participant_kind === s.participant.kind && row.participant_id === s.participant.id
          ? { ok: true, duplicate: true }
          : { ok: false, error: wsError(row ? 'live.clientIdReused' : 'ballot.alreadyCast') };
    }
  }
  const ballots = accepted.filter((i) => mine.has(`${batch[i]!.roundId}:${batch[i]!.clientId}`));
  if (ballots.length > 0) {
    await trx
      .insertInto('ballots')
      .values(
        shuffle(ballots).map((i) => ({
          round_id: batch[i]!.roundId,
          content: JSON.stringify(batch[i]!.answers),
          receipt: batch[i]!.receipt,
        })),
      )
      .execute();
  }
  return outcomes;
}

/** Fisher–Yates; the batch's ballots are written in an order unrelated to arrival. */
function shuffle<T>(items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
