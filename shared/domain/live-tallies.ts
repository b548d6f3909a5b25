import type { AppraisalResults, PollResults, SurveyResults } from '../schemas/live.ts';
import type { BallotAnswers, OverallSatisfaction, SurveyInstrument } from '../schemas/rounds.ts';
import { type AppraisalGrade, appraisalGrades } from './enums.ts';

/**
 * Tallies of sealed ballots and the small-group rule (ANONYMITY.md property 4): pure functions, so
 * the arithmetic is tested on its own and the server, the client and reports agree on it.
 */

type Answers<K extends BallotAnswers['kind']> = Extract<BallotAnswers, { kind: K }>;

export interface SurveyTally {
  n: number;
  likert: Array<{ key: string; distribution: number[] }>;
  overall: Record<OverallSatisfaction, number> | null;
  comments: string[];
}

export function tallySurvey(
  instrument: SurveyInstrument,
  ballots: readonly Answers<'survey'>[],
): SurveyTally {
  const likert = instrument.likert.map((item) => ({ key: item.key, distribution: [0, 0, 0, 0, 0] }));
  const overall = instrument.overall ? { satisfied: 0, basicallySatisfied: 0, dissatisfied: 0 } : null;
  const comments: string[] = [];
  for (const ballot of ballots) {
    for (const item of likert) {
      const value = ballot.likert[item.key];
      if (value !== undefined) item.distribution[value - 1]! += 1;
    }
    if (overall && ballot.overall) overall[ballot.overall] += 1;
    if (ballot.comment) comments.push(ballot.comment);
  }
  return { n: ballots.length, likert, overall, comments };
}

/** Mean of a 1–5 distribution, rounded to two decimals; 0 when empty. */
export function likertMean(distribution: readonly number[]): number {
  const count = distribution.reduce((a, b) => a + b, 0);
  if (count === 0) return 0;
  const sum = distribution.reduce((acc, c, i) => acc + c * (i + 1), 0);
  return Math.round((sum / count) * 100) / 100;
}

/**
 * What an audience sees of a survey: nothing built from fewer than k responses; comments only for
 * the branch committee (the order given is kept — callers pass them already shuffled).
 */
export function surveyResults(tally: SurveyTally, k: number, withComments: boolean): SurveyResults {
  if (tally.n < k) return { suppressed: true, n: tally.n, k };
  return {
    suppressed: false,
    n: tally.n,
    likert: tally.likert.map((item) => ({
      key: item.key,
      mean: likertMean(item.distribution),
      distribution: [...item.distribution],
    })),
    overall: tally.overall ? { ...tally.overall } : null,
    ...(withComments ? { comments: [...tally.comments] } : {}),
  };
}

export interface AppraisalTally {
  n: number;
  perMember: Map<string, Record<AppraisalGrade, number>>;
}

export function tallyAppraisal(
  graded: readonly string[],
  ballots: readonly Answers<'appraisal'>[],
): AppraisalTally {
  const perMember = new Map<string, Record<AppraisalGrade, number>>();
  for (const memberId of graded)
    perMember.set(
      memberId,
      Object.fromEntries(appraisalGrades.map((g) => [g, 0])) as Record<AppraisalGrade, number>,
    );
  for (const ballot of ballots) {
    for (const [memberId, grade] of Object.entries(ballot.grades)) {
      const counts = perMember.get(memberId);
      if (counts) counts[grade] += 1;
    }
  }
  return { n: ballots.length, perMember };
}

/**
 * Per-member distributions go to the branch committee only; every other audience gets no results
 * object at all (the answered count is on the round already).
 */
export function appraisalResults(
  tally: AppraisalTally,
  k: number,
  names: ReadonlyMap<string, string>,
): AppraisalResults {
  if (tally.n < k) return { suppressed: true, n: tally.n, k };
  return {
    suppressed: false,
    n: tally.n,
    perMember: [...tally.perMember].map(([memberId, counts]) => ({
      memberId,
      name: names.get(memberId) ?? '',
      counts: { ...counts },
    })),
  };
}

export interface PollTally {
  n: number;
  counts: number[];
  words: Array<{ word: string; count: number }>;
}

/** Words are compared case- and width-insensitively (ＡＢＣ, abc and ABC are one word). */
export function normalizeWord(word: string): string {
  return word.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
}

/** A word cloud shows at most this many words, the most frequent first. */
export const maxCloudWords = 60;

export function tallyPoll(optionCount: number, ballots: readonly Answers<'poll'>[]): PollTally {
  const counts = new Array<number>(optionCount).fill(0);
  const words = new Map<string, number>();
  for (const ballot of ballots) {
    for (const choice of new Set(ballot.choices ?? [])) if (choice < optionCount) counts[choice]! += 1;
    for (const word of new Set((ballot.words ?? []).map(normalizeWord)))
      if (word) words.set(word, (words.get(word) ?? 0) + 1);
  }
  return {
    n: ballots.length,
    counts,
    words: [...words]
      .map(([word, count]) => ({ word, count }))
      .sort((a, b) => b.count - a.count || (a.word < b.word ? -1 : a.word > b.word ? 1 : 0))
      .slice(0, maxCloudWords),
  };
}

export function pollResults(tally: PollTally, k: number): PollResults {
  if (tally.n < k) return { suppressed: true, n: tally.n, k };
  return {
    suppressed: false,
    n: tally.n,
    counts: [...tally.counts],
    words: tally.words.map((w) => ({ ...w })),
  };
}
