import type { ExplanationLine } from './explanation.ts';
import { round } from './rounding.ts';

/**
 * Originality of criticism and self-examination text: finds near-duplicates — recycled boilerplate
 * copied between members or from earlier years — with a plain, explainable measure. Two texts are
 * near-duplicates when the Jaccard similarity of their character 3-gram shingles (after
 * normalisation) reaches the threshold (0.8 by default). It never judges wording or sentiment, only
 * copying, and a flag never hides an item: it tells the recorder "92% the same as an item from
 * 2025-12-03".
 *
 * Comparing every new item with years of history pairwise would be quadratic, so an index keeps a
 * MinHash signature per text and buckets bands of it (locality-sensitive hashing): only texts that
 * share a bucket are compared exactly, and the band layout is chosen so that a pair at the
 * threshold shares a bucket with probability ≥ 99.9%.
 *
 * @example
 * const history = new NearDuplicateIndex();
 * history.add('item-1', '对理论学习重视不够，满足于完成规定动作，理论联系实际不够紧密，运用理论指导工作的能力有待提高。', '2025-12-03');
 * history.query('对理论学习重视不够；满足于完成规定动作，理论联系实际不够紧密，运用理论指导实践的能力有待提高').best;
 * // → { id: 'item-1', similarity: 0.822…, date: '2025-12-03' } — "82% the same as an item from 2025-12-03"
 *
 * Short texts are fragile: each changed character alters up to three 3-grams, so a 20-character
 * sentence with two words changed is no longer a near-duplicate. That is intended — the measure
 * is after recycled paragraphs, not shared stock phrases.
 */

/** NFKC (full-width → half-width, compatibility forms), lower case, only letters and digits kept. */
export function normalizeText(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, '');
}

export const shingleSize = 3;

/** The set of character 3-grams of the normalised text (by code point, so CJK is one character). */
export function shingles(text: string): Set<string> {
  const chars = Array.from(normalizeText(text));
  const result = new Set<string>();
  for (let i = 0; i + shingleSize <= chars.length; i++) result.add(chars.slice(i, i + shingleSize).join(''));
  return result;
}

/** |A ∩ B| / |A ∪ B|; two texts without shingles are not similar (there is nothing to copy). */
export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const item of small) if (large.has(item)) shared++;
  return shared / (a.size + b.size - shared);
}

/** MurmurHash3's finaliser: a bijection on 32-bit integers that spreads every input bit. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A fixed-seed generator, so signatures are identical on every machine and can be stored. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** Upper bound on signature length; the band layout uses bands × rows ≤ this many. */
export const permutationBudget = 128;

const hashFamilySeed = 0x6d696e67; // "ming"
const multipliers = new Uint32Array(permutationBudget);
const offsets = new Uint32Array(permutationBudget);
{
  const next = mulberry32(hashFamilySeed);
  for (let i = 0; i < permutationBudget; i++) {
    // An odd multiplier makes x ↦ a·x + b a permutation of the 32-bit integers; fmix32 keeps it one.
    multipliers[i] = next() | 1;
    offsets[i] = next();
  }
}

/** The 32-bit hash of each distinct 3-gram of the normalised text. */
function shingleHashes(normalized: string): Uint32Array {
  const codes = Array.from(normalized, (c) => c.codePointAt(0)!);
  const seen = new Set<number>();
  for (let i = 0; i + shingleSize <= codes.length; i++) {
    seen.add(fmix32(Math.imul(fmix32(Math.imul(fmix32(codes[i]!), 31) + codes[i + 1]!), 31) + codes[i + 2]!));
  }
  return Uint32Array.from(seen);
}

/** Minimum of each of the first `length` hash permutations over the text's shingles. */
export function minHashSignature(text: string, length = permutationBudget): Uint32Array {
  return signatureOf(shingleHashes(normalizeText(text)), length);
}

function signatureOf(hashes: Uint32Array, length: number): Uint32Array {
  const signature = new Uint32Array(length).fill(0xffffffff);
  for (const x of hashes) {
    for (let i = 0; i < length; i++) {
      const v = fmix32((Math.imul(x, multipliers[i]!) + offsets[i]!) | 0);
      if (v < signature[i]!) signature[i] = v;
    }
  }
  return signature;
}

/** Probability that a pair at Jaccard similarity `s` shares at least one band: 1 − (1 − sʳ)ᵇ. */
export function candidateProbability(similarity: number, bands: number, rows: number): number {
  return 1 - (1 - similarity ** rows) ** bands;
}

export interface LshLayout {
  bands: number;
  rows: number;
}

/**
 * The most selective band layout (most rows per band) within the permutation budget that still
 * finds a pair at `threshold` with probability ≥ `minRecall`. For 0.8: 25 bands × 5 rows
 * (99.99% at 0.8, 55% at 0.5, 6% at 0.3).
 */
export function lshLayout(threshold: number, minRecall = 0.999): LshLayout {
  for (let rows = permutationBudget; rows > 1; rows--) {
    const bands = Math.floor(permutationBudget / rows);
    if (candidateProbability(threshold, bands, rows) >= minRecall) return { bands, rows };
  }
  return { bands: permutationBudget, rows: 1 };
}

export interface NearDuplicateMatch {
  id: string;
  /** Exact Jaccard similarity of the shingle sets, 0–1. */
  similarity: number;
  /** ISO date (YYYY-MM-DD) of the matched item, for "92% the same as an item from 2025-12-03". */
  date: string;
}

export interface NearDuplicateQuery {
  /** Texts compared exactly — the index's work, which stays far below its size. */
  candidates: number;
  /** Every match at or above the threshold, most similar first, then earliest. */
  matches: NearDuplicateMatch[];
  best: NearDuplicateMatch | null;
}

/** Most similar first; among equals the earliest, the likelier original. */
function bySimilarityThenDate(a: NearDuplicateMatch, b: NearDuplicateMatch): number {
  return b.similarity - a.similarity || a.date.localeCompare(b.date) || a.id.localeCompare(b.id);
}

interface Entry {
  normalized: string;
  /** Everyone who wrote this exact (normalised) text — boilerplate is stored and compared once. */
  occurrences: Array<{ id: string; date: string }>;
}

export class NearDuplicateIndex {
  readonly threshold: number;
  readonly layout: LshLayout;
  private readonly entries: Entry[] = [];
  private readonly byText = new Map<string, number>();
  private readonly buckets: Array<Map<number, number[]>>;

  constructor(options: { threshold?: number } = {}) {
    this.threshold = options.threshold ?? 0.8;
    this.layout = lshLayout(this.threshold);
    this.buckets = Array.from({ length: this.layout.bands }, () => new Map());
  }

  /** Number of distinct normalised texts held. */
  get size(): number {
    return this.entries.length;
  }

  /** Adds an item; a text too short to have a 3-gram can't be copied meaningfully and is skipped. */
  add(id: string, text: string, date: string): boolean {
    const normalized = normalizeText(text);
    const known = this.byText.get(normalized);
    if (known !== undefined) {
      this.entries[known]!.occurrences.push({ id, date });
      return true;
    }
    const keys = this.bandKeys(normalized);
    if (!keys) return false;
    const index = this.entries.push({ normalized, occurrences: [{ id, date }] }) - 1;
    this.byText.set(normalized, index);
    keys.forEach((key, band) => {
      const bucket = this.buckets[band]!;
      const list = bucket.get(key);
      if (list) list.push(index);
      else bucket.set(key, [index]);
    });
    return true;
  }

  /**
   * Items at or above the threshold, verified by exact Jaccard. `notBefore` (ISO date) limits the
   * look-back, e.g. to the branch's last two years; `excludeId` leaves out the item itself.
   */
  query(text: string, options: { notBefore?: string; excludeId?: string } = {}): NearDuplicateQuery {
    const normalized = normalizeText(text);
    const keys = this.bandKeys(normalized);
    if (!keys) return { candidates: 0, matches: [], best: null };
    const candidates = new Set<number>();
    keys.forEach((key, band) => {
      for (const index of this.buckets[band]!.get(key) ?? []) candidates.add(index);
    });
    const own = shingles(normalized);
    const matches: NearDuplicateMatch[] = [];
    for (const index of candidates) {
      const entry = this.entries[index]!;
      const eligible = entry.occurrences.filter(
        (o) => o.id !== options.excludeId && (options.notBefore === undefined || o.date >= options.notBefore),
      );
      if (eligible.length === 0) continue;
      const similarity = entry.normalized === normalized ? 1 : jaccard(own, shingles(entry.normalized));
      if (similarity >= this.threshold)
        for (const o of eligible) matches.push({ id: o.id, similarity, date: o.date });
    }
    matches.sort(bySimilarityThenDate);
    return { candidates: candidates.size, matches, best: matches[0] ?? null };
  }

  private bandKeys(normalized: string): number[] | null {
    const hashes = shingleHashes(normalized);
    if (hashes.length === 0) return null;
    const { bands, rows } = this.layout;
    return lshBandKeys(signatureOf(hashes, bands * rows), this.layout);
  }
}

/**
 * The bucket key of each band of a MinHash signature (at least bands × rows long: a stored
 * full-length signature serves every layout, since its first values are the shorter signature).
 */
export function lshBandKeys(signature: ArrayLike<number>, layout: LshLayout): number[] {
  const { bands, rows } = layout;
  if (signature.length < bands * rows) throw new Error('signature shorter than the band layout');
  return Array.from({ length: bands }, (_, band) => {
    let key = fmix32(band + 1);
    for (let r = 0; r < rows; r++) key = fmix32((key ^ signature[band * rows + r]!) + r);
    return key;
  });
}

/**
 * LSH buckets over stored signatures (text_fingerprints), for a branch's years of text without
 * re-reading it: `candidates` names the few stored texts that share a band with a new one, which the
 * caller then compares exactly (NearDuplicateIndex over just those texts), so every reported match
 * is still exact.
 *
 * @example
 * const buckets = new SignatureBuckets(0.8);
 * for (const row of history) buckets.add(row.sourceId, row.signature);
 * buckets.candidates(minHashSignature(text)); // Set { 'item-17' }
 */
export class SignatureBuckets {
  readonly layout: LshLayout;
  private readonly buckets: Array<Map<number, string[]>>;

  constructor(threshold: number) {
    this.layout = lshLayout(threshold);
    this.buckets = Array.from({ length: this.layout.bands }, () => new Map());
  }

  add(id: string, signature: ArrayLike<number>) {
    lshBandKeys(signature, this.layout).forEach((key, band) => {
      const bucket = this.buckets[band]!;
      const list = bucket.get(key);
      if (list) list.push(id);
      else bucket.set(key, [id]);
    });
  }

  candidates(signature: ArrayLike<number>): Set<string> {
    const found = new Set<string>();
    lshBandKeys(signature, this.layout).forEach((key, band) => {
      for (const id of this.buckets[band]!.get(key) ?? []) found.add(id);
    });
    return found;
  }
}

/**
 * First day of the look-back window ending at `date` (ISO): the same calendar day `years` earlier,
 * 29 February falling back to the 28th.
 *
 * @example
 * lookbackStart('2026-11-26', 2); // '2024-11-26' — compare with the branch's last two years
 */
export function lookbackStart(date: string, years: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const start = new Date(Date.UTC(year - years, month - 1, day));
  // Date.UTC rolls 29 February into March in a common year; step back to the month's last day.
  if (start.getUTCMonth() !== month - 1) start.setUTCDate(0);
  return start.toISOString().slice(0, 10);
}

export interface TextItem {
  id: string;
  text: string;
  /** ISO date (YYYY-MM-DD) of the meeting the item was written in. */
  date: string;
}

/**
 * The near-duplicate flag of each of a meeting's items: the best match among the meeting's other
 * items and in `history` (the branch's earlier items, built with the rubric's threshold, which
 * governs here too; pass `notBefore` for the look-back). A near-duplicate pair inside one meeting
 * flags both items: nobody can tell who copied whom, and the same boilerplate from two people is
 * what the measure exists to surface.
 *
 * @example
 * const notBefore = lookbackStart(meetingDate, rubric.components.criticism.lookbackYears);
 * const flags = flagNearDuplicates(items, history, { notBefore });
 * const original = items.filter((item) => flags.get(item.id) === null).length;
 */
export function flagNearDuplicates(
  items: readonly TextItem[],
  history: NearDuplicateIndex,
  options: { notBefore?: string } = {},
): Map<string, NearDuplicateMatch | null> {
  const meeting = new NearDuplicateIndex({ threshold: history.threshold });
  for (const item of items) meeting.add(item.id, item.text, item.date);
  const flags = new Map<string, NearDuplicateMatch | null>();
  for (const item of items) {
    const candidates = [
      meeting.query(item.text, { excludeId: item.id }).best,
      history.query(item.text, { notBefore: options.notBefore }).best,
    ].filter((m): m is NearDuplicateMatch => m !== null);
    flags.set(item.id, candidates.sort(bySimilarityThenDate)[0] ?? null);
  }
  return flags;
}

/**
 * The recorder's explainable flag, e.g. "92% the same as an item from 2025-12-03". The percentage
 * is rounded down (after cutting binary noise: 0.57 × 100 is 56.99999…), so a text that is not
 * identical never reads as 100%.
 */
export function originalityFlag(match: NearDuplicateMatch): ExplanationLine {
  return {
    key: 'quality.originality.flag',
    params: { percent: Math.floor(round(100 * match.similarity, 6)), date: match.date },
  };
}
