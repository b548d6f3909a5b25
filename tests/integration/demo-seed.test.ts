import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, buildApp } from '../../server/app.ts';
import { verifyAuditChain } from '../../server/audit/audit-log.ts';
import { removeDemo } from '../../server/demo/remove.ts';
import type { BranchDashboard, CommitteeDashboard } from '../../shared/schemas/dashboards.ts';
import type { MeetingListItem } from '../../shared/schemas/meetings.ts';
import { dbVariantsFromEnv } from '../support/db-variants.ts';
import { grant, insertAccount, insertOrganization } from '../support/fixtures.ts';
import {
  createTestDatabase,
  TestClient,
  type TestDatabase,
  testPassword,
  testSessionSecret,
} from '../support/test-app.ts';

/**
 * `npm run demo` as an evaluator uses it: the command runs against a fresh database that already
 * has its real administrator, prints logins and one password, and afterwards the app shows a living
 * committee to whoever signs in with them. A second run changes nothing.
 */

/** The seed command as `npm run demo` starts it, with the app's configuration from the environment. */
function runDemo(databaseUrl: string, args: string[] = []) {
  return new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/demo/seed-command.ts', ...args], {
      env: { ...process.env, DATABASE_URL: databaseUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('exit', (code) => resolve({ code, output }));
  });
}

/** The login printed on the line of a given role and organization. */
function printedLogin(output: string, role: string, organization: string): string {
  const line = output.split('\n').find((l) => l.includes(role) && l.includes(organization));
  if (!line) throw new Error(`no ${role} of ${organization} printed:\n${output}`);
  return line.trim().split(/\s+/)[0]!;
}

for (const variant of dbVariantsFromEnv()) {
  describe(`${variant}: npm run demo`, () => {
    let database: TestDatabase;
    let app: App;
    let first: { code: number | null; output: string };
    let password: string;

    const client = () => new TestClient(app);
    const signedIn = async (login: string, secret = password) => client().signIn(login, secret);

    beforeAll(async () => {
      database = await createTestDatabase(variant);
      // The operator already set the site up: their administrator and their own committee.
      const realCommittee = await insertOrganization(database.db, '某某公司党委', 'primaryCommittee');
      await grant(
        database.db,
        await insertAccount(database.db, 'admin', '管理员'),
        realCommittee.id,
        'admin',
      );
      first = await runDemo(database.url);
      password = /password: (\S+?)\)/.exec(first.output)?.[1] ?? '';
      app = await buildApp({ db: database.db, sessionSecret: testSessionSecret, logger: false });
      await app.ready();
      // A year of meetings through the services: measured ~47 s (url) and ~55 s (embedded) at a load
      // average of 8 on 2 cores, but up to ~230 s while other suites kept the load at 14–17.
    }, 600_000);

    afterAll(async () => {
      await app?.close();
      await database?.close();
    });

    it('seeds and prints the logins with one shared password', () => {
      expect(first.code, first.output).toBe(0);
      expect(password).not.toBe('');
      expect(printedLogin(first.output, 'secretary', '机关第一党支部')).toMatch(/^demo-/);
      expect(printedLogin(first.output, 'committee viewer', '明镜示范党委')).toMatch(/^demo-/);
    });

    it("leaves the real administrator's account and committee as they were", async () => {
      const admin = await client().signIn('admin', testPassword);
      const visible = (await admin.get('/api/organizations')).body as Array<{ name: string }>;
      expect(visible.map((o) => o.name)).toEqual(['某某公司党委']);
      expect((await client().get('/api/setup/status')).body).toEqual({ needsSetup: false });
    });

    it("shows the printed secretary a year of their branch's meetings, held and minuted, and the next one", async () => {
      const secretary = await signedIn(printedLogin(first.output, 'secretary', '机关第一党支部'));
      const me = (await secretary.get('/api/auth/me')).body as {
        grants: Array<{ role: string; organizationId: string }>;
      };
      const branchId = me.grants.find((g) => g.role === 'secretary')!.organizationId;

      const past = (await secretary.get(`/api/organizations/${branchId}/meetings?when=past`))
        .body as MeetingListItem[];
      expect(new Set(past.map((m) => m.type))).toEqual(
        new Set([
          'branchCommitteeMeeting',
          'themedPartyDay',
          'branchGeneralMeeting',
          'partyLecture',
          'orgLifeMeeting',
          'memberAppraisal',
          'partyGroupMeeting',
        ]),
      );
      expect(past.every((m) => m.status === 'held' && m.minutesLocked)).toBe(true);
      const firstStart = Math.min(...past.map((m) => Date.parse(m.startsAt)));
      expect(Date.now() - firstStart).toBeGreaterThan(300 * 86_400_000);

      const upcoming = (await secretary.get(`/api/organizations/${branchId}/meetings?when=upcoming`))
        .body as MeetingListItem[];
      expect(upcoming.map((m) => [m.type, m.status])).toEqual([['orgLifeMeeting', 'scheduled']]);
      expect(Date.parse(upcoming[0]!.startsAt)).toBeGreaterThan(Date.now());

      // Its secretary can see the minutes of a past meeting, signed by host and recorder.
      const minutes = (await secretary.get(`/api/meetings/${past[0]!.id}/minutes`)).body as {
        lockedAt: string | null;
      };
      expect(minutes.lockedAt).not.toBeNull();
    });

    it('shows the branch and the committee a computed quality index', async () => {
      // The year holding most of the seeded twelve months.
      const year = new Date(Date.now() - 183 * 86_400_000).getUTCFullYear();
      const secretary = await signedIn(printedLogin(first.output, 'secretary', '机关第一党支部'));
      const me = (await secretary.get('/api/auth/me')).body as {
        grants: Array<{ role: string; organizationId: string }>;
      };
      const branchId = me.grants.find((g) => g.role === 'secretary')!.organizationId;
      const branch = (await secretary.get(`/api/organizations/${branchId}/dashboard?period=${year}`))
        .body as BranchDashboard;
      expect(branch.index.scoredMeetings).toBeGreaterThan(10);
      expect(branch.index.meanMqi).not.toBeNull();

      const viewer = await signedIn(printedLogin(first.output, 'committee viewer', '明镜示范党委'));
      const committeeId = (
        (await viewer.get('/api/organizations')).body as Array<{ id: string; parentId: string | null }>
      ).find((o) => o.parentId === null)!.id;
      const committee = (
        await viewer.get(`/api/organizations/${committeeId}/committee-dashboard?period=${year}`)
      ).body as CommitteeDashboard;
      const byName = new Map(committee.branches.map((b) => [b.name, b]));
      expect([...byName.keys()].sort()).toEqual([
        '机关第一党支部',
        '研发中心第一党支部',
        '研发中心第二党支部',
      ]);
      for (const row of committee.branches) expect(row.meanMqi).not.toBeNull();
      // The branches were seeded running their organization life well, middling and poorly.
      expect(byName.get('机关第一党支部')!.meanMqi!).toBeGreaterThan(
        byName.get('研发中心第二党支部')!.meanMqi!,
      );
      expect(byName.get('研发中心第一党支部')!.parentName).toBe('研发中心党总支');
    });

    it('changes nothing when run again, and says so', async () => {
      const viewer = await signedIn(printedLogin(first.output, 'committee viewer', '明镜示范党委'));
      const organizations = async () => ((await viewer.get('/api/organizations')).body as unknown[]).length;
      const secretary = await signedIn(printedLogin(first.output, 'secretary', '研发中心第二党支部'));
      const branchId = (
        (await secretary.get('/api/auth/me')).body as {
          grants: Array<{ role: string; organizationId: string }>;
        }
      ).grants.find((g) => g.role === 'secretary')!.organizationId;
      const meetings = async () =>
        ((await secretary.get(`/api/organizations/${branchId}/meetings`)).body as unknown[]).length;
      const before = { organizations: await organizations(), meetings: await meetings() };
      expect(before.meetings).toBeGreaterThan(20);
      const again = await runDemo(database.url);
      expect(again.code, again.output).toBe(0);
      expect(again.output).toContain('already seeded');
      expect({ organizations: await organizations(), meetings: await meetings() }).toEqual(before);
      // The same logins are listed again, and still sign in.
      expect(printedLogin(again.output, 'secretary', '研发中心第二党支部')).toBe(
        printedLogin(first.output, 'secretary', '研发中心第二党支部'),
      );
      await signedIn(printedLogin(again.output, 'secretary', '研发中心第二党支部'));
    });

    it('removes only the demo (what --reset does first), keeping the audit chain intact', async () => {
      const removed = await removeDemo(database.db);
      expect(removed.organizations).toBe(10);
      expect(removed.accounts).toBe(first.output.match(/^ {4}demo-\S+/gm)!.length);
      const response = await client().post('/api/auth/login', {
        login: printedLogin(first.output, 'secretary', '机关第一党支部'),
        password,
      });
      expect(response.status).toBe(401);
      const admin = await client().signIn('admin', testPassword);
      expect(
        ((await admin.get('/api/organizations')).body as Array<{ name: string }>).map((o) => o.name),
      ).toEqual(['某某公司党委']);
      expect((await verifyAuditChain(database.db)).ok).toBe(true);
    });

    it('refuses an unknown option with exit code 2 and shows the usage', async () => {
      const bad = await runDemo(database.url, ['--rest']);
      expect(bad.code).toBe(2);
      expect(bad.output).toContain('--rest');
      expect(bad.output).toContain('--reset');
    });
  });
}
