/**
 * The state the live scenarios share within one `npm run bench`: a temporary database seeded with
 * the plenary (bench/world.ts), app node A as a separate process, the host console, the projector
 * link, and N phones (bench/load.ts) that join once and stay for the scenarios that follow.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { type Kysely, sql } from 'kysely';
import { migrateToLatest, openDatabase } from '../server/db/connect.ts';
import type { DB } from '../server/db/schema.ts';
import { LiveClient } from '../tests/support/live-client.ts';
import {
  type BenchServer,
  distribution,
  inBatches,
  machine,
  sleep,
  startServer,
  type TemporaryDatabase,
  temporaryDatabase,
} from './env.ts';
import { BenchClient } from './load.ts';
import { HostApi, seedWorld, type World } from './world.ts';

export interface BenchOptions {
  participants: number;
  /** Phones arriving per second while the meeting fills (open loop). */
  joinRate: number;
  /** The window in which everyone casts their ballot (the issue: 10 s). */
  windowMs: number;
  log: (line: string) => void;
  /** The smoke test's run: fewer broadcasts, a 1 s pgbench and a 1 s reconnect spread. */
  short?: boolean;
  /** The PostgreSQL server to create the temporary database on; default DATABASE_URL, else embedded. */
  adminUrl?: string;
}

const sessionSecret = 'bench-session-secret-that-is-long-enough-0123456789';

export class LiveBench {
  readonly clients: BenchClient[];
  /** The load generator's own event-loop delay: when it is high, latencies include the generator's queue. */
  readonly generatorDelay = monitorEventLoopDelay({ resolution: 10 });
  private joinTimes?: number[];
  /** Joins that had to be tried again (connection reset, hello refused). */
  joinRetries = 0;
  /** Why joins were retried, and how often. */
  readonly joinErrors = new Map<string, number>();
  private rounds = 0;
  private readonly extraServers: BenchServer[] = [];

  private constructor(
    readonly options: BenchOptions,
    readonly database: TemporaryDatabase,
    readonly db: Kysely<DB>,
    private readonly closeDb: () => Promise<void>,
    readonly world: World,
    readonly nodeA: BenchServer,
    readonly host: HostApi,
    readonly projectorToken: string,
  ) {
    this.generatorDelay.enable();
    this.clients = world.tokens.map((token) => new BenchClient(world.meetingId, { kind: 'device', token }));
  }

  static async start(options: BenchOptions): Promise<LiveBench> {
    const database = await temporaryDatabase('mj_bench_live', options.adminUrl ?? process.env.DATABASE_URL);
    const handle = openDatabase({ url: database.url, poolSize: 4 });
    try {
      await migrateToLatest(handle.db);
      const world = await seedWorld(handle.db, options.participants);
      await sql`analyze`.execute(handle.db);
      const nodeA = await startServer(LiveBench.nodeEnv(database.url));
      const host = await HostApi.signIn(nodeA.url, world.meetingId);
      await host.openSession();
      const projectorToken = await host.projectorToken();
      options.log(
        `database ${database.kind}; ${options.participants} participants seeded; node A at ${nodeA.url}`,
      );
      return new LiveBench(
        options,
        database,
        handle.db,
        () => handle.close(),
        world,
        nodeA,
        host,
        projectorToken,
      );
    } catch (err) {
      await handle.close();
      await database.drop();
      throw err;
    }
  }

  private static nodeEnv(url: string) {
    return { DATABASE_URL: url, BENCH_SESSION_SECRET: sessionSecret };
  }

  /** Another app node on the same database (the two-node scenario). */
  async startNode(): Promise<BenchServer> {
    const node = await startServer(LiveBench.nodeEnv(this.database.url));
    this.extraServers.push(node);
    return node;
  }

  /** A bare ws server (the fan-out baseline). */
  async startBare(): Promise<BenchServer> {
    const node = await startServer({ BENCH_BARE: '1' });
    this.extraServers.push(node);
    return node;
  }

  async stopServer(server: BenchServer) {
    await server.stop();
    this.extraServers.splice(this.extraServers.indexOf(server), 1);
  }

  /** The projector on a node, as a full protocol client (schema-checked, state applied). */
  async projector(node: BenchServer = this.nodeA): Promise<LiveClient> {
    const client = await new LiveClient({ url: node.ws, timeoutMs: 120_000 }).open();
    return client.join(this.world.meetingId, { kind: 'projector', token: this.projectorToken });
  }

  /**
   * The host console, as a lean client that keeps the answered counts: the host's frames carry the
   * whole attendee list, and validating each against the schema would load the generator, not the server.
   */
  async hostConsole(node: BenchServer = this.nodeA): Promise<BenchClient> {
    const client = new BenchClient(
      this.world.meetingId,
      { kind: 'session', as: 'host' },
      { cookie: this.host.cookie, watchProgress: true },
    );
    await client.join(node.ws);
    return client;
  }

  /**
   * Every phone joins node A (and so checks in), arriving at `joinRate` per second whatever the
   * server's pace (open loop: a slow server shows as long join times, not as a slower arrival).
   * Returns each join's time from opening the socket to holding the snapshot; later calls reuse it.
   */
  async joinAll(): Promise<{ times: number[]; seconds: number }> {
    if (this.joinTimes) return { times: this.joinTimes, seconds: Number.NaN };
    const started = performance.now();
    const intervalMs = 1000 / this.options.joinRate;
    const times = await Promise.all(
      this.clients.map(async (client, i) => {
        await sleep(i * intervalMs - (performance.now() - started));
        const t0 = performance.now();
        await this.joinWithRetry(client, this.nodeA);
        return performance.now() - t0;
      }),
    );
    this.joinTimes = times;
    const seconds = (performance.now() - started) / 1000;
    const d = distribution(times);
    if (this.joinErrors.size > 0)
      this.options.log(`  join retries: ${JSON.stringify(Object.fromEntries(this.joinErrors))}`);
    this.options.log(
      `  ${times.length} joined in ${seconds.toFixed(1)} s; join p50 ${d.p50} ms, p99 ${d.p99} ms`,
    );
    return { times, seconds };
  }

  /** Like a phone: a refused or reset connection is tried again a moment later (five tries). */
  async joinWithRetry(client: BenchClient, node: BenchServer) {
    for (let attempt = 1; ; attempt++) {
      try {
        await client.join(node.ws);
        return;
      } catch (err) {
        this.joinRetries += 1;
        const why = (err as Error).message;
        this.joinErrors.set(why, (this.joinErrors.get(why) ?? 0) + 1);
        if (attempt === 5) {
          this.options.log(`  join retries: ${JSON.stringify(Object.fromEntries(this.joinErrors))}`);
          throw err;
        }
        client.drop();
        await sleep(1000 * attempt);
      }
    }
  }

  nextTitle(what: string) {
    this.rounds += 1;
    return `${what} ${this.rounds}`;
  }

  /** What the database holds for a round: ballots, distinct receipts, participations, and which receipts. */
  async durable(roundId: string) {
    const [ballots, participations] = await Promise.all([
      this.db.selectFrom('ballots').select('receipt').where('round_id', '=', roundId).execute(),
      this.db
        .selectFrom('round_participations')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('round_id', '=', roundId)
        .executeTakeFirstOrThrow(),
    ]);
    const receipts = new Set(ballots.map((b) => b.receipt));
    return {
      ballots: ballots.length,
      duplicates: ballots.length - receipts.size,
      participations: Number(participations.n),
      receipts,
    };
  }

  /** Reconnects each of `clients` to `node` (closing its current socket), `limit` at a time. */
  async moveTo(clients: readonly BenchClient[], node: BenchServer, limit = 100) {
    await inBatches(clients, limit, async (client) => {
      client.close();
      await this.joinWithRetry(client, node);
    });
  }

  machine() {
    return machine(this.database.url, this.database.kind);
  }

  async close() {
    for (const client of this.clients) client.drop();
    for (const server of [...this.extraServers]) await server.stop();
    await this.nodeA.stop();
    await this.closeDb();
    await this.database.drop();
  }
}
