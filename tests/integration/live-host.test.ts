import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbVariantsFromEnv } from '../support/db-variants.ts';
import { type SeededCommittee, seedCommittee } from '../support/fixtures.ts';
import type { LiveClient } from '../support/live-client.ts';
import {
  command,
  createRound,
  insertMeeting,
  type ListeningApp,
  sessionSocket,
  startLiveApp,
} from '../support/live-fixtures.ts';
import type { TestClient } from '../support/test-app.ts';

/** The host's tools around the rounds: instruments, drafts, timer, attendance, codes, the QR. */
for (const variant of dbVariantsFromEnv()) {
  describe(`${variant}: hosting a live meeting`, () => {
    let t: ListeningApp;
    let s: SeededCommittee;
    let meetingId: string;
    let host: TestClient;
    let hostSocket: LiveClient;
    let member: LiveClient;
    const url = (path: string) => `/api/meetings/${meetingId}/live${path}`;

    beforeAll(async () => {
      t = await startLiveApp(variant);
      s = await seedCommittee(t.db, 4);
      ({ meetingId } = await insertMeeting(t.db, s.branchA.id, {
        inviteeIds: [s.secretaryA.memberId, ...s.membersA.map((m) => m.memberId)],
        observers: ['列席丙'],
      }));
      host = await t.client().signIn('secA');
      // The host may prepare before opening; phones wait for the session.
      hostSocket = await sessionSocket(t, meetingId, 'secA', 'host');
      expect(hostSocket.state!.meeting).toMatchObject({ open: false, joinCode: '' });
      await command(host, 'POST', url('/open'));
      member = await sessionSocket(t, meetingId, 'memberA1');
    });
    afterAll(async () => {
      hostSocket?.close();
      member?.close();
      await t.close();
    });

    it('versions the survey instrument: committees publish, rounds keep the version they used', async () => {
      const first = await createRound(host, meetingId, '第一次', { kind: 'survey' });
      const effective = await host.get(`/api/organizations/${s.branchA.id}/survey-instrument`);
      expect(effective.body).toMatchObject({ organizationId: null, version: 1 });
      const edited = {
        likert: [
          { key: 'themeFocus', label: { 'zh-CN': '主题聚焦', en: 'Focus' } },
          { key: 'followUp', label: { 'zh-CN': '整改回头看', en: 'Follow-up of rectification' } },
        ],
        overall: true,
        comment: false,
      };
      const viewer = await t.client().signIn('viewer');
      // A branch secretary edits no instrument, not even the branch's own.
      expect((await host.post(`/api/organizations/${s.branchA.id}/survey-instruments`, edited)).status).toBe(
        403,
      );
      const duplicate = await viewer.post(`/api/organizations/${s.committee.id}/survey-instruments`, {
        ...edited,
        likert: [edited.likert[0], edited.likert[0]],
      });
      expect(duplicate.body.fields).toEqual({ 'likert.1.key': 'duplicate' });
      const published = await viewer.post(`/api/organizations/${s.committee.id}/survey-instruments`, edited);
      expect(published.status).toBe(201);
      expect(published.body).toMatchObject({
        organizationId: s.committee.id,
        version: 1,
        definition: edited,
      });
      const republished = await viewer.post(
        `/api/organizations/${s.committee.id}/survey-instruments`,
        edited,
      );
      expect(republished.body.version).toBe(2);
      const second = await createRound(host, meetingId, '第二次', { kind: 'survey' });
      const state = await hostSocket.waitForState((st) => st.rounds.some((r) => r.id === second));
      expect(state.rounds.find((r) => r.id === first)!.instrument).toMatchObject({
        version: 1,
        comment: true,
      });
      expect(state.rounds.find((r) => r.id === second)!.instrument).toMatchObject({
        id: republished.body.id,
        version: 2,
        comment: false,
      });
      // Another committee's instrument is not this branch's to use.
      const otherViewer = await t.client().signIn('otherviewer');
      const foreign = await otherViewer.post(
        `/api/organizations/${s.otherCommittee.id}/survey-instruments`,
        edited,
      );
      const refused = await host.post(url('/rounds'), {
        title: '借用',
        config: { kind: 'survey', instrumentId: foreign.body.id },
      });
      expect(refused.body).toMatchObject({
        code: 'instrument.notFound',
        fields: { 'config.instrumentId': 'invalidOption' },
      });

      await command(host, 'POST', url(`/rounds/${second}/open`));
      await member.waitForState((st) => st.rounds.some((r) => r.id === second && r.state === 'open'));
      expect(
        await member.ballot(second, {
          kind: 'survey',
          likert: { themeFocus: 4, followUp: 2 },
          overall: 'satisfied',
        }),
      ).toMatchObject({
        type: 'ack',
      });
      await command(host, 'POST', url(`/rounds/${second}/close`));
      const round = await t.db
        .selectFrom('rounds')
        .select(['instrument_id', 'instrument_version'])
        .where('id', '=', second)
        .executeTakeFirstOrThrow();
      expect(round).toEqual({ instrument_id: republished.body.id, instrument_version: 2 });
      await command(host, 'DELETE', url(`/rounds/${first}`));
      await hostSocket.waitForState((st) => !st.rounds.some((r) => r.id === first), 'the draft removed');
    });

    it('shows drafts to phones without their questions until they open', async () => {
      const poll = await createRound(host, meetingId, '草稿投票', {
        kind: 'poll',
        question: '秘密问题？',
        mode: 'multiple',
        options: ['甲', '乙'],
      });
      const draft = (await member.waitForState((st) => st.rounds.some((r) => r.id === poll))).rounds.find(
        (r) => r.id === poll,
      )!;
      expect(draft).toMatchObject({ state: 'draft', title: '草稿投票' });
      expect(draft.poll).toBeUndefined();
      expect(
        hostSocket.round(poll)?.poll ??
          (await hostSocket.waitForState((st) => st.rounds.some((r) => r.id === poll))).rounds.find(
            (r) => r.id === poll,
          )!.poll,
      ).toEqual({
        question: '秘密问题？',
        mode: 'multiple',
        options: ['甲', '乙'],
      });
      await command(host, 'DELETE', url(`/rounds/${poll}`));
    });

    it('runs a timer everyone sees, and stops it', async () => {
      const before = Date.now();
      await command(host, 'PUT', url('/timer'), { seconds: 300, label: '自由发言' });
      const timer = (await member.waitForState((st) => st.timer?.label === '自由发言')).timer!;
      const endsAt = Date.parse(timer.endsAt!);
      expect(endsAt).toBeGreaterThanOrEqual(before + 300_000);
      await command(host, 'DELETE', url('/timer'));
      await member.waitForState((st) => st.timer === null, 'timer stopped');
    });

    it('lets the host mark attendance, which a later check-in does not override and voting respects', async () => {
      const absent = s.membersA[2]!;
      await command(host, 'PUT', url(`/attendance/${absent.memberId}`), { status: 'absent' });
      await hostSocket.waitForState((st) =>
        st.attendance!.attendees!.some((a) => a.memberId === absent.memberId && a.attendance === 'absent'),
      );
      const latecomer = await sessionSocket(t, meetingId, absent.login!);
      // The phone learns it is not recorded present, so it does not show "checked in".
      expect(latecomer.welcome).toMatchObject({ role: 'member', attendance: 'absent' });
      // Barrier: a change made after the join has reached the host, so the join's effect has too.
      await command(host, 'PUT', url('/timer'), { seconds: 60, label: '迟到之后' });
      const state = await hostSocket.waitForState((st) => st.timer?.label === '迟到之后');
      expect(state.attendance!.attendees!.find((a) => a.memberId === absent.memberId)).toMatchObject({
        attendance: 'absent',
        checkedIn: false,
      });
      const poll = await createRound(host, meetingId, '表决', {
        kind: 'poll',
        question: '?',
        mode: 'single',
        options: ['a', 'b'],
      });
      await command(host, 'POST', url(`/rounds/${poll}/open`));
      await latecomer.waitForState((st) => st.rounds.some((r) => r.id === poll && r.state === 'open'));
      expect(await latecomer.ballot(poll, { kind: 'poll', choices: [0] })).toMatchObject({
        code: 'live.notPresent',
      });
      await command(host, 'PUT', url(`/attendance/${absent.memberId}`), { status: 'present' });
      await hostSocket.waitForState(
        (st) => st.rounds.find((r) => r.id === poll)!.eligible === 2,
        'eligible again',
      );
      expect(await latecomer.ballot(poll, { kind: 'poll', choices: [0] })).toMatchObject({ type: 'ack' });
      expect(
        (await host.put(url(`/attendance/${s.memberB.memberId}`), { status: 'present' })).body.code,
      ).toBe('attendance.notInvited');
      await command(host, 'POST', url(`/rounds/${poll}/close`));
      const closed = await hostSocket.waitForState(
        (st) => st.rounds.find((r) => r.id === poll)!.state === 'closed',
        'poll closed',
      );
      const turnout = closed.rounds.find((r) => r.id === poll)!.eligible;
      expect(turnout).toBe(2);
      // The turnout of a closed round is that of its closing moment: correcting attendance later
      // (the latecomer left early after all) changes the meeting's figures, not the round's.
      await command(host, 'PUT', url(`/attendance/${absent.memberId}`), { status: 'absent' });
      const corrected = await hostSocket.waitForState((st) =>
        st.attendance!.attendees!.some((a) => a.memberId === absent.memberId && a.attendance === 'absent'),
      );
      expect(corrected.rounds.find((r) => r.id === poll)!.eligible).toBe(turnout);
      latecomer.close();
    });

    it('issues codes, lists passes, shows the QR and refuses what is out of order', async () => {
      const session = await host.get(url('/session'));
      expect(session.body).toMatchObject({ open: true, joinCode: expect.stringMatching(/^[0-9A-Z]{6}$/) });
      const qr = await t.client().get(`/api/live/qr/${session.body.joinCode}`);
      expect(qr.headers['content-type']).toContain('image/svg+xml');
      expect(qr.raw).toContain('<svg');
      const observers = await host.post(url('/observer-codes'), {});
      expect(observers.body.codes).toEqual([
        expect.objectContaining({
          name: '列席丙',
          code: expect.stringMatching(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{2}$/),
        }),
      ]);
      const claimCodes = await host.post(url('/claim-codes'), {});
      // Every invitee here has an account, so by default nobody needs a printed slip.
      expect(claimCodes.body).toEqual({ codes: [], alreadyClaimed: [] });
      const slip = await host.post(url('/claim-codes'), { memberIds: [s.membersA[3]!.memberId] });
      expect(slip.body.codes).toHaveLength(1);
      const reprint = await host.post(url('/claim-codes'), { memberIds: [s.membersA[3]!.memberId] });
      expect((await t.client().post('/api/live/claim', { code: slip.body.codes[0].code })).status).toBe(404);
      expect(
        (await t.client().post('/api/live/claim', { code: reprint.body.codes[0].code.toLowerCase() })).status,
      ).toBe(200);
      const again = await host.post(url('/claim-codes'), { memberIds: [s.membersA[3]!.memberId] });
      expect(again.body).toEqual({ codes: [], alreadyClaimed: [s.membersA[3]!.memberId] });
      const passes = (await host.get(url('/passes'))).body.passes;
      expect(passes.find((p: { memberId?: string }) => p.memberId === s.membersA[3]!.memberId)).toMatchObject(
        {
          state: 'claimed',
          revoked: [],
        },
      );
      expect(passes.find((p: { observerId?: string }) => p.observerId)).toMatchObject({
        name: '列席丙',
        state: 'issued',
      });

      const criticism = await createRound(host, meetingId, '批评', {
        kind: 'criticism',
        subjectMemberIds: [s.membersA[0]!.memberId],
      });
      await command(host, 'POST', url(`/rounds/${criticism}/open`));
      const subjectId = (
        await hostSocket.waitForState((st) => st.rounds.some((r) => r.id === criticism && r.state === 'open'))
      ).rounds.find((r) => r.id === criticism)!.criticism!.subjects[0]!.id;
      await command(host, 'POST', url(`/rounds/${criticism}/subjects/${subjectId}/phase`), {
        phase: 'reveal',
      });
      expect(
        (await host.post(url(`/rounds/${criticism}/subjects/${subjectId}/phase`), { phase: 'criticism' }))
          .body.code,
      ).toBe('criticism.phaseBackwards');
      expect((await host.post(url(`/rounds/${criticism}/subjects/${subjectId}/problem`), {})).body.code).toBe(
        'criticism.noSelfExamination',
      );
      await command(host, 'POST', url(`/rounds/${criticism}/close`));

      const { meetingId: cancelled } = await insertMeeting(t.db, s.branchA.id, { inviteeIds: [] });
      await t.db.updateTable('meetings').set({ status: 'cancelled' }).where('id', '=', cancelled).execute();
      expect((await host.post(`/api/meetings/${cancelled}/live/open`)).body.code).toBe(
        'live.meetingCancelled',
      );
    });
  });
}
