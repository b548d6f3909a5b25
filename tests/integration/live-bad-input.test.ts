import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newAuthorKey, newClientId, newReceipt } from '../../shared/domain/live-client.ts';
import { type ClientMessage, clientMessage, closeCodes, maxFrameBytes } from '../../shared/schemas/live.ts';
import { dbVariantsFromEnv } from '../support/db-variants.ts';
import { type SeededCommittee, seedCommittee } from '../support/fixtures.ts';
import { LiveClient } from '../support/live-client.ts';
import {
  claimDevices,
  command,
  createRound,
  insertMeeting,
  type ListeningApp,
  startLiveApp,
  tokenSocket,
} from '../support/live-fixtures.ts';
import type { TestClient } from '../support/test-app.ts';

/**
 * Bad input over the socket: every client message type, broken in many small ways, gets an error
 * frame and changes nothing; the socket stays usable; a flood is rate-limited and then closed; an
 * oversized frame closes with 1009; strangers are turned away; and none of it disturbs anyone else.
 */

/** Every way of breaking one field: drop it, give it the wrong type, or add a stranger. */
function mutations(message: Record<string, unknown>): unknown[] {
  const out: unknown[] = [];
  const junk = [null, 42, -1, 1.5, 'x', '', true, [], {}, 'ü'.repeat(6000)];
  const visit = (value: unknown, replace: (v: unknown) => unknown, path: string[]) => {
    if (path.length > 0 && path.at(-1) !== 'type') {
      for (const j of junk) out.push(replace(j));
      out.push(replace(undefined));
    }
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const object = value as Record<string, unknown>;
      out.push(replace({ ...object, unexpected: 1 }));
      for (const key of Object.keys(object))
        visit(object[key], (v) => replace(v === undefined ? omit(object, key) : { ...object, [key]: v }), [
          ...path,
          key,
        ]);
    }
  };
  visit(message, (v) => v, []);
  return out;
}

function omit(object: Record<string, unknown>, key: string) {
  const { [key]: _dropped, ...rest } = object;
  return rest;
}

for (const variant of dbVariantsFromEnv()) {
  describe(`${variant}: bad input on the live socket`, () => {
    let t: ListeningApp;
    let s: SeededCommittee;
    let meetingId: string;
    let host: TestClient;
    let tokens: Map<string, string>;
    let surveyId: string;
    let criticismId: string;
    let subjectId: string;
    let closedId: string;
    let itemId: string;
    const url = (path: string) => `/api/meetings/${meetingId}/live${path}`;
    const phone = (i: number) => tokenSocket(t, meetingId, 'device', tokens.get(s.membersA[i]!.memberId)!);

    /** What a bad frame must not change. */
    const fingerprint = async () =>
      (
        await sql<Record<string, string>>`
          select
            (select count(*) from ballots)::text as ballots,
            (select count(*) from round_participations)::text as participations,
            (select string_agg(id || text || status || released::text || concrete::text, ',' order by id) from criticism_items) as items,
            (select string_agg(coalesce(self_examination, '') || coalesce(response, '') || phase, ',' order by id) from criticism_subjects) as subjects,
            (select string_agg(member_id || status, ',' order by member_id) from attendance) as attendance,
            (select string_agg(state, ',' order by id) from rounds) as rounds,
            (select seq::text from live_sessions where meeting_id = ${meetingId}) as seq
        `.execute(t.db)
      ).rows[0];

    beforeAll(async () => {
      t = await startLiveApp(variant);
      s = await seedCommittee(t.db, 16);
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
      closedId = await createRound(host, meetingId, '已结束', {
        kind: 'poll',
        question: '?',
        mode: 'single',
        options: ['a', 'b'],
      });
      await command(host, 'POST', url(`/rounds/${closedId}/open`));
      await command(host, 'POST', url(`/rounds/${closedId}/close`));
      surveyId = await createRound(host, meetingId, '满意度', { kind: 'survey' });
      await command(host, 'POST', url(`/rounds/${surveyId}/open`));
      criticismId = await createRound(host, meetingId, '批评', {
        kind: 'criticism',
        subjectMemberIds: [s.membersA[0]!.memberId],
      });
      await command(host, 'POST', url(`/rounds/${criticismId}/open`));
      const state = await host.get(url(''));
      subjectId = state.body.state.rounds.find((r: { id: string }) => r.id === criticismId).criticism
        .subjects[0].id;
      await command(host, 'POST', url(`/rounds/${criticismId}/subjects/${subjectId}/phase`), {
        phase: 'criticism',
      });
    });
    afterAll(() => t.close());

    it('answers every broken variant of every message type with an error frame, changing nothing', async () => {
      const authorKey = newAuthorKey();
      const author = await phone(15);
      const written = await author.submit({
        type: 'submitCriticism',
        clientId: newClientId(),
        roundId: criticismId,
        subjectId,
        text: '原文',
        concrete: false,
        authorKey,
      });
      itemId = (written as { itemId: string }).itemId;
      author.close();
      const bases: Record<ClientMessage['type'], ClientMessage> = {
        hello: {
          type: 'hello',
          v: 1,
          meetingId,
          auth: { kind: 'device', token: tokens.get(s.membersA[1]!.memberId)! },
        },
        resync: { type: 'resync' },
        ping: { type: 'ping', t: 1 },
        submitBallot: {
          type: 'submitBallot',
          clientId: newClientId(),
          roundId: surveyId,
          receipt: newReceipt(),
          answers: {
            kind: 'survey',
            likert: { themeFocus: 5, preparation: 5, candour: 5, problemSolving: 5, conduct: 5 },
            overall: 'satisfied',
          },
        },
        submitSelfExamination: {
          type: 'submitSelfExamination',
          clientId: newClientId(),
          roundId: criticismId,
          subjectId,
          text: '剖析',
        },
        submitCriticism: {
          type: 'submitCriticism',
          clientId: newClientId(),
          roundId: criticismId,
          subjectId,
          text: '意见',
          concrete: true,
          authorKey: newAuthorKey(),
        },
        editCriticism: {
          type: 'editCriticism',
          clientId: newClientId(),
          itemId,
          authorKey,
          text: '改写',
          concrete: true,
        },
        withdrawCriticism: { type: 'withdrawCriticism', clientId: newClientId(), itemId, authorKey },
        submitResponse: {
          type: 'submitResponse',
          clientId: newClientId(),
          roundId: criticismId,
          subjectId,
          text: '表态',
        },
        getBulletin: { type: 'getBulletin', roundId: closedId },
        checkItems: { type: 'checkItems', items: [{ itemId, authorKey }] },
      };
      const types = clientMessage.options.map((o) => o.shape.type.value);
      expect(Object.keys(bases).sort()).toEqual([...types].sort());
      // A few arbitrary values too, from a fixed seed so a failure can be replayed.
      const arbitrary = fc.sample(fc.anything(), { numRuns: 6, seed: 20261126 });

      // Joining checks a member in; that happens first, then nothing may change.
      const clients = await Promise.all(Object.keys(bases).map((_, i) => phone(1 + i)));
      const before = await fingerprint();
      await Promise.all(
        Object.entries(bases).map(async ([type, base], i) => {
          const client = clients[i]!;
          const variants = [
            ...mutations(base as Record<string, unknown>),
            ...arbitrary.map((a) => ({
              ...(base as object),
              [type === 'checkItems' ? 'items' : 'clientId']: a,
            })),
          ].filter((v) => !clientMessage.safeParse(v).success);
          // An even spread that fits the socket's burst allowance, leaving room to show it still works.
          const step = Math.max(1, variants.length / 36);
          const sample = Array.from(
            { length: Math.min(36, variants.length) },
            (_, k) => variants[Math.floor(k * step)],
          );
          for (const variant of sample) {
            const since = client.frames.length;
            client.sendRaw(JSON.stringify(variant));
            const answer = await client.waitFor((f) => f.type === 'error', since);
            expect(
              answer.type === 'error' && answer.code,
              `${type}: ${JSON.stringify(variant).slice(0, 200)}`,
            ).toBe('request.invalid');
          }
          const since = client.frames.length;
          client.send({ type: 'ping', t: i });
          expect(await client.waitForType('pong', since)).toEqual({ type: 'pong', t: i });
          expect(client.closed).toBeNull();
          client.close();
        }),
      );
      expect(await fingerprint()).toEqual(before);
    });

    it('refuses malformed, unknown, binary, out-of-turn and oversized frames', async () => {
      const client = await phone(12);
      const before = await fingerprint();
      const expectError = async (send: () => void, code: string) => {
        const since = client.frames.length;
        send();
        const frame = await client.waitFor((f) => f.type === 'error', since);
        expect(frame).toMatchObject({ code });
      };
      await expectError(() => client.sendRaw('{"type": "submitBallot",'), 'live.malformed');
      await expectError(() => client.sendRaw(Buffer.from([1, 2, 3])), 'live.malformed');
      await expectError(() => client.sendRaw('{"type":"launchMissiles"}'), 'live.unknownType');
      await expectError(() => client.sendRaw('42'), 'live.unknownType');
      await expectError(() => client.sendRaw('null'), 'live.unknownType');
      const survey = {
        kind: 'survey' as const,
        likert: { themeFocus: 5, preparation: 5, candour: 5, problemSolving: 5, conduct: 5 },
        overall: 'satisfied' as const,
      };
      expect(await client.ballot(closedId, { kind: 'poll', choices: [0] })).toMatchObject({
        code: 'round.closed',
      });
      expect(await client.ballot(newClientId(), survey)).toMatchObject({ code: 'round.notFound' });
      expect(await client.ballot(criticismId, survey)).toMatchObject({ code: 'ballot.wrongKind' });
      const { conduct: _missing, ...incomplete } = survey.likert;
      expect(await client.ballot(surveyId, { ...survey, likert: incomplete as never })).toMatchObject({
        code: 'ballot.incomplete',
        fields: { 'answers.likert.conduct': 'required' },
      });
      expect(
        await client.ballot(surveyId, { ...survey, likert: { ...survey.likert, extra: 3 } }),
      ).toMatchObject({
        code: 'ballot.unknownItem',
      });
      const draftId = await createRound(host, meetingId, '草稿', {
        kind: 'poll',
        question: '?',
        mode: 'single',
        options: ['a', 'b'],
      });
      expect(await client.ballot(draftId, { kind: 'poll', choices: [0] })).toMatchObject({
        code: 'round.notOpen',
      });
      await command(host, 'DELETE', url(`/rounds/${draftId}`));
      await expectError(
        () =>
          client.send({
            type: 'hello',
            v: 1,
            meetingId,
            auth: { kind: 'device', token: tokens.get(s.membersA[12]!.memberId)! },
          }),
        'live.alreadyJoined',
      );
      await expectError(() => client.send({ type: 'getBulletin', roundId: surveyId }), 'round.notClosed');
      expect(
        await client.submit({
          type: 'submitResponse',
          clientId: newClientId(),
          roundId: criticismId,
          subjectId,
          text: '不是我',
        }),
      ).toMatchObject({ code: 'criticism.notSubject' });
      expect(client.closed).toBeNull();
      // Too big: the socket is closed with 1009 and nothing else happens.
      client.sendRaw(JSON.stringify({ type: 'ping', pad: 'x'.repeat(maxFrameBytes) }));
      expect(await client.waitForClose()).toMatchObject({ code: 1009 });
      expect(await fingerprint()).toEqual({ ...before, seq: String(Number(before!.seq) + 2) });
    });

    it('turns away strangers: non-members, other branches, bad tokens, a first frame that is not hello', async () => {
      const attempts: Array<[() => Promise<LiveClient>, Parameters<LiveClient['join']>[1], string]> = [
        [
          async () =>
            new LiveClient({ url: t.ws, cookie: (await t.client().signIn('memberB')).cookieHeader() }).open(),
          { kind: 'session' },
          'live.notInvited',
        ],
        [
          async () =>
            new LiveClient({ url: t.ws, cookie: (await t.client().signIn('secB')).cookieHeader() }).open(),
          { kind: 'session', as: 'host' },
          'resource.notFound',
        ],
        [
          async () =>
            new LiveClient({ url: t.ws, cookie: (await t.client().signIn('viewer')).cookieHeader() }).open(),
          { kind: 'session', as: 'host' },
          'auth.forbidden',
        ],
        [async () => new LiveClient({ url: t.ws }).open(), { kind: 'session' }, 'auth.required'],
        [
          async () => new LiveClient({ url: t.ws }).open(),
          { kind: 'device', token: 'x'.repeat(43) },
          'live.tokenInvalid',
        ],
        [
          async () => new LiveClient({ url: t.ws }).open(),
          { kind: 'projector', token: 'x'.repeat(43) },
          'live.tokenInvalid',
        ],
        [
          async () => new LiveClient({ url: t.ws }).open(),
          { kind: 'observer', token: tokens.get(s.membersA[0]!.memberId)! },
          'live.tokenInvalid',
        ],
      ];
      for (const [open, auth, code] of attempts) {
        const client = await open();
        const since = client.frames.length;
        await expect(client.join(meetingId, auth)).rejects.toThrow(code);
        expect(client.frames.slice(since)).toEqual([expect.objectContaining({ type: 'error', code })]);
        expect(await client.waitForClose()).toMatchObject({ code: closeCodes.unauthenticated });
      }
      const early = await new LiveClient({ url: t.ws }).open();
      early.send({ type: 'ping' });
      expect(await early.waitForType('error')).toMatchObject({ code: 'live.helloRequired' });
      expect(await early.waitForClose()).toMatchObject({ code: closeCodes.unauthenticated });
      // A stranger's device token for another meeting is no key to this one.
      const { meetingId: other } = await insertMeeting(t.db, s.branchA.id, {
        inviteeIds: [s.membersA[0]!.memberId],
      });
      const wrongMeeting = await new LiveClient({ url: t.ws }).open();
      await expect(
        wrongMeeting.join(other, { kind: 'device', token: tokens.get(s.membersA[0]!.memberId)! }),
      ).rejects.toThrow('live.tokenInvalid');
    });

    it('rate-limits a flood and then closes it with 4008, while everyone else carries on', async () => {
      const flooder = await phone(13);
      const neighbour = await phone(14);
      const survey = {
        kind: 'survey' as const,
        likert: { themeFocus: 4, preparation: 4, candour: 4, problemSolving: 4, conduct: 4 },
        overall: 'basicallySatisfied' as const,
      };
      for (let i = 0; i < 200; i++) flooder.send({ type: 'ping', t: i });
      expect(await flooder.waitFor((f) => f.type === 'error', 0)).toMatchObject({
        code: 'live.rateLimited',
        retry: true,
      });
      expect(await flooder.waitForClose()).toMatchObject({ code: closeCodes.flooding });
      expect(flooder.frames.filter((f) => f.type === 'pong').length).toBeLessThanOrEqual(45);
      expect(await neighbour.ballot(surveyId, survey)).toMatchObject({ type: 'ack', duplicate: false });
      const since = neighbour.frames.length;
      neighbour.send({ type: 'ping', t: 7 });
      expect(await neighbour.waitForType('pong', since)).toEqual({ type: 'pong', t: 7 });
      neighbour.close();
    });

    it('validates host commands: per-field codes, 404 for another branch, nothing changed', async () => {
      const before = await fingerprint();
      const bad = await host.post(url('/rounds'), {
        title: '',
        config: { kind: 'poll', question: '?', mode: 'single', options: ['a'] },
      });
      expect(bad.status).toBe(400);
      expect(bad.body).toMatchObject({
        code: 'request.invalid',
        fields: { title: 'tooShort', 'config.options': 'tooShort' },
      });
      const unknown = await host.post(url('/rounds'), {
        title: 'x',
        config: { kind: 'appraisal' },
        admin: true,
      });
      expect(unknown.body.fields).toEqual({ admin: 'unknownField' });
      const stranger = await host.post(url('/rounds'), {
        title: '陌生人',
        config: { kind: 'criticism', subjectMemberIds: [s.memberB.memberId] },
      });
      expect(stranger.body).toMatchObject({
        code: 'criticism.subjectNotInvited',
        fields: { 'config.subjectMemberIds.0': 'invalidOption' },
      });
      expect((await host.post(url(`/rounds/${closedId}/open`))).body.code).toBe('round.cannotReopen');
      expect((await host.request('DELETE', url(`/rounds/${surveyId}`))).body.code).toBe('round.notDraft');
      expect((await host.put(url('/timer'), { seconds: 1 })).body.fields).toEqual({ seconds: 'tooSmall' });
      const otherSecretary = await t.client().signIn('secB');
      const attempts: Array<[string, string, unknown]> = [
        ['GET', '', undefined],
        ['GET', '/passes', undefined],
        ['POST', '/open', {}],
        ['POST', '/rounds', { title: '越权', config: { kind: 'appraisal' } }],
        ['POST', `/rounds/${surveyId}/close`, {}],
        ['PUT', `/attendance/${s.membersA[0]!.memberId}`, { status: 'absent' }],
      ];
      for (const [method, path, body] of attempts) {
        const response = await otherSecretary.request(method as 'GET', url(path), body);
        expect(response.status, path).toBe(404);
      }
      const member = await t.client().signIn('memberA3');
      expect((await member.post(url(`/rounds/${surveyId}/close`))).status).toBe(403);
      expect((await t.client().post(url('/open'))).status).toBe(401);
      expect((await t.client().post('/api/live/claim', { code: 'NOPE-NOPE-NO' })).body.code).toBe(
        'live.codeInvalid',
      );
      expect((await t.client().post('/api/live/join', { code: 'ZZZZZZ' })).status).toBe(404);
      expect(await fingerprint()).toEqual(before);
    });
  });
}
