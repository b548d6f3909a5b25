/**
 * Dashboard benchmark (not a test): generates a large history — by default 500 branches × 5 years
 * of monthly organization life with attendance, minutes, rectification and scores computed by
 * computeMeetingQuality — then measures the committee dashboard and branch dashboards through
 * the real HTTP routes (app.inject: routing, auth, validation, queries, serialization).
 *
 *   npx tsx bench/dashboard.ts [--branches 500] [--years 5] [--members 10] [--requests 100] [--json]
 *
 * Runs on an embedded PostgreSQL in a temporary folder, or — with DATABASE_URL — in a temporary
 * database created on that server and dropped afterwards. Prints p50/p95/max per route and the
 * machine it ran on.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { buildApp } from '../server/app.ts';
import { migrateToLatest, openDatabase } from '../server/db/connect.ts';
import { periodKey, trailingPeriods } from '../shared/domain/periods.ts';
import { shanghaiDate } from '../shared/domain/rectification.ts';
import { periodContaining } from '../shared/quality/compliance.ts';
import { grant, insertAccount, insertOrganization } from '../tests/support/fixtures.ts';
import { type BranchProfile, generateHistory } from '../tests/support/history.ts';
import { testPassword } from '../tests/support/test-app.ts';
import { percentile, temporaryDatabase } from './env.ts';

const { values: args } = parseArgs({
  options: {
    branches: { type: 'string', default: '500' },
    years: { type: 'string', default: '5' },
    members: { type: 'string', default: '10' },
    requests: { type: 'string', default: '100' },
    json: { type: 'boolean', default: false },
  },
});
const branches = Number(args.branches);
const years = Number(args.years);
const members = Number(args.members);
const requests = Number(args.requests);
const log = (line: string) => {
  if (!args.json) process.stderr.write(`${line}\n`);
};

/** Branch sizes and quality as a committee has them: most middling, some strong, some weak, a few tiny. */
function profiles(count: number, seed: number): BranchProfile[] {
  let a = seed;
  const next = () => {
    a = (a * 1103515245 + 12345) % 2 ** 31;
    return a / 2 ** 31;
  };
  return Array.from({ length: count }, (_, i) => {
    const tiny = next() < 0.06;
    return {
      name: `第${i + 1}党支部`,
      members: tiny ? 3 + Math.floor(next() * 2) : Math.max(5, Math.round(members * (0.5 + next()))),
      quality: Math.min(1, Math.max(0, (next() + next() + next()) / 3 + (next() - 0.5) * 0.3)),
      partyGroups: !tiny && next() < 0.2 ? 2 : 0,
      secretaryLogin: i === 0 ? 'bench-secretary' : undefined,
    };
  });
}

function summary(times: number[]) {
  const sorted = [...times].sort((x, y) => x - y);
  const round = (x: number) => Math.round(x * 10) / 10;
  return {
    requests: sorted.length,
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    max: round(sorted.at(-1)!),
  };
}

async function main() {
  const database = await temporaryDatabase('mj_bench');
  const handle = openDatabase({ url: database.url, poolSize: 10 });
  try {
    await migrateToLatest(handle.db);
    const db = handle.db;
    const started = performance.now();
    const committee = await insertOrganization(db, '基准测试党委', 'primaryCommittee');
    const generals = Math.max(1, Math.round(branches / 50));
    const all = profiles(branches, 42);
    let done = 0;
    let counts = { meetings: 0, attendance: 0, items: 0 };
    const branchIds: string[] = [];
    for (let g = 0; g < generals; g++) {
      const general = await insertOrganization(db, `第${g + 1}党总支`, 'generalBranch', committee);
      const share = all.slice(
        Math.floor((g * all.length) / generals),
        Math.floor(((g + 1) * all.length) / generals),
      );
      const generated = await generateHistory(db, {
        parent: general,
        branches: share,
        months: years * 12,
        seed: 1000 + g,
        onBranch: (n) => {
          if ((done + n) % 50 === 0) log(`  generated ${done + n}/${branches} branches`);
        },
      });
      done += share.length;
      counts = {
        meetings: counts.meetings + generated.meetings,
        attendance: counts.attendance + generated.attendance,
        items: counts.items + generated.items,
      };
      branchIds.push(...generated.branches.map((b) => b.id));
    }
    await sql`analyze`.execute(db);
    const generationSeconds = (performance.now() - started) / 1000;
    log(`generated ${counts.meetings} meetings in ${generationSeconds.toFixed(0)} s`);

    const viewer = await insertAccount(db, 'bench-viewer', '党委组织部');
    await grant(db, viewer, committee.id, 'committeeViewer');
    const app = await buildApp({ db, sessionSecret: randomBytes(32).toString('hex'), logger: false });
    await app.ready();
    const cookieOf = async (login: string) => {
      const response = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { login, password: testPassword },
      });
      if (response.statusCode !== 200) throw new Error(`sign-in failed: ${response.body}`);
      return response.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    };
    const viewerCookie = await cookieOf('bench-viewer');
    const secretaryCookie = await cookieOf('bench-secretary');

    const today = shanghaiDate(new Date());
    const quarters = trailingPeriods(periodContaining(today, 'quarter'), 8).map(periodKey);
    const thisYear = Number(today.slice(0, 4));
    const timed = async (url: string, cookie: string) => {
      const t0 = performance.now();
      const response = await app.inject({ method: 'GET', url, headers: { cookie } });
      const ms = performance.now() - t0;
      if (response.statusCode !== 200)
        throw new Error(`${url}: ${response.statusCode} ${response.body.slice(0, 200)}`);
      return { ms, bytes: response.rawPayload.length };
    };
    const measure = async (
      label: string,
      count: number,
      request: (i: number) => { url: string; cookie: string },
    ) => {
      // Warm-up: first queries plan and fill caches; they are not what a user waits for every day.
      for (let i = 0; i < 3; i++) await timed(request(i).url, request(i).cookie);
      const times: number[] = [];
      let bytes = 0;
      for (let i = 0; i < count; i++) {
        const r = await timed(request(i).url, request(i).cookie);
        times.push(r.ms);
        bytes = Math.max(bytes, r.bytes);
      }
      const result = { ...summary(times), largestResponseKiB: Math.round(bytes / 1024) };
      log(
        `${label}: p50 ${result.p50} ms · p95 ${result.p95} ms · max ${result.max} ms (${result.requests} requests)`,
      );
      return result;
    };

    const results = {
      committeeDashboard: await measure(`committee dashboard, ${branches} branches`, requests, (i) => ({
        url: `/api/organizations/${committee.id}/committee-dashboard?period=${quarters[i % quarters.length]}`,
        cookie: viewerCookie,
      })),
      committeeDashboardYear: await measure(
        'committee dashboard, a year',
        Math.max(10, Math.round(requests / 5)),
        (i) => ({
          url: `/api/organizations/${committee.id}/committee-dashboard?period=${thisYear - (i % 3)}`,
          cookie: viewerCookie,
        }),
      ),
      branchDashboardByCommittee: await measure(
        'branch dashboard, read by the committee',
        requests * 2,
        (i) => ({
          url: `/api/organizations/${branchIds[(i * 7919) % branchIds.length]}/dashboard?period=${quarters[i % quarters.length]}`,
          cookie: viewerCookie,
        }),
      ),
      branchDashboardBySecretary: await measure('branch dashboard, read by its secretary', requests, (i) => ({
        url: `/api/organizations/${branchIds[0]}/dashboard?period=${quarters[i % quarters.length]}`,
        cookie: secretaryCookie,
      })),
    };
    await app.close();

    const [pgVersion] = (await sql<{ version: string }>`select version()`.execute(db)).rows;
    const report = {
      scale: { branches, years, membersPerBranch: members, ...counts },
      generationSeconds: Math.round(generationSeconds),
      database: database.kind,
      results,
      machine: {
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model ?? 'unknown',
        memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
        node: process.version,
        postgres: pgVersion?.version.split(' on ')[0] ?? 'unknown',
      },
    };
    if (args.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else {
      log(
        `machine: ${report.machine.cpus} × ${report.machine.cpuModel}, ${report.machine.memoryGiB} GiB, Node ${report.machine.node}, ${report.machine.postgres}`,
      );
    }
  } finally {
    await handle.close();
    await database.drop();
  }
}

await main();
