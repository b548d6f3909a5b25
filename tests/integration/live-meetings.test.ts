import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbVariantsFromEnv } from '../support/db-variants.ts';
import { type SeededCommittee, seedCommittee } from '../support/fixtures.ts';
import { insertMeeting } from '../support/live-fixtures.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

/** The branch's meetings as the host console's entry point lists them. */
for (const variant of dbVariantsFromEnv()) {
  describe(`${variant}: meetings to run live`, () => {
    let t: TestApp;
    let s: SeededCommittee;
    const ids: Record<string, string> = {};
    const at = (days: number) => new Date(Date.now() + days * 24 * 3600_000);

    beforeAll(async () => {
      t = await startTestApp(variant);
      s = await seedCommittee(t.db, 2);
      const inviteeIds = [s.secretaryA.memberId, ...s.membersA.map((m) => m.memberId)];
      for (const [key, title, days] of [
        ['today', '今天的组织生活会', 0],
        ['next', '下月的主题党日', 30],
        ['past', '上月的党小组会', -20],
        ['old', '去年的会', -200],
        ['cancelled', '取消的会', 1],
      ] as const) {
        const { meetingId } = await insertMeeting(t.db, s.branchA.id, { inviteeIds, title });
        await t.db
          .updateTable('meetings')
          .set({ starts_at: at(days) })
          .where('id', '=', meetingId)
          .execute();
        ids[key] = meetingId;
      }
      await t.db
        .updateTable('meetings')
        .set({ status: 'cancelled' })
        .where('id', '=', ids.cancelled!)
        .execute();
      await insertMeeting(t.db, s.branchB.id, { inviteeIds: [s.memberB.memberId], title: '第二支部的会' });
    });
    afterAll(() => t.close());

    it('lists the branch meetings nearest to now first, with their live state, for the secretary', async () => {
      const host = await t.client().signIn('secA');
      expect((await host.post(`/api/meetings/${ids.past}/live/open`)).status).toBe(200);
      const response = await host.get(`/api/organizations/${s.branchA.id}/live-meetings`);
      expect(response.status).toBe(200);
      const titles = response.body.meetings.map((m: { title: string }) => m.title);
      // The running session first; then today's, then next month's; no cancelled, nothing older than 60 days.
      expect(titles).toEqual(['上月的党小组会', '今天的组织生活会', '下月的主题党日']);
      expect(response.body.meetings[0]).toMatchObject({
        id: ids.past,
        type: 'orgLifeMeeting',
        live: { open: true, rounds: 0, openRounds: 0 },
      });
      expect(response.body.meetings[1].live).toEqual({ open: false, rounds: 0, openRounds: 0 });

      const older = await host.get(`/api/organizations/${s.branchA.id}/live-meetings?days=366`);
      expect(older.body.meetings.map((m: { title: string }) => m.title)).toContain('去年的会');
    });

    it('counts rounds and open rounds', async () => {
      const host = await t.client().signIn('secA');
      await host.post(`/api/meetings/${ids.today}/live/open`);
      const created = await host.post(`/api/meetings/${ids.today}/live/rounds`, {
        title: '测评',
        config: { kind: 'survey' },
      });
      await host.post(`/api/meetings/${ids.today}/live/rounds`, {
        title: '投票',
        config: { kind: 'appraisal' },
      });
      expect((await host.post(`/api/meetings/${ids.today}/live/rounds/${created.body.id}/open`)).status).toBe(
        200,
      );
      const response = await host.get(`/api/organizations/${s.branchA.id}/live-meetings`);
      const today = response.body.meetings.find((m: { id: string }) => m.id === ids.today);
      expect(today.live).toEqual({ open: true, rounds: 2, openRounds: 1 });
    });

    it('is for hosts: a member is refused (403), another branch gets 404, bad input 400', async () => {
      const member = await t.client().signIn('memberA1');
      expect((await member.get(`/api/organizations/${s.branchA.id}/live-meetings`)).status).toBe(403);
      const otherSecretary = await t.client().signIn('secB');
      const other = await otherSecretary.get(`/api/organizations/${s.branchA.id}/live-meetings`);
      expect(other.status).toBe(404);
      const host = await t.client().signIn('secA');
      const bad = await host.get(`/api/organizations/${s.branchA.id}/live-meetings?days=0&extra=1`);
      expect(bad.status).toBe(400);
      expect(bad.body.fields).toEqual({
        'querystring.days': 'tooSmall',
        'querystring.extra': 'unknownField',
      });
      expect((await host.get('/api/organizations/not-a-uuid/live-meetings')).status).toBe(400);
      expect((await t.client().get(`/api/organizations/${s.branchA.id}/live-meetings`)).status).toBe(401);
    });
  });
}
