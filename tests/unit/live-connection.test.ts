import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LiveConnection, type SocketLike } from '../../client/live/connection.ts';
import { DeviceStore, type KeyValueStore, memoryStore } from '../../client/live/device-store.ts';
import { newClientId, newReceipt } from '../../shared/domain/live-client.ts';
import {
  type ClientMessage,
  clientMessage,
  type LiveState,
  type RoundView,
  type ServerMessage,
} from '../../shared/schemas/live.ts';

/**
 * The phone's connection logic without a network: a fake socket records what the client sends and
 * lets the test play the server. Every frame the client sends is checked against the shared schema.
 */
class FakeSocket implements SocketLike {
  readyState = 0;
  readonly sent: ClientMessage[] = [];
  closedWith: number | null = null;
  onopen: SocketLike['onopen'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;

  send(data: string) {
    this.sent.push(clientMessage.parse(JSON.parse(data)));
  }
  close(code = 1000) {
    this.closedWith = code;
    this.readyState = 3;
  }
  // The server's side:
  accept() {
    this.readyState = 1;
    this.onopen?.({});
  }
  deliver(frame: ServerMessage) {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
  drop(code = 1006) {
    this.readyState = 3;
    this.onclose?.({ code });
  }
  sentOf<T extends ClientMessage['type']>(type: T) {
    return this.sent.filter((m): m is Extract<ClientMessage, { type: T }> => m.type === type);
  }
}

const meetingId = '6f1c3a52-0d5e-4a57-9b53-1f0f2d7a4c11';
const roundId = '0b8f5e0e-93a4-4f63-8a1e-3c3f6b2a9d01';

function round(overrides: Partial<RoundView> = {}): RoundView {
  return {
    id: roundId,
    kind: 'poll',
    title: '午餐',
    position: 1,
    state: 'open',
    anonymous: true,
    answered: 0,
    eligible: 3,
    revealed: false,
    poll: { question: '吃什么', mode: 'single', options: ['面', '饭'] },
    ...overrides,
  };
}

function state(rounds: RoundView[] = [round()]): LiveState {
  return {
    meeting: {
      id: meetingId,
      title: '组织生活会',
      type: 'orgLifeMeeting',
      organizationName: '第一党支部',
      joinCode: 'ABC123',
      joinUrl: '/j/ABC123',
      open: true,
    },
    rounds,
    timer: null,
    answeredRoundIds: [],
  };
}

const welcome: ServerMessage = {
  type: 'welcome',
  v: 1,
  role: 'member',
  participant: { memberId: '9e5a4c2b-6a51-4e0e-8f3a-2b7d1c9e0f42', name: '党员甲' },
  serverTime: new Date().toISOString(),
};

describe('live connection', () => {
  let sockets: FakeSocket[];
  let storage: KeyValueStore;
  let connections: LiveConnection[];

  beforeEach(() => {
    vi.useFakeTimers();
    sockets = [];
    storage = memoryStore();
    connections = [];
  });
  afterEach(() => {
    for (const c of connections) c.stop();
    vi.useRealTimers();
  });

  function connect(): LiveConnection {
    const connection = new LiveConnection({
      meetingId,
      auth: { kind: 'device', token: 'a-device-token-of-enough-length' },
      storage,
      connect: () => {
        const socket = new FakeSocket();
        sockets.push(socket);
        return socket;
      },
    });
    connections.push(connection);
    connection.start();
    return connection;
  }

  const latest = () => sockets.at(-1)!;

  function join(seq = 5, st = state()) {
    latest().accept();
    latest().deliver(welcome);
    latest().deliver({ type: 'snapshot', seq, state: st });
  }

  it('says hello, and after a drop says hello again with the seq it holds', async () => {
    const connection = connect();
    expect(connection.status).toBe('connecting');
    join(7);
    expect(latest().sentOf('hello')[0]).toMatchObject({ meetingId, auth: { kind: 'device' } });
    expect(latest().sentOf('hello')[0]!.lastSeq).toBeUndefined();
    expect(connection.status).toBe('online');

    latest().drop();
    expect(connection.status).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(1000);
    expect(sockets).toHaveLength(2);
    latest().accept();
    expect(latest().sentOf('hello')[0]!.lastSeq).toBe(7);
  });

  it('applies events in seq order, ignores stale ones and resyncs once on a gap', () => {
    const connection = connect();
    join(5);
    latest().deliver({
      type: 'event',
      after: 5,
      seq: 6,
      events: [{ kind: 'round', round: round({ title: '改名了' }) }],
    });
    expect(connection.state!.rounds[0]!.title).toBe('改名了');
    expect(connection.seq).toBe(6);

    // Stale: already held.
    latest().deliver({
      type: 'event',
      after: 4,
      seq: 6,
      events: [{ kind: 'round', round: round({ title: '旧的' }) }],
    });
    expect(connection.state!.rounds[0]!.title).toBe('改名了');

    // A gap: 7 was missed. One resync, however many more events arrive before the snapshot.
    latest().deliver({ type: 'event', after: 7, seq: 8, events: [{ kind: 'timer', timer: null }] });
    latest().deliver({ type: 'event', after: 8, seq: 9, events: [{ kind: 'timer', timer: null }] });
    expect(latest().sentOf('resync')).toHaveLength(1);
    expect(connection.seq).toBe(6);

    latest().deliver({ type: 'snapshot', seq: 9, state: state([round({ title: '快照' })]) });
    expect(connection.seq).toBe(9);
    expect(connection.state!.rounds[0]!.title).toBe('快照');
    latest().deliver({ type: 'event', after: 10, seq: 11, events: [{ kind: 'timer', timer: null }] });
    expect(latest().sentOf('resync')).toHaveLength(2);
  });

  it('merges progress counts without touching seq', () => {
    const connection = connect();
    join(3);
    latest().deliver({ type: 'progress', rounds: [{ roundId, answered: 2, eligible: 3 }] });
    expect(connection.state!.rounds[0]).toMatchObject({ answered: 2, eligible: 3 });
    expect(connection.seq).toBe(3);
  });

  it('keeps a submission made offline on the device and delivers it, once acknowledged, after reconnecting', async () => {
    const connection = connect();
    join(5);
    latest().drop();
    const receipt = newReceipt();
    const clientId = newClientId();
    const result = connection.submit({
      type: 'submitBallot',
      clientId,
      roundId,
      receipt,
      answers: { kind: 'poll', choices: [1] },
    });
    expect(connection.pendingCount).toBe(1);
    expect(connection.pendingRounds().has(roundId)).toBe(true);

    // Several failed attempts: the strip turns from "reconnecting" to "offline", the ballot stays.
    for (let i = 0; i < 3; i++) {
      await vi.advanceTimersByTimeAsync(20_000);
      latest().drop();
    }
    expect(connection.status).toBe('offline');
    expect(connection.pendingCount).toBe(1);

    await vi.advanceTimersByTimeAsync(20_000);
    join(5);
    const resent = latest().sentOf('submitBallot');
    expect(resent).toHaveLength(1);
    expect(resent[0]).toMatchObject({ clientId, receipt });

    latest().deliver({ type: 'ack', clientId, duplicate: false });
    await expect(result).resolves.toMatchObject({ type: 'ack', clientId });
    expect(connection.pendingCount).toBe(0);
    expect(connection.store.receipts()[roundId]).toBe(receipt);
    expect(connection.answeredRounds().has(roundId)).toBe(true);
  });

  it('survives a reload: a new page resends what the old one had not got acknowledged, with the same clientId', () => {
    const first = connect();
    join(5);
    const clientId = newClientId();
    void first.submit({
      type: 'submitBallot',
      clientId,
      roundId,
      receipt: newReceipt(),
      answers: { kind: 'poll', choices: [0] },
    });
    expect(latest().sentOf('submitBallot')).toHaveLength(1);
    first.stop();

    const second = connect();
    expect(second.pendingCount).toBe(1);
    join(5);
    expect(latest().sentOf('submitBallot')[0]!.clientId).toBe(clientId);
    // The server had it already: a duplicate ack settles it just the same.
    latest().deliver({ type: 'ack', clientId, duplicate: true });
    expect(second.pendingCount).toBe(0);
    expect(second.answeredRounds().has(roundId)).toBe(true);
  });

  it('drops a refused submission and remembers why; keeps one the server asks to retry', async () => {
    const connection = connect();
    join(5);
    const refusedId = newClientId();
    const retriedId = newClientId();
    const base = { type: 'submitBallot' as const, roundId, answers: { kind: 'poll' as const, choices: [0] } };
    void connection.submit({ ...base, clientId: refusedId, receipt: newReceipt() });
    void connection.submit({ ...base, clientId: retriedId, receipt: newReceipt() });
    latest().deliver({
      type: 'error',
      clientId: refusedId,
      code: 'round.closed',
      message: '该环节已经结束。',
    });
    latest().deliver({
      type: 'error',
      clientId: retriedId,
      code: 'internal',
      message: '服务器出现错误',
      retry: true,
    });
    expect(connection.refused.get(refusedId)?.error.code).toBe('round.closed');
    expect(connection.store.pending().map((s) => s.clientId)).toEqual([retriedId]);
    await vi.advanceTimersByTimeAsync(5000);
    expect(
      latest()
        .sentOf('submitBallot')
        .filter((s) => s.clientId === retriedId),
    ).toHaveLength(2);
  });

  it('knows when the member is not recorded present, from the welcome or a refusal, until an answer goes through', () => {
    const connection = connect();
    latest().accept();
    latest().deliver({ ...welcome, attendance: 'excused' } as ServerMessage);
    latest().deliver({ type: 'snapshot', seq: 5, state: state() });
    expect(connection.notPresent).toBe(true);
    const ballot = (clientId: string) =>
      connection.submit({
        type: 'submitBallot',
        clientId,
        roundId,
        receipt: newReceipt(),
        answers: { kind: 'poll', choices: [0] },
      });
    // The host marks the member present: the next answer is accepted and the phone stops warning.
    const accepted = newClientId();
    void ballot(accepted);
    latest().deliver({ type: 'ack', clientId: accepted, duplicate: false });
    expect(connection.notPresent).toBe(false);
    // Marked absent again later: the refusal says so.
    const refused = newClientId();
    void ballot(refused);
    latest().deliver({ type: 'error', clientId: refused, code: 'live.notPresent', message: '' });
    expect(connection.notPresent).toBe(true);
  });

  it('treats "already cast" as answered (another phone of the same member voted)', () => {
    const connection = connect();
    join(5);
    const clientId = newClientId();
    void connection.submit({
      type: 'submitBallot',
      clientId,
      roundId,
      receipt: newReceipt(),
      answers: { kind: 'poll', choices: [0] },
    });
    latest().deliver({ type: 'error', clientId, code: 'ballot.alreadyCast', message: '' });
    expect(connection.answeredRounds().has(roundId)).toBe(true);
    expect(connection.refused.size).toBe(0);
  });

  it('keeps an authored item with its secret after the ack and asks how it stands', () => {
    const connection = connect();
    join(5);
    const clientId = newClientId();
    const subjectId = '3d2f1e0c-8b7a-4c6d-9e5f-4a3b2c1d0e9f';
    const itemId = '7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d';
    void connection.submit({
      type: 'submitCriticism',
      clientId,
      roundId,
      subjectId,
      text: '工作中有时不够细致',
      concrete: true,
      authorKey: 'k'.repeat(32),
    });
    latest().deliver({ type: 'ack', clientId, duplicate: false, itemId });
    expect(connection.store.items()).toEqual([{ itemId, authorKey: 'k'.repeat(32), roundId, subjectId }]);
    expect(latest().sentOf('checkItems').at(-1)!.items).toEqual([{ itemId, authorKey: 'k'.repeat(32) }]);
  });

  it('confirms a receipt against the bulletin', () => {
    const connection = connect();
    join(5);
    new DeviceStore(storage, meetingId).setReceipt(roundId, 'r'.repeat(22));
    expect(connection.receiptCounted(roundId)).toBeUndefined();
    connection.requestBulletin(roundId);
    expect(latest().sentOf('getBulletin')).toEqual([{ type: 'getBulletin', roundId }]);
    latest().deliver({ type: 'bulletin', roundId, receipts: ['a'.repeat(22), 'r'.repeat(22)] });
    expect(connection.receiptCounted(roundId)).toBe(true);
    latest().deliver({ type: 'bulletin', roundId, receipts: ['a'.repeat(22)] });
    expect(connection.receiptCounted(roundId)).toBe(false);
  });

  it('stops for good when the phone was unlinked, and waits quietly while the session is not open', async () => {
    const connection = connect();
    latest().accept();
    latest().deliver({ type: 'error', code: 'live.notOpen', message: '' });
    latest().drop(4001);
    expect(connection.status).toBe('refused');
    expect(connection.refusal).toBe('live.notOpen');
    await vi.advanceTimersByTimeAsync(11_000);
    expect(sockets).toHaveLength(2);

    join(1);
    expect(connection.status).toBe('online');
    expect(connection.refusal).toBeNull();
    latest().drop(4003);
    expect(connection.refusal).toBe('live.revoked');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(sockets).toHaveLength(2);
  });

  it('drops a silent socket and reconnects', async () => {
    const connection = connect();
    join(2);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(latest().sentOf('ping')).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(40_000);
    expect(latest().closedWith).not.toBeNull();
    expect(connection.status).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(1000);
    expect(sockets).toHaveLength(2);
  });
});
