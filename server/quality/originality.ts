import { sql } from 'kysely';
import { shanghaiDate } from '../../shared/domain/calendar.ts';
import {
  flagNearDuplicates,
  lookbackStart,
  minHashSignature,
  NearDuplicateIndex,
  type NearDuplicateMatch,
  SignatureBuckets,
  shingles,
} from '../../shared/quality/originality.ts';
import type { Rubric } from '../../shared/quality/rubric.ts';
import type { CriticismItemStatus } from '../../shared/schemas/live.ts';
import type { textKinds } from '../../shared/schemas/quality.ts';
import type { Db } from '../db/schema.ts';
import { markQualityDirty } from './queue.ts';

/**
 * The originality measure over the database (shared/quality/originality.ts does the arithmetic).
 * Each criticism item and self-examination gets a MinHash signature in text_fingerprints, dated by
 * its meeting's day (never by when it was written, which would tie anonymous text to a moment), and
 * with no author. A meeting's texts are compared with each other and, through LSH buckets built
 * from the branch's stored signatures, with the branch's texts of the look-back window up to the
 * meeting's day; the few candidates that share a bucket are compared exactly.
 */

export type TextKind = (typeof textKinds)[number];

/**
 * Criticism that is part of the record once its round closes: approved items, and items still
 * pending moderation at the close (released to the record then). Rejected, returned-and-never-
 * rewritten and withdrawn items are not.
 */
export const recordedItemStatuses: readonly CriticismItemStatus[] = ['approved', 'pending'];

export interface MeetingText {
  id: string;
  kind: TextKind;
  text: string;
  subjectMemberId: string;
  subjectName: string;
  /** Marked 具体事例 by its author (criticism items; a self-examination has no such mark). */
  concrete: boolean;
}

/** The recorded criticism items and self-examinations of a meeting's closed criticism rounds. */
export async function meetingTexts(db: Db, meetingId: string): Promise<MeetingText[]> {
  const rounds = await db
    .selectFrom('rounds')
    .select('id')
    .where('meeting_id', '=', meetingId)
    .where('kind', '=', 'criticism')
    .where('state', '=', 'closed')
    .orderBy('position')
    .execute();
  return textsOfRounds(
    db,
    rounds.map((r) => r.id),
  );
}

async function textsOfRounds(db: Db, roundIds: readonly string[]): Promise<MeetingText[]> {
  if (roundIds.length === 0) return [];
  const [subjects, items] = await Promise.all([
    db
      .selectFrom('criticism_subjects as s')
      .innerJoin('members as m', 'm.id', 's.member_id')
      .select(['s.id', 's.member_id', 's.self_examination', 'm.full_name'])
      .where('s.round_id', 'in', [...roundIds])
      .orderBy('s.round_id')
      .orderBy('s.position')
      .execute(),
    db
      .selectFrom('criticism_items')
      .select(['id', 'subject_id', 'text', 'concrete'])
      .where('round_id', 'in', [...roundIds])
      .where('status', 'in', [...recordedItemStatuses])
      // Random ids: an order that says nothing about who wrote when.
      .orderBy('id')
      .execute(),
  ]);
  const texts: MeetingText[] = [];
  for (const s of subjects) {
    const subject = { subjectMemberId: s.member_id, subjectName: s.full_name };
    if (s.self_examination !== null)
      texts.push({
        id: s.id,
        kind: 'selfExamination',
        text: s.self_examination,
        concrete: false,
        ...subject,
      });
    for (const item of items.filter((i) => i.subject_id === s.id))
      texts.push({
        id: item.id,
        kind: 'criticismItem',
        text: item.text,
        concrete: item.concrete,
        ...subject,
      });
  }
  return texts;
}

/** PostgreSQL integers are signed: MinHash values (unsigned 32-bit) are stored bit for bit. */
const toStored = (signature: Uint32Array) => Array.from(signature, (v) => v | 0);
const fromStored = (stored: readonly number[]) => Uint32Array.from(stored, (v) => v >>> 0);

async function storeFingerprints(
  db: Db,
  meetingId: string,
  texts: ReadonlyArray<{ kind: TextKind; id: string; text: string }>,
) {
  // Too short to have a 3-gram: nothing that could be copied, and a signature of nothing.
  const rows = texts.filter((t) => shingles(t.text).size > 0);
  if (rows.length === 0) return;
  const meeting = await db
    .selectFrom('meetings')
    .select(['organization_id', 'starts_at'])
    .where('id', '=', meetingId)
    .executeTakeFirstOrThrow();
  const day = shanghaiDate(meeting.starts_at);
  await db
    .insertInto('text_fingerprints')
    .values(
      rows
        .sort((a, b) => a.id.localeCompare(b.id))
        .map((t) => ({
          organization_id: meeting.organization_id,
          meeting_id: meetingId,
          source_kind: t.kind,
          source_id: t.id,
          meeting_day: day,
          signature: toStored(minHashSignature(t.text)),
        })),
    )
    .onConflict((oc) =>
      oc.columns(['source_kind', 'source_id']).doUpdateSet((eb) => ({
        signature: eb.ref('excluded.signature'),
        meeting_day: eb.ref('excluded.meeting_day'),
      })),
    )
    .execute();
}

/** At a criticism round's close: the signatures of everything it put on the record. */
export async function fingerprintRound(db: Db, meetingId: string, roundId: string): Promise<void> {
  await storeFingerprints(db, meetingId, await textsOfRounds(db, [roundId]));
}

/**
 * Closed criticism rounds with recorded text but no signatures (rounds closed before fingerprints
 * were kept, or history loaded from elsewhere), fingerprinted a few at a time by the daily sweep.
 */
export async function backfillFingerprints(db: Db, limit: number): Promise<number> {
  const rounds = await db
    .selectFrom('rounds as r')
    .select(['r.id', 'r.meeting_id'])
    .where('r.kind', '=', 'criticism')
    .where('r.state', '=', 'closed')
    .where(({ exists, or, selectFrom }) =>
      or([
        exists(
          selectFrom('criticism_items as i')
            .leftJoin('text_fingerprints as f', (j) =>
              j.onRef('f.source_id', '=', 'i.id').on('f.source_kind', '=', 'criticismItem'),
            )
            .select('i.id')
            .whereRef('i.round_id', '=', 'r.id')
            .where('i.status', 'in', [...recordedItemStatuses])
            // Shorter texts have no 3-gram and never get a signature; don't revisit them every day.
            .where(sql<number>`char_length(i.text)`, '>=', 3)
            .where('f.id', 'is', null),
        ),
        exists(
          selectFrom('criticism_subjects as s')
            .leftJoin('text_fingerprints as f', (j) =>
              j.onRef('f.source_id', '=', 's.id').on('f.source_kind', '=', 'selfExamination'),
            )
            .select('s.id')
            .whereRef('s.round_id', '=', 'r.id')
            .where(sql<number>`char_length(s.self_examination)`, '>=', 3)
            .where('f.id', 'is', null),
        ),
      ]),
    )
    .limit(limit)
    .execute();
  for (const round of rounds) await fingerprintRound(db, round.meeting_id, round.id);
  return rounds.length;
}

/** When a self-examination is written (or the recorder summarises an oral one). */
export async function fingerprintSelfExamination(db: Db, subjectId: string): Promise<void> {
  const subject = await db
    .selectFrom('criticism_subjects as s')
    .innerJoin('rounds as r', 'r.id', 's.round_id')
    .select(['r.meeting_id', 's.self_examination'])
    .where('s.id', '=', subjectId)
    .executeTakeFirstOrThrow();
  if (subject.self_examination === null) return;
  await storeFingerprints(db, subject.meeting_id, [
    { kind: 'selfExamination', id: subjectId, text: subject.self_examination },
  ]);
}

export interface OriginalityFlag extends NearDuplicateMatch {
  /** The matching text is from the same meeting (both are flagged; nobody can tell who copied). */
  sameMeeting: boolean;
}

export interface Originality {
  /** Per text id: its best near-duplicate, or null when it is original. */
  flags: Map<string, OriginalityFlag | null>;
  /** How many of the branch's earlier texts were in the look-back. */
  compared: number;
}

/** The party branch whose history a meeting is compared with: a party group's is its branch's. */
async function branchOf(db: Db, organizationId: string): Promise<string> {
  const org = await db
    .selectFrom('organizations')
    .select(['kind', 'parent_id'])
    .where('id', '=', organizationId)
    .executeTakeFirstOrThrow();
  return org.kind === 'partyGroup' && org.parent_id ? org.parent_id : organizationId;
}

/**
 * Near-duplicate flags of a meeting's texts under the rubric's threshold and look-back: against
 * each other, and against the branch's texts dated from the look-back's start up to the meeting's
 * day (texts written later never flag an earlier meeting's).
 */
export async function originalityOf(
  db: Db,
  meeting: { id: string; organizationId: string; startsAt: Date },
  texts: readonly MeetingText[],
  rubric: Rubric,
): Promise<Originality> {
  const { nearDuplicateSimilarity: threshold, lookbackYears } = rubric.components.criticism;
  const day = shanghaiDate(meeting.startsAt);
  const notBefore = lookbackStart(day, lookbackYears);
  const branchId = await branchOf(db, meeting.organizationId);
  const history = await db
    .selectFrom('text_fingerprints as f')
    .innerJoin('organizations as o', 'o.id', 'f.organization_id')
    .select(['f.source_kind', 'f.source_id', 'f.meeting_day', 'f.signature'])
    .where(sql<boolean>`o.ancestry @> array[${branchId}]::uuid[]`)
    .where('f.meeting_id', '!=', meeting.id)
    .where('f.meeting_day', '>=', notBefore)
    .where('f.meeting_day', '<=', day)
    .execute();

  const buckets = new SignatureBuckets(threshold);
  const byId = new Map(history.map((h) => [h.source_id, h]));
  for (const h of history) buckets.add(h.source_id, fromStored(h.signature));
  const candidateIds = new Set<string>();
  for (const text of texts)
    for (const id of buckets.candidates(minHashSignature(text.text))) candidateIds.add(id);

  // Only the candidates are read back and compared exactly.
  const candidates = await textsOf(
    db,
    [...candidateIds].map((id) => ({ kind: byId.get(id)!.source_kind, id })),
  );
  const earlier = new NearDuplicateIndex({ threshold });
  for (const c of candidates) earlier.add(c.id, c.text, byId.get(c.id)!.meeting_day);

  const matches = flagNearDuplicates(
    texts.map((t) => ({ id: t.id, text: t.text, date: day })),
    earlier,
    { notBefore },
  );
  const own = new Set(texts.map((t) => t.id));
  const flags = new Map<string, OriginalityFlag | null>();
  for (const [id, match] of matches) flags.set(id, match && { ...match, sameMeeting: own.has(match.id) });
  return { flags, compared: history.length };
}

async function textsOf(
  db: Db,
  refs: ReadonlyArray<{ kind: TextKind; id: string }>,
): Promise<Array<{ id: string; text: string }>> {
  const itemIds = refs.filter((r) => r.kind === 'criticismItem').map((r) => r.id);
  const subjectIds = refs.filter((r) => r.kind === 'selfExamination').map((r) => r.id);
  const [items, subjects] = await Promise.all([
    itemIds.length
      ? db.selectFrom('criticism_items').select(['id', 'text']).where('id', 'in', itemIds).execute()
      : [],
    subjectIds.length
      ? db
          .selectFrom('criticism_subjects')
          .select(['id', 'self_examination as text'])
          .where('id', 'in', subjectIds)
          .where('self_examination', 'is not', null)
          .execute()
      : [],
  ]);
  return [...items, ...subjects.map((s) => ({ id: s.id, text: s.text! }))];
}

/**
 * What a closed round means for the index: its criticism enters the fingerprints, and the meeting
 * is scored again. A quick poll feeds no component.
 */
export async function qualityOnRoundClosed(
  db: Db,
  meetingId: string,
  round: { id: string; kind: string },
): Promise<void> {
  if (round.kind === 'poll') return;
  if (round.kind === 'criticism') await fingerprintRound(db, meetingId, round.id);
  await markQualityDirty(db, meetingId, 'roundClosed');
}
