/**
 * One benchmark server process, started by bench/run.ts (never by hand): either a Mingjing app node
 * on DATABASE_URL (the real buildApp, PgNotifyBus between nodes, as `npm start` with DATABASE_URL
 * runs it), or — with BENCH_BARE=1 — a bare `ws` server that only broadcasts, the baseline of the
 * fan-out scenario. It listens on a loopback port and talks to the harness over the IPC channel:
 * `ready` with its address, then answers `stats` (RSS, event-loop delay since the last `reset`) and
 * `broadcast` (bare mode), and exits on `stop`. Separate processes, so RSS and event-loop delay are
 * the server's alone, not the load generator's.
 */
import { randomBytes } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { WebSocketServer } from 'ws';
import { buildApp } from '../server/app.ts';
import { openDatabase } from '../server/db/connect.ts';

export type ServerRequest =
  | { type: 'stats'; id: number }
  | { type: 'reset'; id: number }
  | { type: 'broadcast'; id: number; frame: string; times: number }
  | { type: 'stop'; id: number };

export interface ServerStats {
  rssMiB: number;
  /** Event-loop delay since the last reset, from a 10 ms-resolution histogram (ms). */
  eventLoopP99Ms: number;
  eventLoopMaxMs: number;
  connections: number;
}

const send = (message: unknown) => process.send?.(message);
const delay = monitorEventLoopDelay({ resolution: 10 });
delay.enable();

function stats(connections: number): ServerStats {
  return {
    rssMiB: Math.round(process.memoryUsage.rss() / 2 ** 20),
    eventLoopP99Ms: Math.round(delay.percentile(99) / 1e5) / 10,
    eventLoopMaxMs: Math.round(delay.max / 1e5) / 10,
    connections,
  };
}

async function bare() {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const address = wss.address();
  if (!address || typeof address === 'string') throw new Error('unexpected address');
  process.on('message', (request: ServerRequest) => {
    switch (request.type) {
      case 'broadcast':
        // The plainest fan-out there is: the same string to every open socket.
        for (let i = 0; i < request.times; i++) for (const client of wss.clients) client.send(request.frame);
        send({ id: request.id, ok: true });
        return;
      case 'stats':
        send({ id: request.id, stats: stats(wss.clients.size) });
        return;
      case 'reset':
        delay.reset();
        send({ id: request.id, ok: true });
        return;
      case 'stop':
        for (const client of wss.clients) client.terminate();
        wss.close(() => process.exit(0));
        return;
    }
  });
  send({ type: 'ready', url: `http://127.0.0.1:${address.port}` });
}

async function app() {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is required');
  const handle = openDatabase({ url, poolSize: Number(process.env.BENCH_POOL ?? 10) });
  const server = await buildApp({
    db: handle.db,
    sessionSecret: process.env.BENCH_SESSION_SECRET ?? randomBytes(32).toString('hex'),
    logger: false,
    databaseUrl: url,
  });
  const base = await server.listen({ port: 0, host: '127.0.0.1' });
  process.on('message', async (request: ServerRequest) => {
    switch (request.type) {
      case 'stats': {
        const open = await new Promise<number>((resolve) =>
          server.server.getConnections((_err, count) => resolve(count ?? 0)),
        );
        send({ id: request.id, stats: stats(open) });
        return;
      }
      case 'reset':
        delay.reset();
        send({ id: request.id, ok: true });
        return;
      case 'broadcast':
        send({ id: request.id, ok: false });
        return;
      case 'stop':
        await server.close();
        await handle.close();
        process.exit(0);
    }
  });
  send({ type: 'ready', url: base });
}

process.on('disconnect', () => process.exit(0));
await (process.env.BENCH_BARE === '1' ? bare() : app());
