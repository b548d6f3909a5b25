import { describe, expect, inject, it } from 'vitest';
import { runBench } from '../../bench/run.ts';
import { dbVariantsFromEnv } from '../support/db-variants.ts';

/**
 * A small run of `npm run bench` (bench/run.ts) so the harness cannot rot: every scenario at 20
 * participants against a real server process, asserting the report has its figures and that no
 * acknowledged ballot was lost or doubled. The figures themselves are benchmark results, not
 * assertions (BENCHMARKS.md).
 */
for (const variant of dbVariantsFromEnv()) {
  describe(`${variant}: the benchmark harness`, () => {
    it('runs every scenario and loses or doubles no acknowledged ballot', { timeout: 120_000 }, async () => {
      const printed: string[] = [];
      const report = await runBench({
        participants: 20,
        scenarios: ['plenary', 'ingest', 'fanout', 'reconnect', 'twoNodes'],
        joinRate: 200,
        windowMs: 1000,
        short: true,
        adminUrl: inject('databases')[variant]!.adminUrl,
        log: () => {},
        print: (line) => printed.push(line),
      });
      const s = report.scenarios as Record<string, { result: any; machine: { cpus: number } }>;

      const plenary = s.plenary!.result;
      expect(plenary.participants).toBe(20);
      expect(plenary.join.count).toBe(20);
      expect(plenary.ballotAck.count).toBe(20);
      expect(plenary.refused).toBe(0);
      expect(plenary.durable).toEqual({
        ballots: 20,
        participations: 20,
        duplicates: 0,
        lostAcknowledged: 0,
      });
      expect(plenary.hostConsoleSawAll).toBe(true);
      expect(plenary.projectorAllAfterLastAckMs).toBeGreaterThanOrEqual(0);
      expect(plenary.server.rssMiB).toBeGreaterThan(0);
      expect(plenary.server.eventLoopP99Ms).toBeGreaterThan(0);

      const ingest = s.ingest!.result;
      expect(ingest.acknowledged).toBe(ingest.ballots);
      expect(ingest.durable).toBe(ingest.ballots);
      expect(ingest.duplicates).toBe(0);
      expect(ingest.ballotsPerSecond).toBeGreaterThan(0);
      // pgbench ships with PostgreSQL on this machine and in CI; the ratio is printed when it ran.
      if (ingest.pgbench) expect(ingest.ratioToPgbench1).toBeGreaterThan(0);

      const fanout = s.fanout!.result;
      expect(fanout.appBroadcastsComplete).toBe(fanout.broadcasts);
      expect(fanout.bareBroadcastsComplete).toBe(fanout.broadcasts);
      expect(fanout.ratio).toBeGreaterThan(0);

      const storm = s.reconnect!.result;
      expect(storm.reconnected).toBe(20);
      expect(storm.failures).toBe(0);
      expect(storm.acknowledged).toBe(20);
      expect(storm.durable).toEqual({ ballots: 20, duplicates: 0, lostAcknowledged: 0 });

      const two = s.twoNodes!.result;
      expect(two.onNodeB).toBe(10);
      expect(two.ackToProjectorOnB.count).toBe(10);
      expect(two.durable).toEqual({ ballots: 20, duplicates: 0, lostAcknowledged: 0 });

      // Each scenario printed its table and the machine it ran on.
      expect(printed.filter((l) => l.startsWith('machine: '))).toHaveLength(5);
      expect(s.plenary!.machine.cpus).toBeGreaterThan(0);
    });
  });
}
