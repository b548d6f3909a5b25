import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LeaveStatus } from '../../shared/domain/enums.ts';
import { dbVariantsFromEnv } from '../support/db-variants.ts';
import {
  grant,
  insertAccount,
  insertMember,
  insertOrganization,
  type SeededCommittee,
  seedCommittee,
} from '../support/fixtures.ts';
import { dayFromToday, insertItem, insertMeeting } from '../support/rectification-fixtures.ts';
import { startTestApp, type TestApp, type TestClient } from '../support/test-app.ts';

const hours = (n: number) => new Date(Date.now() + n * 3_600_000);

/**
 * The home page's reminders: a member's own overdue and soon-due items; for a branch committee its
 * overdue work and the leave requests it has to decide before the meeting starts.
 */
for (const variant of dbVariantsFromEnv()) {
  describe(`${variant}: reminders`, () => {
    let t: TestApp;
    let w: SeededCommittee;
    const item: Record<string, string> = {};
    let committeeMeeting: string;
    let lifeMeeting: string;
    let meetingB: string;

    async function insertLeave(meetingId: string, memberId: string, status: LeaveStatus = 'pending') {
      await t.db
        .insertInto('leave_requests')
        .values({
          meeting_id: meetingId,
          member_id: memberId,
          reason: '出差',
          status,
          decided_by: null,
          decided_at: null,
          decision_note: null,
        })
        .execute();
    }
    const remindersOf = async (client: TestClient) => {
      const response = await client.get('/api/me/reminders');
      expect(response.status, response.raw).toBe(200);
      return response.body;
    };
    const ids = (items: Array<{ id: string }>) => items.map((i) => i.id);

    beforeAll(async () => {
      t = await startTestApp(variant);
      w = await seedCommittee(t.db, 3);
      const [a1, a2] = [w.membersA[0]!.memberId, w.membersA[1]!.memberId];
      const own = (
        dueOn: number | null,
        status?: 'planned' | 'inProgress' | 'completed' | 'verified' | 'cancelled',
      ) =>
        insertItem(t.db, w.branchA.id, {
          ownerMemberId: a1,
          dueOn: dueOn === null ? null : dayFromToday(dueOn),
          status,
          measures: `甲1 ${dueOn} ${status ?? 'planned'}`,
        });
      item.a1Late10 = await own(-10, 'inProgress');
      item.a1Late3 = await own(-3);
      item.a1Today = await own(0);
      item.a1In7 = await own(7, 'inProgress');
      item.a1In8 = await own(8);
      item.a1Ongoing = await own(null);
      item.a1DoneLate = await own(-20, 'completed');
      item.a1Cancelled = await own(-30, 'cancelled');
      item.a1Verified = await own(-40, 'verified');
      item.unitLate60 = await insertItem(t.db, w.branchA.id, {
        dueOn: dayFromToday(-60),
        measures: '支委会逾期 60 天',
      });
      item.a2Late1 = await insertItem(t.db, w.branchA.id, {
        ownerMemberId: a2,
        dueOn: dayFromToday(-1),
        measures: '甲2 逾期 1 天',
      });
      item.bLate5 = await insertItem(t.db, w.branchB.id, {
        ownerMemberId: w.memberB.memberId,
        dueOn: dayFromToday(-5),
      });
      await insertItem(t.db, w.otherBranch.id, { dueOn: dayFromToday(-5) });

      committeeMeeting = await insertMeeting(t.db, w.branchA.id, '12月支委会', hours(24), {
        type: 'branchCommitteeMeeting',
        status: 'scheduled',
      });
      lifeMeeting = await insertMeeting(t.db, w.branchA.id, '2026年度组织生活会', hours(72), {
        status: 'scheduled',
      });
      const startedLate = await insertMeeting(t.db, w.branchA.id, '时间已到仍未开始', hours(-1), {
        status: 'scheduled',
      });
      const held = await insertMeeting(t.db, w.branchA.id, '已召开', hours(-48));
      const cancelled = await insertMeeting(t.db, w.branchA.id, '已取消', hours(48), { status: 'cancelled' });
      meetingB = await insertMeeting(t.db, w.branchB.id, '二支部党员大会', hours(30), {
        type: 'branchGeneralMeeting',
        status: 'scheduled',
      });
      await insertLeave(lifeMeeting, a1);
      await insertLeave(lifeMeeting, a2);
      await insertLeave(lifeMeeting, w.membersA[2]!.memberId, 'approved');
      await insertLeave(lifeMeeting, w.secretaryA.memberId);
      await insertLeave(committeeMeeting, w.probationaryA.memberId);
      for (const meeting of [startedLate, held, cancelled]) await insertLeave(meeting, a1);
      await insertLeave(meetingB, w.memberB.memberId);
    });
    afterAll(() => t.close());

    it("reminds a member of their own open items that are overdue or due within 7 days, and nothing of the branch's", async () => {
      const member = await t.client().signIn('memberA1');
      const reminders = await remindersOf(member);
      expect(reminders.today).toBe(dayFromToday(0));
      expect(ids(reminders.ownItems)).toEqual([item.a1Late10, item.a1Late3, item.a1Today, item.a1In7]);
      expect(reminders.ownItems.map((i: any) => i.effectiveStatus)).toEqual([
        'overdue',
        'overdue',
        'planned',
        'inProgress',
      ]);
      expect(reminders.ownItems[0]).toMatchObject({
        organization: { id: w.branchA.id, name: '第一党支部' },
        owner: { name: '党员甲1' },
        dueOn: dayFromToday(-10),
      });
      expect(reminders.branches).toEqual([]);

      // Nothing to remind is an empty answer, which the home page shows as no panel at all.
      expect(await remindersOf(await t.client().signIn('memberA3'))).toEqual({
        today: dayFromToday(0),
        ownItems: [],
        branches: [],
      });
    });

    it('shows a branch committee its overdue items and the leave requests it must decide before the meeting', async () => {
      const secretary = await t.client().signIn('secA');
      const reminders = await remindersOf(secretary);
      expect(reminders.ownItems).toEqual([]);
      expect(reminders.branches).toHaveLength(1);
      const [branch] = reminders.branches;
      expect(branch.organization).toEqual({ id: w.branchA.id, name: '第一党支部' });
      // Open and past due: 60, 10, 3 and 1 days; the three most overdue are named.
      expect(branch.overdueCount).toBe(4);
      expect(ids(branch.mostOverdue)).toEqual([item.unitLate60, item.a1Late10, item.a1Late3]);
      expect(branch.mostOverdue.every((i: any) => i.effectiveStatus === 'overdue')).toBe(true);
      // Soonest meeting first; approved, started, held and cancelled ones are not waiting, and the
      // secretary's own request is for someone else to decide.
      expect(branch.pendingLeave).toEqual([
        {
          meeting: expect.objectContaining({
            id: committeeMeeting,
            title: '12月支委会',
            type: 'branchCommitteeMeeting',
          }),
          members: [{ id: w.probationaryA.memberId, name: '预备党员甲' }],
        },
        {
          meeting: expect.objectContaining({ id: lifeMeeting, title: '2026年度组织生活会' }),
          members: [
            { id: w.membersA[0]!.memberId, name: '党员甲1' },
            { id: w.membersA[1]!.memberId, name: '党员甲2' },
          ],
        },
      ]);

      const other = await remindersOf(await t.client().signIn('secB'));
      expect(other.branches).toEqual([
        expect.objectContaining({
          organization: { id: w.branchB.id, name: '第二党支部' },
          overdueCount: 1,
          pendingLeave: [expect.objectContaining({ meeting: expect.objectContaining({ id: meetingB }) })],
        }),
      ]);
      expect(ids(other.branches[0].mostOverdue)).toEqual([item.bLate5]);
    });

    it('reaches every branch under a committee-level secretary grant, and none for read-only roles', async () => {
      const deputy = await insertAccount(t.db, 'committeeSecretary', '党委副书记');
      await grant(t.db, deputy, w.committee.id, 'secretary');
      const reminders = await remindersOf(await t.client().signIn('committeeSecretary'));
      expect(reminders.branches.map((b: any) => [b.organization.name, b.overdueCount])).toEqual([
        ['第一党支部', 4],
        ['第二党支部', 1],
      ]);

      for (const login of ['viewer', 'admin', 'otherviewer'])
        expect((await remindersOf(await t.client().signIn(login))).branches, login).toEqual([]);

      // A branch committee with nothing waiting gets no entry for its branch.
      const quiet = await insertOrganization(t.db, '第三党支部', 'partyBranch', w.committee);
      await insertMember(t.db, quiet.id, '赵书记', { committeeRole: 'secretary', login: 'secC' });
      expect((await remindersOf(await t.client().signIn('secC'))).branches).toEqual([]);
    });

    it('follows the records on every read: done work and decided leave drop out', async () => {
      const member = await t.client().signIn('memberA1');
      expect(
        (await member.post(`/api/rectification/items/${item.a1Late3}/actions`, { action: 'start' })).status,
      ).toBe(200);
      const done = await member.post(`/api/rectification/items/${item.a1Late3}/actions`, {
        action: 'complete',
        note: '已整改',
      });
      expect(done.status).toBe(200);
      expect(ids((await remindersOf(member)).ownItems)).toEqual([item.a1Late10, item.a1Today, item.a1In7]);

      await t.db
        .updateTable('leave_requests')
        .set({ status: 'approved', decided_at: new Date() })
        .where('meeting_id', '=', committeeMeeting)
        .execute();
      const [branch] = (await remindersOf(await t.client().signIn('secA'))).branches;
      expect(branch.overdueCount).toBe(3);
      expect(ids(branch.mostOverdue)).toEqual([item.unitLate60, item.a1Late10, item.a2Late1]);
      expect(branch.pendingLeave.map((m: any) => m.meeting.id)).toEqual([lifeMeeting]);
    });

    it('asks a signed-out caller to sign in', async () => {
      expect((await t.client().get('/api/me/reminders')).status).toBe(401);
    });
  });
}
