import { Writable } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newAuthorKey, newClientId, newReceipt } from '../../shared/domain/live-client.ts';
import { dbVariantsFromEnv } from '../support/db-variants.ts';
import { type SeededCommittee, seedCommittee } from '../support/fixtures.ts';
import type { LiveClient } from '../support/live-client.ts';
import {
  claimDevices,
  claimObservers,
  command,
  createRound,
  insertMeeting,
  type ListeningApp,
  projectorToken,
  sessionSocket,
  startLiveApp,
  tokenSocket,
} from '../support/live-fixtures.ts';
import { publishRubricEdit } from '../support/quality.ts';
import type { TestClient } from '../support/test-app.ts';

/**
 * ANONYMITY.md, property by property, each its own test (docs/anonymity.md maps them). Everything
 * goes through the real protocol; the database is then read the way an adversary holding a dump
 * would read it — system columns and raw heap pages included.
 */

/** Spearman's rank correlation of two orderings of the same items. */
function spearman(a: readonly string[], b: readonly string[]): number {
  const rank = new Map(b.map((x, i) => [x, i]));
  const n = a.length;
  const d2 = a.reduce((sum, x, i) => sum + (i - rank.get(x)!) ** 2, 0);
  return 1 - (6 * d2) / (n * (n * n - 1));
}

const ctidKey = (ctid: string) => {
  const [page, offset] = ctid.slice(1, -1).split(',').map(Number) as [number, number];
  return page * 10_000 + offset;
};

interface Room {
  meetingId: string;
  host: TestClient;
  hostSocket: LiveClient;
  phones: LiveClient[];
  url: (path: string) => string;
  close(): void;
}

/** A meeting with `size` members on claimed phones, all checked in, and the host console. */
async function openRoom(
  t: ListeningApp,
  s: SeededCommittee,
  size: number,
  observers: string[] = [],
): Promise<Room> {
  const members = s.membersA.slice(0, size);
  const { meetingId } = await insertMeeting(t.db, s.branchA.id, {
    inviteeIds: [s.secretaryA.memberId, ...members.map((m) => m.memberId)],
    observers,
  });
  const host = await t.client().signIn('secA');
  await command(host, 'POST', `/api/meetings/${meetingId}/live/open`);
  const tokens = await claimDevices(
    host,
    t.client(),
    meetingId,
    members.map((m) => m.memberId),
  );
  const phones = await Promise.all(
    members.map((m) => tokenSocket(t, meetingId, 'device', tokens.get(m.memberId)!)),
  );
  const hostSocket = await sessionSocket(t, meetingId, 'secA', 'host');
  return {
    meetingId,
    host,
    hostSocket,
    phones,
    url: (path) => `/api/meetings/${meetingId}/live${path}`,
    close: () => {
      for (const c of [hostSocket, ...phones]) c.close();
    },
  };
}

async function openPoll(room: Room, options = ['甲', '乙', '丙']): Promise<string> {
  const roundId = await createRound(room.host, room.meetingId, '表决', {
    kind: 'poll',
    question: '选哪个',
    mode: 'single',
    options,
  });
  await command(room.host, 'POST', room.url(`/rounds/${roundId}/open`));
  await Promise.all(
    room.phones.map((p) =>
      p.waitForState((st) => st.rounds.some((r) => r.id === roundId && r.state === 'open')),
    ),
  );
  return roundId;
}

for (const variant of dbVariantsFromEnv()) {
  describe(`${variant}: anonymity properties`, () => {
    let t: ListeningApp;
    let s: SeededCommittee;
    beforeAll(async () => {
      t = await startLiveApp(variant);
      s = await seedCommittee(t.db, 60);
    });
    afterAll(() => t.close());

    it('1. stores answers apart from people: no identity or time column, random ids, no sequences', async () => {
      const columns = await sql<{
        table_name: string;
        column_name: string;
        data_type: string;
        column_default: string | null;
      }>`
        select table_name, column_name, data_type, column_default from information_schema.columns
        where table_schema = current_schema() and table_name in ('ballots', 'criticism_items', 'round_participations')
        order by table_name, ordinal_position
      `.execute(t.db);
      const of = (table: string) => columns.rows.filter((c) => c.table_name === table);
      expect(of('ballots').map((c) => c.column_name)).toEqual(['id', 'round_id', 'content', 'receipt']);
      expect(of('round_participations').map((c) => c.column_name)).toEqual([
        'round_id',
        'participant_kind',
        'participant_id',
        'client_id',
      ]);
      // Criticism items name an author only in rounds the host declared named (checked below).
      expect(of('criticism_items').map((c) => c.column_name)).toEqual([
        'id',
        'round_id',
        'subject_id',
        'text',
        'concrete',
        'status',
        'released',
        'reveal_position',
        'author_key_hash',
        'client_hash',
        'author_member_id',
        'author_observer_id',
      ]);
      const identity =
        /(^|_)(member|account|session|device|ip|address|connection|socket|user|voter)(_|$)|created|updated|_at$|time/;
      for (const column of [...of('ballots'), ...of('round_participations')])
        if (column.column_name !== 'participant_id') expect(column.column_name).not.toMatch(identity);
      for (const column of of('criticism_items'))
        if (!column.column_name.startsWith('author_')) expect(column.column_name).not.toMatch(identity);
      for (const column of columns.rows) expect(column.data_type).not.toMatch(/time|date|inet/);
      for (const table of ['ballots', 'criticism_items'])
        expect(of(table).find((c) => c.column_name === 'id')!.column_default).toBe('gen_random_uuid()');
      const sequences = await sql<{ n: number }>`
        select count(*)::int as n from pg_depend d join pg_class s on s.oid = d.objid and s.relkind = 'S'
        join pg_class t on t.oid = d.refobjid where t.relname in ('ballots', 'criticism_items', 'round_participations')
      `.execute(t.db);
      expect(sequences.rows[0]!.n).toBe(0);

      // An anonymous criticism round stores no author; a named one does.
      const room = await openRoom(t, s, 4);
      for (const named of [false, true]) {
        const roundId = await createRound(room.host, room.meetingId, named ? '点名' : '匿名', {
          kind: 'criticism',
          subjectMemberIds: [s.membersA[0]!.memberId],
          named,
        });
        await command(room.host, 'POST', room.url(`/rounds/${roundId}/open`));
        const subjectId = (
          await room.hostSocket.waitForState((st) =>
            st.rounds.some((r) => r.id === roundId && r.state === 'open'),
          )
        ).rounds.find((r) => r.id === roundId)!.criticism!.subjects[0]!.id;
        const ack = await room.phones[1]!.submit({
          type: 'submitCriticism',
          clientId: newClientId(),
          roundId,
          subjectId,
          text: '意见',
          concrete: false,
          authorKey: newAuthorKey(),
        });
        expect(ack.type).toBe('ack');
        const row = await t.db
          .selectFrom('criticism_items')
          .selectAll()
          .where('round_id', '=', roundId)
          .executeTakeFirstOrThrow();
        expect(row.author_member_id).toBe(named ? s.membersA[1]!.memberId : null);
        expect(row.author_observer_id).toBeNull();
        expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        await command(room.host, 'POST', room.url(`/rounds/${roundId}/close`));
      }
      room.close();
    });

    it('2. seals a closed round: one shared xmin, a random physical order, no participation xmin, no old versions', async () => {
      const room = await openRoom(t, s, 60);
      const roundId = await openPoll(room);
      // Cast one by one, each acknowledged before the next: a known submission order.
      const receipts: string[] = [];
      for (const [i, phone] of room.phones.entries()) {
        const receipt = newReceipt();
        receipts.push(receipt);
        expect(await phone.ballot(roundId, { kind: 'poll', choices: [i % 3] }, receipt)).toMatchObject({
          type: 'ack',
        });
      }
      const dump = () =>
        sql<{ xmin: string; ctid: string; id: string; receipt: string }>`
          select xmin::text as xmin, ctid::text as ctid, * from ballots where round_id = ${roundId}
        `.execute(t.db);
      const participations = async () =>
        new Set(
          (
            await sql<{
              xmin: string;
            }>`select xmin::text as xmin from round_participations where round_id = ${roundId}`.execute(t.db)
          ).rows.map((r) => r.xmin),
        );
      const physicalOrder = (rows: Array<{ ctid: string; receipt: string }>) =>
        [...rows].sort((a, b) => ctidKey(a.ctid) - ctidKey(b.ctid)).map((r) => r.receipt);

      // Before sealing the link is there to see — which is what the seal removes.
      const before = (await dump()).rows;
      expect(before).toHaveLength(60);
      expect(new Set(before.map((r) => r.xmin))).toEqual(await participations());
      expect(spearman(physicalOrder(before), receipts)).toBeGreaterThan(0.9);

      await command(room.host, 'POST', room.url(`/rounds/${roundId}/close`));
      const after = (await dump()).rows;
      expect(after).toHaveLength(60);
      expect(new Set(after.map((r) => r.receipt))).toEqual(new Set(receipts));
      const xmins = new Set(after.map((r) => r.xmin));
      expect(xmins.size).toBe(1);
      const sealXmin = [...xmins][0]!;
      expect((await participations()).has(sealXmin)).toBe(false);
      expect((await participations()).size).toBe(60);
      const order = physicalOrder(after);
      expect(order).not.toEqual(receipts);
      // A random permutation of 60: |ρ| > 0.6 has probability of a few in a million.
      expect(Math.abs(spearman(order, receipts))).toBeLessThan(0.6);
      for (const row of after) expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4/);

      // Raw heap pages hold no pre-seal version of these ballots (VACUUM ran after the seal).
      await sql`create extension if not exists pageinspect`.execute(t.db);
      const raw = await sql<{ xmin: string; xmax: string }>`
        select items.t_xmin::text as xmin, items.t_xmax::text as xmax
        from generate_series(0, (pg_relation_size('ballots') / current_setting('block_size')::int)::int - 1) as page,
          lateral heap_page_items(get_raw_page('ballots', page)) as items
        where items.lp_flags = 1 and substring(items.t_data from 17 for 16) = uuid_send(${roundId}::uuid)
      `.execute(t.db);
      expect(raw.rows).toHaveLength(60);
      expect(raw.rows.every((r) => r.xmin === sealXmin && r.xmax === '0')).toBe(true);
      room.close();
    });

    it('3. shows no partial result to anyone while a round is open, and never reopens a closed round', async () => {
      const room = await openRoom(t, s, 6, ['列席甲']);
      const observerTokens = await claimObservers(room.host, t.client(), room.meetingId);
      const observer = await tokenSocket(t, room.meetingId, 'observer', [...observerTokens.values()][0]!);
      const projector = await tokenSocket(
        t,
        room.meetingId,
        'projector',
        await projectorToken(room.host, room.meetingId),
      );
      const survey = await createRound(room.host, room.meetingId, '满意度', { kind: 'survey' });
      const appraisal = await createRound(room.host, room.meetingId, '测评', { kind: 'appraisal' });
      await command(room.host, 'POST', room.url(`/rounds/${survey}/open`));
      await command(room.host, 'POST', room.url(`/rounds/${appraisal}/open`));
      const graded = (
        await room.phones[0]!.waitForState((st) => st.rounds.filter((r) => r.state === 'open').length === 2)
      ).rounds.find((r) => r.id === appraisal)!.graded!;
      const answers = {
        kind: 'survey' as const,
        likert: { themeFocus: 5, preparation: 4, candour: 3, problemSolving: 2, conduct: 1 },
        overall: 'satisfied' as const,
        comment: '进行中的意见',
      };
      for (const phone of room.phones) {
        await phone.ballot(survey, answers);
        await phone.ballot(appraisal, {
          kind: 'appraisal',
          grades: Object.fromEntries(graded.map((g) => [g.memberId, 'qualified'])),
        });
      }
      await observer.ballot(survey, answers);
      const clients = [room.hostSocket, projector, observer, ...room.phones];
      await Promise.all(
        clients.map((c) =>
          c.waitForState(
            (st) => st.rounds.filter((r) => r.state === 'open').every((r) => r.answered >= 6),
            'counts',
          ),
        ),
      );
      // Fresh snapshots too, for every audience.
      for (const client of clients) {
        const since = client.frames.length;
        client.send({ type: 'resync' });
        await client.waitForType('snapshot', since);
      }
      const httpView = await room.host.get(room.url(''));
      const everything = JSON.stringify([...clients.flatMap((c) => c.frames), httpView.body]);
      for (const leak of ['"results"', 'distribution', 'perMember', '进行中的意见', '"likert":{'])
        expect(everything).not.toContain(leak);
      expect(room.hostSocket.round(survey)).toMatchObject({ answered: 7, eligible: 7, notAnswered: [] });
      expect(projector.round(survey)).toMatchObject({ answered: 7, eligible: 7 });
      expect(projector.round(survey)).not.toHaveProperty('notAnswered');
      // The committee above cannot look in either.
      const viewer = await t.client().signIn('viewer');
      expect((await viewer.get(room.url(''))).status).toBe(403);

      await command(room.host, 'POST', room.url(`/rounds/${survey}/close`));
      expect((await room.host.post(room.url(`/rounds/${survey}/open`))).body.code).toBe('round.cannotReopen');
      await expect(
        t.db.updateTable('rounds').set({ state: 'open' }).where('id', '=', survey).execute(),
      ).rejects.toThrow(/cannot be reopened/);
      await command(room.host, 'POST', room.url(`/rounds/${appraisal}/close`));
      for (const c of [observer, projector]) c.close();
      room.close();
    });

    it("4. shows nothing built from fewer than k responses, k from the committee's rubric and never below 3", async () => {
      const admin = await t.client().signIn('admin');
      const setK = (k: number) =>
        publishRubricEdit(admin, s.committee.id, (rubric) => {
          rubric.suppression.branchK = k;
        });
      expect((await setK(5)).status).toBe(201);
      const room = await openRoom(t, s, 6);
      const survey = await createRound(room.host, room.meetingId, '小范围', { kind: 'survey' });
      const appraisal = await createRound(room.host, room.meetingId, '小范围测评', { kind: 'appraisal' });
      await command(room.host, 'POST', room.url(`/rounds/${survey}/open`));
      await command(room.host, 'POST', room.url(`/rounds/${appraisal}/open`));
      const graded = (
        await room.phones[0]!.waitForState((st) => st.rounds.filter((r) => r.state === 'open').length === 2)
      ).rounds.find((r) => r.id === appraisal)!.graded!;
      for (const phone of room.phones.slice(0, 4)) {
        await phone.ballot(survey, {
          kind: 'survey',
          likert: { themeFocus: 1, preparation: 1, candour: 1, problemSolving: 1, conduct: 1 },
          overall: 'dissatisfied',
          comment: '四个人的意见',
        });
        await phone.ballot(appraisal, {
          kind: 'appraisal',
          grades: Object.fromEntries(graded.map((g) => [g.memberId, 'unqualified'])),
        });
      }
      for (const id of [survey, appraisal]) await command(room.host, 'POST', room.url(`/rounds/${id}/close`));
      await command(room.host, 'POST', room.url(`/rounds/${survey}/reveal`));
      const state = await room.hostSocket.waitForState(
        (st) => st.rounds.find((r) => r.id === survey)!.revealed,
      );
      for (const id of [survey, appraisal])
        expect(state.rounds.find((r) => r.id === id)!.results).toEqual({ suppressed: true, n: 4, k: 5 });
      await room.phones[0]!.waitForState((st) => st.rounds.find((r) => r.id === survey)!.revealed);
      expect(room.phones[0]!.round(survey)!.results).toEqual({ suppressed: true, n: 4, k: 5 });
      expect(JSON.stringify(room.hostSocket.frames)).not.toContain('四个人的意见');
      // k cannot be configured below 3.
      const lowered = await setK(2);
      expect(lowered.status).toBe(400);
      expect(lowered.body.fields).toEqual({ 'rubric.suppression.branchK': 'tooSmall' });
      expect((await setK(3)).status).toBe(201);
      room.close();
    });

    it('5. moderation shows text without authors, only in batches, and the author alone can edit or withdraw', async () => {
      const room = await openRoom(t, s, 7);
      const roundId = await createRound(room.host, room.meetingId, '批评', {
        kind: 'criticism',
        subjectMemberIds: [s.membersA[0]!.memberId],
      });
      await command(room.host, 'POST', room.url(`/rounds/${roundId}/open`));
      const subjectId = (
        await room.hostSocket.waitForState((st) =>
          st.rounds.some((r) => r.id === roundId && r.state === 'open'),
        )
      ).rounds.find((r) => r.id === roundId)!.criticism!.subjects[0]!.id;
      await command(room.host, 'POST', room.url(`/rounds/${roundId}/subjects/${subjectId}/phase`), {
        phase: 'criticism',
      });
      const critics = room.phones.slice(1);
      const keys = critics.map(() => newAuthorKey());
      const since = room.hostSocket.frames.length;
      const queueLength = () => room.hostSocket.round(roundId)!.criticism!.subjects[0]!.queue!.length;
      /** After a structural change made now reaches the host, everything committed earlier has too. */
      const barrier = async () => {
        const label = newClientId();
        await command(room.host, 'PUT', room.url('/timer'), { seconds: 30, label });
        await room.hostSocket.waitForState((st) => st.timer?.label === label, 'the barrier');
      };
      const acks: Array<Awaited<ReturnType<LiveClient['submit']>>> = [];
      const write = async (i: number) => {
        acks.push(
          await critics[i]!.submit({
            type: 'submitCriticism',
            clientId: newClientId(),
            roundId,
            subjectId,
            text: `第${i + 1}条意见`,
            concrete: i % 2 === 0,
            authorKey: keys[i]!,
          }),
        );
      };
      for (const batch of [
        [0, 1, 2],
        [3, 4, 5],
      ]) {
        const before = queueLength();
        for (const i of batch.slice(0, 2)) await write(i);
        await barrier();
        expect(queueLength()).toBe(before);
        await write(batch[2]!);
        await room.hostSocket.waitForState(() => queueLength() === before + 3, 'a batch of three');
      }
      // Every view of the queue the host ever received grew by whole batches of at least three.
      const queueSizes = room.hostSocket.frames
        .slice(since)
        .flatMap((f) => (f.type === 'event' ? f.events : []))
        .flatMap((e) =>
          e.kind === 'round' && e.round.id === roundId ? [e.round.criticism!.subjects[0]!.queue!.length] : [],
        );
      expect(queueSizes.at(-1)).toBe(6);
      queueSizes.reduce((previous, size) => {
        expect(size === previous || size - previous >= 3).toBe(true);
        return size;
      }, 0);
      const queue = room.hostSocket.round(roundId)!.criticism!.subjects[0]!.queue!;
      for (const item of queue)
        expect(Object.keys(item).sort()).toEqual(['concrete', 'id', 'status', 'text']);
      const hostSaw = JSON.stringify(room.hostSocket.frames.slice(since));
      for (const m of s.membersA.slice(1, 7)) {
        expect(hostSaw).not.toContain(m.memberId);
        expect(hostSaw).not.toContain(m.name);
      }
      // Someone else's key edits nothing; the author's own does.
      const itemId = (acks[0] as { itemId: string }).itemId;
      const edit = (phone: LiveClient, authorKey: string) =>
        phone.submit({
          type: 'editCriticism',
          clientId: newClientId(),
          itemId,
          authorKey,
          text: '改写',
          concrete: true,
        });
      expect(await edit(critics[1]!, keys[1]!)).toMatchObject({ type: 'error', code: 'criticism.notYours' });
      expect(await edit(critics[1]!, keys[0]!)).toMatchObject({ type: 'ack' });
      // What is still held back when the round closes reaches the record, not the void.
      await command(room.host, 'POST', room.url(`/rounds/${roundId}/close`));
      await room.hostSocket.waitForState(
        (st) => st.rounds.find((r) => r.id === roundId)!.state === 'closed' && queueLength() === 6,
        'the edited item back in the queue',
      );
      room.close();
    });

    it('7. lets each voter confirm its ballot was counted, from a bulletin of receipts published after close', async () => {
      const room = await openRoom(t, s, 5);
      const roundId = await openPoll(room);
      const receipts = room.phones.map(() => newReceipt());
      for (const [i, phone] of room.phones.entries())
        expect(await phone.ballot(roundId, { kind: 'poll', choices: [0] }, receipts[i])).toMatchObject({
          type: 'ack',
        });
      const ask = async (phone: LiveClient) => {
        const since = phone.frames.length;
        phone.send({ type: 'getBulletin', roundId });
        return phone.waitFor((f) => f.type === 'bulletin' || f.type === 'error', since);
      };
      expect(await ask(room.phones[0]!)).toMatchObject({ type: 'error', code: 'round.notClosed' });
      await command(room.host, 'POST', room.url(`/rounds/${roundId}/close`));
      const bulletin = await ask(room.phones[0]!);
      expect(bulletin.type).toBe('bulletin');
      if (bulletin.type !== 'bulletin') return;
      expect(bulletin.receipts).toHaveLength(5);
      expect(bulletin.receipts).toContain(receipts[0]);
      // Sorted, so its order says nothing about who voted when; receipts are all it holds.
      expect(bulletin.receipts).toEqual([...receipts].sort());
      room.close();
    });
  });

  describe(`${variant}: anonymity property 6, logs`, () => {
    const lines: string[] = [];
    let t: ListeningApp;
    beforeAll(async () => {
      const stream = new Writable({
        write(chunk, _encoding, done) {
          lines.push(chunk.toString());
          done();
        },
      });
      t = await startLiveApp(variant, { logger: { level: 'trace', stream } });
    });
    afterAll(() => t.close());

    it('6. logs no ballot content, comment, receipt, author secret, code or token at any level', async () => {
      const s = await seedCommittee(t.db, 6);
      const room = await openRoom(t, s, 6, ['列席乙']);
      const secrets: string[] = [];
      const claim = await room.host.post(room.url('/observer-codes'), {});
      secrets.push(claim.body.codes[0].code);
      const observerToken = (await t.client().post('/api/live/observe', { code: claim.body.codes[0].code }))
        .body.token;
      secrets.push(observerToken);
      const projector = await projectorToken(room.host, room.meetingId);
      secrets.push(projector);
      secrets.push(room.host.cookieHeader().split('=')[1]!.split(';')[0]!);
      await tokenSocket(t, room.meetingId, 'observer', observerToken);

      const survey = await createRound(room.host, room.meetingId, '满意度', { kind: 'survey' });
      await command(room.host, 'POST', room.url(`/rounds/${survey}/open`));
      await room.phones[0]!.waitForState((st) =>
        st.rounds.some((r) => r.id === survey && r.state === 'open'),
      );
      for (const [i, phone] of room.phones.entries()) {
        const receipt = newReceipt();
        const comment = `秘密意见${i}号`;
        secrets.push(receipt, comment);
        await phone.ballot(
          survey,
          {
            kind: 'survey',
            likert: { themeFocus: 5, preparation: 5, candour: 5, problemSolving: 5, conduct: 5 },
            overall: 'satisfied',
            comment,
          },
          receipt,
        );
      }
      // Refused submissions carry content too.
      await room.phones[0]!.ballot(survey, {
        kind: 'survey',
        likert: { themeFocus: 5, preparation: 5, candour: 5, problemSolving: 5, conduct: 5 },
        overall: 'satisfied',
        comment: '重复提交的秘密',
      });
      secrets.push('重复提交的秘密');
      room.phones[1]!.sendRaw(
        '{"type":"submitBallot","answers":{"kind":"survey","comment":"格式错误的秘密"}}',
      );
      secrets.push('格式错误的秘密');
      await command(room.host, 'POST', room.url(`/rounds/${survey}/close`));

      const criticism = await createRound(room.host, room.meetingId, '批评', {
        kind: 'criticism',
        subjectMemberIds: [s.membersA[0]!.memberId],
      });
      await command(room.host, 'POST', room.url(`/rounds/${criticism}/open`));
      const subjectId = (
        await room.phones[1]!.waitForState((st) =>
          st.rounds.some((r) => r.id === criticism && r.state === 'open'),
        )
      ).rounds.find((r) => r.id === criticism)!.criticism!.subjects[0]!.id;
      for (const phone of room.phones.slice(1, 4)) {
        const authorKey = newAuthorKey();
        const text = `匿名批评${authorKey.slice(0, 6)}`;
        secrets.push(authorKey, text);
        await phone.submit({
          type: 'submitCriticism',
          clientId: newClientId(),
          roundId: criticism,
          subjectId,
          text,
          concrete: true,
          authorKey,
        });
      }
      await command(room.host, 'POST', room.url(`/rounds/${criticism}/close`));
      room.close();

      const log = lines.join('');
      expect(log.length).toBeGreaterThan(1000);
      expect(log).toContain(room.meetingId);
      for (const secret of secrets) expect(log).not.toContain(secret);
    });
  });
}
