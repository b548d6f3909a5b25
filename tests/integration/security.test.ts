import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxFailedLogins } from '../../server/auth/accounts.ts';
import { loggerOptions } from '../../server/http/logging.ts';
import { hstsMaxAgeSeconds } from '../../server/http/security.ts';
import { newAuthorKey, newClientId, newReceipt } from '../../shared/domain/live-client.ts';
import { dbVariantsFromEnv } from '../support/db-variants.ts';
import { type SeededCommittee, seedCommittee } from '../support/fixtures.ts';
import { LiveClient } from '../support/live-client.ts';
import {
  claimDevices,
  command,
  createRound,
  insertMeeting,
  type ListeningApp,
  startLiveApp,
  tokenSocket,
} from '../support/live-fixtures.ts';
import { startTestApp, type TestApp, testPassword } from '../support/test-app.ts';

/**
 * What docs/security.md promises, checked from outside: headers and a strict CSP on pages and API
 * answers alike; the session cookie's attributes, Secure behind a trusted TLS proxy; Origin checks
 * on state-changing requests and on the websocket upgrade; throttling and lockout of sign-in;
 * argon2id with the documented parameters; and logs without passwords, tokens or content.
 */

/** `default-src 'self'; script-src 'self'` → { 'default-src': ["'self'"], … } */
function directives(csp: unknown): Record<string, string[]> {
  return Object.fromEntries(
    String(csp)
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...values]) => [name, values]),
  );
}

const sessionCookieOf = (setCookie: unknown) =>
  ([setCookie].flat() as string[]).find((c) => c.startsWith('mj_session='));

for (const variant of dbVariantsFromEnv()) {
  describe(`${variant}: security hardening`, () => {
    let t: TestApp;
    let s: SeededCommittee;
    // A built client stand-in, so the page itself is checked too: it is what a CSP protects.
    const clientDir = mkdtempSync(path.join(tmpdir(), 'mj-client-'));
    beforeAll(async () => {
      writeFileSync(path.join(clientDir, 'index.html'), '<!doctype html><title>明镜</title>');
      t = await startTestApp(variant, { clientDir, publicUrl: 'https://mingjing.example.org' });
      s = await seedCommittee(t.db, 2);
    });
    afterAll(async () => {
      await t?.close();
      rmSync(clientDir, { recursive: true, force: true });
    });

    it('sends a strict Content-Security-Policy and security headers on pages, answers and refusals', async () => {
      const browser = t.client();
      const responses = {
        page: await browser.get('/meetings/123'),
        answer: await browser.get('/api/setup/status'),
        notFound: await browser.get('/api/nothing-here'),
        refused: await browser.post('/api/auth/login', { login: 1 }),
        tooLarge: await browser.request('POST', '/api/auth/login', `"${'x'.repeat(1_100_000)}"`, {
          'content-type': 'application/json',
        }),
      };
      expect(responses.page.raw).toContain('明镜');
      for (const [kind, response] of Object.entries(responses)) {
        const csp = directives(response.headers['content-security-policy']);
        expect(csp['default-src'], kind).toEqual(["'self'"]);
        expect(csp['script-src'], kind).toEqual(["'self'"]); // no inline script, no eval
        expect(csp['object-src'], kind).toEqual(["'none'"]);
        expect(csp['frame-ancestors'], kind).toEqual(["'none'"]);
        expect(csp['base-uri'], kind).toEqual(["'self'"]);
        expect(csp['form-action'], kind).toEqual(["'self'"]);
        expect(csp['connect-src'], kind).toEqual(["'self'"]);
        expect(response.headers, kind).toMatchObject({
          'x-content-type-options': 'nosniff',
          'x-frame-options': 'SAMEORIGIN',
          'referrer-policy': 'no-referrer',
          'cross-origin-opener-policy': 'same-origin',
          'cross-origin-resource-policy': 'same-origin',
        });
        expect(response.headers, kind).not.toHaveProperty('x-powered-by');
        // Plain http (a LAN install): no HSTS, which would lock the branch out of its own server.
        expect(response.headers, kind).not.toHaveProperty('strict-transport-security');
      }
    });

    it('gives an httpOnly, SameSite, signed session cookie, Secure and with HSTS only over HTTPS behind a trusted proxy', async () => {
      const signIn = (app: TestApp, headers: Record<string, string>) =>
        app.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { login: 'memberA1', password: testPassword },
          headers,
        });
      const plain = await signIn(t, {});
      const cookie = sessionCookieOf(plain.headers['set-cookie'])!;
      expect(cookie).toMatch(/; HttpOnly/);
      expect(cookie).toMatch(/; SameSite=Lax/);
      expect(cookie).toMatch(/; Path=\//);
      expect(cookie).not.toMatch(/; Secure/);
      // Signed: the value is token.signature, and a changed token is refused.
      const value = cookie.split(';')[0]!.slice('mj_session='.length);
      expect(value).toMatch(/^[\w-]{43}\.[\w%+/-]+/);
      const forged = `mj_session=${value.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))}`;
      expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie: forged } })).statusCode).toBe(401);

      // Without TRUST_PROXY a client cannot claim HTTPS by sending the header itself.
      const spoofed = await signIn(t, { 'x-forwarded-proto': 'https' });
      expect(sessionCookieOf(spoofed.headers['set-cookie'])).not.toMatch(/; Secure/);
      expect(spoofed.headers).not.toHaveProperty('strict-transport-security');

      const proxied = await startTestApp(variant, { trustProxy: true });
      try {
        await seedCommittee(proxied.db, 1);
        const overTls = await signIn(proxied, { 'x-forwarded-proto': 'https' });
        expect(overTls.statusCode).toBe(200);
        expect(sessionCookieOf(overTls.headers['set-cookie'])).toMatch(/; Secure/);
        expect(overTls.headers['strict-transport-security']).toBe(`max-age=${hstsMaxAgeSeconds}`);
        const overPlainHttp = await signIn(proxied, { 'x-forwarded-proto': 'http' });
        expect(sessionCookieOf(overPlainHttp.headers['set-cookie'])).not.toMatch(/; Secure/);
        expect(overPlainHttp.headers).not.toHaveProperty('strict-transport-security');
      } finally {
        await proxied.close();
      }
    });

    it('refuses every state-changing request from another origin before it does anything', async () => {
      const admin = await t.client().signIn('admin');
      const failedLogins = async () =>
        (
          await t.db
            .selectFrom('accounts')
            .select('failed_login_count')
            .where('login', '=', 'memberA2')
            .executeTakeFirstOrThrow()
        ).failed_login_count;
      const organizations = async () =>
        Number(
          (
            await t.db
              .selectFrom('organizations')
              .select((e) => e.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      const before = { failed: await failedLogins(), organizations: await organizations() };
      const newBranch = { parentId: s.committee.id, kind: 'partyBranch', name: '第九党支部' };
      for (const origin of ['https://evil.example', 'null', 'http://localhost.evil.example', 'not a url']) {
        const forged = await t
          .client()
          .request('POST', '/api/auth/login', { login: 'memberA2', password: 'wrong password' }, { origin });
        expect(forged.status, origin).toBe(403);
        expect(forged.body.code, origin).toBe('request.originRejected');
        for (const [method, url, body] of [
          ['POST', '/api/organizations', newBranch],
          ['PATCH', `/api/organizations/${s.branchA.id}`, { name: '改名' }],
          ['DELETE', `/api/organizations/${s.branchB.id}`, undefined],
          ['PUT', '/api/locale', { locale: 'en' }],
        ] as const) {
          const response = await admin.request(method, url, body, { origin });
          expect(response.status, `${method} ${url} from ${origin}`).toBe(403);
        }
      }
      // Nothing reached a handler: not even the failed sign-in was counted.
      expect({ failed: await failedLogins(), organizations: await organizations() }).toEqual(before);
      // Reading is not state-changing, and the server's own origins are welcome.
      expect(
        (await admin.request('GET', '/api/auth/me', undefined, { origin: 'https://evil.example' })).status,
      ).toBe(200);
      const own = await admin.request('POST', '/api/organizations', newBranch, {
        origin: 'https://mingjing.example.org',
      });
      expect(own.status).toBe(201);
      const sameHost = await admin.request(
        'PUT',
        '/api/locale',
        { locale: 'en' },
        { origin: 'http://localhost:80' },
      );
      expect(sameHost.status).toBe(200);
    });

    it('throttles sign-in per account (lockout) and per address, and reveals nothing while doing so', async () => {
      const attempt = (login: string, password: string, remoteAddress = '10.0.0.1') =>
        t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { login, password }, remoteAddress });
      for (let i = 1; i < maxFailedLogins; i++) {
        const wrong = await attempt('memberA2', `wrong-${i}`);
        expect(wrong.statusCode).toBe(401);
      }
      // The fifth failure locks the account — under any spelling of its login.
      expect((await attempt('MEMBERa2', 'wrong-5', '10.0.0.2')).json().code).toBe('auth.locked');
      const whileLocked = await attempt('memberA2', testPassword, '10.0.0.3');
      expect(whileLocked.statusCode).toBe(429);
      expect(whileLocked.json().code).toBe('auth.locked');
      expect(whileLocked.cookies).toEqual([]);
      // When the lock runs out, the right password works again and the count starts afresh.
      await t.db
        .updateTable('accounts')
        .set({ locked_until: new Date(Date.now() - 1000) })
        .where('login', '=', 'memberA2')
        .execute();
      expect((await attempt('memberA2', testPassword, '10.0.0.4')).statusCode).toBe(200);
      expect((await attempt('memberA2', 'wrong-again', '10.0.0.4')).json().code).toBe(
        'auth.invalidCredentials',
      );

      // One address guessing across many accounts is stopped by the per-address limit (20 a minute)…
      const answers: number[] = [];
      for (let i = 0; i < 22; i++)
        answers.push((await attempt(`nobody${i}`, 'guess', '10.0.0.9')).statusCode);
      expect(answers.slice(0, 20).every((status) => status === 401)).toBe(true);
      const limited = await attempt('memberA1', testPassword, '10.0.0.9');
      expect(limited.statusCode).toBe(429);
      expect(limited.json().code).toBe('request.rateLimited');
      // …while everyone else signs in as usual.
      expect((await attempt('memberA1', testPassword, '10.0.0.10')).statusCode).toBe(200);
    });

    it('hashes passwords with argon2id at the documented parameters', async () => {
      const row = await t.db
        .selectFrom('accounts')
        .select('password_hash')
        .where('login', '=', 'secA')
        .executeTakeFirstOrThrow();
      expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      expect(row.password_hash).not.toContain(testPassword);
    });
  });

  describe(`${variant}: a listening server — the websocket upgrade and the log`, () => {
    let t: ListeningApp;
    let s: SeededCommittee;
    const lines: string[] = [];
    beforeAll(async () => {
      // The production logger configuration, at its most talkative level.
      t = await startLiveApp(variant, {
        logger: { ...loggerOptions('trace'), stream: { write: (line: string) => void lines.push(line) } },
      });
      s = await seedCommittee(t.db, 2);
    });
    afterAll(() => t?.close());

    it('refuses a websocket upgrade from another origin, even with a member signed in', async () => {
      const cookie = (await t.client().signIn('memberA1')).cookieHeader();
      for (const origin of ['https://evil.example', 'null', 'http://127.0.0.1.evil.example'])
        await expect(new LiveClient({ url: t.ws, cookie, origin }).open(), origin).rejects.toThrow(
          'upgrade refused: 403',
        );
      // The page's own origin, and clients that send none (not a browser), are let in.
      const own = await new LiveClient({ url: t.ws, cookie, origin: t.base }).open();
      const bare = await new LiveClient({ url: t.ws, cookie }).open();
      for (const client of [own, bare]) {
        expect(client.closed).toBeNull();
        client.close();
      }
    });

    it('never holds a password, a token, a cookie, a code or what people wrote', async () => {
      const secrets: string[] = [testPassword, 'a-wrong-password-123'];
      const browser = t.client();
      await browser.post('/api/auth/login', { login: 'secA', password: 'a-wrong-password-123' });
      await browser.signIn('secA');
      secrets.push(browser.cookieHeader().split('=').slice(1).join('='));
      await browser.get('/setup?token=one-time-setup-token-abcdef');
      secrets.push('one-time-setup-token-abcdef');
      await browser.post('/api/auth/password', { currentPassword: testPassword, newPassword: 'x' });

      const { meetingId } = await insertMeeting(t.db, s.branchA.id, {
        inviteeIds: s.membersA.map((m) => m.memberId),
      });
      const url = (p: string) => `/api/meetings/${meetingId}/live${p}`;
      const session = await command(browser, 'POST', url('/open'));
      const issued = await browser.post(url('/claim-codes'), { memberIds: [s.membersA[1]!.memberId] });
      secrets.push(issued.body.codes[0].code);
      const tokens = await claimDevices(browser, t.client(), meetingId, [s.membersA[0]!.memberId]);
      const token = tokens.get(s.membersA[0]!.memberId)!;
      secrets.push(token, session.joinCode);
      const survey = await createRound(browser, meetingId, '满意度', { kind: 'survey' });
      await command(browser, 'POST', url(`/rounds/${survey}/open`));
      const phone = await tokenSocket(t, meetingId, 'device', token);
      const comment = '支部书记开会总是迟到，希望改进';
      const receipt = newReceipt();
      secrets.push(comment, receipt);
      expect(
        await phone.ballot(
          survey,
          {
            kind: 'survey',
            likert: { themeFocus: 2, preparation: 1, candour: 3, problemSolving: 2, conduct: 1 },
            overall: 'dissatisfied',
            comment,
          },
          receipt,
        ),
      ).toMatchObject({ type: 'ack' });
      const authorKey = newAuthorKey();
      secrets.push(authorKey);
      phone.send({
        type: 'submitCriticism',
        clientId: newClientId(),
        roundId: survey,
        subjectId: newClientId(),
        text: '批评意见的原文',
        concrete: true,
        authorKey,
      });
      secrets.push('批评意见的原文');
      await phone.waitForType('error');
      phone.close();
      const stranger = await new LiveClient({ url: t.ws }).open();
      stranger.sendRaw(
        JSON.stringify({
          type: 'hello',
          v: 1,
          meetingId,
          auth: { kind: 'device', token: 'guessed-token-0123456789abcdef' },
        }),
      );
      secrets.push('guessed-token-0123456789abcdef');
      await stranger.waitForClose();

      // An unexpected database failure: its detail would quote the row being written.
      await sql`alter table organizations add constraint security_test_check check (name <> '不可外泄的支部名')`.execute(
        t.db,
      );
      const admin = await t.client().signIn('admin');
      const failed = await admin.post('/api/organizations', {
        parentId: s.committee.id,
        kind: 'partyBranch',
        name: '不可外泄的支部名',
      });
      expect(failed.status).toBe(500);
      expect(failed.body.code).toBe('internal');
      secrets.push('不可外泄的支部名');
      await sql`alter table organizations drop constraint security_test_check`.execute(t.db);

      const log = lines.join('');
      // The log is there and useful: requests, the live refusals, the failure with its constraint.
      expect(lines.length).toBeGreaterThan(20);
      const failure = lines.map((l) => JSON.parse(l)).find((l) => l.msg === 'unexpected error');
      expect(failure.err).toMatchObject({ code: '23514', constraint: 'security_test_check' });
      expect(failure.err.stack).toMatch(/^\s+at /);
      for (const secret of secrets)
        expect(log, `the log holds ${secret.slice(0, 12)}…`).not.toContain(secret);
    });
  });
}
