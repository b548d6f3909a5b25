import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashHumanCode } from '../../server/auth/secrets.ts';
import { auditedSince, auditMark } from '../support/audit.ts';
import { dbVariantsFromEnv } from '../support/db-variants.ts';
import { insertAccount, insertMember, type SeededCommittee, seedCommittee } from '../support/fixtures.ts';
import { startTestApp, type TestApp, type TestClient } from '../support/test-app.ts';

const publicUrl = 'https://mingjing.example.org';

for (const variant of dbVariantsFromEnv()) {
  describe(`${variant}: invitations`, () => {
    let t: TestApp;
    let world: SeededCommittee;
    let secretary: TestClient;
    let admin: TestClient;
    let withoutAccount: Array<{ memberId: string; name: string }>;

    beforeAll(async () => {
      t = await startTestApp(variant, { publicUrl });
      world = await seedCommittee(t.db, 2);
      withoutAccount = [];
      for (const name of ['孙一', '孙二', '孙三'])
        withoutAccount.push(await insertMember(t.db, world.branchA.id, name));
      await insertMember(t.db, world.branchB.id, '乙支部无账号');
      secretary = await t.client().signIn('secA');
      admin = await t.client().signIn('admin');
    });
    afterAll(() => t.close());
    const audited = (mark: number) => auditedSince(admin, world.branchA.id, mark);

    const issue = (body: Record<string, unknown> = {}) =>
      secretary.post(`/api/organizations/${world.branchA.id}/invitations`, body);

    it('issues one code per member without an account, as printable slips with link and QR code', async () => {
      const mark = await auditMark(t.db);
      const response = await issue();
      expect(response.status).toBe(200);
      expect(response.body.organizationName).toBe('第一党支部');
      const slips = response.body.slips as Array<Record<string, string>>;
      expect(slips.map((s) => s.memberName).sort()).toEqual(['孙一', '孙二', '孙三'].sort());
      for (const slip of slips) {
        expect(slip.code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{2}$/);
        expect(slip.url).toBe(`${publicUrl}/invite?code=${slip.code}`);
        expect(slip.qrSvg).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
        const days = (new Date(slip.expiresAt!).getTime() - Date.now()) / 86_400_000;
        expect(days).toBeGreaterThan(13.9);
        expect(days).toBeLessThanOrEqual(14);
      }
      // Only hashes are kept: the printed code cannot be read back from the database.
      const stored = await t.db.selectFrom('invitations').select('code_hash').execute();
      expect(stored.map((r) => r.code_hash).sort()).toEqual(slips.map((s) => hashHumanCode(s.code!)).sort());
      expect(JSON.stringify(stored)).not.toContain(slips[0]!.code);
      // The audit log says who was invited, never with what.
      const entries = await audited(mark);
      expect(entries).toEqual([
        {
          action: 'invitations.issued',
          actorLabel: '张书记',
          organizationId: world.branchA.id,
          details: { count: 3, memberIds: expect.any(String) },
        },
      ]);
      expect(String(entries[0]!.details.memberIds).split(',').sort()).toEqual(
        slips.map((s) => s.memberId).sort(),
      );
      for (const slip of slips) expect(JSON.stringify(entries)).not.toContain(slip.code!);

      const roster = await secretary.get(`/api/organizations/${world.branchA.id}/members`);
      const sun = roster.body.members.find((m: { fullName: string }) => m.fullName === '孙一');
      expect(sun.details).toMatchObject({ hasAccount: false, invitationExpiresAt: expect.any(String) });
    });

    it('lets the invited member preview and accept: account created, roster entry linked, signed in', async () => {
      const member = withoutAccount[0]!;
      const [slip] = (await issue({ memberIds: [member.memberId] })).body.slips;
      const phone = t.client();
      const mark = await auditMark(t.db);
      const preview = await phone.post('/api/invitations/preview', {
        code: slip.code.toLowerCase().replaceAll('-', ' '),
      });
      expect(preview.status).toBe(200);
      expect(preview.body).toEqual({ memberName: '孙一', organizationName: '第一党支部' });

      const accepted = await phone.post('/api/invitations/accept', {
        code: slip.code,
        login: 'sun.yi',
        password: 'my own secret 123',
      });
      expect(accepted.status).toBe(200);
      const me = await phone.get('/api/auth/me');
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ login: 'sun.yi', displayName: '孙一' });
      expect(me.body.grants).toEqual([
        { role: 'member', organizationId: world.branchA.id, memberId: member.memberId },
      ]);
      const linked = await t.db
        .selectFrom('members')
        .select('account_id')
        .where('id', '=', member.memberId)
        .executeTakeFirst();
      expect(linked!.account_id).toBe(me.body.accountId);
      await t.client().signIn('sun.yi', 'my own secret 123');
      // Linking the account is what gives the person the member role: audited as done by them.
      const invitationId = (
        await t.db
          .selectFrom('invitations')
          .select('id')
          .where('code_hash', '=', hashHumanCode(slip.code))
          .executeTakeFirstOrThrow()
      ).id;
      expect(await audited(mark)).toEqual([
        {
          action: 'invitation.accepted',
          actorLabel: '孙一',
          organizationId: world.branchA.id,
          details: { memberId: member.memberId, accountId: me.body.accountId, invitationId },
        },
      ]);

      const reuse = await t.client().post('/api/invitations/accept', {
        code: slip.code,
        login: 'sun.yi.again',
        password: 'my own secret 123',
      });
      expect(reuse.status).toBe(400);
      expect(reuse.body.code).toBe('auth.invitationInvalid');
      expect((await t.client().post('/api/invitations/preview', { code: slip.code })).body.code).toBe(
        'auth.invitationInvalid',
      );
      const again = await issue({ memberIds: [member.memberId] });
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('auth.alreadyHasAccount');
    });

    it('rejects an expired code', async () => {
      const member = withoutAccount[1]!;
      const [slip] = (await issue({ memberIds: [member.memberId] })).body.slips;
      await t.db
        .updateTable('invitations')
        .set({ expires_at: new Date(Date.now() - 1000) })
        .where('code_hash', '=', hashHumanCode(slip.code))
        .execute();
      const response = await t.client().post('/api/invitations/accept', {
        code: slip.code,
        login: 'sun.er',
        password: 'my own secret 123',
      });
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('auth.invitationInvalid');
      expect(await t.db.selectFrom('accounts').select('id').where('login', '=', 'sun.er').execute()).toEqual(
        [],
      );
    });

    it("voids a member's earlier unused codes when a new one is issued", async () => {
      const member = withoutAccount[1]!;
      const [first] = (await issue({ memberIds: [member.memberId] })).body.slips;
      const [second] = (await issue({ memberIds: [member.memberId] })).body.slips;
      expect(second.code).not.toBe(first.code);
      expect((await t.client().post('/api/invitations/preview', { code: first.code })).status).toBe(400);
      expect((await t.client().post('/api/invitations/preview', { code: second.code })).status).toBe(200);
    });

    it('keeps the code usable when the chosen login is taken', async () => {
      const member = withoutAccount[2]!;
      const [slip] = (await issue({ memberIds: [member.memberId] })).body.slips;
      const mark = await auditMark(t.db);
      const taken = await t.client().post('/api/invitations/accept', {
        code: slip.code,
        login: 'SecA',
        password: 'my own secret 123',
      });
      expect(taken.status).toBe(409);
      expect(taken.body).toMatchObject({ code: 'auth.loginTaken', fields: { login: 'loginTaken' } });
      const linked = await t.db
        .selectFrom('members')
        .select('account_id')
        .where('id', '=', member.memberId)
        .executeTakeFirst();
      expect(linked!.account_id).toBeNull();

      const tooShort = await t
        .client()
        .post('/api/invitations/accept', { code: slip.code, login: 'sun.san', password: 'short' });
      expect(tooShort.status).toBe(400);
      expect(tooShort.body.fields).toEqual({ password: 'tooShort' });

      const retry = await t.client().post('/api/invitations/accept', {
        code: slip.code,
        login: 'sun.san',
        password: 'my own secret 123',
      });
      expect(retry.status).toBe(200);
      // The refused attempts left nothing behind, in the audit log either.
      expect((await audited(mark)).map((e) => e.action)).toEqual(['invitation.accepted']);
    });

    it('voids the code of a member who leaves before using it', async () => {
      const member = await insertMember(t.db, world.branchA.id, '周转出');
      const [slip] = (await issue({ memberIds: [member.memberId] })).body.slips;
      await secretary.post(`/api/members/${member.memberId}/departure`, {
        reason: 'transferredOut',
        leftOn: '2026-11-01',
      });
      expect((await t.client().post('/api/invitations/preview', { code: slip.code })).body.code).toBe(
        'auth.invitationInvalid',
      );
    });

    it("refuses another branch's members, and answers nobody-to-invite with no slips", async () => {
      const mark = await auditMark(t.db);
      const otherMember = await t.db
        .selectFrom('members')
        .select('id')
        .where('full_name', '=', '乙支部无账号')
        .executeTakeFirstOrThrow();
      const foreign = await issue({ memberIds: [otherMember.id] });
      expect(foreign.status).toBe(404);
      expect(
        await t.db.selectFrom('invitations').select('id').where('member_id', '=', otherMember.id).execute(),
      ).toEqual([]);
      const bad = await issue({ memberIds: [] });
      expect(bad.body.fields).toEqual({ memberIds: 'tooShort' });

      const pending = await t.db
        .selectFrom('members')
        .select('id')
        .where('organization_id', '=', world.branchA.id)
        .where('account_id', 'is', null)
        .where('left_at', 'is', null)
        .execute();
      expect(pending.length).toBeGreaterThan(0);
      for (const [i, m] of pending.entries()) {
        const accountId = await insertAccount(t.db, `late${i}`);
        await t.db.updateTable('members').set({ account_id: accountId }).where('id', '=', m.id).execute();
      }
      const none = await issue();
      expect(none.status).toBe(200);
      expect(none.body.slips).toEqual([]);
      // Neither the refusals nor an issue of no codes at all is an action worth recording.
      expect(await audited(mark)).toEqual([]);
    });

    it('accepts codes only in request bodies, with the usual validation', async () => {
      const inPath = await t.client().get('/api/invitations/ABCD-EFGH-JK');
      expect(inPath.status).toBe(404);
      const empty = await t.client().post('/api/invitations/preview', {});
      expect(empty.body.fields).toEqual({ code: 'required' });
      const unknown = await t.client().post('/api/invitations/preview', { code: 'ZZZZ-ZZZZ-ZZ' });
      expect(unknown.status).toBe(400);
      expect(unknown.body.code).toBe('auth.invitationInvalid');
    });
  });
}

for (const variant of dbVariantsFromEnv()) {
  describe(`${variant}: guessing invitation codes`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp(variant);
    });
    afterAll(() => t.close());

    it('is rate-limited per client address', async () => {
      const guesser = t.client();
      const statuses: number[] = [];
      for (let i = 0; i < 31; i++)
        statuses.push(
          (await guesser.post('/api/invitations/preview', { code: `GUES-S${String(i).padStart(3, '0')}-XX` }))
            .status,
        );
      expect(statuses.slice(0, 30)).toEqual(Array(30).fill(400));
      expect(statuses[30]).toBe(429);
      const accept = await guesser.post('/api/invitations/accept', {
        code: 'GUES-SXXX-XX',
        login: 'guesser',
        password: 'long enough password',
      });
      // Accepting has its own, tighter budget; it is not yet spent.
      expect(accept.status).toBe(400);
      const after = await guesser.post('/api/invitations/preview', { code: 'GUES-SXXX-XX' });
      expect(after.body.code).toBe('request.rateLimited');
    });
  });
}
