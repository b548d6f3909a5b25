import type { FastifyRequest } from 'fastify';
import type { RawData, WebSocket } from 'ws';
import type { Locale } from '../../shared/domain/enums.ts';
import { fieldErrorsFromZod } from '../../shared/errors.ts';
import { translate } from '../../shared/i18n/index.ts';
import {
  type ClientMessage,
  clientMessage,
  closeCodes,
  protocolVersion,
  rateLimit,
  type ServerMessage,
} from '../../shared/schemas/live.ts';
import { AppError } from '../http/errors.ts';
import { requestLocale } from '../http/locale.ts';
import type { SubmissionOutcome } from './ballots.ts';
import type { LiveContext } from './context.ts';
import {
  editCriticism,
  ownItems,
  type Submitted,
  submitCriticism,
  submitResponse,
  submitSelfExamination,
  withdrawCriticism,
} from './criticism.ts';
import { wsError } from './errors.ts';
import { authenticate, RevokedError } from './hello.ts';
import type { HubConnection } from './hub.ts';
import type { ParticipantRef } from './presence.ts';
import { safeError } from './safe-log.ts';
import { type Audience, audienceOf } from './views.ts';

/** The first frame must be a hello within this time. */
export const helloTimeoutMs = 10_000;
/** Frames refused for rate within one window before the socket is closed as a flood. */
const floodLimit = { refused: 60, windowMs: 10_000 };
/** Above this much unsent data, progress frames are skipped; above the second bound the socket is closed. */
const backpressure = { skipNonEssential: 256 * 1024, close: 1024 * 1024 };

const messageTypes = new Set<string>(clientMessage.options.map((o) => o.shape.type.value));
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * One websocket of the live protocol (docs/protocol.md). Frames are handled strictly in order, one
 * at a time; the message listener is attached synchronously, so nothing sent during the async hello
 * is lost. Every bad frame gets an error frame and changes nothing. Never logs frame contents.
 */
export class LiveConnection implements HubConnection {
  meetingId = '';
  audience: Audience = 'public';
  participant: ParticipantRef | null = null;
  passId: string | null = null;
  projectorTokenHash: string | null = null;
  seq: number | null = null;
  /** Set by the heartbeat; a socket that misses a pong is dropped. */
  alive = true;

  private state: 'hello' | 'ready' | 'closed' = 'hello';
  private locale: Locale;
  private chain: Promise<void> = Promise.resolve();
  private tokens: number = rateLimit.burst;
  private refilledAt = Date.now();
  private refused = 0;
  private refusedSince = Date.now();
  private rateErrorAt = 0;
  private readonly helloTimer: NodeJS.Timeout;

  constructor(
    private readonly ctx: LiveContext,
    private readonly socket: WebSocket,
    private readonly request: FastifyRequest,
    private readonly onGone: (conn: LiveConnection) => void,
  ) {
    this.locale = request.principal?.locale ?? requestLocale(request);
    socket.on('message', (data, isBinary) => this.onFrame(data, isBinary));
    socket.on('close', () => this.gone());
    socket.on('pong', () => {
      this.alive = true;
    });
    this.helloTimer = setTimeout(
      () => this.close(closeCodes.unauthenticated, 'hello expected'),
      helloTimeoutMs,
    );
  }

  send(frame: string, essential: boolean) {
    if (this.socket.readyState !== this.socket.OPEN) return;
    const buffered = this.socket.bufferedAmount;
    if (buffered > backpressure.close) {
      this.close(closeCodes.tooSlow, 'too slow');
      return;
    }
    if (!essential && buffered > backpressure.skipNonEssential) return;
    this.socket.send(frame);
  }

  private sendMessage(message: ServerMessage) {
    this.send(JSON.stringify(message), true);
  }

  close(code: number, reason: string) {
    if (this.state === 'closed') return;
    this.gone();
    this.socket.close(code, reason);
  }

  /** Heartbeat: called periodically; drops a socket that did not answer the previous ping. */
  heartbeat() {
    if (!this.alive) {
      this.socket.terminate();
      this.gone();
      return;
    }
    this.alive = false;
    this.socket.ping();
  }

  private gone() {
    if (this.state === 'closed') return;
    this.state = 'closed';
    clearTimeout(this.helloTimer);
    this.ctx.hub.remove(this);
    this.onGone(this);
  }

  private onFrame(data: RawData, isBinary: boolean) {
    if (this.state === 'closed') return;
    if (!this.takeToken()) {
      this.rateLimited();
      return;
    }
    this.chain = this.chain
      .then(() => this.handle(data, isBinary))
      .catch((err) => {
        this.ctx.log.error({ err: safeError(err), meetingId: this.meetingId }, 'live frame failed');
        this.error(new AppError('internal', 500), undefined);
      });
  }

  private takeToken(): boolean {
    const now = Date.now();
    this.tokens = Math.min(
      rateLimit.burst,
      this.tokens + ((now - this.refilledAt) / 1000) * rateLimit.perSecond,
    );
    this.refilledAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  private rateLimited() {
    const now = Date.now();
    if (now - this.refusedSince > floodLimit.windowMs) {
      this.refused = 0;
      this.refusedSince = now;
    }
    this.refused += 1;
    if (this.refused > floodLimit.refused) {
      this.ctx.log.info(
        { meetingId: this.meetingId, closeCode: closeCodes.flooding },
        'live socket closed for flooding',
      );
      this.close(closeCodes.flooding, 'flooding');
      return;
    }
    // One error a second is enough to tell a client to slow down.
    if (now - this.rateErrorAt >= 1000) {
      this.rateErrorAt = now;
      this.error(wsError('live.rateLimited'), undefined, true);
    }
  }

  private error(error: AppError, clientId: string | undefined, retry = false) {
    const message: ServerMessage = {
      type: 'error',
      code: error.code,
      message: translate(this.locale, `error.${error.code}`),
    };
    if (clientId) message.clientId = clientId;
    if (error.fields && Object.keys(error.fields).length > 0) message.fields = error.fields;
    if (retry || error.code === 'internal') message.retry = true;
    this.ctx.log.debug({ meetingId: this.meetingId, code: error.code }, 'live error frame');
    this.sendMessage(message);
  }

  private async handle(data: RawData, isBinary: boolean) {
    if (this.state === 'closed') return;
    let raw: unknown;
    try {
      if (isBinary) throw new Error('binary');
      raw = JSON.parse(rawText(data));
    } catch {
      return this.refuse(wsError('live.malformed'), undefined);
    }
    const echoedId =
      typeof raw === 'object' && raw !== null && 'clientId' in raw && typeof raw.clientId === 'string'
        ? uuidPattern.test(raw.clientId)
          ? raw.clientId
          : undefined
        : undefined;
    const parsed = clientMessage.safeParse(raw);
    if (!parsed.success) {
      const type = typeof raw === 'object' && raw !== null && 'type' in raw ? raw.type : undefined;
      return this.refuse(
        typeof type === 'string' && messageTypes.has(type)
          ? wsError('request.invalid', fieldErrorsFromZod(parsed.error.issues))
          : wsError('live.unknownType'),
        echoedId,
      );
    }
    const message = parsed.data;
    if (this.state === 'hello') {
      if (message.type !== 'hello') return this.refuse(wsError('live.helloRequired'), echoedId);
      return this.hello(message);
    }
    try {
      await this.dispatch(message);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      this.error(err, 'clientId' in message ? message.clientId : undefined);
    }
  }

  /** Before authentication any refusal ends the connection (4001); afterwards the socket stays usable. */
  private refuse(error: AppError, clientId: string | undefined) {
    this.error(error, clientId);
    if (this.state === 'hello') this.close(closeCodes.unauthenticated, 'hello expected');
  }

  private async hello(hello: Extract<ClientMessage, { type: 'hello' }>) {
    // The client said hello in time; how long authentication takes on a busy server is not its fault.
    clearTimeout(this.helloTimer);
    let identity: Awaited<ReturnType<typeof authenticate>>;
    try {
      identity = await authenticate(this.ctx, this.request, hello);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      if (hello.locale) this.locale = hello.locale;
      this.error(err, undefined);
      this.close(
        err instanceof RevokedError ? closeCodes.revoked : closeCodes.unauthenticated,
        'not admitted',
      );
      return;
    }
    if (this.state === 'closed') return;
    clearTimeout(this.helloTimer);
    this.state = 'ready';
    this.locale = identity.locale;
    this.meetingId = identity.meeting.id;
    this.audience = audienceOf(identity.role);
    this.participant = identity.participant
      ? { kind: identity.participant.kind, id: identity.participant.id }
      : null;
    this.passId = identity.passId;
    this.projectorTokenHash = identity.projectorTokenHash;
    const who = identity.participant;
    this.sendMessage({
      type: 'welcome',
      v: protocolVersion,
      role: identity.role,
      participant: who
        ? { ...(who.kind === 'member' ? { memberId: who.id } : { observerId: who.id }), name: who.name }
        : null,
      ...(identity.attendance ? { attendance: identity.attendance } : {}),
      serverTime: new Date().toISOString(),
    });
    this.ctx.hub.add(this);
  }

  private participantOrThrow(): ParticipantRef {
    if (!this.participant) throw wsError('live.notParticipant');
    return this.participant;
  }

  private async dispatch(message: ClientMessage) {
    const ctx = this.ctx;
    switch (message.type) {
      case 'hello':
        throw wsError('live.alreadyJoined');
      case 'resync':
        ctx.hub.requestSnapshot(this);
        return;
      case 'ping':
        this.sendMessage({ type: 'pong', ...(message.t !== undefined ? { t: message.t } : {}) });
        return;
      case 'submitBallot': {
        const outcome: SubmissionOutcome = await ctx.writer.submit({
          meetingId: this.meetingId,
          participant: this.participantOrThrow(),
          clientId: message.clientId,
          roundId: message.roundId,
          receipt: message.receipt,
          answers: message.answers,
        });
        if (!outcome.ok) throw outcome.error;
        this.sendMessage({ type: 'ack', clientId: message.clientId, duplicate: outcome.duplicate });
        return;
      }
      case 'submitCriticism':
        return this.acknowledge(
          message.clientId,
          submitCriticism(ctx.db, this.meetingId, this.participantOrThrow(), message),
        );
      case 'editCriticism':
        this.participantOrThrow();
        return this.acknowledge(message.clientId, editCriticism(ctx.db, this.meetingId, message));
      case 'withdrawCriticism':
        this.participantOrThrow();
        return this.acknowledge(message.clientId, withdrawCriticism(ctx.db, this.meetingId, message));
      case 'submitSelfExamination':
        return this.acknowledge(
          message.clientId,
          submitSelfExamination(ctx.db, this.meetingId, this.participantOrThrow(), message),
        );
      case 'submitResponse':
        return this.acknowledge(
          message.clientId,
          submitResponse(ctx.db, this.meetingId, this.participantOrThrow(), message),
        );
      case 'getBulletin':
        return this.bulletin(message.roundId);
      case 'checkItems':
        this.sendMessage({ type: 'items', items: await ownItems(ctx.db, this.meetingId, message.items) });
        return;
    }
  }

  /** Acknowledges only once the submission's transaction has committed. */
  private async acknowledge(clientId: string, work: Promise<Submitted>) {
    const result = await work;
    if (result.seq !== null) this.ctx.hub.noteEvent(this.meetingId, result.seq);
    this.sendMessage({
      type: 'ack',
      clientId,
      duplicate: result.duplicate,
      ...(result.itemId ? { itemId: result.itemId } : {}),
    });
  }

  /** The receipts of a closed round, sorted, so each device can find its own (and nobody anyone else's). */
  private async bulletin(roundId: string) {
    const round = await this.ctx.db
      .selectFrom('rounds')
      .select(['kind', 'state'])
      .where('id', '=', roundId)
      .where('meeting_id', '=', this.meetingId)
      .executeTakeFirst();
    if (!round) throw wsError('round.notFound');
    if (round.kind === 'criticism') throw wsError('round.wrongKind');
    if (round.state !== 'closed') throw wsError('round.notClosed');
    const rows = await this.ctx.db
      .selectFrom('ballots')
      .select('receipt')
      .where('round_id', '=', roundId)
      .orderBy('receipt')
      .execute();
    this.sendMessage({ type: 'bulletin', roundId, receipts: rows.map((r) => r.receipt) });
  }
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
