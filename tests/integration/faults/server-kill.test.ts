import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbVariantsFromEnv } from '../../support/db-variants.ts';
import {
  claimDevicesDirectly,
  connectPhones,
  expectEveryPhoneSawTheClose,
  HttpSession,
  openPollOnPhones,
  reconnectAll,
  storedRound,
  voteThroughFault,
} from '../../support/fault-fixtures.ts';
import { type SeededCommittee, seedCommittee } from '../../support/fixtures.ts';
import { wsUrl } from '../../support/live-client.ts';
import { insertMeeting } from '../../support/live-fixtures.ts';
import { type ServerProcess, startServerProcess } from '../../support/server-process.ts';
import { createTestDatabase, type TestDatabase, testSessionSecret } from '../../support/test-app.ts';

/**
 * Fault 1 of issue 6 (run the fault tests alone with `npx vitest run tests/integration/faults`):
 * the real server process is killed with SIGKILL while 200 phones are voting. After a restart on
 * the same address every acknowledged ballot is stored exactly once, every phone resends what was
 * never acknowledged and it is counted exactly once, and the round completes.
 */
const voters = 200;

for (const variant of dbVariantsFromEnv()) {
  describe(`${variant}: a server killed with SIGKILL while ${voters} phones vote`, () => {
    let database: TestDatabase;
    let dataDir: string;
    let s: SeededCommittee;
    const servers: ServerProcess[] = [];

    beforeAll(async () => {
      database = await createTestDatabase(variant);
      dataDir = await mkdtemp(path.join(tmpdir(), 'mingjing-kill-'));
      s = await seedCommittee(database.db, voters);
    });
    afterAll(async () => {
      for (const server of servers) await server.stop();
      await database.close();
      await rm(dataDir, { recursive: true, force: true });
    });

    it('keeps every acknowledged ballot exactly once, counts every resent one once, and completes the round', async () => {
      const memberIds = s.membersA.map((m) => m.memberId);
      const { meetingId } = await insertMeeting(database.db, s.branchA.id, { inviteeIds: memberIds });
      const url = (p: string) => `/api/meetings/${meetingId}/live${p}`;
      const env = { DATABASE_URL: database.url, DATA_DIR: dataDir, SESSION_SECRET: testSessionSecret };
      const first = await startServerProcess(env);
      servers.push(first);
      await first.waitUntilHealthy();
      const ws = wsUrl(first.baseUrl);
      const host = await new HttpSession(first.baseUrl).signIn('secA');
      await host.post(url('/open'));
      const tokens = await claimDevicesDirectly(database.db, meetingId, memberIds, s.secretaryA.accountId!);
      const phones = await connectPhones(ws, meetingId, tokens);
      const roundId = await openPollOnPhones(host, meetingId, phones, '重启前后');

      const { figures, receipts } = await voteThroughFault({
        db: database.db,
        phones,
        roundId,
        fault: () => first.kill(),
        recover: async () => {
          await Promise.all(phones.map((p) => p.waitForClose()));
          // Same port: the phones come back to the address they know.
          const second = await startServerProcess(env, first.port);
          servers.push(second);
          await second.waitUntilHealthy();
          return reconnectAll(phones, ws);
        },
      });
      console.info(`SIGKILL during voting: ${JSON.stringify(figures)}`);
      // The kill struck mid-round: some ballots were acknowledged, some not.
      expect(figures.acknowledgedBeforeFault).toBeGreaterThanOrEqual(voters / 2);
      expect(figures.unacknowledgedAtFault).toBeGreaterThan(0);
      // Every unacknowledged ballot was resent once, and nothing needed a second try.
      expect(figures.resent).toBe(figures.unacknowledgedAtFault);
      expect(figures.retryableErrors).toBe(0);
      expect(figures.acknowledged).toBe(voters);

      // The host's session survived the restart (sessions live in the database).
      await host.post(url(`/rounds/${roundId}/close`));
      const stored = await storedRound(database.db, roundId);
      expect(stored.receipts).toEqual([...receipts].sort());
      expect(stored.participations).toBe(voters);
      await expectEveryPhoneSawTheClose(phones, roundId, voters);
    }, 240_000);
  });
}
