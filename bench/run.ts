/**
 * `npm run bench`: the live-meeting benchmarks (BENCHMARKS.md). Each scenario prints a table and the
 * machine it ran on; `--json` prints one JSON report on stdout instead (progress goes to stderr).
 *
 *   npm run bench -- [--participants 2000 | --scale 1] [--scenario plenary,ingest,fanout,reconnect,twoNodes]
 *                    [--join-rate 100] [--window 10] [--json]
 *
 * Everything runs on loopback: the app nodes and the bare ws baseline are child processes
 * (bench/server.ts), the load generator is this process. The database is a temporary one on
 * DATABASE_URL's server (dropped afterwards) — the same server pgbench is run against — or, without
 * DATABASE_URL, a temporary embedded PostgreSQL; the machine line says which.
 */
import { parseArgs } from 'node:util';
import { type Machine, machineLine } from './env.ts';
import { LiveBench } from './live-bench.ts';
import { fanout } from './scenarios/fanout.ts';
import { ingest } from './scenarios/ingest.ts';
import { plenary } from './scenarios/plenary.ts';
import { reconnectStorm } from './scenarios/reconnect.ts';
import { twoNodes } from './scenarios/two-nodes.ts';

const scenarios = { plenary, ingest, fanout, reconnect: reconnectStorm, twoNodes } as const;
type ScenarioName = keyof typeof scenarios;
const titles: Record<ScenarioName, string> = {
  plenary: 'Plenary appraisal',
  ingest: 'Ingest ceiling',
  fanout: 'Fan-out ceiling',
  reconnect: 'Reconnect storm',
  twoNodes: 'Two nodes on one PostgreSQL',
};

export interface BenchReport {
  participants: number;
  scenarios: Partial<Record<ScenarioName, { result: unknown; machine: Machine; seconds: number }>>;
  totalSeconds: number;
}

export async function runBench(options: {
  participants: number;
  scenarios: ScenarioName[];
  joinRate: number;
  windowMs: number;
  log: (line: string) => void;
  print: (line: string) => void;
  adminUrl?: string;
  short?: boolean;
}): Promise<BenchReport> {
  const started = performance.now();
  const bench = await LiveBench.start(options);
  const report: BenchReport = { participants: options.participants, scenarios: {}, totalSeconds: 0 };
  try {
    for (const name of options.scenarios) {
      const t0 = performance.now();
      const { result, table } = await scenarios[name](bench);
      const seconds = Math.round((performance.now() - t0) / 100) / 10;
      const machine = await bench.machine();
      report.scenarios[name] = { result, machine, seconds };
      printTable(options.print, `${titles[name]} — N = ${options.participants} (${seconds} s)`, table);
      options.print(machineLine(machine));
      options.print('');
    }
  } finally {
    await bench.close();
  }
  report.totalSeconds = Math.round((performance.now() - started) / 1000);
  return report;
}

function printTable(print: (line: string) => void, title: string, rows: Array<[string, string]>) {
  const width = Math.max(...rows.map(([k]) => k.length));
  const valueWidth = Math.max(...rows.map(([, v]) => v.length));
  print(title);
  print(`| ${'figure'.padEnd(width)} | ${'result'.padEnd(valueWidth)} |`);
  print(`|${'-'.repeat(width + 2)}|${'-'.repeat(valueWidth + 2)}|`);
  for (const [k, v] of rows) print(`| ${k.padEnd(width)} | ${v.padEnd(valueWidth)} |`);
}

const isMain = process.argv[1]?.endsWith('bench/run.ts');
if (isMain) {
  const { values: args } = parseArgs({
    options: {
      participants: { type: 'string' },
      scale: { type: 'string' },
      scenario: { type: 'string', default: Object.keys(scenarios).join(',') },
      'join-rate': { type: 'string', default: '100' },
      window: { type: 'string', default: '10' },
      json: { type: 'boolean', default: false },
    },
  });
  // --scale 1 is the default plenary of 2,000; --scale 2.5 is the 5,000 of the targets.
  const participants = args.participants
    ? Number(args.participants)
    : Math.round(2000 * Number(args.scale ?? 1));
  const names = args.scenario.split(',').map((s) => s.trim());
  const unknown = names.filter((s) => !(s in scenarios));
  if (!Number.isInteger(participants) || participants < 2 || unknown.length > 0) {
    process.stderr.write(
      `usage: npm run bench -- [--participants N | --scale X] [--scenario ${Object.keys(scenarios).join(',')}] [--join-rate R] [--window S] [--json]\n`,
    );
    process.exit(2);
  }
  const json = args.json;
  const report = await runBench({
    participants,
    scenarios: names as ScenarioName[],
    joinRate: Number(args['join-rate']),
    windowMs: Number(args.window) * 1000,
    log: (line) => process.stderr.write(`${line}\n`),
    print: (line) => (json ? process.stderr : process.stdout).write(`${line}\n`),
  });
  if (json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  process.exit(0);
}
