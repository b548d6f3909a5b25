import { describe, expect, it } from 'vitest';
import {
  applyEvents,
  applyProgress,
  classifyEventFrame,
  newAuthorKey,
  newClientId,
  newReceipt,
} from '../../shared/domain/live-client.ts';
import { type LiveState, type RoundView, receipt as receiptSchema } from '../../shared/schemas/live.ts';

const round = (id: string, position: number, extra: Partial<RoundView> = {}): RoundView => ({
  id,
  kind: 'poll',
  title: id,
  position,
  state: 'open',
  anonymous: true,
  answered: 0,
  eligible: 10,
  revealed: false,
  ...extra,
});

const ids = {
  a: '00000000-0000-4000-8000-00000000000a',
  b: '00000000-0000-4000-8000-00000000000b',
  m: '00000000-0000-4000-8000-0000000000ff',
};

const state: LiveState = {
  meeting: {
    id: ids.m,
    title: '会',
    type: 'orgLifeMeeting',
    organizationName: '支部',
    joinCode: 'ABC123',
    joinUrl: '/j/ABC123',
    open: true,
  },
  rounds: [round(ids.b, 2)],
  timer: null,
};

describe('following the live sequence', () => {
  const frame = (after: number, seq: number) => ({ type: 'event' as const, after, seq, events: [] });

  it('applies a frame that follows what the client holds, ignores old ones, and calls the rest a gap', () => {
    expect(classifyEventFrame(5, frame(5, 6))).toBe('apply');
    expect(classifyEventFrame(5, frame(5, 9))).toBe('apply');
    expect(classifyEventFrame(9, frame(5, 9))).toBe('stale');
    expect(classifyEventFrame(5, frame(6, 7))).toBe('gap');
    expect(classifyEventFrame(5, frame(4, 6))).toBe('gap');
    expect(classifyEventFrame(null, frame(0, 1))).toBe('gap');
  });

  it('replaces rounds whole, keeps them in position order, and removes them', () => {
    let next = applyEvents(state, [
      { kind: 'round', round: round(ids.a, 1, { title: 'first' }) },
      { kind: 'round', round: round(ids.b, 2, { state: 'closed' }) },
    ]);
    expect(next.rounds.map((r) => [r.title, r.state])).toEqual([
      ['first', 'open'],
      [ids.b, 'closed'],
    ]);
    next = applyEvents(next, [
      { kind: 'roundRemoved', roundId: ids.a },
      { kind: 'timer', timer: { endsAt: null, label: '休息' } },
    ]);
    expect(next.rounds.map((r) => r.id)).toEqual([ids.b]);
    expect(next.timer).toEqual({ endsAt: null, label: '休息' });
    expect(state.rounds[0]!.state).toBe('open');
  });

  it('applies counts from progress frames to the rounds they name', () => {
    const next = applyProgress(state, {
      type: 'progress',
      rounds: [{ roundId: ids.b, answered: 7, eligible: 9, notAnswered: [ids.a] }],
    });
    expect(next.rounds[0]).toMatchObject({ answered: 7, eligible: 9, notAnswered: [ids.a] });
  });

  it('makes receipts, author keys and client ids of the right shape, never twice the same', () => {
    const receipts = new Set(Array.from({ length: 100 }, newReceipt));
    expect(receipts.size).toBe(100);
    for (const r of receipts) expect(receiptSchema.safeParse(r).success).toBe(true);
    expect(newAuthorKey()).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(newClientId()).toMatch(/^[0-9a-f-]{36}$/);
  });
});
