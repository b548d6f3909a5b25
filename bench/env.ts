/**
 * What every benchmark shares: a temporary database (a database created on DATABASE_URL's server
 * and dropped afterwards, or an embedded cluster in a temporary folder when DATABASE_URL is unset),
 * server processes on loopback, percentiles, and the machine line printed under each table.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../server/db/embedded-postgres.ts';
import type { ServerRequest, ServerStats } from './server.ts';

export interface TemporaryDatabase {
  url: string;
  /** Which server it lives on, for the report. */
  kind: 'DATABASE_URL (temporary database)' | 'embedded PostgreSQL (temporary)';
  drop(): Promise<void>;
}

/**
 * A fresh database: a temporary database on `adminUrl`'s server (by default DATABASE_URL's), else a
 * temporary embedded cluster.
 */
export async function temporaryDatabase(
  prefix = 'mj_bench',
  adminUrl = process.env.DATABASE_URL,
): Promise<TemporaryDatabase> {
  if (adminUrl) {
    const name = `${prefix}_${randomBytes(4).toString('hex')}`;
    await adminQuery(adminUrl, `create database ${name}`);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      kind: 'DATABASE_URL (temporary database)',
      drop: () => adminQuery(adminUrl, `drop database if exists ${name} with (force)`),
    };
  }
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'mingjing-bench-'));
  const server = await startEmbeddedPostgres({ dataDir, password: randomBytes(12).toString('hex') });
  return {
    url: server.url,
    kind: 'embedded PostgreSQL (temporary)',
    drop: async () => {
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function adminQuery(url: string, query: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(query);
  } finally {
    await client.end();
  }
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export const round1 = (x: number) => Math.round(x * 10) / 10;

/** p50/p99/max of a list of durations (ms), one decimal. */
export function distribution(values: readonly number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: round1(percentile(sorted, 50)),
    p99: round1(percentile(sorted, 99)),
    max: round1(sorted.at(-1) ?? Number.NaN),
  };
}

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  postgres: string;
  database: string;
  /** 1, 5 and 15-minute load averages when the scenario finished: other work on the machine shows here. */
  loadAverage: number[];
}

export async function machine(databaseUrl: string, database: string): Promise<Machine> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const version = (await client.query<{ version: string }>('select version()')).rows[0]?.version ?? '';
  await client.end();
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: round1(os.totalmem() / 2 ** 30),
    node: process.version,
    postgres: version.split(' on ')[0] ?? 'unknown',
    database,
    loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

export const machineLine = (m: Machine) =>
  `machine: ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, Node ${m.node}, ${m.postgres} (${m.database}), load average ${m.loadAverage.join(' / ')}`;

/** A server process of bench/server.ts: an app node, or the bare ws baseline. */
export interface BenchServer {
  /** http://127.0.0.1:port */
  url: string;
  /** ws://127.0.0.1:port */
  ws: string;
  stats(): Promise<ServerStats>;
  resetStats(): Promise<void>;
  /** Bare mode: sends `frame` to every socket `times` times; resolves when the sends were issued. */
  broadcast(frame: string, times: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startServer(env: Record<string, string>): Promise<BenchServer> {
  const child: ChildProcess = fork(path.join(import.meta.dirname, 'server.ts'), [], {
    // BENCH_CPU_PROF=dir writes a .cpuprofile of each server process there (finding what to optimise).
    execArgv: [
      '--import',
      'tsx',
      ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
    ],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let nextId = 1;
  const waiting = new Map<number, (reply: any) => void>();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    child.on('message', (message: any) => {
      if (message?.type === 'ready') resolve(message.url);
      else if (typeof message?.id === 'number') {
        waiting.get(message.id)?.(message);
        waiting.delete(message.id);
      }
    });
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code} before it was ready`)));
  });
  const ask = <T>(request: DistributiveOmit<ServerRequest, 'id'>): Promise<T> =>
    new Promise((resolve) => {
      const id = nextId++;
      waiting.set(id, resolve);
      child.send({ ...request, id });
    });
  return {
    url,
    ws: url.replace(/^http/, 'ws'),
    stats: async () => (await ask<{ stats: ServerStats }>({ type: 'stats' })).stats,
    resetStats: async () => {
      await ask({ type: 'reset' });
    },
    broadcast: async (frame, times) => {
      await ask({ type: 'broadcast', frame, times });
    },
    stop: async () => {
      if (child.exitCode !== null) return;
      child.send({ type: 'stop', id: 0 });
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits for every promise, but no longer than `ms` (the generator is bounded in time): those still
 * pending then are undefined.
 */
export async function allWithin<T>(
  promises: readonly Promise<T>[],
  ms: number,
): Promise<Array<T | undefined>> {
  const late = Symbol('late');
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<typeof late>((resolve) => {
    timer = setTimeout(() => resolve(late), ms);
  });
  const out = await Promise.all(
    promises.map((p) => Promise.race([p, deadline]).then((r) => (r === late ? undefined : (r as T)))),
  );
  clearTimeout(timer);
  return out;
}

/** Runs `task` over `items` with at most `limit` in flight. */
export async function inBatches<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
