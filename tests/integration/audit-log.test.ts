import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit, verifyAuditChain } from '../../server/audit/audit-log.ts';
import { dbVariantsFromEnv } from '../support/db-variants.ts';
import { type SeededCommittee, seedCommittee } from '../support/fixtures.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

for (const variant of dbVariantsFromEnv()) {
  describe(`${variant}: the hash-chained audit log`, () => {
    let t: TestApp;
    let world: SeededCommittee;
    beforeAll(async () => {
      t = await startTestApp(variant);
      world = await seedCommittee(t.db, 1);
    });
    afterAll(() => t.close());

    it('records administrative actions with who did them, and the chain verifies', async () => {
      const admin = await t.client().signIn('admin');
      const granted = await admin.post(`/api/organizations/${world.branchA.id}/grants`, {
        login: 'viewer',
        role: 'observer',
      });
      expect(granted.status).toBe(201);
      expect((await admin.delete(`/api/grants/${granted.body.id}`)).status).toBe(200);
      const created = await admin.post('/api/organizations', {
        parentId: world.committee.id,
        kind: 'partyBranch',
        name: '第三党支部',
      });
      expect(created.status).toBe(201);

      const page = await admin.get(`/api/organizations/${world.committee.id}/audit`);
      expect(page.status).toBe(200);
      expect(page.body.entries.map((e: { action: string }) => e.action)).toEqual([
        'organization.created',
        'grant.revoked',
        'grant.created',
      ]);
      expect(page.body.entries[2]).toMatchObject({ actorLabel: '管理员', details: { role: 'observer' } });
      expect(page.body.chain).toEqual({ ok: true, entries: 3 });

      // Branch members and other committees do not see it.
      expect(
        (await (await t.client().signIn('secA')).get(`/api/organizations/${world.committee.id}/audit`))
          .status,
      ).toBe(404);
      expect(
        (await (await t.client().signIn('otherviewer')).get(`/api/organizations/${world.committee.id}/audit`))
          .status,
      ).toBe(404);
    });

    it('refuses updates and deletes, and detects tampering by someone who bypasses that', async () => {
      for (let i = 0; i < 3; i++) {
        await t.db.transaction().execute((trx) =>
          appendAudit(trx, {
            actorAccountId: null,
            actorLabel: 'test',
            action: 'test.entry',
            details: { i },
          }),
        );
      }
      await expect(
        sql`update audit_log set actor_label = 'someone else' where seq = 2`.execute(t.db),
      ).rejects.toThrow(/append-only/);
      await expect(sql`delete from audit_log where seq = 2`.execute(t.db)).rejects.toThrow(/append-only/);
      expect((await verifyAuditChain(t.db)).ok).toBe(true);

      // A superuser can switch the trigger off; the chain still gives them away.
      await sql`alter table audit_log disable trigger audit_log_append_only`.execute(t.db);
      await sql`update audit_log set details = '{"i": 99}' where seq = 5`.execute(t.db);
      await sql`alter table audit_log enable trigger audit_log_append_only`.execute(t.db);
      expect(await verifyAuditChain(t.db)).toMatchObject({ ok: false, brokenAt: 5, reason: 'hash' });
    });

    it('keeps one linear chain when many actions are recorded at once', async () => {
      const fresh = await startTestApp(variant);
      try {
        await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            fresh.db.transaction().execute((trx) =>
              appendAudit(trx, {
                actorAccountId: null,
                actorLabel: 'parallel',
                action: 'test.parallel',
                details: { i },
              }),
            ),
          ),
        );
        expect(await verifyAuditChain(fresh.db, 7)).toMatchObject({
          ok: true,
          entries: 20,
          head: { seq: 20 },
        });
      } finally {
        await fresh.close();
      }
    });
  });
}
