import pg from 'pg';
import { z } from 'zod';

/**
 * How app nodes tell each other that a live meeting changed. Messages are tiny and carry no content:
 * `{ m: meetingId, s: latestSeq }` (structural events to read from live_events), `p: 1` (counts
 * changed), `c: 1` (a device binding or projector link was revoked). Delivery is best effort; every
 * node resyncs from the database after a gap, so a lost message delays an update, never loses one.
 * Another engine (Redis, NATS) can replace PostgreSQL by implementing LiveBus.
 */
export const busMessage = z.strictObject({
  m: z.uuid(),
  s: z.number().int().positive().optional(),
  p: z.literal(1).optional(),
  c: z.literal(1).optional(),
});
export type BusMessage = z.infer<typeof busMessage>;

export interface BusHandler {
  message(message: BusMessage): void;
  /** Messages may have been missed (the listener reconnected): re-read everything that is live. */
  resync(): void;
}

export interface LiveBus {
  /** Starts delivering every node's messages, this node's own included, to `handler`. */
  start(handler: BusHandler): Promise<void>;
  publish(messages: readonly BusMessage[]): Promise<void>;
  close(): Promise<void>;
}

/** A single node (the embedded database): messages go straight to this node's handler. */
export class InProcessBus implements LiveBus {
  private handler?: BusHandler;

  async start(handler: BusHandler) {
    this.handler = handler;
  }

  async publish(messages: readonly BusMessage[]) {
    // Asynchronously, like a real bus: the publisher's transaction work is never re-entered.
    setImmediate(() => {
      for (const message of messages) this.handler?.message(message);
    });
  }

  async close() {
    this.handler = undefined;
  }
}

export const liveChannel = 'mj_live';

interface Logger {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

/**
 * Several nodes on one PostgreSQL: LISTEN on one channel over one dedicated connection per node
 * (never a pooled one: LISTEN is session state), NOTIFY through the same connection, outside any
 * data transaction (a NOTIFY inside a transaction serializes commits). Reconnects with backoff and
 * then asks the hub to resync, since notifications sent meanwhile are gone.
 */
export class PgNotifyBus implements LiveBus {
  private client?: pg.Client;
  private handler?: BusHandler;
  private closing = false;
  private connectedOnce = false;
  private backoffMs = 250;
  private reconnectTimer?: NodeJS.Timeout;
  /** Messages published while disconnected, sent after reconnecting (bounded; the rest resync). */
  private pending: BusMessage[] = [];

  constructor(
    private readonly url: string,
    private readonly log: Logger = { warn: () => {}, info: () => {} },
  ) {}

  async start(handler: BusHandler) {
    this.handler = handler;
    await this.connect();
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url, application_name: 'mingjing-live-bus' });
    client.on('notification', (n) => {
      if (n.channel !== liveChannel || !n.payload) return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(n.payload);
      } catch {
        return;
      }
      const message = busMessage.safeParse(parsed);
      if (message.success) this.handler?.message(message.data);
    });
    client.on('error', (err) => {
      this.log.warn({ code: (err as { code?: string }).code }, 'live bus connection failed');
      this.lost(client);
    });
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`listen ${liveChannel}`);
    } catch (err) {
      await client.end().catch(() => {});
      if (!this.connectedOnce) throw err;
      this.scheduleReconnect();
      return;
    }
    if (this.closing) {
      await client.end().catch(() => {});
      return;
    }
    this.client = client;
    this.backoffMs = 250;
    const resumed = this.connectedOnce;
    this.connectedOnce = true;
    if (resumed) {
      this.log.info({}, 'live bus reconnected');
      this.handler?.resync();
    }
    const pending = this.pending.splice(0);
    if (pending.length > 0) await this.publish(pending);
  }

  private lost(client: pg.Client) {
    if (client !== this.client) return;
    this.client = undefined;
    client.end().catch(() => {});
    this.scheduleReconnect();
  }

  private scheduleReconnect() {
    if (this.closing || this.reconnectTimer) return;
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, 10_000);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      void this.connect();
    }, delay);
    this.reconnectTimer.unref();
  }

  async publish(messages: readonly BusMessage[]) {
    if (messages.length === 0) return;
    const client = this.client;
    if (!client) {
      this.pending.push(...messages);
      this.pending.splice(0, Math.max(0, this.pending.length - 1000));
      return;
    }
    try {
      // One round trip per tick, however many meetings changed.
      await client.query('select pg_notify($1, payload) from unnest($2::text[]) as payload', [
        liveChannel,
        messages.map((m) => JSON.stringify(m)),
      ]);
    } catch {
      this.pending.push(...messages);
      this.lost(client);
    }
  }

  async close() {
    this.closing = true;
    clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = undefined;
    this.handler = undefined;
    await client?.end().catch(() => {});
  }
}
