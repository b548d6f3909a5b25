import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../server/db/connect.ts';
import { findFreePort } from '../../../server/db/embedded-postgres.ts';
import {
  claimDevicesDirectly,
  connectPhones,
  HttpSession,
  openPollOnPhones,
  reconnectAll,
  storedRound,
  voteThroughFault,
} from '../../support/fault-fixtures.ts';
import { seedCommittee } from '../../support/fixtures.ts';
import { wsUrl } from '../../support/live-client.ts';
import { insertMeeting } from '../../support/live-fixtures.ts';
import { isAlive, postmasterPid } from '../../support/processes.ts';
import { type ServerProcess, startServerProcess } from '../../support/server-process.ts';

/**
 * Command 1 on a machine without a database server, and fault 3 of issue 6: the app starts on its
 * embedded PostgreSQL, keeps data across restarts, and when killed with SIGKILL during a round —
 * which leaves its PostgreSQL running, orphaned, holding the cluster — the next start stops the
 * orphan and recovers: the ballots acknowledged before the kill are there, the phones resend the
 * rest, and the round completes. Runs whatever DB_VARIANTS says: it brings its own database.
 */
const voters = 30;

describe('embedded mode across restarts and a SIGKILL during a round', () => {
  let dataDir: string;
  const servers: ServerProcess[] = [];
  let closeDb: (() => Promise<void>) | undefined;
  afterAll(async () => {
    for (const server of servers) await server.stop();
    await closeDb?.();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });
  const start = async (env: Record<string, string>, port?: number) => {
    const server = await startServerProcess(env, port);
    servers.push(server);
    await server.waitUntilHealthy();
    return server;
  };

  it('keeps data after a restart, stops the orphaned PostgreSQL after kill -9 and loses no acknowledged ballot', async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'mingjing-embedded-kill-'));
    // A fixed port for the embedded PostgreSQL, so the test can reach the server's own database.
    const env = { DATA_DIR: dataDir, DATABASE_URL: '', EMBEDDED_PG_PORT: String(await findFreePort()) };

    const first = await start(env);
    const [, setupUrl] = await first.waitForOutput(/(http:\/\/\S+\/setup\?token=\S+)/);
    const token = new URL(setupUrl!).searchParams.get('token');
    const setup = await fetch(`${first.baseUrl}/api/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        token,
        login: 'operator',
        displayName: '运维',
        password: 'a long enough password',
        organizationName: '重启测试党委',
        organizationKind: 'primaryCommittee',
      }),
    });
    expect(setup.status).toBe(200);
    expect(await first.stop()).toBe(0);

    // A clean restart keeps the data: set-up is done and no new link is printed.
    const second = await start(env);
    expect(await (await fetch(`${second.baseUrl}/api/setup/status`)).json()).toEqual({ needsSetup: false });

    // A round in progress, on the server's own database.
    const { embeddedDbPassword } = JSON.parse(await readFile(path.join(dataDir, 'secrets.json'), 'utf8'));
    const handle = openDatabase({
      url: `postgres://postgres:${encodeURIComponent(embeddedDbPassword)}@127.0.0.1:${env.EMBEDDED_PG_PORT}/mingjing`,
      poolSize: 2,
    });
    closeDb = handle.close;
    const db = handle.db;
    const s = await seedCommittee(db, voters);
    const memberIds = s.membersA.map((m) => m.memberId);
    const { meetingId } = await insertMeeting(db, s.branchA.id, { inviteeIds: memberIds });
    const url = (p: string) => `/api/meetings/${meetingId}/live${p}`;
    const ws = wsUrl(second.baseUrl);
    const host = await new HttpSession(second.baseUrl).signIn('secA');
    await host.post(url('/open'));
    const phones = await connectPhones(
      ws,
      meetingId,
      await claimDevicesDirectly(db, meetingId, memberIds, s.secretaryA.accountId!),
    );
    const roundId = await openPollOnPhones(host, meetingId, phones, '嵌入式库重启');

    // kill -9 mid-vote: Node dies, its PostgreSQL is orphaned and still holds the cluster.
    const clusterDir = path.join(dataDir, 'postgres');
    const orphanPid = postmasterPid(clusterDir);
    let orphanSurvivedKill = false;
    let third: ServerProcess | undefined;
    const { figures, receipts } = await voteThroughFault({
      db,
      phones,
      roundId,
      fault: async () => {
        await second.kill();
        orphanSurvivedKill = isAlive(orphanPid);
      },
      // Slow enough that the kill finds ballots still unsent among only 30.
      paceMs: 20,
      recover: async () => {
        await Promise.all(phones.map((p) => p.waitForClose()));
        third = await start(env, second.port);
        return reconnectAll(phones, ws);
      },
    });
    console.info(`SIGKILL in embedded mode: ${JSON.stringify(figures)}`);
    expect(orphanSurvivedKill).toBe(true);
    expect(third!.output()).toMatch(/stopping a server left running by an earlier process/);
    expect(isAlive(orphanPid)).toBe(false);
    expect(figures.unacknowledgedAtFault).toBeGreaterThan(0);
    expect(figures.resent).toBe(figures.unacknowledgedAtFault);
    expect(figures.acknowledged).toBe(voters);

    await host.post(url(`/rounds/${roundId}/close`));
    const stored = await storedRound(db, roundId);
    expect(stored.receipts).toEqual([...receipts].sort());
    expect(stored.participations).toBe(voters);
    for (const phone of phones) {
      await phone.waitForState(
        (st) => st.rounds.find((r) => r.id === roundId)?.state === 'closed',
        'the round closed',
      );
      phone.close();
    }
    // The operator's account from set-up is intact, and the server stops cleanly.
    const login = await fetch(`${third!.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: 'operator', password: 'a long enough password' }),
    });
    expect(login.status).toBe(200);
    expect(await third!.stop()).toBe(0);
  }, 240_000);
});
