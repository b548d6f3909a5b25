import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import { closeCodes, type LiveEvent } from '../../shared/schemas/live.ts';
import type { DB } from '../db/schema.ts';
import type { BusMessage, LiveBus } from './bus.ts';
import { currentSeqs, type EventRow, eventsAfter } from './events.ts';
import { ballotRoundCounts, loadPresence, type ParticipantRef } from './presence.ts';
import { safeError } from './safe-log.ts';
import {
  type Audience,
  attendanceView,
  audiences,
  loadMeetingInfo,
  type MeetingInfo,
  roundView,
  type ViewLoader,
} from './views.ts';

/** What the hub needs of a connected, authenticated socket. */
export interface HubConnection {
  readonly meetingId: string;
  readonly audience: Audience;
  readonly participant: ParticipantRef | null;
  /** The device/observer pass the socket authenticated with, so a revocation can close it. */
  readonly passId: string | null;
  /** The projector link's token hash, likewise. */
  readonly projectorTokenHash: string | null;
  /** The last sequence number this socket was brought up to; null until its first snapshot. */
  seq: number | null;
  /** `essential: false` frames (progress) may be skipped for a slow socket. */
  send(frame: string, essential: boolean): void;
  close(code: number, reason: string): void;
}

/** How often dirty meetings are announced on the bus (coalescing window). */
export const tickMs = 100;
/** Every this many ticks, rooms compare their seq with the database in case a notification was lost. */
const safetyPollTicks = 50;
const eventBatchLimit = 500;

/**
 * The live fan-out of one app node. Sockets of a meeting share a Room. Changes committed on this
 * node mark the meeting dirty; a ticker announces each dirty meeting at most once per tick on the
 * bus (`{m, s}` for structural events, `{m, p}` for counts), never once per ballot and never with
 * content. Every node — this one included — reacts to the bus by reading the database once per
 * meeting, building each audience's frame once, and sending the same string to all its sockets.
 */
export class LiveHub {
  private readonly rooms = new Map<string, Room>();
  private readonly dirty = new Map<string, BusMessage>();
  private ticker?: NodeJS.Timeout;
  private ticks = 0;
  private stopped = false;

  constructor(
    readonly db: Kysely<DB>,
    private readonly bus: LiveBus,
    readonly loader: ViewLoader,
    readonly log: FastifyBaseLogger,
  ) {}

  async start() {
    await this.bus.start({
      message: (message) => this.onBusMessage(message),
      resync: () => {
        for (const room of this.rooms.values())
          room.want({ events: true, progress: true, credentials: true });
      },
    });
    this.ticker = setInterval(() => this.tick(), tickMs);
    this.ticker.unref();
  }

  /** Announces what is still dirty, then stops listening. Sockets are closed by the caller. */
  async stop() {
    this.stopped = true;
    clearInterval(this.ticker);
    await this.publishDirty();
    await this.bus.close();
  }

  /** A structural change with this seq committed (call after the commit). */
  noteEvent(meetingId: string, seq: number) {
    const entry = this.dirtyEntry(meetingId);
    entry.s = Math.max(entry.s ?? 0, seq);
  }

  /** Answered counts changed (a ballot committed). */
  noteProgress(meetingId: string) {
    this.dirtyEntry(meetingId).p = 1;
  }

  /** A device binding or the projector link was revoked. */
  noteCredentials(meetingId: string) {
    this.dirtyEntry(meetingId).c = 1;
  }

  private dirtyEntry(meetingId: string): BusMessage {
    const entry = this.dirty.get(meetingId) ?? { m: meetingId };
    this.dirty.set(meetingId, entry);
    return entry;
  }

  private tick() {
    this.ticks += 1;
    if (this.ticks % safetyPollTicks === 0) void this.safetyPoll();
    void this.publishDirty();
  }

  private async publishDirty() {
    if (this.dirty.size === 0) return;
    const messages = [...this.dirty.values()];
    this.dirty.clear();
    try {
      await this.bus.publish(messages);
    } catch (err) {
      this.log.warn({ err: safeError(err) }, 'live bus publish failed');
    }
  }

  private onBusMessage(message: BusMessage) {
    const room = this.rooms.get(message.m);
    if (!room) return;
    room.want({
      events: message.s !== undefined && message.s > room.lastSeq,
      progress: !!message.p,
      credentials: !!message.c,
    });
  }

  private async safetyPoll() {
    const synced = [...this.rooms.values()].filter((r) => r.lastSeq >= 0);
    if (synced.length === 0) return;
    try {
      const seqs = await currentSeqs(
        this.db,
        synced.map((r) => r.meetingId),
      );
      for (const room of synced)
        if ((seqs.get(room.meetingId) ?? 0) > room.lastSeq) room.want({ events: true });
    } catch (err) {
      this.log.warn({ err: safeError(err) }, 'live safety poll failed');
    }
  }

  /** Adds an authenticated socket; it gets a snapshot, then events. */
  add(conn: HubConnection) {
    if (this.stopped) return;
    const room = this.rooms.get(conn.meetingId) ?? new Room(this, conn.meetingId);
    this.rooms.set(conn.meetingId, room);
    room.conns.add(conn);
    room.requestSnapshot(conn);
  }

  requestSnapshot(conn: HubConnection) {
    this.rooms.get(conn.meetingId)?.requestSnapshot(conn);
  }

  remove(conn: HubConnection) {
    const room = this.rooms.get(conn.meetingId);
    if (!room) return;
    room.conns.delete(conn);
    room.snapshotQueue.delete(conn);
    this.dropIfEmpty(room);
  }

  dropIfEmpty(room: Room) {
    if (room.conns.size === 0 && !room.running && this.rooms.get(room.meetingId) === room)
      this.rooms.delete(room.meetingId);
  }

  connections(): HubConnection[] {
    return [...this.rooms.values()].flatMap((r) => [...r.conns]);
  }
}

/** Above this many sockets, events that only change attendance go out at most every crowdAttendanceMs. */
const crowdSize = 100;
const crowdAttendanceMs = 1000;
/** Phones get progress frames at most this often. */
const phoneProgressMs = 1000;
/** Sockets written per slice of a broadcast before other work (acks, queries) gets its turn. */
const sliceSize = 128;

/**
 * Sends to many sockets in slices, yielding to the event loop between them: a broadcast to
 * thousands of sockets is thousands of socket writes, and done in one go it would hold acks and
 * query results back for as long. The room runs one job at a time, so frames still leave in order.
 */
async function inSlices(conns: readonly HubConnection[], send: (conn: HubConnection) => void) {
  for (let i = 0; i < conns.length; i += sliceSize) {
    if (i > 0) await new Promise((resolve) => setImmediate(resolve));
    for (const conn of conns.slice(i, i + sliceSize)) send(conn);
  }
}

/** Per-meeting worker: runs one job at a time so frames leave in order. */
class Room {
  readonly conns = new Set<HubConnection>();
  readonly snapshotQueue = new Set<HubConnection>();
  /** Events up to here have been sent; -1 until the first snapshot fixes a starting point. */
  lastSeq = -1;
  running = false;
  private wants = { events: false, progress: false, credentials: false };
  private retryTimer?: NodeJS.Timeout;
  /** When phones last got a progress frame (screens get one every tick). */
  private phoneProgressAt = 0;
  private phoneTimer?: NodeJS.Timeout;
  /** When the last event frame went out (crowds get attendance-only events at a slower pace). */
  private eventsSentAt = 0;
  private eventTimer?: NodeJS.Timeout;

  constructor(
    private readonly hub: LiveHub,
    readonly meetingId: string,
  ) {}

  want(what: Partial<Room['wants']>) {
    if (what.events) this.wants.events = true;
    if (what.progress) this.wants.progress = true;
    if (what.credentials) this.wants.credentials = true;
    this.kick();
  }

  requestSnapshot(conn: HubConnection) {
    this.snapshotQueue.add(conn);
    this.kick();
  }

  private kick() {
    if (this.running || this.retryTimer) return;
    this.running = true;
    void this.run();
  }

  private async run() {
    try {
      for (;;) {
        if (this.wants.events && this.lastSeq >= 0) {
          this.wants.events = false;
          await this.sendEvents();
        } else if (this.snapshotQueue.size > 0) {
          await this.sendSnapshots();
        } else if (this.wants.credentials) {
          this.wants.credentials = false;
          await this.checkCredentials();
        } else if (this.wants.progress) {
          this.wants.progress = false;
          if (this.lastSeq >= 0) await this.sendProgress();
        } else break;
      }
    } catch (err) {
      this.hub.log.warn({ err: safeError(err), meetingId: this.meetingId }, 'live fan-out failed; retrying');
      // A database hiccup: try again shortly, from the database's state, for everyone.
      this.wants.events = true;
      this.wants.progress = true;
      this.retryTimer = setTimeout(() => {
        this.retryTimer = undefined;
        this.kick();
      }, 1000);
      this.retryTimer.unref();
    } finally {
      this.running = false;
      this.hub.dropIfEmpty(this);
    }
  }

  private synced(): HubConnection[] {
    return [...this.conns].filter((c) => c.seq !== null);
  }

  private async meeting(): Promise<MeetingInfo | undefined> {
    return loadMeetingInfo(this.hub.db, this.meetingId);
  }

  private async sendSnapshots() {
    const conns = [...this.snapshotQueue];
    this.snapshotQueue.clear();
    try {
      const meeting = await this.meeting();
      if (!meeting) {
        for (const conn of conns) conn.close(closeCodes.unauthenticated, 'meeting gone');
        return;
      }
      const participants = conns.flatMap((c) => (c.participant ? [c.participant] : []));
      const snapshot = await this.hub.db
        .transaction()
        .setIsolationLevel('repeatable read')
        .execute((trx) => this.hub.loader.snapshot(trx, meeting, participants));
      const base = Object.fromEntries(
        audiences.map((a) => [a, JSON.stringify(snapshot.states[a])]),
      ) as Record<Audience, string>;
      for (const conn of conns) {
        if (!this.conns.has(conn)) continue;
        let state = base[conn.audience];
        if (conn.participant) {
          const answered = snapshot.answered.get(`${conn.participant.kind}:${conn.participant.id}`) ?? [];
          // Splice the one per-participant field into the shared serialization.
          state = `${state.slice(0, -1)},"answeredRoundIds":${JSON.stringify(answered)}}`;
        }
        conn.send(`{"type":"snapshot","seq":${snapshot.seq},"state":${state}}`, true);
        conn.seq = snapshot.seq;
      }
      if (this.lastSeq < 0) this.lastSeq = snapshot.seq;
      // Events committed while the snapshot was read may already be announced; catch up on them.
      this.wants.events = true;
    } catch (err) {
      for (const conn of conns) if (this.conns.has(conn)) this.snapshotQueue.add(conn);
      throw err;
    }
  }

  private async sendEvents() {
    const rows = await eventsAfter(this.hub.db, this.meetingId, this.lastSeq, eventBatchLimit);
    if (rows.length === 0) {
      // Nothing after lastSeq: either nothing happened, or the events were deleted (session closed).
      const seq = (await currentSeqs(this.hub.db, [this.meetingId])).get(this.meetingId) ?? 0;
      if (seq > this.lastSeq) this.resnapshotAll();
      return;
    }
    if (rows[0]!.seq !== this.lastSeq + 1) {
      this.resnapshotAll();
      return;
    }
    if (this.conns.size > crowdSize && rows.every((r) => r.kind === 'attendance')) {
      // A crowd checking in: attendance alone goes out at most once a second. Anything else —
      // a round opening, the timer — goes at once and carries the attendance with it.
      const wait = this.eventsSentAt + crowdAttendanceMs - Date.now();
      if (wait > 0) {
        this.deferEvents(wait);
        return;
      }
    }
    const meeting = await this.meeting();
    if (!meeting) return;
    this.eventsSentAt = Date.now();
    const events = await this.loadEvents(meeting, rows);
    const after = this.lastSeq;
    const seq = rows.at(-1)!.seq;
    const payload = Object.fromEntries(audiences.map((a) => [a, JSON.stringify(events[a])])) as Record<
      Audience,
      string
    >;
    const frame = (audience: Audience, from: number) =>
      `{"type":"event","after":${from},"seq":${seq},"events":${payload[audience]}}`;
    const shared = Object.fromEntries(audiences.map((a) => [a, frame(a, after)])) as Record<Audience, string>;
    await inSlices(this.synced(), (conn) => {
      if (conn.seq === null || conn.seq >= seq) return;
      // A socket whose snapshot was newer than `after` gets the same events with its own `after`:
      // they are whole-state replacements, so re-applying the older part is harmless.
      conn.send(conn.seq === after ? shared[conn.audience] : frame(conn.audience, conn.seq), true);
      conn.seq = seq;
    });
    this.lastSeq = seq;
    if (rows.length === eventBatchLimit) this.wants.events = true;
    // Attendance and rounds opening/closing change who may answer: refresh the counts too.
    this.wants.progress = true;
  }

  private resnapshotAll() {
    this.lastSeq = -1;
    for (const conn of this.conns) this.snapshotQueue.add(conn);
  }

  /** Loads each changed entity once (its latest state), in the order of its latest event. */
  private async loadEvents(meeting: MeetingInfo, rows: EventRow[]): Promise<Record<Audience, LiveEvent[]>> {
    const latest = new Map<string, EventRow>();
    for (const row of rows) {
      const key = row.kind === 'round' || row.kind === 'roundRemoved' ? `round:${row.entityId}` : row.kind;
      latest.delete(key);
      latest.set(key, row);
    }
    const ordered = [...latest.values()];
    const loader = this.hub.loader;
    const roundIds = ordered.filter((r) => r.kind === 'round').map((r) => r.entityId!);
    const [rounds, attendance, session] = await Promise.all([
      loader.rounds(this.hub.db, meeting, roundIds),
      ordered.some((r) => r.kind === 'attendance') ? loader.attendance(this.hub.db, meeting.id) : undefined,
      ordered.some((r) => r.kind === 'timer' || r.kind === 'session')
        ? loader.session(this.hub.db, meeting.id)
        : undefined,
    ]);
    const roundsById = new Map(rounds.map((r) => [r.row.id, r]));
    const eventFor = (row: EventRow, audience: Audience): LiveEvent => {
      switch (row.kind) {
        case 'round':
        case 'roundRemoved': {
          const round = row.kind === 'round' ? roundsById.get(row.entityId!) : undefined;
          return round
            ? { kind: 'round', round: roundView(round, audience, meeting.k) }
            : { kind: 'roundRemoved', roundId: row.entityId! };
        }
        case 'attendance':
          return { kind: 'attendance', attendance: attendanceView(attendance!, audience) };
        case 'timer':
          return { kind: 'timer', timer: loader.timerView(session!) };
        case 'session':
          return { kind: 'session', meeting: loader.meetingView(meeting, session!) };
      }
    };
    const build = (audience: Audience) => ordered.map((row) => eventFor(row, audience));
    return { host: build('host'), public: build('public') };
  }

  private async sendProgress() {
    const db = this.hub.db;
    const open = await db
      .selectFrom('rounds')
      .select(['id', 'kind', 'state'])
      .where('meeting_id', '=', this.meetingId)
      .where('state', '=', 'open')
      .where('kind', '!=', 'criticism')
      .execute();
    if (open.length === 0) return;
    const counts = await ballotRoundCounts(db, open, await loadPresence(db, this.meetingId));
    const progress = (audience: Audience) =>
      JSON.stringify({
        type: 'progress',
        rounds: open.map((r) => {
          const c = counts.get(r.id)!;
          return {
            roundId: r.id,
            answered: c.answered,
            eligible: c.eligible,
            ...(audience === 'host' && c.notAnswered ? { notAnswered: c.notAnswered } : {}),
          };
        }),
      });
    const frames = { host: progress('host'), public: progress('public') };
    // Screens (host console, projector) get every tick's counts; phones at most once a second —
    // they count their own ballot themselves, and N phones × ten frames a second would be most of
    // what a plenary's server does. A trailing send brings phones the final counts.
    const now = Date.now();
    const phonesToo = now - this.phoneProgressAt >= phoneProgressMs;
    if (phonesToo) this.phoneProgressAt = now;
    else this.trailingPhoneProgress(this.phoneProgressAt + phoneProgressMs - now);
    await inSlices(this.synced(), (conn) => {
      if (phonesToo || conn.participant === null) conn.send(frames[conn.audience], false);
    });
  }

  private deferEvents(delayMs: number) {
    if (this.eventTimer) return;
    this.eventTimer = setTimeout(() => {
      this.eventTimer = undefined;
      this.want({ events: true });
    }, delayMs);
    this.eventTimer.unref();
  }

  private trailingPhoneProgress(delayMs: number) {
    if (this.phoneTimer) return;
    this.phoneTimer = setTimeout(() => {
      this.phoneTimer = undefined;
      this.want({ progress: true });
    }, delayMs);
    this.phoneTimer.unref();
  }

  private async checkCredentials() {
    const db = this.hub.db;
    const passIds = [...this.conns].flatMap((c) => (c.passId ? [c.passId] : []));
    const [revoked, session] = await Promise.all([
      passIds.length === 0
        ? []
        : db
            .selectFrom('live_passes')
            .select('id')
            .where('id', 'in', passIds)
            .where('revoked_at', 'is not', null)
            .execute(),
      db
        .selectFrom('live_sessions')
        .select('projector_token_hash')
        .where('meeting_id', '=', this.meetingId)
        .executeTakeFirst(),
    ]);
    const revokedIds = new Set(revoked.map((r) => r.id));
    for (const conn of [...this.conns]) {
      const projectorRevoked =
        conn.projectorTokenHash !== null && conn.projectorTokenHash !== session?.projector_token_hash;
      if ((conn.passId && revokedIds.has(conn.passId)) || projectorRevoked)
        conn.close(closeCodes.revoked, 'revoked');
    }
  }
}
