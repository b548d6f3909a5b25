import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbVariantsFromEnv } from '../support/db-variants.ts';
import { seedCommittee } from '../support/fixtures.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

for (const variant of dbVariantsFromEnv()) {
  describe(`${variant}: the HTTP boundary`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp(variant);
      await seedCommittee(t.db, 1);
    });
    afterAll(() => t.close());

    it('reports database reachability on /healthz', async () => {
      const response = await t.client().get('/healthz');
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ status: 'ok', database: 'ok' });
    });

    it('rejects unknown fields with per-field codes, translated by Accept-Language', async () => {
      const zh = await t.client().post('/api/auth/login', { login: 'a', password: 'b', admin: true });
      expect(zh.status).toBe(400);
      expect(zh.body).toMatchObject({ code: 'request.invalid', fields: { admin: 'unknownField' } });
      expect(zh.body.message).toMatch(/提交的内容有误/);
      const en = await t
        .client()
        .request('POST', '/api/auth/login', { login: 'a' }, { 'accept-language': 'en-GB,en;q=0.9' });
      expect(en.body.fields).toEqual({ password: 'required' });
      const wrongType = await t.client().post('/api/auth/login', { login: 12, password: 'b' });
      expect(wrongType.body.fields).toEqual({ login: 'invalidType' });
      expect(en.body.message).toMatch(/not valid/);
    });

    it('refuses oversized bodies with 413 and malformed JSON with 400', async () => {
      const big = await t
        .client()
        .request('POST', '/api/auth/login', JSON.stringify({ login: 'x'.repeat(2_000_000), password: 'y' }), {
          'content-type': 'application/json',
        });
      expect(big.status).toBe(413);
      expect(big.body.code).toBe('request.tooLarge');
      const broken = await t
        .client()
        .request('POST', '/api/auth/login', '{"login": ', { 'content-type': 'application/json' });
      expect(broken.status).toBe(400);
      expect(broken.body.code).toBe('request.invalid');
    });

    it('refuses a state-changing request from a foreign origin', async () => {
      const response = await t.client().request(
        'POST',
        '/api/auth/login',
        { login: 'secA', password: 'x'.repeat(9) },
        {
          origin: 'https://evil.example',
        },
      );
      expect(response.status).toBe(403);
      expect(response.body.code).toBe('request.originRejected');
    });

    it('sends security headers with a strict Content-Security-Policy', async () => {
      const response = await t.client().get('/api/setup/status');
      const csp = String(response.headers['content-security-policy']);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['x-request-id']).toBeTruthy();
    });

    it('publishes an OpenAPI document generated from the zod schemas', async () => {
      const response = await t.client().get('/api/docs/json');
      expect(response.status).toBe(200);
      const login = response.body.paths['/api/auth/login'].post;
      expect(login.requestBody.content['application/json'].schema.properties).toHaveProperty('password');
    });
  });
}
