import WebSocket from 'ws';
import {
  applyEvents,
  applyProgress,
  classifyEventFrame,
  newClientId,
  newReceipt,
} from '../../shared/domain/live-client.ts';
import {
  type ClientMessage,
  type LiveAuth,
  type LiveState,
  protocolVersion,
  type ServerMessage,
  serverMessage,
} from '../../shared/schemas/live.ts';
import type { BallotAnswers } from '../../shared/schemas/rounds.ts';

/**
 * A typed client of the live protocol (docs/protocol.md) for tests and benchmarks, built like a real
 * phone: it follows sequence numbers (resync on a gap), applies events and progress to its state,
 * keeps unacknowledged submissions in an outbox it resends after reconnecting, and checks every
 * frame the server sends against the shared schema (`invalidFrames`).
 */
export type Frame = ServerMessage;
export type FrameOf<T extends Frame['type']> = Extract<Frame, { type: T }>;
export type Submission = Extract<ClientMessage, { clientId: string }>;
export type SubmissionResult = FrameOf<'ack'> | FrameOf<'error'>;

export interface LiveClientOptions {
  /** ws://host:port (the endpoint path is added). */
  url: string;
  /** Cookie header for session auth. */
  cookie?: string;
  origin?: string;
  /** Default 15 s: a wait that fails says what it waited for instead of hanging the suite. */
  timeoutMs?: number;
}

interface Waiter {
  test: () => boolean;
  resolve: () => void;
}

export class LiveClient {
  ws?: WebSocket;
  readonly frames: Frame[] = [];
  /** Frames that failed the shared serverMessage schema (should stay empty). */
  readonly invalidFrames: unknown[] = [];
  state: LiveState | null = null;
  seq: number | null = null;
  welcome: FrameOf<'welcome'> | null = null;
  closed: { code: number; reason: string } | null = null;
  resyncs = 0;
  /** Submissions not yet acknowledged or refused for good, by clientId (the phone's local storage). */
  readonly outbox = new Map<string, Submission>();
  /** Who waits for each clientId's answer, and on which socket (generation) it was sent. */
  private readonly results = new Map<
    string,
    Array<{ generation: number; resolve: (r: SubmissionResult) => void }>
  >();
  private generation = 0;
  private waiters: Waiter[] = [];
  private hello?: Extract<ClientMessage, { type: 'hello' }>;

  constructor(private options: LiveClientOptions) {}

  /** Opens the socket (again, after a disconnect; optionally at another address, e.g. a restarted server). */
  async open(url = this.options.url): Promise<this> {
    this.options = { ...this.options, url };
    this.closed = null;
    this.generation += 1;
    const headers: Record<string, string> = {};
    if (this.options.cookie) headers.cookie = this.options.cookie;
    const ws = new WebSocket(`${url}/api/live/ws`, {
      headers,
      perMessageDeflate: false,
      ...(this.options.origin ? { origin: this.options.origin } : {}),
    });
    this.ws = ws;
    ws.on('message', (data) => this.receive(data.toString()));
    ws.on('close', (code, reason) => {
      if (this.ws !== ws) return;
      this.closed = { code, reason: reason.toString() };
      this.notify();
    });
    ws.on('error', () => {});
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
      ws.once('error', reject);
    });
    return this;
  }

  /** Sends hello and waits for welcome and the first snapshot (or rejects with the error frame). */
  async join(
    meetingId: string,
    auth: LiveAuth,
    options: { lastSeq?: number; locale?: 'zh-CN' | 'en' } = {},
  ): Promise<this> {
    const since = this.frames.length;
    this.hello = { type: 'hello', v: protocolVersion, meetingId, auth, ...options };
    this.send(this.hello);
    const first = await this.waitFor((f) => f.type === 'welcome' || f.type === 'error', since);
    if (first.type === 'error') throw new Error(`join refused: ${first.code}`);
    await this.waitFor((f) => f.type === 'snapshot', since);
    return this;
  }

  /** Reconnects after a drop: a new socket, hello with the seq held, then resends the outbox. */
  async reconnect(url = this.options.url): Promise<Array<Promise<SubmissionResult>>> {
    if (!this.hello) throw new Error('never joined');
    await this.open(url);
    const { lastSeq: _previous, ...hello } = this.hello;
    await this.join(hello.meetingId, hello.auth, {
      ...(this.seq !== null ? { lastSeq: this.seq } : {}),
      ...(hello.locale ? { locale: hello.locale } : {}),
    });
    return this.resendOutbox();
  }

  send(message: ClientMessage) {
    this.sendRaw(JSON.stringify(message));
  }

  sendRaw(data: string | Buffer) {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(data);
  }

  /** Sends a submission and resolves with its ack or error (kept in the outbox until one arrives). */
  submit(submission: Submission): Promise<SubmissionResult> {
    this.outbox.set(submission.clientId, submission);
    const generation = this.generation;
    const result = new Promise<SubmissionResult>((resolve) => {
      this.results.set(submission.clientId, [
        ...(this.results.get(submission.clientId) ?? []),
        { generation, resolve },
      ]);
    });
    this.send(submission);
    return result;
  }

  resendOutbox(): Array<Promise<SubmissionResult>> {
    return [...this.outbox.values()].map((s) => this.submit(s));
  }

  ballot(roundId: string, answers: BallotAnswers, receipt = newReceipt()) {
    return this.submit({ type: 'submitBallot', clientId: newClientId(), roundId, receipt, answers });
  }

  /** Waits for a frame (from index `since`, default: frames arriving from now on). */
  async waitFor<F extends Frame = Frame>(
    match: (frame: Frame) => boolean,
    since = this.frames.length,
  ): Promise<F> {
    let found: Frame | undefined;
    await this.until(() => {
      found = this.frames.slice(since).find(match);
      return found !== undefined;
    }, 'a matching frame');
    return found as F;
  }

  waitForType<T extends Frame['type']>(type: T, since = this.frames.length): Promise<FrameOf<T>> {
    return this.waitFor<FrameOf<T>>((f) => f.type === type, since);
  }

  /** Waits until the state satisfies a condition (checked now and after every frame). */
  async waitForState(test: (state: LiveState) => boolean, what = 'a state'): Promise<LiveState> {
    await this.until(() => this.state !== null && test(this.state), what);
    return this.state!;
  }

  async waitForClose(): Promise<{ code: number; reason: string }> {
    await this.until(() => this.closed !== null, 'the socket to close');
    return this.closed!;
  }

  round(roundId: string) {
    return this.state?.rounds.find((r) => r.id === roundId);
  }

  close() {
    this.ws?.close(1000);
  }

  private until(test: () => boolean, what: string): Promise<void> {
    if (test()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(
          new Error(`timed out waiting for ${what}; last frames: ${JSON.stringify(this.frames.slice(-3))}`),
        );
      }, this.options.timeoutMs ?? 15_000);
      const waiter: Waiter = {
        test,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      this.waiters.push(waiter);
    });
  }

  private notify() {
    for (const waiter of [...this.waiters]) {
      if (waiter.test()) {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        waiter.resolve();
      }
    }
  }

  private receive(text: string) {
    const parsed = serverMessage.safeParse(JSON.parse(text));
    if (!parsed.success) {
      this.invalidFrames.push(JSON.parse(text));
      return;
    }
    const frame = parsed.data;
    this.frames.push(frame);
    switch (frame.type) {
      case 'welcome':
        this.welcome = frame;
        break;
      case 'snapshot':
        this.state = frame.state;
        this.seq = frame.seq;
        break;
      case 'event': {
        const verdict = classifyEventFrame(this.seq, frame);
        if (verdict === 'apply' && this.state) {
          this.state = applyEvents(this.state, frame.events);
          this.seq = frame.seq;
        } else if (verdict === 'gap') {
          this.resyncs += 1;
          this.send({ type: 'resync' });
        }
        break;
      }
      case 'progress':
        if (this.state) this.state = applyProgress(this.state, frame);
        break;
      case 'ack':
      case 'error':
        if (frame.clientId) this.settle(frame.clientId, frame);
        break;
    }
    this.notify();
  }

  /** Each ack or error answers one sending of the clientId on this socket, oldest first. */
  private settle(clientId: string, frame: SubmissionResult) {
    const submission = this.outbox.get(clientId);
    if (frame.type === 'ack' || !frame.retry) this.outbox.delete(clientId);
    // Like a phone: a ballot acknowledged is a round answered, whatever the last snapshot said.
    if (frame.type === 'ack' && submission?.type === 'submitBallot' && this.state) {
      const answered = new Set(this.state.answeredRoundIds ?? []).add(submission.roundId);
      this.state = { ...this.state, answeredRoundIds: [...answered] };
    }
    // Sendings on an earlier socket will never be answered there: this answer is theirs too.
    const waiting = this.results.get(clientId) ?? [];
    const orphaned = waiting.filter((w) => w.generation < this.generation);
    const current = waiting.filter((w) => w.generation === this.generation);
    const answered = [...orphaned, ...current.slice(0, 1)];
    const rest = current.slice(1);
    if (rest.length > 0) this.results.set(clientId, rest);
    else this.results.delete(clientId);
    for (const w of answered) w.resolve(frame);
  }
}

/** The websocket address of an app listening on an http:// address. */
export const wsUrl = (httpAddress: string) => httpAddress.replace(/^http/, 'ws');
