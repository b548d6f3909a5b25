import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attendanceSummary } from '../../server/meetings/attendance-summary.ts';
import { auditedSince, auditMark } from '../support/audit.ts';
import { dbVariantsFromEnv } from '../support/db-variants.ts';
import { insertMember, type SeededCommittee, seedCommittee } from '../support/fixtures.ts';
import { hoursFromNow, scheduleMeeting } from '../support/meetings.ts';
import { startTestApp, type TestApp, type TestClient } from '../support/test-app.ts';

for (const variant of dbVariantsFromEnv()) {
  describe(`${variant}: leave requests`, () => {
    let t: TestApp;
    let w: SeededCommittee;
    let secretary: TestClient;
    let member: TestClient;
    let meetingId: string;

    beforeAll(async () => {
      t = await startTestApp(variant);
      w = await seedCommittee(t.db, 3);
      secretary = await t.client().signIn('secA');
      member = await t.client().signIn('memberA1');
      meetingId = await scheduleMeeting(secretary, w.branchA.id, {
        recorderMemberId: w.membersA[2]!.memberId,
      });
    });
    afterAll(() => t.close());

    it('lets a member ask for leave for themself only, before the meeting', async () => {
      const mine = w.membersA[0]!.memberId;
      const asked = await member.post(`/api/meetings/${meetingId}/leave`, {
        memberId: mine,
        reason: '出差在外地',
      });
      expect(asked.status).toBe(201);
      expect(asked.body).toMatchObject({
        memberId: mine,
        memberName: '党员甲1',
        reason: '出差在外地',
        status: 'pending',
      });

      const forSomeoneElse = await member.post(`/api/meetings/${meetingId}/leave`, {
        memberId: w.membersA[1]!.memberId,
        reason: '替他请假',
      });
      expect(forSomeoneElse.status).toBe(403);
      expect(forSomeoneElse.body.code).toBe('leave.notYourOwn');
      const noReason = await member.post(`/api/meetings/${meetingId}/leave`, { memberId: mine, reason: ' ' });
      expect(noReason.body.fields).toEqual({ reason: 'tooShort' });

      const started = await scheduleMeeting(secretary, w.branchA.id, {
        title: '已经开始的会议',
        startsAt: hoursFromNow(-1),
        endsAt: hoursFromNow(1),
      });
      const late = await member.post(`/api/meetings/${started}/leave`, { memberId: mine, reason: '来不了' });
      expect(late.status).toBe(409);
      expect(late.body.code).toBe('leave.meetingStarted');

      const lecture = await scheduleMeeting(secretary, w.branchA.id, {
        type: 'partyLecture',
        inviteeMemberIds: [w.secretaryA.memberId],
      });
      const uninvited = await member.post(`/api/meetings/${lecture}/leave`, {
        memberId: mine,
        reason: '请假',
      });
      expect(uninvited.status).toBe(400);
      expect(uninvited.body.fields).toEqual({ memberId: 'notInvited' });

      // A member sees only their own request; the secretary sees everyone's.
      const other = await t.client().signIn('memberA2');
      await other.post(`/api/meetings/${meetingId}/leave`, {
        memberId: w.membersA[1]!.memberId,
        reason: '家中有事',
      });
      expect((await member.get(`/api/meetings/${meetingId}`)).body.leaveRequests).toEqual([
        expect.objectContaining({ memberId: mine }),
      ]);
      expect((await secretary.get(`/api/meetings/${meetingId}`)).body.leaveRequests).toHaveLength(2);
      expect(
        (await member.get(`/api/organizations/${w.branchA.id}/meetings?when=upcoming`)).body,
      ).toContainEqual(expect.objectContaining({ id: meetingId, myLeave: 'pending' }));
    });

    it('lets a secretary approve (the member becomes excused) or refuse with a note, never their own', async () => {
      const mark = await auditMark(t.db);
      const detail = (await secretary.get(`/api/meetings/${meetingId}`)).body;
      const first = detail.leaveRequests.find(
        (l: { memberId: string }) => l.memberId === w.membersA[0]!.memberId,
      );
      const second = detail.leaveRequests.find(
        (l: { memberId: string }) => l.memberId === w.membersA[1]!.memberId,
      );

      expect(
        (await member.post(`/api/leave-requests/${first.id}/decision`, { decision: 'approved' })).status,
      ).toBe(403);
      const approved = await secretary.post(`/api/leave-requests/${first.id}/decision`, {
        decision: 'approved',
        note: '同意，会后补学',
      });
      expect(approved.status).toBe(200);
      expect(approved.body).toMatchObject({
        status: 'approved',
        decisionNote: '同意，会后补学',
        decidedByName: '张书记',
      });
      const refused = await secretary.post(`/api/leave-requests/${second.id}/decision`, {
        decision: 'rejected',
        note: '本次会议须本人参加',
      });
      expect(refused.body.status).toBe('rejected');
      expect(await attendanceSummary(t.db, meetingId)).toMatchObject({
        counts: { excused: 1, unmarked: 4 },
      });

      // Asking again after a refusal reopens the request; an approved request stands until withdrawn.
      const other = await t.client().signIn('memberA2');
      const again = await other.post(`/api/meetings/${meetingId}/leave`, {
        memberId: w.membersA[1]!.memberId,
        reason: '医院复查，附预约单',
      });
      expect(again.body).toMatchObject({
        status: 'pending',
        reason: '医院复查，附预约单',
        decisionNote: null,
      });
      const twice = await member.post(`/api/meetings/${meetingId}/leave`, {
        memberId: w.membersA[0]!.memberId,
        reason: '改个理由',
      });
      expect(twice.status).toBe(409);
      expect(twice.body.code).toBe('leave.alreadyApproved');
      expect((await other.delete(`/api/leave-requests/${first.id}`)).status).toBe(403);
      expect((await member.delete(`/api/leave-requests/${first.id}`)).status).toBe(200);
      expect((await attendanceSummary(t.db, meetingId)).counts.excused).toBe(0);

      const own = await secretary.post(`/api/meetings/${meetingId}/leave`, {
        memberId: w.secretaryA.memberId,
        reason: '参加上级会议',
      });
      const selfDecision = await secretary.post(`/api/leave-requests/${own.body.id}/decision`, {
        decision: 'approved',
      });
      expect(selfDecision.status).toBe(403);
      expect(selfDecision.body.code).toBe('leave.ownRequest');
      const admin = await t.client().signIn('admin');
      expect(
        (await admin.post(`/api/leave-requests/${own.body.id}/decision`, { decision: 'approved' })).body
          .status,
      ).toBe('approved');

      // Each decision is in the audit trail with who made it; the notes and reasons stay in the request.
      const decisions = await auditedSince(admin, w.branchA.id, mark);
      expect(decisions.map((e) => [e.action, e.actorLabel, e.details])).toEqual([
        [
          'leave.decided',
          '张书记',
          { leaveRequestId: first.id, memberId: w.membersA[0]!.memberId, decision: 'approved' },
        ],
        [
          'leave.decided',
          '张书记',
          { leaveRequestId: second.id, memberId: w.membersA[1]!.memberId, decision: 'rejected' },
        ],
        [
          'leave.decided',
          '管理员',
          { leaveRequestId: own.body.id, memberId: w.secretaryA.memberId, decision: 'approved' },
        ],
      ]);
      expect(JSON.stringify(decisions)).not.toMatch(/同意|本次会议/);
    });
  });

  describe(`${variant}: attendance and quorum`, () => {
    let t: TestApp;
    let w: SeededCommittee;
    let secretary: TestClient;
    let admin: TestClient;
    let recorder: TestClient;

    beforeAll(async () => {
      t = await startTestApp(variant);
      w = await seedCommittee(t.db, 4);
      secretary = await t.client().signIn('secA');
      admin = await t.client().signIn('admin');
      recorder = await t.client().signIn('memberA4');
    });
    afterAll(() => t.close());

    const exempt = async (memberId: string, startsOn: string, endsOn: string | null, revoked = false) =>
      t.db
        .insertInto('member_exemptions')
        .values({
          member_id: memberId,
          reason: 'illness',
          approved_by: '支部委员会',
          approved_on: startsOn,
          starts_on: startsOn,
          ends_on: endsOn,
          revoked_at: revoked ? new Date() : null,
        })
        .execute();

    it('derives who is expected and present, with exemptions, leave and probationary members (attendanceSummary)', async () => {
      const auditFrom = await auditMark(t.db);
      const meetingId = await scheduleMeeting(secretary, w.branchA.id, {
        type: 'branchGeneralMeeting',
        title: '支部党员大会',
        startsAt: '2031-06-10T02:00:00Z',
        endsAt: '2031-06-10T04:00:00Z',
        recorderMemberId: w.membersA[3]!.memberId,
      });
      const [m1, m2, m3, m4] = w.membersA.map((m) => m.memberId) as [string, string, string, string];
      await exempt(m1, '2031-01-01', null);
      await exempt(m2, '2030-01-01', '2030-12-31'); // over before the meeting
      await exempt(m3, '2031-01-01', null, true); // revoked
      await t.db
        .insertInto('leave_requests')
        .values({ meeting_id: meetingId, member_id: m2, reason: '出差', status: 'approved' })
        .execute();

      const summary = await attendanceSummary(t.db, meetingId);
      const byId = new Map(summary.attendees.map((a) => [a.memberId, a]));
      expect(byId.get(m1)).toMatchObject({ attendance: 'exempt', exemption: { reason: 'illness' } });
      expect(byId.get(m2)).toMatchObject({
        attendance: 'excused',
        leave: { status: 'approved', reason: '出差' },
      });
      expect(byId.get(m3)).toMatchObject({ attendance: null, exemption: null });
      expect(summary.attendees[0]!.memberId).toBe(w.secretaryA.memberId); // the committee comes first
      expect(summary.counts).toEqual({
        invited: 6,
        expected: 5,
        present: 0,
        absent: 0,
        excused: 1,
        exempt: 1,
        unmarked: 4,
      });
      // 5 full members, 1 exempt → 4 count; more than half is 3. The probationary member is not counted.
      expect(summary.quorum).toEqual({
        rule: 'majorityOfFullMembers',
        base: 4,
        required: 3,
        present: 0,
        met: false,
      });

      const mark = (entries: unknown[]) => recorder.put(`/api/meetings/${meetingId}/attendance`, { entries });
      const firstMarks = await mark([
        { memberId: w.secretaryA.memberId, status: 'present' },
        { memberId: w.probationaryA.memberId, status: 'present' },
        { memberId: m3, status: 'present' },
      ]);
      expect(firstMarks.status).toBe(200);
      expect(firstMarks.body.quorum).toMatchObject({ present: 2, required: 3, met: false });
      const quorate = await mark([{ memberId: m4, status: 'present' }]);
      expect(quorate.body.quorum).toMatchObject({ present: 3, met: true });
      expect(quorate.body.counts).toMatchObject({ expected: 5, present: 4, unmarked: 0 });

      // A recorded mark overrides what leave implied, with the recorder's note as the reason.
      const overridden = await mark([{ memberId: m2, status: 'absent', note: '请假未获批前已缺席' }]);
      expect(overridden.body.attendees.find((a: { memberId: string }) => a.memberId === m2)).toMatchObject({
        attendance: 'absent',
        note: '请假未获批前已缺席',
      });

      // One audit entry per save that changed something, by the recorder, without names or notes.
      expect((await mark([{ memberId: m4, status: 'present' }])).status).toBe(200);
      expect(
        (await auditedSince(admin, w.branchA.id, auditFrom)).map((e) => [e.action, e.actorLabel, e.details]),
      ).toEqual([
        ['meeting.scheduled', '张书记', { type: 'branchGeneralMeeting' }],
        ...[3, 1, 1].map((changed) => ['attendance.marked', '党员甲4', { changed }]),
      ]);
    });

    it('judges exemptions by the meeting’s day in Beijing, not in UTC', async () => {
      // 07:30 on 1 December in Beijing is still 30 November in UTC.
      const meetingId = await scheduleMeeting(secretary, w.branchA.id, {
        type: 'themedPartyDay',
        title: '早间主题党日',
        startsAt: '2031-12-01T07:30:00+08:00',
        endsAt: '2031-12-01T09:00:00+08:00',
      });
      const newcomer = await insertMember(t.db, w.branchA.id, '十二月起病休');
      const finished = await insertMember(t.db, w.branchA.id, '十一月底病愈');
      await t.db
        .insertInto('meeting_invitees')
        .values([newcomer, finished].map((m) => ({ meeting_id: meetingId, member_id: m.memberId })))
        .execute();
      await exempt(newcomer.memberId, '2031-12-01', null);
      await exempt(finished.memberId, '2031-06-01', '2031-11-30');

      const byId = new Map((await attendanceSummary(t.db, meetingId)).attendees.map((a) => [a.memberId, a]));
      expect(byId.get(newcomer.memberId)).toMatchObject({
        attendance: 'exempt',
        exemption: { reason: 'illness' },
      });
      expect(byId.get(finished.memberId)).toMatchObject({ attendance: null, exemption: null });
    });

    it('keeps the live check-in time when the recorder corrects a mark, and is read-only for the committee', async () => {
      const meetingId = await scheduleMeeting(secretary, w.branchA.id, {
        title: '主题党日',
        type: 'themedPartyDay',
        recorderMemberId: w.membersA[3]!.memberId,
      });
      const checkedInAt = new Date('2031-06-10T02:03:00Z');
      await t.db
        .insertInto('attendance')
        .values({
          meeting_id: meetingId,
          member_id: w.membersA[0]!.memberId,
          status: 'present',
          source: 'checkIn',
          checked_in_at: checkedInAt,
        })
        .execute();
      const corrected = await secretary.put(`/api/meetings/${meetingId}/attendance`, {
        entries: [{ memberId: w.membersA[0]!.memberId, status: 'present', note: '迟到十分钟' }],
      });
      expect(corrected.status).toBe(200);
      expect(
        corrected.body.attendees.find((a: { memberId: string }) => a.memberId === w.membersA[0]!.memberId),
      ).toMatchObject({ attendance: 'present', note: '迟到十分钟', checkedInAt: checkedInAt.toISOString() });
      expect(corrected.body.quorum).toMatchObject({ rule: 'none', met: null });

      const bad = await secretary.put(`/api/meetings/${meetingId}/attendance`, {
        entries: [
          { memberId: w.memberB.memberId, status: 'present' },
          { memberId: w.membersA[1]!.memberId, status: 'late' },
        ],
      });
      expect(bad.status).toBe(400);
      expect(bad.body.fields).toEqual({ 'entries.1.status': 'invalidOption' });
      const notInvited = await secretary.put(`/api/meetings/${meetingId}/attendance`, {
        entries: [{ memberId: w.memberB.memberId, status: 'present' }],
      });
      expect(notInvited.body).toMatchObject({
        code: 'attendance.notInvited',
        fields: { 'entries.0.memberId': 'notInvited' },
      });
      const twice = await secretary.put(`/api/meetings/${meetingId}/attendance`, {
        entries: [
          { memberId: w.membersA[1]!.memberId, status: 'present' },
          { memberId: w.membersA[1]!.memberId, status: 'absent' },
        ],
      });
      expect(twice.body.fields).toEqual({ 'entries.1.memberId': 'duplicate' });
      expect((await attendanceSummary(t.db, meetingId)).counts.present).toBe(1);

      // The sheet tells the page who may mark (who may call the route at all is in the access matrix).
      const url = `/api/meetings/${meetingId}/attendance`;
      expect((await (await t.client().signIn('viewer')).get(url)).body.canMark).toBe(false);
      expect((await recorder.get(url)).body.canMark).toBe(true);
    });

    it('counts only the committee at a committee meeting', async () => {
      const deputy = await insertMember(t.db, w.branchA.id, '副书记', { committeeRole: 'committeeMember' });
      const third = await insertMember(t.db, w.branchA.id, '宣传委员', { committeeRole: 'committeeMember' });
      const meetingId = await scheduleMeeting(secretary, w.branchA.id, {
        type: 'branchCommitteeMeeting',
        title: '支委会',
        inviteeMemberIds: [w.secretaryA.memberId, deputy.memberId, third.memberId, w.membersA[0]!.memberId],
      });
      const marked = await secretary.put(`/api/meetings/${meetingId}/attendance`, {
        entries: [
          { memberId: w.secretaryA.memberId, status: 'present' },
          { memberId: deputy.memberId, status: 'absent' },
          { memberId: third.memberId, status: 'excused' },
          { memberId: w.membersA[0]!.memberId, status: 'present' },
        ],
      });
      // The sheet lists people as the branch does: the secretary first, then the committee, then members.
      expect(marked.body.attendees.map((a: { name: string }) => a.name)).toEqual([
        '张书记',
        '副书记',
        '宣传委员',
        '党员甲1',
      ]);
      expect(marked.body.quorum).toEqual({
        rule: 'majorityOfCommittee',
        base: 3,
        required: 2,
        present: 1,
        met: false,
      });
    });
  });
}
