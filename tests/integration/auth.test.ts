import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueSetupTokenIfNeeded } from '../../server/auth/setup.ts';
import { dbVariantsFromEnv } from '../support/db-variants.ts';
import { seedCommittee } from '../support/fixtures.ts';
import { startTestApp, type TestApp, testPassword } from '../support/test-app.ts';

for (const variant of dbVariantsFromEnv()) {
  describe(`${variant}: first start set-up`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp(variant);
    });
    afterAll(() => t.close());

    it('creates the first administrator and the root organization once, with the printed one-time link', async () => {
      const browser = t.client();
      expect((await browser.get('/api/setup/status')).body).toEqual({ needsSetup: true });
      const url = await issueSetupTokenIfNeeded(t.db, 'http://localhost:3000');
      const token = new URL(url!).searchParams.get('token')!;

      const body = {
        token,
        login: 'secretary.wang',
        displayName: '王书记',
        password: 'a long enough password',
        organizationName: '某某机关党委',
        organizationKind: 'primaryCommittee',
      };
      const wrongToken = await browser.post('/api/setup', { ...body, token: 'x'.repeat(32) });
      expect(wrongToken.status).toBe(400);
      expect(wrongToken.body.code).toBe('auth.setupTokenInvalid');
      expect(await t.db.selectFrom('accounts').select('id').execute()).toHaveLength(0);

      const done = await browser.post('/api/setup', body);
      expect(done.status).toBe(200);
      expect((await browser.get('/api/setup/status')).body).toEqual({ needsSetup: false });

      const audit = await t.db.selectFrom('audit_log').select(['action', 'actor_label']).execute();
      expect(audit).toEqual([{ action: 'setup.completed', actor_label: '王书记' }]);

      const again = await browser.post('/api/setup', { ...body, login: 'intruder' });
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('auth.setupAlreadyDone');
      expect(await issueSetupTokenIfNeeded(t.db, 'http://localhost:3000')).toBeUndefined();

      await browser.signIn('Secretary.Wang', 'a long enough password');
      const me = await browser.get('/api/auth/me');
      expect(me.body.displayName).toBe('王书记');
      expect(me.body.grants).toEqual([expect.objectContaining({ role: 'admin' })]);
      const orgs = await browser.get('/api/organizations');
      expect(orgs.body).toEqual([
        expect.objectContaining({ name: '某某机关党委', kind: 'primaryCommittee', myRoles: ['admin'] }),
      ]);
    });
  });

  describe(`${variant}: sign-in, sessions and passwords`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp(variant);
      await seedCommittee(t.db, 2);
    });
    afterAll(() => t.close());

    it('signs in with an httpOnly SameSite session cookie and signs out', async () => {
      const browser = t.client();
      const login = await browser.post('/api/auth/login', { login: 'secA', password: testPassword });
      expect(login.status).toBe(200);
      const setCookie = String(login.headers['set-cookie']);
      expect(setCookie).toMatch(/mj_session=/);
      expect(setCookie).toMatch(/HttpOnly/i);
      expect(setCookie).toMatch(/SameSite=Lax/i);
      expect(login.body.grants.map((g: { role: string }) => g.role).sort()).toEqual(['member', 'secretary']);
      expect((await browser.get('/api/auth/me')).status).toBe(200);

      expect((await browser.post('/api/auth/logout')).status).toBe(200);
      const after = await browser.get('/api/auth/me');
      expect(after.status).toBe(401);
      expect(after.body.code).toBe('auth.required');
    });

    it('answers a wrong password and an unknown login alike, then locks the account after five failures', async () => {
      const browser = t.client();
      const unknown = await browser.post('/api/auth/login', { login: 'nobody', password: 'whatever1' });
      const wrong = await browser.post('/api/auth/login', { login: 'memberA1', password: 'whatever1' });
      expect(unknown.status).toBe(401);
      expect(wrong.body).toMatchObject({ code: 'auth.invalidCredentials' });
      expect(unknown.body.code).toBe(wrong.body.code);

      for (let i = 0; i < 3; i++)
        await browser.post('/api/auth/login', { login: 'memberA1', password: 'whatever1' });
      const fifth = await browser.post('/api/auth/login', { login: 'memberA1', password: 'whatever1' });
      expect(fifth.status).toBe(429);
      expect(fifth.body.code).toBe('auth.locked');
      const evenRight = await browser.post('/api/auth/login', { login: 'memberA1', password: testPassword });
      expect(evenRight.body.code).toBe('auth.locked');
    });

    it('changes a password, ends the other sessions, and keeps this one', async () => {
      const laptop = await t.client().signIn('memberA2');
      const phone = await t.client().signIn('memberA2');
      const wrong = await laptop.post('/api/auth/password', {
        currentPassword: 'nope',
        newPassword: 'a brand new secret',
      });
      expect(wrong.status).toBe(400);
      expect(wrong.body.fields).toEqual({ currentPassword: 'wrongPassword' });
      const tooShort = await laptop.post('/api/auth/password', {
        currentPassword: testPassword,
        newPassword: 'short',
      });
      expect(tooShort.body.fields).toEqual({ newPassword: 'tooShort' });

      const ok = await laptop.post('/api/auth/password', {
        currentPassword: testPassword,
        newPassword: 'a brand new secret',
      });
      expect(ok.status).toBe(200);
      expect((await laptop.get('/api/auth/me')).status).toBe(200);
      expect((await phone.get('/api/auth/me')).status).toBe(401);
      await t.client().signIn('memberA2', 'a brand new secret');
    });

    it('rejects a forged session cookie', async () => {
      const response = await t.app.inject({
        method: 'GET',
        url: '/api/auth/me',
        headers: { cookie: 'mj_session=abc.def' },
      });
      expect(response.statusCode).toBe(401);
    });
  });
}
