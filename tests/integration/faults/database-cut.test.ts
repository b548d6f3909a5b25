import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbVariantsFromEnv } from '../../support/db-variants.ts';
import {
  claimDevicesDirectly,
  connectPhones,
  expectEveryPhoneSawTheClose,
  HttpSession,
  openPollOnPhones,
  storedRound,
  voteThroughFault,
} from '../../support/fault-fixtures.ts';
import { type SeededCommittee, seedCommittee } from '../../support/fixtures.ts';
import { wsUrl } from '../../support/live-client.ts';
import { insertMeeting } from '../../support/live-fixtures.ts';
import { type ServerProcess, startServerProcess } from '../../support/server-process.ts';
import { createTestDatabase, type TestDatabase, testSessionSecret } from '../../support/test-app.ts';

/**
 * Fault 2 of issue 6: every database connection of the server — its pool and the LISTEN connection
 * of the live bus — is cut with pg_terminate_backend while phones are voting. The process stays up,
 * no acknowledged ballot is lost, ballots caught by the cut are answered (ack, or an error marked
 * retry) and counted once when resent, and the live stream carries on.
 */
const voters = 40;

/** What a DBA's `pg_terminate_backend` over a database does; answers how many backends it ended. */
async function cutConnections(databaseUrl: string): Promise<number> {
  const killer = new pg.Client({ connectionString: databaseUrl });
  await killer.connect();
  try {
    const { rows } = await killer.query(
      `select pg_terminate_backend(pid) as ended from pg_stat_activity
        where datname = current_database() and pid <> pg_backend_pid()`,
    );
    return rows.filter((r) => r.ended).length;
  } finally {
    await killer.end();
  }
}

for (const variant of dbVariantsFromEnv()) {
  describe(`${variant}: database connections cut during a round`, () => {
    let database: TestDatabase;
    let dataDir: string;
    let s: SeededCommittee;
    let server: ServerProcess;

    beforeAll(async () => {
      database = await createTestDatabase(variant);
      dataDir = await mkdtemp(path.join(tmpdir(), 'mingjing-cut-'));
      s = await seedCommittee(database.db, voters);
    });
    afterAll(async () => {
      await server?.stop();
      await database.close();
      await rm(dataDir, { recursive: true, force: true });
    });

    it('recovers without a crash and without losing an acknowledged ballot', async () => {
      const memberIds = s.membersA.map((m) => m.memberId);
      const { meetingId } = await insertMeeting(database.db, s.branchA.id, { inviteeIds: memberIds });
      const url = (p: string) => `/api/meetings/${meetingId}/live${p}`;
      // info: the bus says when it has listened again.
      server = await startServerProcess({
        DATABASE_URL: database.url,
        DATA_DIR: dataDir,
        SESSION_SECRET: testSessionSecret,
        LOG_LEVEL: 'info',
      });
      await server.waitUntilHealthy();
      const host = await new HttpSession(server.baseUrl).signIn('secA');
      await host.post(url('/open'));
      const tokens = await claimDevicesDirectly(database.db, meetingId, memberIds, s.secretaryA.accountId!);
      const phones = await connectPhones(wsUrl(server.baseUrl), meetingId, tokens);
      const roundId = await openPollOnPhones(host, meetingId, phones, '断库表决');

      let ended = 0;
      let cuts = 0;
      const { figures, receipts } = await voteThroughFault({
        db: database.db,
        phones,
        roundId,
        // Cut again and again until every phone has sent, so the pool's replacement connections
        // are cut as well and ballots arrive throughout.
        fault: async (sent) => {
          let sending = true;
          void sent.then(() => (sending = false));
          while (sending || cuts < 2) {
            ended += await cutConnections(database.url);
            cuts += 1;
            await new Promise((r) => setTimeout(r, 20));
          }
        },
        paceMs: 10,
        // The sockets survive a database cut: the phones answer from the same connection.
        recover: async () => [],
      });
      console.info(`pg_terminate_backend during voting: ${JSON.stringify({ cuts, ended, ...figures })}`);
      // The pool's connections and the bus's LISTEN connection (at least two) were cut.
      expect(ended).toBeGreaterThanOrEqual(2);
      expect(figures.acknowledgedBeforeFault).toBeGreaterThanOrEqual(voters / 2);
      expect(figures.acknowledged).toBe(voters);

      expect(server.child.exitCode).toBeNull();
      expect(server.child.signalCode).toBeNull();
      expect((await fetch(`${server.baseUrl}/healthz`)).status).toBe(200);
      await server.waitForOutput(/live bus reconnected/);

      // The live stream still works: the close reaches every phone through the bus.
      await host.post(url(`/rounds/${roundId}/close`));
      await expectEveryPhoneSawTheClose(phones, roundId, voters);
      const stored = await storedRound(database.db, roundId);
      expect(stored.receipts).toEqual([...receipts].sort());
      expect(stored.participations).toBe(voters);
    }, 180_000);
  });
}
