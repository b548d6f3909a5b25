import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../../server/db/embedded-postgres.ts';
import { newReceipt } from '../../shared/domain/live-client.ts';
import { dbVariantsFromEnv } from '../support/db-variants.ts';
import { type SeededCommittee, seedCommittee } from '../support/fixtures.ts';
import { LiveClient, type SubmissionResult, wsUrl } from '../support/live-client.ts';
import { insertMeeting } from '../support/live-fixtures.ts';
import {
  createTestDatabase,
  type TestDatabase,
  testPassword,
  testSessionSecret,
} from '../support/test-app.ts';

/**
 * The real server process (tsx server/main.ts against DATABASE_URL) is killed with SIGKILL in the
 * middle of an open round and started again: every acknowledged ballot is there exactly once, the
 * phones reconnect, resend what was never acknowledged, and the round completes.
 */
class ServerProcess {
  child?: ChildProcess;
  output = '';
  base = '';

  constructor(
    private readonly databaseUrl: string,
    private readonly dataDir: string,
  ) {}

  async start() {
    const port = await findFreePort();
    this.base = `http://127.0.0.1:${port}`;
    // Node itself with tsx as a loader: the tsx CLI would run the server in a grandchild that a
    // SIGKILL of its parent never reaches.
    this.child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      env: {
        ...process.env,
        DATABASE_URL: this.databaseUrl,
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: this.dataDir,
        SESSION_SECRET: testSessionSecret,
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout!.on('data', (d) => {
      this.output += d;
    });
    this.child.stderr!.on('data', (d) => {
      this.output += d;
    });
    for (let attempt = 0; ; attempt++) {
      if (this.child.exitCode !== null) throw new Error(`server exited: ${this.output}`);
      const ready = await fetch(`${this.base}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ready) return;
      if (attempt > 600) throw new Error(`server did not start: ${this.output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async kill(signal: NodeJS.Signals) {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await exited;
  }

  /** A fetch-based browser session: cookie kept from sign-in. */
  async signIn(login: string) {
    const response = await fetch(`${this.base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login, password: testPassword }),
    });
    if (!response.ok) throw new Error(`sign-in failed: ${response.status}`);
    return response.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
  }

  async post(cookie: string, url: string, body: unknown = {}) {
    const response = await fetch(`${this.base}${url}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
      body: JSON.stringify(body),
    });
    const json = await response.json();
    if (!response.ok) throw new Error(`POST ${url}: ${response.status} ${JSON.stringify(json)}`);
    return json;
  }
}

for (const variant of dbVariantsFromEnv()) {
  describe(`${variant}: a server killed during an open round`, () => {
    let database: TestDatabase;
    let dataDir: string;
    let server: ServerProcess;
    let s: SeededCommittee;

    beforeAll(async () => {
      database = await createTestDatabase(variant);
      dataDir = await mkdtemp(path.join(tmpdir(), 'mingjing-restart-'));
      server = new ServerProcess(database.url, dataDir);
      s = await seedCommittee(database.db, 12);
    });
    afterAll(async () => {
      await server.kill('SIGTERM');
      await database.close();
      await rm(dataDir, { recursive: true, force: true });
    });

    it('keeps every acknowledged ballot exactly once and lets everyone finish', async () => {
      const { meetingId } = await insertMeeting(database.db, s.branchA.id, {
        inviteeIds: s.membersA.map((m) => m.memberId),
      });
      const url = (p: string) => `/api/meetings/${meetingId}/live${p}`;
      await server.start();
      const cookie = await server.signIn('secA');
      await server.post(cookie, url('/open'));
      const issued = await server.post(cookie, url('/claim-codes'), {
        memberIds: s.membersA.map((m) => m.memberId),
      });
      const phones: LiveClient[] = [];
      for (const code of issued.codes as Array<{ code: string }>) {
        const { token } = await server.post('', '/api/live/claim', { code: code.code });
        const phone = await new LiveClient({ url: wsUrl(server.base) }).open();
        phones.push(await phone.join(meetingId, { kind: 'device', token }));
      }
      const { id: roundId } = await server.post(cookie, url('/rounds'), {
        title: '重启前后',
        config: { kind: 'poll', question: '同意吗', mode: 'single', options: ['同意', '反对'] },
      });
      await server.post(cookie, url(`/rounds/${roundId}/open`));
      await Promise.all(
        phones.map((p) =>
          p.waitForState((st) => st.rounds.some((r) => r.id === roundId && r.state === 'open')),
        ),
      );

      const receipts = phones.map(() => newReceipt());
      const acknowledged = new Set<string>();
      const vote = (i: number) =>
        phones[i]!.ballot(roundId, { kind: 'poll', choices: [i % 2] }, receipts[i]).then(
          (r: SubmissionResult) => {
            if (r.type === 'ack') acknowledged.add(receipts[i]!);
            return r;
          },
        );
      // Half vote and are acknowledged; three more are in flight when the process dies.
      for (let i = 0; i < 6; i++) expect(await vote(i)).toMatchObject({ type: 'ack' });
      const inFlight = [6, 7, 8].map(vote);
      // Kill as soon as one of them is committed: its ack may or may not have left, the others may
      // be mid-transaction — the moment a crash hurts most.
      for (let committed = 0; committed < 7; ) {
        const rows = await database.db
          .selectFrom('round_participations')
          .select('client_id')
          .where('round_id', '=', roundId)
          .execute();
        committed = rows.length;
      }
      await server.kill('SIGKILL');
      expect(acknowledged.size).toBeGreaterThanOrEqual(6);
      await Promise.all(phones.map((p) => p.waitForClose()));
      const ackedBeforeKill = new Set(acknowledged);

      await server.start();
      // Every phone reconnects (with the seq it holds) and resends what was never acknowledged.
      const resent = (await Promise.all(phones.map((p) => p.reconnect(wsUrl(server.base))))).flat();
      expect(resent.length).toBe(3 - receipts.slice(6, 9).filter((r) => ackedBeforeKill.has(r)).length);
      for (const result of [...(await Promise.all(resent)), ...(await Promise.all(inFlight))])
        expect(result).toMatchObject({ type: 'ack' });
      for (let i = 9; i < 12; i++) expect(await vote(i)).toMatchObject({ type: 'ack', duplicate: false });
      expect(acknowledged.size).toBe(12);

      const closingCookie = await server.signIn('secA');
      await server.post(closingCookie, url(`/rounds/${roundId}/close`));
      const stored = await database.db
        .selectFrom('ballots')
        .select('receipt')
        .where('round_id', '=', roundId)
        .execute();
      expect(stored.map((b) => b.receipt).sort()).toEqual([...acknowledged].sort());
      const participations = await database.db
        .selectFrom('round_participations')
        .select('participant_id')
        .where('round_id', '=', roundId)
        .execute();
      expect(participations).toHaveLength(12);
      const closed = await phones[0]!.waitForState(
        (st) => st.rounds.find((r) => r.id === roundId)!.state === 'closed',
      );
      expect(closed.rounds.find((r) => r.id === roundId)).toMatchObject({ answered: 12, eligible: 12 });
      for (const phone of phones) {
        expect(phone.invalidFrames).toEqual([]);
        phone.close();
      }
    }, 120_000);
  });
}
