import type { CriticismPhase, LiveRole, LiveState, RoundView } from '../../shared/schemas/live.ts';

/**
 * Pure decisions the three live screens make from the state: which task a phone shows, which
 * subject is speaking, what the wall shows, how a receipt and a countdown read. Kept apart from
 * the elements so they are tested on their own.
 */

export type CriticismSubject = NonNullable<RoundView['criticism']>['subjects'][number];

/** Phases in which criticism of a subject may still be written, edited or withdrawn. */
export const writablePhases: readonly CriticismPhase[] = ['waiting', 'selfExamination', 'criticism'];

/**
 * The open rounds a participant still has to do, in run-sheet order: ballot rounds not yet
 * answered (on the server, or saved on the device awaiting delivery), every open criticism round,
 * and no appraisal for an observer (observers never vote in it).
 */
export function openTasks(
  state: LiveState,
  role: LiveRole,
  answered: ReadonlySet<string>,
  pending: ReadonlySet<string>,
): RoundView[] {
  if (role !== 'member' && role !== 'observer') return [];
  return state.rounds
    .filter((r) => r.state === 'open')
    .filter((r) => !(role === 'observer' && r.kind === 'appraisal'))
    .filter((r) => r.kind === 'criticism' || (!answered.has(r.id) && !pending.has(r.id)))
    .sort((a, b) => a.position - b.position);
}

/**
 * The subject whose turn it is: the first (in speaking order) who has started but not finished;
 * before anyone starts, nobody; once everyone is done, nobody.
 */
export function activeSubject(round: RoundView): CriticismSubject | undefined {
  return round.criticism?.subjects.find((s) => s.phase !== 'waiting' && s.phase !== 'done');
}

/** The round a phone or the wall should put forward when nothing is open: the last one revealed. */
export function lastRevealed(state: LiveState): RoundView | undefined {
  return [...state.rounds]
    .filter(
      (r) => r.state === 'closed' && r.revealed && r.results && (r.kind === 'survey' || r.kind === 'poll'),
    )
    .sort((a, b) => b.position - a.position)[0];
}

/**
 * What the projector shows. While any round is open, the open rounds (counts only). Otherwise the
 * round the host touched last — the wall follows the host — if it has anything to show; before the
 * first round, the lobby with the QR code.
 */
export type WallFocus =
  | { kind: 'lobby' }
  | { kind: 'open'; rounds: RoundView[] }
  | { kind: 'results'; round: RoundView }
  | { kind: 'closed'; round: RoundView };

export function wallFocus(state: LiveState, lastTouched: string | null): WallFocus {
  const open = state.rounds.filter((r) => r.state === 'open').sort((a, b) => a.position - b.position);
  if (open.length > 0) return { kind: 'open', rounds: open };
  const touched = state.rounds.find((r) => r.id === lastTouched && r.state === 'closed');
  const candidate =
    touched ??
    [...state.rounds].filter((r) => r.state === 'closed').sort((a, b) => b.position - a.position)[0];
  if (!candidate) return { kind: 'lobby' };
  if (candidate.kind === 'criticism') return { kind: 'closed', round: candidate };
  return candidate.revealed && candidate.results
    ? { kind: 'results', round: candidate }
    : { kind: 'closed', round: candidate };
}

/**
 * A receipt as people read it: its first six characters, grouped (7F3K-Q2). The device compares
 * the whole receipt with the bulletin; the short form is for the eye and for a neighbour's phone.
 */
export function shortReceipt(receipt: string): string {
  return `${receipt.slice(0, 4)}-${receipt.slice(4, 6)}`;
}

/** Whole seconds left until `endsAt` in server time (never negative). */
export function secondsLeft(endsAt: string, clockOffsetMs: number, now = Date.now()): number {
  return Math.max(0, Math.ceil((Date.parse(endsAt) - (now + clockOffsetMs)) / 1000));
}

/** 4:05, 12:00, 1:02:03. */
export function formatClock(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${m}:${two(s)}`;
}

/** Free text longer than this gets the gentle reminder that writing style can identify its author. */
export const styleHintChars = 40;
