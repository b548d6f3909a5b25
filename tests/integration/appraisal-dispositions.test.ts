import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shanghaiDate } from '../../shared/domain/calendar.ts';
import { addDays } from '../../shared/domain/rectification.ts';
import type { DispositionView } from '../../shared/schemas/appraisal.ts';
import { insertHeldMeeting } from '../support/appraisal-fixtures.ts';
import { auditedSince, auditMark } from '../support/audit.ts';
import { dbVariantsFromEnv } from '../support/db-variants.ts';
import { type SeededCommittee, seedCommittee } from '../support/fixtures.ts';
import { startTestApp, type TestApp, type TestClient } from '../support/test-app.ts';

/**
 * The disposition of a member determined 不合格 (组织处置), through the API: education first; each
 * decision voted by a held branch general meeting whose voters come from its attendance (passing
 * needs yes-votes from more than half of those expected, not of those present); the superior
 * organization's approval; a correction deadline of at most a year; and closing with an outcome
 * only its approved decision allows.
 */
for (const variant of dbVariantsFromEnv()) {
  describe(`${variant}: dispositions of 不合格`, () => {
    let t: TestApp;
    let w: SeededCommittee;
    let secretary: TestClient;
    let dispositionUrl: string;
    /** Held general meetings: 6 of 9 full members present 20 days ago, all 9 present 5 days ago. */
    let assembly: string;
    let laterAssembly: string;
    const day = (daysAgo: number) => addDays(shanghaiDate(new Date()), -daysAgo);
    const view = async () => (await secretary.get<DispositionView>(dispositionUrl)).body;
    const step = (body: Record<string, unknown>) => secretary.post(`${dispositionUrl}/steps`, body);

    beforeAll(async () => {
      t = await startTestApp(variant);
      w = await seedCommittee(t.db, 8);
      const full = [w.secretaryA, ...w.membersA].map((m) => m.memberId);
      const everyone = [...full, w.probationaryA.memberId];
      const appraisal = await insertHeldMeeting(t.db, w.branchA.id, everyone, { daysAgo: 30 });
      secretary = await t.client().signIn('secA');
      const saved = await secretary.put(`/api/meetings/${appraisal}/appraisal/determinations`, {
        determinations: [{ memberId: w.membersA[7]!.memberId, grade: 'unqualified' }],
      });
      expect(saved.status).toBe(200);
      const sheet = await secretary.get(`/api/meetings/${appraisal}/appraisal`);
      const id = sheet.body.members.find((m: { memberId: string }) => m.memberId === w.membersA[7]!.memberId)
        .disposition.id;
      dispositionUrl = `/api/appraisal/dispositions/${id}`;
      const absent = Object.fromEntries(w.membersA.slice(5).map((m) => [m.memberId, 'absent' as const]));
      assembly = await insertHeldMeeting(t.db, w.branchA.id, everyone, {
        type: 'branchGeneralMeeting',
        title: '支部党员大会（处置）',
        daysAgo: 20,
        attendance: absent,
      });
      laterAssembly = await insertHeldMeeting(t.db, w.branchA.id, everyone, {
        type: 'branchGeneralMeeting',
        title: '支部党员大会（除名）',
        daysAgo: 5,
      });
    });
    afterAll(() => t?.close());

    it('starts with education, and lists the general meetings that can decide', async () => {
      const d = await view();
      expect(d).toMatchObject({
        state: 'education',
        member: { id: w.membersA[7]!.memberId, name: '党员甲8' },
        education: null,
        steps: [],
        closed: null,
        nextStepBlockedBy: 'appraisal.educationFirst',
      });
      expect(d.voteMeetings.map((m) => [m.id, m.votingExpected, m.votingPresent, m.quorumMet])).toEqual([
        [laterAssembly, 9, 9, true],
        [assembly, 9, 6, true],
      ]);
      const early = await step({ kind: 'removal', meetingId: assembly, yes: 6, no: 0, abstain: 0 });
      expect(early.status).toBe(409);
      expect(early.body.code).toBe('appraisal.educationFirst');

      const education = (startedOn: string) =>
        secretary.put(`${dispositionUrl}/education`, { startedOn, measures: '书记谈心谈话，确定帮扶联系人' });
      expect((await education(day(40))).body.fields).toEqual({ startedOn: 'beforeMeeting' });
      expect((await education(day(-2))).body.fields).toEqual({ startedOn: 'inFuture' });
      expect((await education(day(25))).status).toBe(200);
      expect(await view()).toMatchObject({
        state: 'inProgress',
        education: { startedOn: day(25), measures: '书记谈心谈话，确定帮扶联系人' },
        nextStepBlockedBy: null,
      });
    });

    it('takes the vote only from a held general meeting of the branch with its attendance complete', async () => {
      const orgLife = await insertHeldMeeting(t.db, w.branchA.id, [w.secretaryA.memberId], {
        type: 'orgLifeMeeting',
        daysAgo: 10,
      });
      const elsewhere = await insertHeldMeeting(t.db, w.branchB.id, [w.secretaryB.memberId], {
        type: 'branchGeneralMeeting',
        daysAgo: 10,
      });
      const scheduled = await insertHeldMeeting(t.db, w.branchA.id, [w.secretaryA.memberId], {
        type: 'branchGeneralMeeting',
        daysAgo: 10,
      });
      await t.db.updateTable('meetings').set({ status: 'scheduled' }).where('id', '=', scheduled).execute();
      const unmarked = await insertHeldMeeting(
        t.db,
        w.branchA.id,
        [w.secretaryA.memberId, w.membersA[0]!.memberId],
        {
          type: 'branchGeneralMeeting',
          daysAgo: 10,
        },
      );
      await t.db
        .deleteFrom('attendance')
        .where('meeting_id', '=', unmarked)
        .where('member_id', '=', w.membersA[0]!.memberId)
        .execute();
      const beforeAppraisal = await insertHeldMeeting(t.db, w.branchA.id, [w.secretaryA.memberId], {
        type: 'branchGeneralMeeting',
        daysAgo: 60,
      });
      const vote = { kind: 'removal', yes: 1, no: 0, abstain: 0 };
      for (const [meetingId, field] of [
        [orgLife, 'notGeneralMeeting'],
        [elsewhere, 'notInBranch'],
        [crypto.randomUUID(), 'notInBranch'],
        [scheduled, 'notHeld'],
        [beforeAppraisal, 'beforeAppraisal'],
        [unmarked, 'attendanceIncomplete'],
      ] as const) {
        const response = await step({ ...vote, meetingId });
        expect(response.status, field).toBe(400);
        expect(response.body.fields).toEqual({ meetingId: field });
      }
      expect((await view()).steps).toEqual([]);
    });

    it('validates the vote and the correction deadline of at most a year', async () => {
      const base = { kind: 'correctionWithinDeadline', meetingId: assembly, yes: 5, no: 1, abstain: 0 };
      const decided = day(20);
      const cases: Array<[Record<string, unknown>, Record<string, string>]> = [
        [{ ...base }, { correctionDeadline: 'required' }],
        [{ ...base, kind: 'removal', correctionDeadline: day(-30) }, { correctionDeadline: 'notAllowed' }],
        [{ ...base, correctionDeadline: addDays(decided, 366) }, { correctionDeadline: 'beyondOneYear' }],
        [{ ...base, correctionDeadline: decided }, { correctionDeadline: 'notAfterDecision' }],
        [{ ...base, correctionDeadline: day(-30), yes: 5, no: 1, abstain: 1 }, { yes: 'exceedsPresent' }],
        [{ ...base, correctionDeadline: day(-30), yes: -1 }, { yes: 'tooSmall' }],
        [{ ...base, correctionDeadline: 'next year' }, { correctionDeadline: 'invalidFormat' }],
        [{ ...base, kind: 'expulsion', correctionDeadline: day(-30) }, { kind: 'invalidOption' }],
      ];
      for (const [body, fields] of cases) {
        const response = await step(body);
        expect(response.status, JSON.stringify(body)).toBe(400);
        expect(response.body.fields).toEqual(fields);
      }
      expect((await view()).steps).toEqual([]);
      // Exactly a year is allowed, counted from the general meeting's day.
      expect((await step({ ...base, correctionDeadline: addDays(decided, 365), yes: 3, no: 3 })).status).toBe(
        201,
      );
      expect((await view()).steps[0]).toMatchObject({ passed: false, state: 'voteFailed' });
    });

    it('passes with more than half of those expected, not of those present, then waits for the superior', async () => {
      // 4 of the 6 present said yes (a majority of the room) but 9 are expected: it fails.
      const failed = await step({
        kind: 'correctionWithinDeadline',
        meetingId: assembly,
        yes: 4,
        no: 2,
        abstain: 0,
        correctionDeadline: day(10),
      });
      expect(failed.status).toBe(201);
      let d = await view();
      expect(d.steps[1]).toMatchObject({
        vote: { yes: 4, no: 2, abstain: 0 },
        votingExpected: 9,
        votingPresent: 6,
        quorumMet: true,
        passed: false,
        state: 'voteFailed',
      });
      const approvalOf = (stepId: string) => `${dispositionUrl}/steps/${stepId}/approval`;
      const approval = {
        decision: 'approved',
        approverOrganization: '测试党委',
        approverName: '党委组织部',
        decidedOn: day(15),
        documentNo: '测党〔2026〕12号',
      };
      expect((await secretary.put(approvalOf(failed.body.id), approval)).body.code).toBe(
        'appraisal.stepNotAwaitingApproval',
      );

      const passed = await step({
        kind: 'correctionWithinDeadline',
        meetingId: assembly,
        yes: 5,
        no: 1,
        abstain: 0,
        correctionDeadline: day(10),
        note: '限期三个月改正',
      });
      d = await view();
      expect(d.steps[2]).toMatchObject({
        passed: true,
        state: 'awaitingApproval',
        correctionDeadline: day(10),
      });
      expect(d.nextStepBlockedBy).toBe('appraisal.stepAwaitingApproval');
      expect(
        (await step({ kind: 'removal', meetingId: laterAssembly, yes: 9, no: 0, abstain: 0 })).body.code,
      ).toBe('appraisal.stepAwaitingApproval');
      expect(
        (await secretary.post(`${dispositionUrl}/close`, { outcome: 'corrected', closedOn: day(0) })).body
          .code,
      ).toBe('appraisal.outcomeNotApproved');

      expect(
        (await secretary.put(approvalOf(passed.body.id), { ...approval, decidedOn: day(21) })).body.fields,
      ).toEqual({
        decidedOn: 'beforeVote',
      });
      expect(
        (await secretary.put(approvalOf(passed.body.id), { ...approval, decidedOn: day(-1) })).body.fields,
      ).toEqual({
        decidedOn: 'inFuture',
      });
      expect((await secretary.put(approvalOf(crypto.randomUUID()), approval)).status).toBe(404);
      expect((await secretary.put(approvalOf(passed.body.id), approval)).status).toBe(200);
      d = await view();
      expect(d.steps[2]).toMatchObject({
        state: 'approved',
        approval: {
          decision: 'approved',
          approverName: '党委组织部',
          decidedOn: day(15),
          documentNo: '测党〔2026〕12号',
        },
      });
      expect((await secretary.put(approvalOf(passed.body.id), approval)).body.code).toBe(
        'appraisal.stepNotAwaitingApproval',
      );
    });

    it('closes only with an approved decision, in time, and then takes nothing more', async () => {
      const close = (body: Record<string, unknown>) => secretary.post(`${dispositionUrl}/close`, body);
      expect((await close({ outcome: 'corrected', closedOn: day(16) })).body.fields).toEqual({
        closedOn: 'beforeApproval',
      });
      // The deadline (ten days ago) has passed: correcting now does not count.
      expect((await close({ outcome: 'corrected', closedOn: day(0) })).body.fields).toEqual({
        closedOn: 'afterDeadline',
      });
      expect((await close({ outcome: 'removed', closedOn: day(0) })).body.code).toBe(
        'appraisal.outcomeNotApproved',
      );

      // 限期改正期满后仍无转变: the general meeting decides removal, the superior approves.
      const mark = await auditMark(t.db);
      const removal = await step({ kind: 'removal', meetingId: laterAssembly, yes: 8, no: 0, abstain: 1 });
      expect(removal.status).toBe(201);
      await secretary.put(`${dispositionUrl}/steps/${removal.body.id}/approval`, {
        decision: 'approved',
        approverOrganization: '测试党委',
        approverName: '党委组织部',
        decidedOn: day(2),
      });
      expect((await close({ outcome: 'removed', closedOn: day(1), note: '按期满仍无转变除名' })).status).toBe(
        200,
      );
      const d = await view();
      expect(d).toMatchObject({
        state: 'closed',
        closed: { outcome: 'removed', closedOn: day(1), note: '按期满仍无转变除名', closedByName: '张书记' },
        nextStepBlockedBy: 'appraisal.dispositionClosed',
      });
      expect(
        (await step({ kind: 'removal', meetingId: laterAssembly, yes: 9, no: 0, abstain: 0 })).body.code,
      ).toBe('appraisal.dispositionClosed');
      expect(
        (await secretary.put(`${dispositionUrl}/education`, { startedOn: day(25), measures: '再次谈话' }))
          .body.code,
      ).toBe('appraisal.dispositionClosed');
      expect((await close({ outcome: 'removed', closedOn: day(0) })).body.code).toBe(
        'appraisal.dispositionClosed',
      );

      const audited = await auditedSince(await t.client().signIn('admin'), w.committee.id, mark);
      expect(audited.map((a) => a.action)).toEqual([
        'appraisal.dispositionVoted',
        'appraisal.dispositionApproval',
        'appraisal.dispositionClosed',
      ]);
      expect(audited[0]!.details).toEqual({
        dispositionId: d.id,
        memberId: w.membersA[7]!.memberId,
        stepId: removal.body.id,
        kind: 'removal',
        passed: true,
      });
      expect(JSON.stringify(audited)).not.toContain('期满');
    });

    it('is the branch committee’s record alone', async () => {
      for (const login of ['memberA1', 'viewer', 'admin', 'probA']) {
        const client = await t.client().signIn(login);
        expect((await client.get(dispositionUrl)).status, login).toBe(403);
      }
      expect((await (await t.client().signIn('secB')).get(dispositionUrl)).status).toBe(404);
      expect((await secretary.get(`/api/appraisal/dispositions/${crypto.randomUUID()}`)).status).toBe(404);
    });
  });
}
