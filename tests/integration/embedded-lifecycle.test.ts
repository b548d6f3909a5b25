import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startServerProcess } from '../support/server-process.ts';

/**
 * Command 1 on a machine without a database server: the app starts on its embedded PostgreSQL,
 * keeps data across restarts, and starts cleanly again after being killed with SIGKILL (which
 * leaves its PostgreSQL running, holding the data directory).
 */
describe('the embedded database across restarts and crashes', () => {
  let dataDir: string;
  afterAll(async () => {
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('serves /healthz, keeps data after a restart and recovers from kill -9', async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'mingjing-lifecycle-'));
    const env = { DATA_DIR: dataDir, DATABASE_URL: '' };

    const first = await startServerProcess(env);
    await first.waitUntilHealthy();
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
    const second = await startServerProcess(env);
    await second.waitUntilHealthy();
    expect(await (await fetch(`${second.baseUrl}/api/setup/status`)).json()).toEqual({ needsSetup: false });

    // kill -9: Node dies, its PostgreSQL is orphaned and still holds the cluster.
    const orphanPid = Number(
      readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0],
    );
    await second.kill();
    expect(isAlive(orphanPid)).toBe(true);

    const third = await startServerProcess(env);
    await third.waitUntilHealthy();
    expect(third.output()).toMatch(/stopping a server left running by an earlier process/);
    expect(isAlive(orphanPid)).toBe(false);
    const login = await fetch(`${third.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: 'operator', password: 'a long enough password' }),
    });
    expect(login.status).toBe(200);
    expect(await third.stop()).toBe(0);
  }, 180_000);
});

/** Running, not merely a zombie waiting to be reaped (an orphan's new parent may never reap it). */
function isAlive(pid: number): boolean {
  try {
    const state = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0];
    return state !== undefined && state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}
