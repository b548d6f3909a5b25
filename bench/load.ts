/**
 * The load generator's phone (and host console): a lean client of the live protocol (docs/protocol.md) for thousands
 * of sockets in one process. It does what a phone must — hello with its device token (and the seq
 * it holds when reconnecting), follow sequence numbers and resync on a gap, submit with a clientId
 * kept in an outbox until its ack, resend the outbox after reconnecting — but skips what only a
 * screen needs: it neither validates frames against the schema nor applies state, and does not parse
 * progress frames at all, so the generator does not eat the CPU the server is measured on. Screens
 * whose state matters (projector, host console) use tests/support/live-client.ts instead.
 */
import WebSocket from 'ws';
import { classifyEventFrame, newClientId, newReceipt } from '../shared/domain/live-client.ts';
import { type ClientMessage, type LiveAuth, protocolVersion } from '../shared/schemas/live.ts';
import type { BallotAnswers } from '../shared/schemas/rounds.ts';

type Ballot = Extract<ClientMessage, { type: 'submitBallot' }>;

export interface Answer {
  ok: boolean;
  duplicate: boolean;
  code?: string;
  /** performance.now() when the answer arrived. */
  at: number;
}

export interface Cast {
  clientId: string;
  /** Kept by the voter: the durability check looks for it in the ballots table. */
  receipt: string;
  /** performance.now() when it was first sent. */
  sentAt: number;
  answer: Promise<Answer>;
}

interface Pending {
  ballot: Ballot;
  /** performance.now() of the first sending. */
  sentAt: number;
  resolve: (answer: Answer) => void;
  promise: Promise<Answer>;
}

/** Rate-limited or internal errors say `retry: true`: the phone sends again a little later. */
const retryDelayMs = 500;

export class BenchClient {
  ws?: WebSocket;
  seq: number | null = null;
  /** The last error frame without a clientId (why a hello was refused). */
  lastError?: string;
  /** Snapshots received over the client's life (one per join, one per resync). */
  snapshots = 0;
  resyncs = 0;
  /** Event and progress frames received (the fan-out scenario counts deliveries with this). */
  eventFrames = 0;
  progressFrames = 0;
  /** Called for every event frame with its arrival time and text. */
  onEvent?: (at: number, text: string) => void;
  /** clientId → submission awaiting its ack (the phone's local storage). */
  readonly outbox = new Map<string, Pending>();
  private snapshotWaiter?: { resolve: () => void; reject: (err: Error) => void };

  /** Answered counts by round, from progress frames — kept only when `watchProgress` is set. */
  readonly answered = new Map<string, number>();

  constructor(
    private readonly meetingId: string,
    private readonly auth: LiveAuth,
    private readonly options: { cookie?: string; watchProgress?: boolean } = {},
  ) {}

  /** Opens a socket, says hello (with the held seq when reconnecting) and waits for the snapshot. */
  async join(wsUrl: string, timeoutMs = 60_000): Promise<void> {
    const ws = new WebSocket(`${wsUrl}/api/live/ws`, {
      perMessageDeflate: false,
      ...(this.options.cookie ? { headers: { cookie: this.options.cookie } } : {}),
    });
    this.ws = ws;
    ws.on('message', (data) => this.receive(ws, data.toString()));
    ws.on('error', () => {});
    ws.on('close', (code) => {
      if (this.ws === ws)
        this.snapshotWaiter?.reject(
          new Error(`socket closed (${code}${this.lastError ? `, ${this.lastError}` : ''}) before snapshot`),
        );
    });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    });
    const snapshot = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no snapshot in time')), timeoutMs);
      this.snapshotWaiter = {
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (err) => {
          clearTimeout(timer);
          reject(err);
        },
      };
    });
    this.sendMessage({
      type: 'hello',
      v: protocolVersion,
      meetingId: this.meetingId,
      auth: this.auth,
      ...(this.seq !== null ? { lastSeq: this.seq } : {}),
    });
    await snapshot;
    this.snapshotWaiter = undefined;
  }

  /** Casts a ballot; `answer` resolves with the ack (or final error). Kept in the outbox until then. */
  ballot(roundId: string, answers: BallotAnswers): Cast {
    const ballot: Ballot = {
      type: 'submitBallot',
      clientId: newClientId(),
      roundId,
      receipt: newReceipt(),
      answers,
    };
    let resolve!: (answer: Answer) => void;
    const promise = new Promise<Answer>((r) => (resolve = r));
    const sentAt = performance.now();
    this.outbox.set(ballot.clientId, { ballot, sentAt, resolve, promise });
    this.sendMessage(ballot);
    return { clientId: ballot.clientId, receipt: ballot.receipt, sentAt, answer: promise };
  }

  /** After reconnecting: every unacknowledged submission again, unchanged (same clientId). */
  resendOutbox(): Promise<Answer>[] {
    return [...this.outbox.values()].map((p) => {
      this.sendMessage(p.ballot);
      return p.promise;
    });
  }

  /** Drops the connection abruptly, like a phone leaving the Wi-Fi (no close handshake). */
  drop() {
    const ws = this.ws;
    this.ws = undefined;
    ws?.terminate();
  }

  close() {
    const ws = this.ws;
    this.ws = undefined;
    ws?.close(1000);
  }

  private sendMessage(message: ClientMessage) {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(message));
  }

  private receive(ws: WebSocket, text: string) {
    if (ws !== this.ws) return;
    // Progress frames carry counts only a screen shows; they need no parsing here.
    if (text.startsWith('{"type":"progress"')) {
      this.progressFrames += 1;
      if (this.options.watchProgress)
        for (const r of JSON.parse(text).rounds as Array<{ roundId: string; answered: number }>)
          this.answered.set(r.roundId, r.answered);
      return;
    }
    const frame = JSON.parse(text);
    switch (frame.type) {
      case 'snapshot':
        this.seq = frame.seq;
        this.snapshots += 1;
        this.snapshotWaiter?.resolve();
        return;
      case 'event': {
        this.eventFrames += 1;
        this.onEvent?.(performance.now(), text);
        const verdict = classifyEventFrame(this.seq, frame);
        if (verdict === 'apply') this.seq = frame.seq;
        else if (verdict === 'gap') {
          this.resyncs += 1;
          this.sendMessage({ type: 'resync' });
        }
        return;
      }
      case 'ack':
        this.settle(frame.clientId, { ok: true, duplicate: frame.duplicate, at: performance.now() });
        return;
      case 'error': {
        if (!frame.clientId) {
          this.lastError = frame.code;
          return;
        }
        const pending = this.outbox.get(frame.clientId);
        if (frame.retry && pending) {
          setTimeout(() => this.sendMessage(pending.ballot), retryDelayMs);
          return;
        }
        this.settle(frame.clientId, { ok: false, duplicate: false, code: frame.code, at: performance.now() });
        return;
      }
    }
  }

  private settle(clientId: string, answer: Answer) {
    const pending = this.outbox.get(clientId);
    if (!pending) return;
    this.outbox.delete(clientId);
    pending.resolve(answer);
  }
}
