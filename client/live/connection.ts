import type { z } from 'zod';
import type { Locale } from '../../shared/domain/enums.ts';
import {
  applyEvents,
  applyProgress,
  classifyEventFrame,
  newClientId,
  newReceipt,
} from '../../shared/domain/live-client.ts';
import type {
  closeCodes,
  LiveAuth,
  LiveState,
  ownItemView,
  protocolVersion,
  ServerMessage,
} from '../../shared/schemas/live.ts';
import type { BallotAnswers } from '../../shared/schemas/rounds.ts';
import { browserStore, DeviceStore, type KeyValueStore, type Submission } from './device-store.ts';

/**
 * The browser's side of the live protocol (docs/protocol.md), shared by the phone, the host console
 * and the projector. It joins with hello, holds the state (snapshot, then events strictly in seq
 * order, resync on a gap, progress merged in), reconnects with backoff sending the seq it holds,
 * and never loses a submission: each one is saved in the device store before it is sent and stays
 * there until the server acknowledges it, across dropped sockets, locked phones, reloads and server
 * restarts. Only types are imported from shared/schemas, so zod stays out of the phone's bundle.
 */

type Frame = ServerMessage;
type FrameOf<T extends Frame['type']> = Extract<Frame, { type: T }>;
export type Welcome = FrameOf<'welcome'>;
export type ErrorFrame = FrameOf<'error'>;
export type SubmissionResult = FrameOf<'ack'> | ErrorFrame;
export type OwnItem = z.infer<typeof ownItemView>;

// Literal values checked against the schema's types: a protocol change breaks the build here.
const version: typeof protocolVersion = 1;
const unauthenticated: (typeof closeCodes)['unauthenticated'] = 4001;
const revoked: (typeof closeCodes)['revoked'] = 4003;

/** The part of the browser's WebSocket this module uses (tests pass a fake). */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number }) => void) | null;
  onerror: ((event: unknown) => void) | null;
}
const socketOpen = 1;

/**
 * online: joined and up to date. connecting: the first attempt. reconnecting: lost, trying again.
 * offline: the browser says the network is gone, or several attempts failed. refused: the server
 * turned the hello down (see `refusal`); only a "not open yet" refusal is retried, slowly.
 */
export type ConnectionStatus = 'connecting' | 'online' | 'reconnecting' | 'offline' | 'refused';

export interface LiveConnectionOptions {
  meetingId: string;
  auth: LiveAuth;
  locale?: () => Locale;
  storage?: KeyValueStore;
  /** Opens a socket; default: the browser's WebSocket to this origin's /api/live/ws. */
  connect?: () => SocketLike;
}

/** Delays between reconnect attempts (ms), the last one repeating; each gets ±20 % jitter so a room of phones spreads out. */
const backoffMs = [500, 1000, 2000, 4000, 8000, 15000] as const;
/** After this many failed attempts in a row the strip says offline rather than reconnecting. */
const offlineAfterAttempts = 3;
/** How often an idle connection proves it is alive, and how long silence is tolerated. */
const pingEveryMs = 20_000;
const silenceLimitMs = 50_000;
/** The session is not open yet (or already closed): ask again at this pace. */
const notOpenRetryMs = 10_000;
/** A submission the server asked to retry (overload, rate limit) goes again after this. */
const retryFlushMs = 3000;

export class LiveConnection {
  state: LiveState | null = null;
  seq: number | null = null;
  welcome: Welcome | null = null;
  status: ConnectionStatus = 'connecting';
  /**
   * The member is admitted but not recorded present (the host marked them excused or absent), so
   * answers are refused until the host marks them present. From the welcome, then from answers.
   */
  notPresent = false;
  /** The error code with which the server refused to admit this client. */
  refusal: string | null = null;
  /** Server clock minus this device's clock, from the welcome (timers count down in server time). */
  clockOffsetMs = 0;
  /** Receipts published for closed rounds, by round id (answers to getBulletin). */
  readonly bulletins = new Map<string, string[]>();
  /** How this device's own criticism items stand (answer to checkItems). */
  ownItems: OwnItem[] = [];
  /** Submissions the server refused for good, by clientId, so a page can say what went wrong. */
  readonly refused = new Map<string, { submission: Submission; error: ErrorFrame }>();
  readonly store: DeviceStore;

  private socket: SocketLike | null = null;
  private attempts = 0;
  private stopped = false;
  private resyncing = false;
  private lastFrameAt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly listeners = new Set<() => void>();
  private readonly waiting = new Map<string, Array<(result: SubmissionResult) => void>>();
  private readonly wake = () => this.wakeUp();
  private readonly lost = () => this.networkLost();

  constructor(private readonly options: LiveConnectionOptions) {
    this.store = new DeviceStore(options.storage ?? browserStore(), options.meetingId);
  }

  /** How many submissions wait for the server's acknowledgement. */
  get pendingCount(): number {
    return this.store.pending().length;
  }

  /** Rounds this participant has answered: the server's word from the snapshot plus this device's acks. */
  answeredRounds(): Set<string> {
    return new Set([...(this.state?.answeredRoundIds ?? []), ...this.store.answered()]);
  }

  /** Rounds with a submission saved on this device but not acknowledged yet. */
  pendingRounds(): Set<string> {
    return new Set(this.store.pending().flatMap((s) => ('roundId' in s ? [s.roundId] : [])));
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start() {
    this.stopped = false;
    if (typeof window !== 'undefined') {
      window.addEventListener('online', this.wake);
      window.addEventListener('offline', this.lost);
      document.addEventListener('visibilitychange', this.wake);
    }
    this.open();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearTimeout(this.flushTimer);
    clearInterval(this.pingTimer);
    if (typeof window !== 'undefined') {
      window.removeEventListener('online', this.wake);
      window.removeEventListener('offline', this.lost);
      document.removeEventListener('visibilitychange', this.wake);
    }
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      detach(socket);
      socket.close(1000, 'page left');
    }
  }

  /**
   * Saves the submission on the device, sends it when connected, and resolves with the server's
   * ack or refusal. If the connection drops first, it is resent after reconnecting (same clientId,
   * so the server accepts it at most once) — even after a reload, from the device store.
   */
  submit(submission: Submission): Promise<SubmissionResult> {
    this.store.addPending(submission);
    this.refused.delete(submission.clientId);
    const result = new Promise<SubmissionResult>((resolve) => {
      this.waiting.set(submission.clientId, [...(this.waiting.get(submission.clientId) ?? []), resolve]);
    });
    if (this.status === 'online') this.send(submission);
    this.notify();
    return result;
  }

  /** A ballot with a fresh clientId and receipt (the receipt is kept once the server acknowledges). */
  castBallot(roundId: string, answers: BallotAnswers): Promise<SubmissionResult> {
    return this.submit({
      type: 'submitBallot',
      clientId: newClientId(),
      roundId,
      receipt: newReceipt(),
      answers,
    });
  }

  /** Asks for a closed round's receipts; the answer lands in `bulletins`. */
  requestBulletin(roundId: string) {
    if (this.status === 'online') this.send({ type: 'getBulletin', roundId });
  }

  /** Whether this device's receipt for a round is among the published ones (undefined: not known yet). */
  receiptCounted(roundId: string): boolean | undefined {
    const receipt = this.store.receipts()[roundId];
    const published = this.bulletins.get(roundId);
    if (!receipt || !published) return undefined;
    return published.includes(receipt);
  }

  /** Asks how this device's own criticism items stand; the answer lands in `ownItems`. */
  checkItems() {
    // The protocol takes 50 at a time; a member writes far fewer in one meeting.
    const items = this.store.items().slice(-50);
    if (this.status !== 'online' || items.length === 0) return;
    this.send({
      type: 'checkItems',
      items: items.map(({ itemId, authorKey }) => ({ itemId, authorKey })),
    });
  }

  /** Tries again now (a "retry" button, or the page becoming visible). */
  retryNow() {
    if (this.stopped || this.socket) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.open();
  }

  private notify() {
    for (const listener of this.listeners) listener();
  }

  private send(message: Parameters<typeof JSON.stringify>[0]) {
    if (this.socket?.readyState === socketOpen) this.socket.send(JSON.stringify(message));
  }

  private open() {
    if (this.stopped) return;
    const socket = this.options.connect ? this.options.connect() : browserSocket();
    this.socket = socket;
    this.welcome = null;
    socket.onopen = () => {
      this.lastFrameAt = Date.now();
      const lastSeq = this.seq;
      this.send({
        type: 'hello',
        v: version,
        meetingId: this.options.meetingId,
        auth: this.options.auth,
        ...(lastSeq !== null ? { lastSeq } : {}),
        ...(this.options.locale ? { locale: this.options.locale() } : {}),
      });
      clearInterval(this.pingTimer);
      this.pingTimer = setInterval(() => this.keepAlive(), pingEveryMs);
    };
    socket.onmessage = (event) => {
      if (typeof event.data !== 'string') return;
      let frame: Frame;
      try {
        frame = JSON.parse(event.data) as Frame;
      } catch {
        return;
      }
      this.handleFrame(frame);
    };
    socket.onclose = (event) => this.closed(socket, event.code);
    socket.onerror = () => {};
    this.notify();
  }

  private troubledStatus(): ConnectionStatus {
    const browserOffline = typeof navigator !== 'undefined' && navigator.onLine === false;
    return browserOffline || this.attempts >= offlineAfterAttempts ? 'offline' : 'reconnecting';
  }

  /** Applies one server frame. Public for the unit tests, which drive it without a network. */
  handleFrame(frame: Frame) {
    this.lastFrameAt = Date.now();
    switch (frame.type) {
      case 'welcome':
        this.welcome = frame;
        this.refusal = null;
        this.notPresent = frame.attendance !== undefined && frame.attendance !== 'present';
        this.clockOffsetMs = Date.parse(frame.serverTime) - Date.now();
        break;
      case 'snapshot': {
        const first = this.status !== 'online';
        this.state = frame.state;
        this.seq = frame.seq;
        this.resyncing = false;
        this.store.setTitle(frame.state.meeting.title);
        this.status = 'online';
        this.attempts = 0;
        if (first) {
          this.flushPending();
          this.checkItems();
        }
        break;
      }
      case 'event': {
        const verdict = classifyEventFrame(this.seq, frame);
        if (verdict === 'apply' && this.state) {
          this.state = applyEvents(this.state, frame.events);
          this.seq = frame.seq;
          // A phase change or a moderation decision may change how this device's items stand.
          const mine = new Set(this.store.items().map((i) => i.roundId));
          if (frame.events.some((e) => e.kind === 'round' && mine.has(e.round.id))) this.checkItems();
        } else if (verdict === 'gap' && !this.resyncing) {
          // Missed something: one resync, then ignore events until the fresh snapshot arrives.
          this.resyncing = true;
          this.send({ type: 'resync' });
        }
        break;
      }
      case 'progress':
        if (this.state) this.state = applyProgress(this.state, frame);
        break;
      case 'ack':
        this.settle(frame.clientId, frame);
        break;
      case 'error':
        if (frame.clientId) this.settle(frame.clientId, frame);
        else if (!this.welcome) this.refusal = frame.code;
        // Rate-limited (the frame was dropped unread): whatever waits is sent again shortly.
        else if (frame.retry) this.scheduleFlush();
        break;
      case 'bulletin':
        this.bulletins.set(frame.roundId, frame.receipts);
        break;
      case 'items':
        this.ownItems = frame.items;
        break;
      case 'pong':
        break;
    }
    this.notify();
  }

  private settle(clientId: string, frame: SubmissionResult) {
    if (frame.type === 'error' && frame.retry) {
      this.scheduleFlush();
      return;
    }
    const submission = this.store.removePending(clientId);
    if (submission) this.record(submission, frame);
    const resolvers = this.waiting.get(clientId) ?? [];
    this.waiting.delete(clientId);
    for (const resolve of resolvers) resolve(frame);
  }

  /** What a settled submission leaves on the device: a receipt, an authored item, an answered round. */
  private record(submission: Submission, frame: SubmissionResult) {
    this.notPresent = frame.type === 'error' ? this.notPresent || frame.code === 'live.notPresent' : false;
    if (frame.type === 'error') {
      // Answered already (from another phone, or an ack lost before a reload): the round is done here too.
      if (frame.code === 'ballot.alreadyCast' && submission.type === 'submitBallot')
        this.store.markAnswered(submission.roundId);
      else this.refused.set(submission.clientId, { submission, error: frame });
      return;
    }
    switch (submission.type) {
      case 'submitBallot':
        this.store.setReceipt(submission.roundId, submission.receipt);
        this.store.markAnswered(submission.roundId);
        break;
      case 'submitCriticism':
        if (frame.itemId)
          this.store.addItem({
            itemId: frame.itemId,
            authorKey: submission.authorKey,
            roundId: submission.roundId,
            subjectId: submission.subjectId,
          });
        this.checkItems();
        break;
      case 'editCriticism':
      case 'withdrawCriticism':
        this.checkItems();
        break;
      default:
        break;
    }
  }

  private flushPending() {
    for (const submission of this.store.pending()) this.send(submission);
  }

  private scheduleFlush() {
    clearTimeout(this.flushTimer);
    this.flushTimer = setTimeout(() => {
      if (this.status === 'online') this.flushPending();
    }, retryFlushMs);
  }

  private keepAlive() {
    if (!this.socket) return;
    if (Date.now() - this.lastFrameAt > silenceLimitMs) {
      // A half-open socket (the phone slept, the Wi-Fi changed): drop it and reconnect.
      this.drop();
      return;
    }
    this.send({ type: 'ping', t: Date.now() });
  }

  private drop() {
    const socket = this.socket;
    if (!socket) return;
    detach(socket);
    socket.close(4000, 'silent');
    this.closed(socket, 1006);
  }

  private wakeUp() {
    if (typeof document !== 'undefined' && document.visibilityState === 'hidden') return;
    if (this.socket) {
      // Back from sleep: prove the socket is alive soon rather than at the next ping.
      this.send({ type: 'ping', t: Date.now() });
      return;
    }
    if (this.status !== 'refused' || this.refusal === 'live.notOpen') {
      this.attempts = Math.min(this.attempts, 1);
      this.retryNow();
    }
  }

  private networkLost() {
    this.drop();
    this.status = 'offline';
    this.notify();
  }

  private closed(socket: SocketLike, code: number) {
    if (socket !== this.socket) return;
    detach(socket);
    this.socket = null;
    clearInterval(this.pingTimer);
    if (this.stopped) return;
    const wasWelcomed = this.welcome !== null;
    this.welcome = null;
    if (code === revoked || code === unauthenticated) {
      this.status = 'refused';
      // The error frame before the close says why; a bare 4001 means the hello went unanswered.
      if (code === revoked) this.refusal = 'live.revoked';
      else if (!wasWelcomed) this.refusal ??= 'live.helloRequired';
      else this.refusal = 'resource.notFound';
      // The host may open the session any moment: keep asking, quietly.
      if (this.refusal === 'live.notOpen') this.retryTimer = setTimeout(() => this.reopen(), notOpenRetryMs);
      this.notify();
      return;
    }
    this.attempts += 1;
    this.status = this.troubledStatus();
    const base = backoffMs[Math.min(this.attempts - 1, backoffMs.length - 1)]!;
    const delay = Math.round(base * (0.8 + Math.random() * 0.4));
    this.retryTimer = setTimeout(() => this.reopen(), delay);
    this.notify();
  }

  private reopen() {
    this.retryTimer = undefined;
    this.open();
  }
}

function detach(socket: SocketLike) {
  socket.onopen = null;
  socket.onmessage = null;
  socket.onclose = null;
  socket.onerror = null;
}

function browserSocket(): SocketLike {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return new WebSocket(`${scheme}://${location.host}/api/live/ws`) as unknown as SocketLike;
}
