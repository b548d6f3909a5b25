import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveChannel } from '../../server/live/bus.ts';
import { dbVariantsFromEnv } from '../support/db-variants.ts';
import { type SeededCommittee, seedCommittee } from '../support/fixtures.ts';
import type { LiveClient } from '../support/live-client.ts';
import {
  claimDevices,
  command,
  createRound,
  insertMeeting,
  type Nodes,
  projectorToken,
  sessionSocket,
  startNodes,
  tokenSocket,
} from '../support/live-fixtures.ts';
import type { TestClient } from '../support/test-app.ts';

/**
 * Two app nodes on one PostgreSQL, talking through LISTEN/NOTIFY: what happens on one reaches the
 * screens on the other, with a handful of tiny coalesced notifications and no content in any.
 */
for (const variant of dbVariantsFromEnv()) {
  describe(`${variant}: two app nodes`, () => {
    let cluster: Nodes;
    let s: SeededCommittee;
    let meetingId: string;
    let hostA: TestClient;
    let listener: pg.Client;
    const notifications: string[] = [];
    const url = (path: string) => `/api/meetings/${meetingId}/live${path}`;
    const clients: LiveClient[] = [];

    beforeAll(async () => {
      cluster = await startNodes(variant, 2);
      s = await seedCommittee(cluster.db, 20);
      ({ meetingId } = await insertMeeting(cluster.db, s.branchA.id, {
        inviteeIds: [s.secretaryA.memberId, ...s.membersA.map((m) => m.memberId)],
      }));
      hostA = await cluster.nodes[0]!.client().signIn('secA');
      listener = new pg.Client({ connectionString: cluster.databaseUrl });
      await listener.connect();
      listener.on('notification', (n) => notifications.push(n.payload ?? ''));
      await listener.query(`listen ${liveChannel}`);
    });
    afterAll(async () => {
      for (const c of clients) c.close();
      await listener.end();
      await cluster.close();
    });

    it('moves the projector on node B when a ballot reaches node A, and opens rounds across nodes', async () => {
      const [a, b] = cluster.nodes as [Nodes['nodes'][number], Nodes['nodes'][number]];
      await command(hostA, 'POST', url('/open'));
      const tokens = await claimDevices(
        hostA,
        a.client(),
        meetingId,
        s.membersA.map((m) => m.memberId),
      );
      const projector = await tokenSocket(b, meetingId, 'projector', await projectorToken(hostA, meetingId));
      const hostConsole = await sessionSocket(a, meetingId, 'secA', 'host');
      // Members spread over both nodes, as a load balancer would.
      const phones = await Promise.all(
        s.membersA.map((m, i) =>
          tokenSocket(i % 2 === 0 ? a : b, meetingId, 'device', tokens.get(m.memberId)!),
        ),
      );
      clients.push(projector, hostConsole, ...phones);
      await projector.waitForState((st) => st.attendance!.present === 20, 'check-ins from both nodes');

      const roundId = await createRound(hostA, meetingId, '跨节点表决', {
        kind: 'poll',
        question: '同意吗',
        mode: 'single',
        options: ['同意', '不同意'],
      });
      await command(hostA, 'POST', url(`/rounds/${roundId}/open`));
      const onB = phones[1]!;
      await onB.waitForState(
        (st) => st.rounds.some((r) => r.id === roundId && r.state === 'open'),
        'open on node B',
      );

      const firstOnA = phones[0]!;
      expect(await firstOnA.ballot(roundId, { kind: 'poll', choices: [0] })).toMatchObject({ type: 'ack' });
      await projector.waitForState(
        (st) => st.rounds.find((r) => r.id === roundId)!.answered === 1,
        'count on node B',
      );

      const before = notifications.length;
      const acks = await Promise.all(
        phones.slice(1).map((p, i) => p.ballot(roundId, { kind: 'poll', choices: [i % 2] })),
      );
      expect(acks.every((x) => x.type === 'ack')).toBe(true);
      await projector.waitForState(
        (st) => st.rounds.find((r) => r.id === roundId)!.answered === 20,
        'all counted',
      );
      await hostConsole.waitForState(
        (st) => st.rounds.find((r) => r.id === roundId)!.notAnswered!.length === 0,
      );
      // Tiny envelopes with no content, never more than one per ballot (tests/unit/live-hub.test.ts
      // shows the coalescing itself without depending on how fast this machine is).
      const during = notifications.slice(before).map((n) => JSON.parse(n));
      expect(during.length).toBeGreaterThan(0);
      expect(during.filter((n) => n.p).length).toBeLessThanOrEqual(acks.length);
      for (const n of during) {
        expect(Object.keys(n).every((k) => ['m', 's', 'p', 'c'].includes(k))).toBe(true);
        expect(n.m).toBe(meetingId);
      }
      for (const raw of notifications) expect(raw.length).toBeLessThan(100);

      // Closing on node B reaches the host console on node A, results included.
      const hostB = await b.client().signIn('secA');
      await command(hostB, 'POST', url(`/rounds/${roundId}/close`));
      const closed = await hostConsole.waitForState(
        (st) => st.rounds.find((r) => r.id === roundId)!.state === 'closed',
      );
      expect(closed.rounds.find((r) => r.id === roundId)!.results).toMatchObject({ n: 20, counts: [11, 9] });
      for (const c of clients) expect(c.invalidFrames).toEqual([]);
    });

    it('recovers when a node loses its LISTEN connection', async () => {
      const projector = clients[0]!;
      await sql`select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'mingjing-live-bus'`.execute(
        cluster.db,
      );
      await command(hostA, 'PUT', url('/timer'), { seconds: 120, label: '断线之后' });
      await projector.waitForState((st) => st.timer?.label === '断线之后', 'the change after reconnecting');
      // Both nodes listen again (they retry with backoff; wait for it rather than for a time).
      for (let attempt = 0; ; attempt++) {
        const listening = await sql<{ n: number }>`
          select count(*)::int as n from pg_stat_activity where application_name = 'mingjing-live-bus'
        `.execute(cluster.db);
        if (listening.rows[0]!.n === 2) break;
        expect(attempt).toBeLessThan(100);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      // And changes still travel, now over the new connections.
      await command(hostA, 'PUT', url('/timer'), { seconds: 60, label: '重连之后' });
      await projector.waitForState(
        (st) => st.timer?.label === '重连之后',
        'the change over the new connection',
      );
    });
  });
}
