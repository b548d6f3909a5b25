import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbVariantsFromEnv } from '../support/db-variants.ts';
import { seedCommittee } from '../support/fixtures.ts';
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

for (const variant of dbVariantsFromEnv()) {
  describe(`${variant}: live smoke`, () => {
    let t: ListeningApp;
    beforeAll(async () => {
      t = await startLiveApp(variant);
    });
    afterAll(() => t.close());

    it('runs a poll', async () => {
      const s = await seedCommittee(t.db, 3);
      const { meetingId } = await insertMeeting(t.db, s.branchA.id, {
        inviteeIds: [s.secretaryA.memberId, ...s.membersA.map((m) => m.memberId), s.probationaryA.memberId],
      });
      const host = await t.client().signIn('secA');
      const opened = await host.post(`/api/meetings/${meetingId}/live/open`);
      expect(opened.status).toBe(200);
      const hostSocket = await sessionSocket(t, meetingId, 'secA', 'host');
      const projector = await tokenSocket(t, meetingId, 'projector', await projectorToken(host, meetingId));
      const tokens = await claimDevices(host, t.client(), meetingId, [s.membersA[0]!.memberId]);
      const phone = await tokenSocket(t, meetingId, 'device', tokens.get(s.membersA[0]!.memberId)!);
      const phone2 = await sessionSocket(t, meetingId, 'memberA2');
      const phone3 = await sessionSocket(t, meetingId, 'memberA3');
      await hostSocket.waitForState((st) => st.attendance?.present === 3, 'three present');
      const roundId = await createRound(host, meetingId, '午餐', {
        kind: 'poll',
        question: '吃什么',
        mode: 'single',
        options: ['面', '饭'],
      });
      await command(host, 'POST', `/api/meetings/${meetingId}/live/rounds/${roundId}/open`);
      await phone.waitForState((st) => st.rounds.some((r) => r.id === roundId && r.state === 'open'));
      const ack = await phone.ballot(roundId, { kind: 'poll', choices: [0] });
      expect(ack).toMatchObject({ type: 'ack', duplicate: false });
      await phone2.ballot(roundId, { kind: 'poll', choices: [1] });
      await phone3.ballot(roundId, { kind: 'poll', choices: [1] });
      await projector.waitForState(
        (st) => st.rounds.find((r) => r.id === roundId)?.answered === 3,
        'answered 3',
      );
      await command(host, 'POST', `/api/meetings/${meetingId}/live/rounds/${roundId}/close`);
      const hs = await hostSocket.waitForState(
        (st) => st.rounds.find((r) => r.id === roundId)?.state === 'closed',
      );
      expect(hs.rounds.find((r) => r.id === roundId)!.results).toMatchObject({
        suppressed: false,
        n: 3,
        counts: [1, 2],
      });
      expect(projector.round(roundId)?.results).toBeUndefined();
      await command(host, 'POST', `/api/meetings/${meetingId}/live/rounds/${roundId}/reveal`);
      await projector.waitForState((st) => st.rounds.find((r) => r.id === roundId)?.revealed === true);
      expect(projector.round(roundId)?.results).toMatchObject({ n: 3, counts: [1, 2] });
      for (const c of [hostSocket, projector, phone, phone2, phone3]) {
        expect(c.invalidFrames).toEqual([]);
        c.close();
      }
    });
  });
}
