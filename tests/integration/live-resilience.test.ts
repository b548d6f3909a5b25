import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newClientId, newReceipt } from '../../shared/domain/live-client.ts';
import { closeCodes } from '../../shared/schemas/live.ts';
import { dbVariantsFromEnv } from '../support/db-variants.ts';
import { type SeededCommittee, seedCommittee } from '../support/fixtures.ts';
import { LiveClient } from '../support/live-client.ts';
import {
  claimDevices,
  command,
  createRound,
  insertMeeting,
  type ListeningApp,
  projectorToken,
  sessionSocket,
  startLiveApp,
  tokenSocket,
} from '../support/live-fixtures.ts';
import type { TestClient } from '../support/test-app.ts';

/** Nothing lost, nothing counted twice: reconnects, gaps, resends, revoked phones, shutdown. */
for (const variant of dbVariantsFromEnv()) {
  describe(`${variant}: live resilience`, () => {
    let t: ListeningApp;
    let s: SeededCommittee;
    let meetingId: string;
    let host: TestClient;
    let tokens: Map<string, string>;
    const url = (path: string) => `/api/meetings/${meetingId}/live${path}`;
    const openPoll = async () => {
      const id = await createRound(host, meetingId, '表决', {
        kind: 'poll',
        question: '同意吗',
        mode: 'single',
        options: ['同意', '不同意'],
      });
      await command(host, 'POST', url(`/rounds/${id}/open`));
      return id;
    };
    const device = (i: number) => tokenSocket(t, meetingId, 'device', tokens.get(s.membersA[i]!.memberId)!);
    const isOpen = (id: string) => (c: LiveClient) =>
      c.waitForState((st) => st.rounds.some((r) => r.id === id && r.state === 'open'), 'round open');

    beforeAll(async () => {
      t = await startLiveApp(variant);
      s = await seedCommittee(t.db, 8);
      ({ meetingId } = await insertMeeting(t.db, s.branchA.id, {
        inviteeIds: [s.secretaryA.memberId, ...s.membersA.map((m) => m.memberId)],
      }));
      host = await t.client().signIn('secA');
      await command(host, 'POST', url('/open'));
      tokens = await claimDevices(
        host,
        t.client(),
        meetingId,
        s.membersA.map((m) => m.memberId),
      );
    });
    afterAll(() => t.close());

    it('refuses a member before the session opens and a page from another origin', async () => {
      const { meetingId: later } = await insertMeeting(t.db, s.branchA.id, {
        inviteeIds: [s.membersA[0]!.memberId],
      });
      const browser = await t.client().signIn('memberA1');
      const member = await new LiveClient({ url: t.ws, cookie: browser.cookieHeader() }).open();
      await expect(member.join(later, { kind: 'session' })).rejects.toThrow('live.notOpen');
      expect(await member.waitForClose()).toMatchObject({ code: closeCodes.unauthenticated });
      await expect(
        new LiveClient({ url: t.ws, cookie: browser.cookieHeader(), origin: 'https://evil.example' }).open(),
      ).rejects.toThrow('403');
      const sameOrigin = await new LiveClient({
        url: t.ws,
        cookie: browser.cookieHeader(),
        origin: t.base,
      }).open();
      await sameOrigin.join(meetingId, { kind: 'session' });
      sameOrigin.close();
    });

    it('closes a socket that never says hello with 4001', async () => {
      const silent = await new LiveClient({ url: t.ws, timeoutMs: 30_000 }).open();
      expect(await silent.waitForClose()).toMatchObject({ code: closeCodes.unauthenticated });
      expect(silent.frames).toEqual([]);
    });

    it('gives a reconnecting client a snapshot of what it missed, and resends its outbox once', async () => {
      const phone = await device(0);
      const roundId = await openPoll();
      await isOpen(roundId)(phone);
      const seqBefore = phone.seq!;
      // The phone drops off the Wi-Fi just as its ballot is acknowledged: the ack is lost, so the
      // ballot is still in its outbox.
      const clientId = newClientId();
      const receipt = newReceipt();
      const ballot = {
        type: 'submitBallot' as const,
        clientId,
        roundId,
        receipt,
        answers: { kind: 'poll' as const, choices: [1] },
      };
      expect(await phone.submit(ballot)).toMatchObject({ type: 'ack', duplicate: false });
      phone.outbox.set(clientId, ballot);
      phone.ws!.terminate();
      // Meanwhile the meeting moves on.
      await command(host, 'PUT', url('/timer'), { seconds: 300, label: '讨论' });
      const resent = await phone.reconnect();
      expect(phone.frames.filter((f) => f.type === 'snapshot').length).toBe(2);
      expect(phone.seq!).toBeGreaterThan(seqBefore);
      expect(phone.state!.timer?.label).toBe('讨论');
      expect(await Promise.all(resent)).toEqual([{ type: 'ack', clientId, duplicate: true }]);
      expect(phone.outbox.size).toBe(0);
      // Resending again (a lost ack) changes nothing either.
      expect(await phone.submit(ballot)).toEqual({
        type: 'ack',
        clientId,
        duplicate: true,
      });
      // A different submission from the same person is a second ballot, refused.
      expect(await phone.ballot(roundId, { kind: 'poll', choices: [0] })).toMatchObject({
        code: 'ballot.alreadyCast',
      });
      const other = await device(1);
      expect(
        await other.submit({
          type: 'submitBallot',
          clientId,
          roundId,
          receipt: newReceipt(),
          answers: { kind: 'poll', choices: [0] },
        }),
      ).toMatchObject({
        type: 'error',
        code: 'live.clientIdReused',
      });
      const stored = await t.db
        .selectFrom('ballots')
        .select('receipt')
        .where('round_id', '=', roundId)
        .execute();
      expect(stored).toEqual([{ receipt }]);
      expect(phone.state!.answeredRoundIds).toContain(roundId);
      await command(host, 'POST', url(`/rounds/${roundId}/close`));
      for (const c of [phone, other]) c.close();
    });

    it('accepts the same submission sent twice at once exactly once', async () => {
      const phone = await device(2);
      const roundId = await openPoll();
      await isOpen(roundId)(phone);
      const message = {
        type: 'submitBallot' as const,
        clientId: newClientId(),
        roundId,
        receipt: newReceipt(),
        answers: { kind: 'poll' as const, choices: [0] },
      };
      const results = await Promise.all([
        phone.submit(message),
        phone.submit(message),
        phone.submit(message),
      ]);
      expect(results.every((r) => r.type === 'ack')).toBe(true);
      expect(results.filter((r) => r.type === 'ack' && !r.duplicate)).toHaveLength(1);
      const count = await t.db
        .selectFrom('round_participations')
        .select('client_id')
        .where('round_id', '=', roundId)
        .execute();
      expect(count).toHaveLength(1);
      await command(host, 'POST', url(`/rounds/${roundId}/close`));
      phone.close();
    });

    it('resyncs after a gap in the sequence, and after the event log was cleared', async () => {
      const phone = await device(3);
      // Pretend an event frame was lost: the next one does not follow what the phone holds.
      phone.seq = phone.seq! - 1;
      const since = phone.frames.length;
      await command(host, 'PUT', url('/timer'), { seconds: 60, label: '间隙' });
      await phone.waitForType('snapshot', since);
      expect(phone.resyncs).toBe(1);
      expect(phone.state!.timer?.label).toBe('间隙');
      // A client coming back after the session closed and reopened (events deleted) gets a snapshot.
      const stale = phone.seq!;
      phone.ws!.terminate();
      await command(host, 'POST', url('/close'));
      await command(host, 'POST', url('/open'));
      await phone.reconnect();
      expect(phone.seq!).toBeGreaterThan(stale);
      expect(phone.state!.meeting.open).toBe(true);
      phone.close();
    });

    it('unbinds a lost phone (recorded) and disconnects a replaced projector link', async () => {
      const member = s.membersA[4]!;
      const lost = await device(4);
      const projector = await tokenSocket(t, meetingId, 'projector', await projectorToken(host, meetingId));
      const rebound = await host.post(url('/rebind'), { memberId: member.memberId, reason: '手机丢失' });
      expect(rebound.status).toBe(200);
      expect(rebound.body).toMatchObject({ memberId: member.memberId, name: member.name });
      expect(await lost.waitForClose()).toMatchObject({ code: closeCodes.revoked });
      const retry = await new LiveClient({ url: t.ws }).open();
      await expect(
        retry.join(meetingId, { kind: 'device', token: tokens.get(member.memberId)! }),
      ).rejects.toThrow('live.revoked');
      expect(await retry.waitForClose()).toMatchObject({ code: closeCodes.revoked });
      const claimed = await t.client().post('/api/live/claim', { code: rebound.body.code });
      expect(claimed.body.name).toBe(member.name);
      const newPhone = await tokenSocket(t, meetingId, 'device', claimed.body.token);
      expect(newPhone.welcome!.participant).toMatchObject({ memberId: member.memberId });
      const passes = await host.get(url('/passes'));
      const entry = passes.body.passes.find((p: { memberId?: string }) => p.memberId === member.memberId);
      expect(entry).toMatchObject({ state: 'claimed', revoked: [{ byName: '张书记', reason: '手机丢失' }] });
      // Codes are one-time.
      expect((await t.client().post('/api/live/claim', { code: rebound.body.code })).body.code).toBe(
        'live.codeInvalid',
      );

      await projectorToken(host, meetingId);
      expect(await projector.waitForClose()).toMatchObject({ code: closeCodes.revoked });
      newPhone.close();
    });

    it('closes every socket with 1001 when the server shuts down', async () => {
      const node = await startLiveApp(variant);
      const seeded = await seedCommittee(node.db, 2);
      const meeting = await insertMeeting(node.db, seeded.branchA.id, {
        inviteeIds: seeded.membersA.map((m) => m.memberId),
      });
      const secretary = await node.client().signIn('secA');
      await command(secretary, 'POST', `/api/meetings/${meeting.meetingId}/live/open`);
      const phone = await sessionSocket(node, meeting.meetingId, 'memberA1');
      const closed = phone.waitForClose();
      await node.app.close();
      expect(await closed).toMatchObject({ code: 1001 });
      await node.close().catch(() => {});
    });
  });
}
