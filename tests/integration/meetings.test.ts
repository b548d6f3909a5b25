import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditedSince, auditMark } from '../support/audit.ts';
import { dbVariantsFromEnv } from '../support/db-variants.ts';
import {
  insertMember,
  insertOrganization,
  type SeededCommittee,
  seedCommittee,
} from '../support/fixtures.ts';
import { hoursFromNow, meetingBody, scheduleMeeting } from '../support/meetings.ts';
import { startTestApp, type TestApp, type TestClient } from '../support/test-app.ts';

for (const variant of dbVariantsFromEnv()) {
  describe(`${variant}: scheduling meetings`, () => {
    let t: TestApp;
    let w: SeededCommittee;
    let secretary: TestClient;
    let admin: TestClient;
    const meetingCount = async () =>
      (
        await t.db
          .selectFrom('meetings')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n;

    beforeAll(async () => {
      t = await startTestApp(variant);
      w = await seedCommittee(t.db, 4);
      secretary = await t.client().signIn('secA');
      admin = await t.client().signIn('admin');
    });
    afterAll(() => t.close());

    it('invites the current members by default and keeps every scheduled field', async () => {
      const left = await insertMember(t.db, w.branchA.id, '已转出党员');
      await t.db
        .updateTable('members')
        .set({ left_at: new Date() })
        .where('id', '=', left.memberId)
        .execute();
      const id = await scheduleMeeting(secretary, w.branchA.id, {
        sessionNo: 2,
        mode: 'hybrid',
        hostMemberId: w.secretaryA.memberId,
        recorderMemberId: w.membersA[0]!.memberId,
        agenda: [{ title: '书记通报年度工作和整改情况' }, { title: '批评与自我批评', notes: '书记带头' }],
        observers: [{ name: '王群众', affiliation: '社区居民代表' }],
        includesAppraisal: true,
        preparation: {
          studyHeld: true,
          talksHeld: true,
          opinionSolicitationHeld: false,
          notes: '集中学习两次',
        },
      });
      const detail = (await secretary.get(`/api/meetings/${id}`)).body;
      expect(detail).toMatchObject({
        type: 'orgLifeMeeting',
        title: '2026年度组织生活会',
        sessionNo: 2,
        theme: '学习贯彻党的创新理论',
        location: '党员活动室',
        mode: 'hybrid',
        status: 'scheduled',
        includesAppraisal: true,
        host: { memberId: w.secretaryA.memberId, name: '张书记' },
        recorder: { memberId: w.membersA[0]!.memberId, name: '党员甲1' },
        agenda: [{ title: '书记通报年度工作和整改情况' }, { title: '批评与自我批评', notes: '书记带头' }],
        observers: [{ name: '王群众', affiliation: '社区居民代表', memberId: null }],
        preparation: {
          studyHeld: true,
          talksHeld: true,
          opinionSolicitationHeld: false,
          notes: '集中学习两次',
        },
        organizationName: '第一党支部',
        me: { canManage: true, canRecord: true, canViewRecord: true, isHost: true, isRecorder: false },
      });
      const everyone = [w.secretaryA, ...w.membersA, w.probationaryA].map((m) => m.memberId).sort();
      expect(detail.invitees.map((i: { memberId: string }) => i.memberId).sort()).toEqual(everyone);
      expect(detail.me.inviteeMemberId).toBe(w.secretaryA.memberId);
    });

    it('invites only the committee to a committee meeting, and the invitee list can be edited', async () => {
      const organizer = await insertMember(t.db, w.branchA.id, '组织委员', { committeeRole: 'organization' });
      const id = await scheduleMeeting(secretary, w.branchA.id, {
        type: 'branchCommitteeMeeting',
        title: '支委会',
      });
      const invitees = (await secretary.get(`/api/meetings/${id}`)).body.invitees.map(
        (i: { memberId: string }) => i.memberId,
      );
      expect(invitees.sort()).toEqual([w.secretaryA.memberId, organizer.memberId].sort());

      const chosen = [w.secretaryA.memberId, w.membersA[1]!.memberId];
      const edited = await secretary.post(`/api/organizations/${w.branchA.id}/meetings`, {
        ...meetingBody({ type: 'partyLecture', title: '专题党课' }),
        inviteeMemberIds: chosen,
      });
      const lecture = (await secretary.get(`/api/meetings/${edited.body.id}`)).body;
      expect(lecture.invitees.map((i: { memberId: string }) => i.memberId).sort()).toEqual(
        [...chosen].sort(),
      );
    });

    it('holds party-group meetings in party groups, for the group’s own members', async () => {
      const refused = await secretary.post(
        `/api/organizations/${w.branchA.id}/meetings`,
        meetingBody({ type: 'partyGroupMeeting', title: '党小组会' }),
      );
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({
        code: 'meeting.typeNotAllowedHere',
        fields: { type: 'typeNotAllowedHere' },
      });

      const group = await insertOrganization(t.db, '第一党小组', 'partyGroup', w.branchA);
      const inGroup = [w.membersA[2]!.memberId, w.membersA[3]!.memberId];
      await t.db
        .updateTable('members')
        .set({ party_group_id: group.id })
        .where('id', 'in', inGroup)
        .execute();
      const id = await scheduleMeeting(secretary, group.id, { type: 'partyGroupMeeting', title: '党小组会' });
      const detail = (await secretary.get(`/api/meetings/${id}`)).body;
      expect(detail.invitees.map((i: { memberId: string }) => i.memberId).sort()).toEqual(
        [...inGroup].sort(),
      );

      const roster = (await secretary.get(`/api/organizations/${group.id}/meeting-roster`)).body;
      expect(roster.allowedTypes).toEqual(['partyGroupMeeting', 'orgLifeMeeting']);
      expect(roster.members.map((m: { id: string }) => m.id).sort()).toEqual([...inGroup].sort());
      // The branch secretary may sit in on the group's meeting as an observer.
      expect(roster.observerCandidates.map((m: { id: string }) => m.id)).toContain(w.secretaryA.memberId);
      const withObserver = await secretary.patch(`/api/meetings/${id}`, {
        observers: [{ name: '张书记', affiliation: '支部书记', memberId: w.secretaryA.memberId }],
      });
      expect(withObserver.status).toBe(200);
      expect(withObserver.body.observers).toEqual([
        expect.objectContaining({ name: '张书记', memberId: w.secretaryA.memberId }),
      ]);
    });

    it('lists the party groups’ meetings in their branch’s list, marked with the group’s name', async () => {
      const group = await insertOrganization(t.db, '第二党小组', 'partyGroup', w.branchA);
      const archived = await insertOrganization(t.db, '已撤销党小组', 'partyGroup', w.branchA);
      const siblingsGroup = await insertOrganization(t.db, '乙支部党小组', 'partyGroup', w.branchB);
      const grouped = await insertMember(t.db, w.branchA.id, '小组成员');
      await t.db
        .updateTable('members')
        .set({ party_group_id: group.id })
        .where('id', '=', grouped.memberId)
        .execute();
      const period = 'when=upcoming&from=2032-03-01T00:00:00Z&to=2032-04-01T00:00:00Z';
      const startsAt = '2032-03-10T06:00:00Z';
      const groupMeeting = await scheduleMeeting(secretary, group.id, {
        type: 'partyGroupMeeting',
        title: '三月党小组会',
        startsAt,
        endsAt: null,
      });
      const branchMeeting = await scheduleMeeting(secretary, w.branchA.id, {
        type: 'partyLecture',
        title: '三月党课',
        startsAt: '2032-03-05T06:00:00Z',
        endsAt: null,
      });
      for (const org of [archived, siblingsGroup])
        await t.db
          .insertInto('meetings')
          .values({
            organization_id: org.id,
            type: 'partyGroupMeeting',
            title: '不应出现',
            starts_at: new Date(startsAt),
          })
          .execute();
      await t.db
        .updateTable('organizations')
        .set({ archived_at: new Date() })
        .where('id', '=', archived.id)
        .execute();

      const member = await t.client().signIn('memberA1');
      for (const reader of [secretary, member]) {
        const list = (await reader.get(`/api/organizations/${w.branchA.id}/meetings?${period}`)).body;
        expect(
          list.map((m: { id: string; partyGroupName: string | null }) => [m.id, m.partyGroupName]),
        ).toEqual([
          [branchMeeting, null],
          [groupMeeting, '第二党小组'],
        ]);
      }
      const own = (await secretary.get(`/api/organizations/${group.id}/meetings?${period}`)).body;
      expect(own).toEqual([expect.objectContaining({ id: groupMeeting, partyGroupName: null })]);
      // The committee's own list is its own meetings, not every branch's.
      const viewer = await t.client().signIn('viewer');
      expect((await viewer.get(`/api/organizations/${w.committee.id}/meetings?${period}`)).body).toEqual([]);
    });

    it('allows democratic-life meetings only to leadership groups', async () => {
      const body = meetingBody({ type: 'leadershipLifeMeeting', title: '民主生活会' });
      const refused = await secretary.post(`/api/organizations/${w.branchA.id}/meetings`, body);
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({
        code: 'meeting.leadershipGroupOnly',
        fields: { type: 'leadershipGroupOnly' },
      });
      expect(
        (await secretary.get(`/api/organizations/${w.branchA.id}/meeting-roster`)).body.allowedTypes,
      ).not.toContain('leadershipLifeMeeting');

      await t.db
        .updateTable('organizations')
        .set({ is_leadership_group: true })
        .where('id', '=', w.branchA.id)
        .execute();
      try {
        expect((await secretary.post(`/api/organizations/${w.branchA.id}/meetings`, body)).status).toBe(201);
      } finally {
        await t.db
          .updateTable('organizations')
          .set({ is_leadership_group: false })
          .where('id', '=', w.branchA.id)
          .execute();
      }
    });

    it('refuses bad schedules with per-field codes and creates nothing', async () => {
      const before = await meetingCount();
      const cases: Array<[Record<string, unknown>, string, Record<string, string>]> = [
        [{ endsAt: hoursFromNow(47) }, 'meeting.endBeforeStart', { endsAt: 'endBeforeStart' }],
        [{ hostMemberId: w.memberB.memberId }, 'meeting.notInRoster', { hostMemberId: 'notInRoster' }],
        [
          { hostMemberId: w.membersA[0]!.memberId, recorderMemberId: w.membersA[0]!.memberId },
          'meeting.hostIsRecorder',
          { recorderMemberId: 'sameAsHost' },
        ],
        [
          { inviteeMemberIds: [w.membersA[0]!.memberId, w.memberB.memberId] },
          'meeting.notInRoster',
          { 'inviteeMemberIds.1': 'notInRoster' },
        ],
        [{ inviteeMemberIds: [] }, 'meeting.noInvitees', { inviteeMemberIds: 'required' }],
        [
          { observers: [{ name: '党员甲1', memberId: w.membersA[0]!.memberId }] },
          'meeting.observerInvited',
          { 'observers.0.memberId': 'alreadyInvited' },
        ],
        [
          { type: 'partyLecture', preparation: { studyHeld: true } },
          'meeting.preparationNotApplicable',
          { preparation: 'notForThisType' },
        ],
        [{ title: '  ' }, 'request.invalid', { title: 'tooShort' }],
        [{ startsAt: '2026-12-01 09:00' }, 'request.invalid', { startsAt: 'invalidFormat' }],
        [{ mode: 'onTheMoon' }, 'request.invalid', { mode: 'invalidOption' }],
        [{ secret: true }, 'request.invalid', { secret: 'unknownField' }],
        [
          { inviteeMemberIds: [w.membersA[0]!.memberId, w.membersA[0]!.memberId] },
          'request.invalid',
          { 'inviteeMemberIds.1': 'duplicate' },
        ],
      ];
      for (const [overrides, code, fields] of cases) {
        const response = await secretary.post(
          `/api/organizations/${w.branchA.id}/meetings`,
          meetingBody(overrides),
        );
        expect(response.status, JSON.stringify(overrides)).toBe(400);
        expect(response.body.code).toBe(code);
        expect(response.body.fields).toEqual(fields);
      }
      expect(await meetingCount()).toBe(before);
    });

    it('edits a meeting, refusing an end before the start, and lists meetings by time, type and period', async () => {
      const mark = await auditMark(t.db);
      const id = await scheduleMeeting(secretary, w.branchA.id, {
        type: 'themedPartyDay',
        title: '十二月主题党日',
        startsAt: '2031-12-05T01:30:00Z',
        endsAt: '2031-12-05T03:30:00Z',
      });
      const wrong = await secretary.patch(`/api/meetings/${id}`, { endsAt: '2031-12-05T01:00:00Z' });
      expect(wrong.status).toBe(400);
      expect(wrong.body.fields).toEqual({ endsAt: 'endBeforeStart' });
      // An invitee who has since left the branch does not block editing the meeting.
      const leaving = await insertMember(t.db, w.branchA.id, '即将转出党员');
      const invited = await secretary.patch(`/api/meetings/${id}`, {
        inviteeMemberIds: [w.secretaryA.memberId, leaving.memberId],
      });
      expect(invited.status).toBe(200);
      await t.db
        .updateTable('members')
        .set({ left_at: new Date() })
        .where('id', '=', leaving.memberId)
        .execute();
      const edited = await secretary.patch(`/api/meetings/${id}`, {
        location: '红色教育基地',
        theme: '重温入党誓词',
      });
      expect(edited.status).toBe(200);
      // Edits are audited by the fields they changed; a refused edit left no trace.
      expect((await auditedSince(admin, w.branchA.id, mark)).map((e) => [e.action, e.details])).toEqual([
        ['meeting.scheduled', { type: 'themedPartyDay' }],
        ['meeting.updated', { fields: 'inviteeMemberIds' }],
        ['meeting.updated', { fields: 'location,theme' }],
      ]);
      expect(edited.body).toMatchObject({
        location: '红色教育基地',
        theme: '重温入党誓词',
        endsAt: '2031-12-05T03:30:00.000Z',
        inviteeCount: 2,
      });
      const withLeftMember = await secretary.post(`/api/organizations/${w.branchA.id}/meetings`, {
        ...meetingBody(),
        inviteeMemberIds: [leaving.memberId],
      });
      expect(withLeftMember.body.fields).toEqual({ 'inviteeMemberIds.0': 'notInRoster' });

      const pastId = await scheduleMeeting(secretary, w.branchA.id, {
        type: 'themedPartyDay',
        title: '十一月主题党日',
        startsAt: '2031-11-05T01:30:00Z',
        endsAt: null,
      });
      await secretary.post(`/api/meetings/${pastId}/status`, { status: 'held' });

      const upcoming = (await secretary.get(`/api/organizations/${w.branchA.id}/meetings?when=upcoming`))
        .body;
      expect(upcoming.map((m: { id: string }) => m.id)).toContain(id);
      expect(upcoming.map((m: { id: string }) => m.id)).not.toContain(pastId);
      const starts = upcoming.map((m: { startsAt: string }) => m.startsAt);
      expect(starts).toEqual([...starts].sort());
      const past = (await secretary.get(`/api/organizations/${w.branchA.id}/meetings?when=past`)).body;
      expect(past.map((m: { id: string }) => m.id)).toEqual([pastId]);

      const themedDays = (
        await secretary.get(`/api/organizations/${w.branchA.id}/meetings?type=themedPartyDay`)
      ).body.map((m: { title: string }) => m.title);
      expect(themedDays).toEqual(['十二月主题党日', '十一月主题党日']);
      const december = (
        await secretary.get(
          `/api/organizations/${w.branchA.id}/meetings?from=2031-12-01T00:00:00Z&to=2032-01-01T00:00:00Z`,
        )
      ).body;
      expect(december).toEqual([
        expect.objectContaining({
          id,
          title: '十二月主题党日',
          status: 'scheduled',
          minutesLocked: false,
          myLeave: null,
        }),
      ]);
      const badQuery = await secretary.get(`/api/organizations/${w.branchA.id}/meetings?when=soon&page=2`);
      expect(badQuery.status).toBe(400);
      expect(badQuery.body.fields).toEqual({
        'querystring.when': 'invalidOption',
        'querystring.page': 'unknownField',
      });
    });

    it('moves a meeting scheduled → in progress → held, and cancels only a meeting not yet begun, with a reason', async () => {
      const mark = await auditMark(t.db);
      const id = await scheduleMeeting(secretary, w.branchA.id, {
        title: '第三季度党员大会',
        type: 'branchGeneralMeeting',
      });
      expect((await secretary.post(`/api/meetings/${id}/status`, { status: 'inProgress' })).body.status).toBe(
        'inProgress',
      );
      const cancelStarted = await secretary.post(`/api/meetings/${id}/cancel`, { reason: '改期' });
      expect(cancelStarted.status).toBe(409);
      expect(cancelStarted.body.code).toBe('meeting.cannotCancel');
      expect((await secretary.post(`/api/meetings/${id}/status`, { status: 'held' })).body.status).toBe(
        'held',
      );
      const back = await secretary.post(`/api/meetings/${id}/status`, { status: 'inProgress' });
      expect(back.status).toBe(409);
      expect(back.body.code).toBe('meeting.invalidTransition');

      const other = await scheduleMeeting(secretary, w.branchA.id, { title: '党课', type: 'partyLecture' });
      const noReason = await secretary.post(`/api/meetings/${other}/cancel`, {});
      expect(noReason.status).toBe(400);
      expect(noReason.body.fields).toEqual({ reason: 'required' });
      const cancelled = await secretary.post(`/api/meetings/${other}/cancel`, {
        reason: '与上级会议冲突，改期',
      });
      expect(cancelled.body).toMatchObject({ status: 'cancelled', cancelledReason: '与上级会议冲突，改期' });
      const editCancelled = await secretary.patch(`/api/meetings/${other}`, { title: '再改' });
      expect(editCancelled.status).toBe(409);
      expect(editCancelled.body.code).toBe('meeting.cancelled');

      // The audit trail keeps every move that happened (refused ones are not moves), never the reason's text.
      const trail = await auditedSince(admin, w.branchA.id, mark);
      expect(trail.map((e) => [e.action, e.actorLabel, e.details])).toEqual([
        ['meeting.scheduled', '张书记', { type: 'branchGeneralMeeting' }],
        ['meeting.statusChanged', '张书记', { from: 'scheduled', to: 'inProgress' }],
        ['meeting.statusChanged', '张书记', { from: 'inProgress', to: 'held' }],
        ['meeting.scheduled', '张书记', { type: 'partyLecture' }],
        ['meeting.cancelled', '张书记', { from: 'scheduled', to: 'cancelled' }],
      ]);
      expect(JSON.stringify(trail)).not.toContain('与上级会议冲突');
    });

    // Who may call each route, everywhere, is in the access-control matrix (tests/access/meetings.ts).
    it('answers an unknown meeting as it answers another branch’s: 404', async () => {
      const theirs = await scheduleMeeting(await t.client().signIn('secB'), w.branchB.id, {
        title: '乙支部会议',
      });
      for (const id of [theirs, '00000000-0000-4000-8000-000000000000']) {
        const response = await secretary.get(`/api/meetings/${id}`);
        expect(response.status).toBe(404);
        expect(response.body.code).toBe('resource.notFound');
      }
    });
  });
}
