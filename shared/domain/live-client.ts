import type { LiveEvent, LiveState, ServerMessage } from '../schemas/live.ts';

/**
 * What every live client does the same way, written once for the phone, host and projector pages,
 * the test client and the benchmark: follow the sequence numbers, apply events to the state, and
 * make the random values a submission carries. Pure and browser-safe (no Node APIs).
 */

type EventFrame = Extract<ServerMessage, { type: 'event' }>;
type ProgressFrame = Extract<ServerMessage, { type: 'progress' }>;

/**
 * Whether an event frame applies to a client holding `heldSeq`: it applies when it follows exactly
 * what the client holds; it is stale when the client already holds its seq (e.g. a snapshot came
 * first); anything else is a gap, and the client sends `resync`.
 */
export function classifyEventFrame(heldSeq: number | null, frame: EventFrame): 'apply' | 'stale' | 'gap' {
  if (heldSeq === null) return 'gap';
  if (frame.seq <= heldSeq) return 'stale';
  return frame.after === heldSeq ? 'apply' : 'gap';
}

/** Applies events in order; each replaces the whole state of what it names. */
export function applyEvents(state: LiveState, events: readonly LiveEvent[]): LiveState {
  let next = state;
  for (const event of events) {
    switch (event.kind) {
      case 'round': {
        const others = next.rounds.filter((r) => r.id !== event.round.id);
        next = { ...next, rounds: [...others, event.round].sort((a, b) => a.position - b.position) };
        break;
      }
      case 'roundRemoved':
        next = { ...next, rounds: next.rounds.filter((r) => r.id !== event.roundId) };
        break;
      case 'attendance':
        next = { ...next, attendance: event.attendance };
        break;
      case 'timer':
        next = { ...next, timer: event.timer };
        break;
      case 'session':
        next = { ...next, meeting: event.meeting };
        break;
    }
  }
  return next;
}

/** Progress frames carry counts only; they never change seq. */
export function applyProgress(state: LiveState, frame: ProgressFrame): LiveState {
  const byId = new Map(frame.rounds.map((p) => [p.roundId, p]));
  return {
    ...state,
    rounds: state.rounds.map((round) => {
      const progress = byId.get(round.id);
      if (!progress) return round;
      const { roundId: _id, ...counts } = progress;
      return { ...round, ...counts };
    }),
  };
}

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomBytes(n: number): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(n));
}

/** A ballot receipt: 16 random bytes (22 base64url characters), kept by the device to check the bulletin. */
export const newReceipt = () => base64url(randomBytes(16));

/** The secret that lets a device edit or withdraw its anonymous item; use a fresh one per item. */
export const newAuthorKey = () => base64url(randomBytes(24));

/** The id a submission keeps across resends, so the server accepts it at most once. */
export const newClientId = () => globalThis.crypto.randomUUID();
