/**
 * Ingest ceiling: every phone casts one ballot in each of several open polls at once, so the server
 * is saturated; the figure is ballots acknowledged (committed) per second. In the same run, pgbench
 * inserts one row per transaction into a table on the same PostgreSQL with 1 and with 32 clients —
 * what the database gives without group commit — and the ratio is printed.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { round1 } from '../env.ts';
import type { LiveBench } from '../live-bench.ts';
import { pollBallot, pollConfig } from '../world.ts';

/** Polls open at once: each phone may cast one ballot per round. */
const rounds = 3;
const pgbenchPaths = ['/usr/lib/postgresql/15/bin/pgbench', '/usr/bin/pgbench'];

export async function ingest(bench: LiveBench) {
  const { log } = bench.options;
  await bench.joinAll();
  log(`ingest ceiling: ${bench.clients.length} phones × ${rounds} polls`);
  const roundIds: string[] = [];
  for (let i = 0; i < rounds; i++)
    roundIds.push(await bench.host.openRound(bench.nextTitle('表决'), pollConfig(i)));

  const started = performance.now();
  const casts = bench.clients.flatMap((client) =>
    roundIds.map((roundId) => client.ballot(roundId, pollBallot())),
  );
  const answers = await Promise.all(casts.map((c) => c.answer));
  const acked = answers.filter((a) => a.ok).length;
  const seconds = (Math.max(...answers.map((a) => a.at)) - started) / 1000;
  let durable = 0;
  let duplicates = 0;
  for (const roundId of roundIds) {
    const d = await bench.durable(roundId);
    durable += d.ballots;
    duplicates += d.duplicates;
    await bench.host.closeRound(roundId);
  }
  const ballotsPerSecond = Math.round(acked / seconds);
  log(`  ${acked} ballots acknowledged in ${seconds.toFixed(2)} s`);

  const pgbench = await runPgbench(bench);
  const ratio1 = pgbench ? round1(ballotsPerSecond / pgbench.oneClient) : null;
  const ratio32 = pgbench ? Math.round((ballotsPerSecond / pgbench.clients32) * 100) / 100 : null;
  const result = {
    ballots: casts.length,
    acknowledged: acked,
    durable,
    duplicates,
    seconds: round1(seconds),
    ballotsPerSecond,
    pgbench,
    ratioToPgbench1: ratio1,
    ratioToPgbench32: ratio32,
  };
  return {
    result,
    table: [
      [
        'ballots acknowledged durably per second (saturated)',
        `${ballotsPerSecond} /s (${acked} in ${round1(seconds)} s)`,
      ],
      ['ballots durable / duplicates', `${durable} of ${casts.length} / ${duplicates}`],
      ['pgbench one-row insert, 1 client', pgbench ? `${pgbench.oneClient} tps` : 'pgbench not found'],
      ['pgbench one-row insert, 32 clients', pgbench ? `${pgbench.clients32} tps` : 'pgbench not found'],
      ['ingest ÷ pgbench 1 client', ratio1 === null ? '—' : `${ratio1}`],
      ['ingest ÷ pgbench 32 clients', ratio32 === null ? '—' : `${ratio32}`],
    ] as Array<[string, string]>,
  };
}

async function runPgbench(bench: LiveBench): Promise<{ oneClient: number; clients32: number } | null> {
  const binary = pgbenchPaths.find((p) => existsSync(p));
  if (!binary) return null;
  // A table shaped like a ballot row, in the same database the app writes to.
  await sql`create table bench_pgbench (id bigserial primary key, round_id uuid not null, content jsonb not null, receipt text not null)`.execute(
    bench.db,
  );
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mj-pgbench-'));
  const script = path.join(dir, 'insert.sql');
  await writeFile(
    script,
    `insert into bench_pgbench (round_id, content, receipt) values (gen_random_uuid(), '{"kind":"poll","choices":[1]}', md5(random()::text));\n`,
  );
  const run = async (clients: number) => {
    const { stdout, stderr } = await promisify(execFile)(binary, [
      '-n',
      '-f',
      script,
      '-c',
      String(clients),
      '-j',
      String(Math.min(clients, 2)),
      // The smoke run counts transactions instead of seconds: 32 clients' password handshakes
      // with the embedded server can take longer than a 1-s run, which then measures nothing.
      ...(bench.options.short ? ['-t', '20'] : ['-T', '5']),
      bench.database.url,
    ]);
    const tps = stdout.match(/tps = ([\d.]+)/);
    if (!tps) throw new Error(`pgbench printed no tps:\n${stdout}\n${stderr}`);
    return Math.round(Number(tps[1]));
  };
  try {
    const oneClient = await run(1);
    const clients32 = await run(32);
    bench.options.log(`  pgbench: ${oneClient} tps with 1 client, ${clients32} tps with 32`);
    return { oneClient, clients32 };
  } finally {
    await rm(dir, { recursive: true, force: true });
    await sql`drop table bench_pgbench`.execute(bench.db);
  }
}
