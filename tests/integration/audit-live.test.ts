import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newAuthorKey, newClientId } from '../../shared/domain/live-client.ts';
import { auditedSince, auditMark } from '../support/audit.ts';
import { dbVariantsFromEnv } from '../support/db-variants.ts';
import { type SeededCommittee, seedCommittee } from '../support/fixtures.ts';
import {
  command,
  createRound,
  insertMeeting,
  type ListeningApp,
  sessionSocket,
  startLiveApp,
} from '../support/live-fixtures.ts';
import type { TestClient } from '../support/test-app.ts';

/**
 * The host's live actions reach the hash-chained audit trail: who opened and closed the session and
 * each round, revealed results, moved a subject on, moderated and revealed criticism, rebound a
 * phone or replaced the projector link. Ids and codes only: no round title, criticism text or
 * rebind reason. An action that changes nothing, or fails, leaves no entry.
 */
for (const variant of dbVariantsFromEnv()) {
  describe(`${variant}: the live host's actions in the audit trail`, () => {
    let t: ListeningApp;
    let s: SeededCommittee;
    let host: TestClient;
    let admin: TestClient;
    let meetingId: string;
    const url = (path: string) => `/api/meetings/${meetingId}/live${path}`;

    beforeAll(async () => {
      t = await startLiveApp(variant);
      s = await seedCommittee(t.db, 3);
      ({ meetingId } = await insertMeeting(t.db, s.branchA.id, {
        inviteeIds: [s.secretaryA.memberId, ...s.membersA.map((m) => m.memberId)],
      }));
      host = await t.client().signIn('secA');
      admin = await t.client().signIn('admin');
    });
    afterAll(() => t?.close());

    it('records each action once, by the host, with ids and codes only', async () => {
      const mark = await auditMark(t.db);
      const secret = {
        title: '关于作风建设的专题投票',
        criticism: '会前征求意见不够广泛，谈心谈话流于形式',
        reason: '手机掉进了河里',
      };
      await command(host, 'POST', url('/open'));
      await command(host, 'POST', url('/open')); // already open: nothing changes, nothing recorded
      await command(host, 'POST', url('/projector-link'));
      // Printed slips for two members' phones, and for the (absent) observers: who issued how many.
      const slips = await command(host, 'POST', url('/claim-codes'), {
        memberIds: [s.membersA[0]!.memberId, s.membersA[1]!.memberId],
      });
      await command(host, 'POST', url('/observer-codes'), {});
      const poll = await createRound(host, meetingId, secret.title, {
        kind: 'poll',
        question: secret.title,
        mode: 'single',
        options: ['同意', '不同意'],
      });
      const draft = await createRound(host, meetingId, '草稿', { kind: 'appraisal' });
      await command(host, 'DELETE', url(`/rounds/${draft}`));
      await command(host, 'POST', url(`/rounds/${poll}/open`));
      await command(host, 'POST', url(`/rounds/${poll}/close`));
      // Refused: a closed round never reopens. The refusal leaves no trace in the trail.
      expect((await host.post(url(`/rounds/${poll}/open`))).body.code).toBe('round.cannotReopen');
      await command(host, 'POST', url(`/rounds/${poll}/reveal`));

      const subjectMemberId = s.membersA[0]!.memberId;
      const criticism = await createRound(host, meetingId, '批评', {
        kind: 'criticism',
        subjectMemberIds: [subjectMemberId],
      });
      await command(host, 'POST', url(`/rounds/${criticism}/open`));
      const subjectId = (await host.get(url(''))).body.state.rounds.find(
        (r: { id: string }) => r.id === criticism,
      ).criticism.subjects[0].id;
      const phase = (to: string) =>
        command(host, 'POST', url(`/rounds/${criticism}/subjects/${subjectId}/phase`), { phase: to });
      await phase('criticism');
      const phone = await sessionSocket(t, meetingId, 'memberA2');
      const written = await phone.submit({
        type: 'submitCriticism',
        clientId: newClientId(),
        roundId: criticism,
        subjectId,
        text: secret.criticism,
        concrete: true,
        authorKey: newAuthorKey(),
      });
      phone.close();
      expect(written).toMatchObject({ type: 'ack' });
      const itemId = (written as { itemId: string }).itemId;
      await phase('reveal'); // releases the held-back item to the host
      await command(host, 'POST', url(`/rounds/${criticism}/items/${itemId}/moderate`), {
        action: 'approve',
      });
      await command(host, 'POST', url(`/rounds/${criticism}/subjects/${subjectId}/reveal`), { mode: 'all' });
      await command(host, 'POST', url(`/rounds/${criticism}/close`));
      await command(host, 'POST', url('/rebind'), {
        memberId: s.membersA[2]!.memberId,
        reason: secret.reason,
      });
      await command(host, 'POST', url('/close'));

      const trail = await auditedSince(admin, s.committee.id, mark);
      const ids = { roundId: poll };
      expect(trail.map((e) => [e.action, e.details])).toEqual([
        ['live.opened', {}],
        ['live.projectorLinkIssued', {}],
        ['live.claimCodesIssued', { count: 2 }],
        ['live.observerCodesIssued', { count: 0 }],
        ['round.created', { roundId: poll, kind: 'poll' }],
        ['round.created', { roundId: draft, kind: 'appraisal' }],
        ['round.deleted', { roundId: draft }],
        ['round.opened', ids],
        ['round.closed', ids],
        ['round.revealed', ids],
        ['round.created', { roundId: criticism, kind: 'criticism' }],
        ['round.opened', { roundId: criticism }],
        ['criticism.phaseChanged', { roundId: criticism, subjectId, phase: 'criticism' }],
        ['criticism.phaseChanged', { roundId: criticism, subjectId, phase: 'reveal' }],
        ['criticism.moderated', { roundId: criticism, itemId, action: 'approve' }],
        ['criticism.revealed', { roundId: criticism, subjectId, mode: 'all' }],
        ['round.closed', { roundId: criticism }],
        ['live.passRebound', { memberId: s.membersA[2]!.memberId }],
        ['live.closed', {}],
      ]);
      expect(new Set(trail.map((e) => e.actorLabel))).toEqual(new Set(['张书记']));
      expect(new Set(trail.map((e) => e.organizationId))).toEqual(new Set([s.branchA.id]));
      const everything = JSON.stringify(await t.db.selectFrom('audit_log').selectAll().execute());
      for (const text of Object.values(secret)) expect(everything).not.toContain(text);
      for (const { code } of slips.codes as Array<{ code: string }>) expect(everything).not.toContain(code);
    });
  });
}
