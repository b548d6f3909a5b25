import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppraisalGrade, appraisalGrades } from '../../shared/domain/enums.ts';
import { newAuthorKey, newClientId } from '../../shared/domain/live-client.ts';
import type { LiveState, RoundView } from '../../shared/schemas/live.ts';
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
import type { TestClient } from '../support/test-app.ts';

/**
 * A whole 民主评议 meeting through the real protocol: 30 members (half signed in, half on claimed
 * phones) and an observer join and check in; a survey, a criticism round for two subjects, an
 * appraisal ballot and a poll run; tallies, quorum, moderation, reveal and the conversion into a
 * problem and rectification item are asserted exactly.
 */
for (const variant of dbVariantsFromEnv()) {
  describe(`${variant}: a full live meeting`, () => {
    let t: ListeningApp;
    let s: SeededCommittee;
    let meetingId: string;
    let observerId: string;
    let host: TestClient;
    let hostSocket: LiveClient;
    let projector: LiveClient;
    let observer: LiveClient;
    /** Every member's phone, by member id (memberA28 is on leave and never joins). */
    const phones = new Map<string, LiveClient>();
    let everyone: () => LiveClient[];
    let voters: () => string[];
    const url = (path: string) => `/api/meetings/${meetingId}/live${path}`;
    const roundOf = (client: LiveClient, id: string) => client.state!.rounds.find((r) => r.id === id);
    const waitRound = (
      client: LiveClient,
      id: string,
      test: (r: RoundView) => boolean,
      what = 'round state',
    ) =>
      client.waitForState((st: LiveState) => {
        const r = st.rounds.find((x) => x.id === id);
        return !!r && test(r);
      }, what);
    /**
     * A barrier: after a structural change made now reaches the host, everything committed before it
     * has reached the host too (events are ordered).
     */
    const barrier = async () => {
      const label = `barrier-${newClientId()}`;
      await command(host, 'PUT', url('/timer'), { seconds: 60, label });
      await hostSocket.waitForState((st) => st.timer?.label === label, 'the barrier');
    };

    beforeAll(async () => {
      t = await startLiveApp(variant, { publicUrl: 'https://mingjing.example.org' });
      s = await seedCommittee(t.db, 28);
      const all = [s.secretaryA, ...s.membersA, s.probationaryA];
      const meeting = await insertMeeting(t.db, s.branchA.id, {
        type: 'memberAppraisal',
        title: '2026年度组织生活会暨民主评议党员',
        inviteeIds: all.map((m) => m.memberId),
        observers: ['王群众'],
        hostMemberId: s.secretaryA.memberId,
        recorderMemberId: s.membersA[0]!.memberId,
      });
      meetingId = meeting.meetingId;
      observerId = meeting.observerIds[0]!;
      host = await t.client().signIn('secA');
      everyone = () => [hostSocket, projector, observer, ...phones.values()];
      voters = () => [...phones.keys()];
    });
    afterAll(async () => {
      for (const client of everyone?.() ?? []) client?.close();
      await t.close();
    });

    it('opens the session with a join code that resolves to the meeting, not to people', async () => {
      const opened = await host.post(url('/open'));
      expect(opened.status).toBe(200);
      expect(opened.body.joinCode).toMatch(/^[0-9A-Z]{6}$/);
      expect(opened.body.joinUrl).toBe(`https://mingjing.example.org/j/${opened.body.joinCode}`);
      expect(opened.body.qrSvg).toContain('<svg');
      const resolved = await t.client().post('/api/live/join', { code: opened.body.joinCode.toLowerCase() });
      expect(resolved.body).toEqual({
        meetingId,
        title: '2026年度组织生活会暨民主评议党员',
        organizationName: '第一党支部',
        open: true,
      });
      hostSocket = await sessionSocket(t, meetingId, 'secA', 'host');
      expect(hostSocket.welcome).toMatchObject({ role: 'host', participant: null });
      projector = await tokenSocket(t, meetingId, 'projector', await projectorToken(host, meetingId));
      expect(projector.state!.meeting).toMatchObject({
        open: true,
        joinCode: opened.body.joinCode,
        joinUrl: opened.body.joinUrl,
      });
    });

    it('checks members in as they join, with the quorum indicator, and records leave and observers', async () => {
      const onLeave = s.membersA[27]!;
      await command(host, 'PUT', url(`/attendance/${onLeave.memberId}`), { status: 'excused', note: '出差' });

      // Half on claimed phones (the probationary member among them), half signed in.
      const byDevice = [...s.membersA.slice(13, 27), s.probationaryA];
      const tokens = await claimDevices(
        host,
        t.client(),
        meetingId,
        byDevice.map((m) => m.memberId),
      );
      const bySession = [s.secretaryA, ...s.membersA.slice(0, 13)];
      const join = async (m: (typeof byDevice)[number]) => {
        const phone = tokens.has(m.memberId)
          ? await tokenSocket(t, meetingId, 'device', tokens.get(m.memberId)!)
          : await sessionSocket(t, meetingId, m.login!);
        expect(phone.welcome).toMatchObject({
          role: 'member',
          participant: { memberId: m.memberId, name: m.name },
        });
        phones.set(m.memberId, phone);
      };
      const joiners = [...bySession, ...byDevice];
      for (const m of joiners.slice(0, 10)) await join(m);
      let state = await hostSocket.waitForState((st) => st.attendance!.present === 10, 'ten present');
      expect(state.attendance!.quorum).toEqual({
        rule: 'majorityOfFullMembers',
        required: 15,
        present: 10,
        met: false,
      });
      await Promise.all(joiners.slice(10).map(join));
      state = await hostSocket.waitForState((st) => st.attendance!.present === 29, 'all present');
      expect(state.attendance).toMatchObject({ expected: 30, present: 29, excused: 1, absent: 0, exempt: 0 });
      expect(state.attendance!.quorum).toEqual({
        rule: 'majorityOfFullMembers',
        required: 15,
        present: 28,
        met: true,
      });
      const attendees = new Map(state.attendance!.attendees!.map((a) => [a.memberId, a]));
      expect(attendees.get(onLeave.memberId)).toMatchObject({ attendance: 'excused', checkedIn: false });
      expect(attendees.get(s.probationaryA.memberId)).toMatchObject({
        attendance: 'present',
        checkedIn: true,
      });
      const recorded = await t.db
        .selectFrom('attendance')
        .select(['status', 'source', 'checked_in_at'])
        .where('meeting_id', '=', meetingId)
        .where('member_id', '=', s.secretaryA.memberId)
        .executeTakeFirstOrThrow();
      expect(recorded).toMatchObject({ status: 'present', source: 'checkIn' });
      expect(recorded.checked_in_at).toBeInstanceOf(Date);

      const observerTokens = await claimObservers(host, t.client(), meetingId);
      observer = await tokenSocket(t, meetingId, 'observer', observerTokens.get(observerId)!);
      expect(observer.welcome).toMatchObject({
        role: 'observer',
        participant: { observerId, name: '王群众' },
      });
      state = await hostSocket.waitForState((st) => st.attendance!.observers![0]!.joined, 'observer joined');
      expect(state.attendance!.observers).toEqual([{ observerId, name: '王群众', joined: true }]);
      // Phones and the wall see counts, never the roster.
      expect(projector.state!.attendance!.attendees).toBeUndefined();
      expect(observer.state!.attendance).toMatchObject({ present: 29 });
    });

    it('runs the satisfaction survey: counts while open, exact results after close, wall only after reveal', async () => {
      const roundId = await createRound(host, meetingId, '组织生活会满意度测评', { kind: 'survey' });
      await command(host, 'POST', url(`/rounds/${roundId}/open`));
      const round = (await waitRound(observer, roundId, (r) => r.state === 'open')).rounds.find(
        (r) => r.id === roundId,
      )!;
      expect(round.instrument!.version).toBe(1);
      expect(round.instrument!.likert.map((i) => i.key)).toEqual([
        'themeFocus',
        'preparation',
        'candour',
        'problemSolving',
        'conduct',
      ]);
      expect(round).toMatchObject({ eligible: 30, answered: 0, anonymous: true });

      const overall = ['satisfied', 'basicallySatisfied', 'dissatisfied'] as const;
      const answerOf = (i: number) => ({
        kind: 'survey' as const,
        likert: {
          themeFocus: (i % 5) + 1,
          preparation: ((i + 1) % 5) + 1,
          candour: 5,
          problemSolving: i < 10 ? 3 : 4,
          conduct: (i % 2) + 4,
        },
        overall: overall[i % 3]!,
        ...(i % 7 === 0 ? { comment: `意见${i}：会前准备可以更充分` } : {}),
      });
      const respondents = [...phones.values(), observer];
      const acks = await Promise.all(respondents.map((c, i) => c.ballot(roundId, answerOf(i))));
      expect(acks.every((a) => a.type === 'ack' && !a.duplicate)).toBe(true);

      const counted = await waitRound(
        projector,
        roundId,
        (r) => r.answered === 30,
        'all answered on the wall',
      );
      expect(counted.rounds.find((r) => r.id === roundId)!.results).toBeUndefined();
      const hostRound = (await waitRound(hostSocket, roundId, (r) => r.answered === 30)).rounds.find(
        (r) => r.id === roundId,
      )!;
      expect(hostRound.notAnswered).toEqual([]);
      expect(hostRound.results).toBeUndefined();

      await command(host, 'POST', url(`/rounds/${roundId}/close`));
      const closed = (await waitRound(hostSocket, roundId, (r) => r.state === 'closed')).rounds.find(
        (r) => r.id === roundId,
      )!;
      const expected = (key: keyof ReturnType<typeof answerOf>['likert']) => {
        const distribution = [0, 0, 0, 0, 0];
        for (let i = 0; i < 30; i++) distribution[answerOf(i).likert[key] - 1]! += 1;
        return distribution;
      };
      const results = closed.results as Extract<NonNullable<RoundView['results']>, { likert: unknown }>;
      expect(results.suppressed).toBe(false);
      expect(results.n).toBe(30);
      expect(results.likert.map((l) => [l.key, l.distribution])).toEqual(
        (['themeFocus', 'preparation', 'candour', 'problemSolving', 'conduct'] as const).map((k) => [
          k,
          expected(k),
        ]),
      );
      expect(results.likert.find((l) => l.key === 'candour')!.mean).toBe(5);
      expect(results.likert.find((l) => l.key === 'problemSolving')!.mean).toBe(3.67);
      expect(results.overall).toEqual({ satisfied: 10, basicallySatisfied: 10, dissatisfied: 10 });
      expect([...results.comments!].sort()).toEqual(
        [0, 7, 14, 21, 28].map((i) => answerOf(i).comment!).sort(),
      );

      // The wall and the phones: nothing until the host reveals, then charts without comments.
      await projector.waitForState((st) => st.rounds.find((r) => r.id === roundId)!.state === 'closed');
      expect(roundOf(projector, roundId)!.results).toBeUndefined();
      await command(host, 'POST', url(`/rounds/${roundId}/reveal`));
      const shown = (await waitRound(projector, roundId, (r) => r.revealed)).rounds.find(
        (r) => r.id === roundId,
      )!;
      expect(shown.results).toMatchObject({ suppressed: false, n: 30, overall: results.overall });
      expect(shown.results).not.toHaveProperty('comments');
      await waitRound(observer, roundId, (r) => r.revealed);
      expect(roundOf(observer, roundId)!.results).not.toHaveProperty('comments');
    });

    it('suppresses results built from fewer than k responses', async () => {
      const roundId = await createRound(host, meetingId, '补充问卷', { kind: 'survey' });
      await command(host, 'POST', url(`/rounds/${roundId}/open`));
      const [a, b] = [...phones.values()];
      for (const phone of [a!, b!]) {
        await waitRound(phone, roundId, (r) => r.state === 'open');
        const answer = {
          kind: 'survey' as const,
          likert: { themeFocus: 1, preparation: 1, candour: 1, problemSolving: 1, conduct: 1 },
          overall: 'dissatisfied' as const,
          comment: '只有两个人回答',
        };
        expect(await phone.ballot(roundId, answer)).toMatchObject({ type: 'ack' });
      }
      await command(host, 'POST', url(`/rounds/${roundId}/close`));
      await command(host, 'POST', url(`/rounds/${roundId}/reveal`));
      for (const client of [hostSocket, projector]) {
        const round = (await waitRound(client, roundId, (r) => r.revealed)).rounds.find(
          (r) => r.id === roundId,
        )!;
        expect(round.results).toEqual({ suppressed: true, n: 2, k: 3 });
      }
    });

    it('runs a criticism round for two subjects: batches, edits, moderation, reveal, response, problems', async () => {
      const [subjectA, subjectB] = [s.secretaryA, s.membersA[1]!];
      const roundId = await createRound(host, meetingId, '批评与自我批评', {
        kind: 'criticism',
        subjectMemberIds: [subjectA.memberId, subjectB.memberId],
      });
      await command(host, 'POST', url(`/rounds/${roundId}/open`));
      let state = await waitRound(hostSocket, roundId, (r) => r.state === 'open');
      const subjects = roundOf(hostSocket, roundId)!.criticism!.subjects;
      expect(subjects.map((x) => [x.name, x.phase])).toEqual([
        [subjectA.name, 'waiting'],
        [subjectB.name, 'waiting'],
      ]);
      expect(roundOf(hostSocket, roundId)!.anonymous).toBe(true);
      const [sa, sb] = subjects.map((x) => x.id) as [string, string];
      const phase = (subjectId: string, to: string) =>
        command(host, 'POST', url(`/rounds/${roundId}/subjects/${subjectId}/phase`), { phase: to });

      // Subject A: written self-examination, from A's own phone only.
      await phase(sa, 'selfExamination');
      const phoneA = phones.get(subjectA.memberId)!;
      const other = phones.get(s.membersA[5]!.memberId)!;
      const selfExam = { roundId, subjectId: sa, text: '理论学习不够深入，联系群众不够。' };
      expect(
        await other.submit({ type: 'submitSelfExamination', clientId: newClientId(), ...selfExam }),
      ).toMatchObject({ type: 'error', code: 'criticism.notSubject' });
      expect(
        await phoneA.submit({ type: 'submitSelfExamination', clientId: newClientId(), ...selfExam }),
      ).toMatchObject({ type: 'ack' });
      await waitRound(projector, roundId, (r) => r.criticism!.subjects[0]!.selfExamination !== null);
      expect(roundOf(projector, roundId)!.criticism!.subjects[0]!.selfExamination).toEqual({
        mode: 'written',
        text: selfExam.text,
      });

      await phase(sa, 'criticism');
      const critics = [3, 4, 5, 6, 7].map((i) => phones.get(s.membersA[i]!.memberId)!);
      const keys = critics.map(() => newAuthorKey());
      const write = (i: number, text: string, concrete = true, subjectId = sa) =>
        critics[i]!.submit({
          type: 'submitCriticism',
          clientId: newClientId(),
          roundId,
          subjectId,
          text,
          concrete,
          authorKey: keys[i]!,
        });
      expect(
        await phoneA.submit({
          type: 'submitCriticism',
          clientId: newClientId(),
          roundId,
          subjectId: sa,
          text: '批评自己',
          concrete: false,
          authorKey: newAuthorKey(),
        }),
      ).toMatchObject({ type: 'error', code: 'criticism.selfCriticism' });

      const texts = ['开会常迟到', '谈心谈话次数少', '整改落实不到位', '调研走过场'];
      const item0 = await write(0, texts[0]!);
      const item1 = await write(1, texts[1]!);
      expect(item0).toMatchObject({ type: 'ack', duplicate: false });
      // Two items are held back: the host sees neither, nor any count moving.
      await barrier();
      expect(roundOf(hostSocket, roundId)!.criticism!.subjects[0]!.queue).toEqual([]);
      expect(roundOf(projector, roundId)!.criticism!.subjects[0]!.itemCount).toBe(0);
      // The third releases all three together.
      const item2 = await write(2, texts[2]!, false);
      state = await waitRound(
        hostSocket,
        roundId,
        (r) => r.criticism!.subjects[0]!.queue!.length === 3,
        'a batch',
      );
      const queue = roundOf(hostSocket, roundId)!.criticism!.subjects[0]!.queue!;
      expect(queue.map((q) => q.text).sort()).toEqual(texts.slice(0, 3).sort());
      expect(queue.every((q) => q.status === 'pending' && q.authorName === undefined)).toBe(true);
      await waitRound(projector, roundId, (r) => r.criticism!.subjects[0]!.itemCount === 3);

      // A fourth waits, is edited by its author before anyone saw it, and the first is withdrawn.
      const item3 = await write(3, '调研不深入');
      const id = (ack: Awaited<ReturnType<typeof write>>) => (ack.type === 'ack' ? ack.itemId! : '');
      expect(
        await critics[3]!.submit({
          type: 'editCriticism',
          clientId: newClientId(),
          itemId: id(item3),
          authorKey: keys[3]!,
          text: texts[3]!,
          concrete: true,
        }),
      ).toMatchObject({ type: 'ack' });
      expect(
        await critics[2]!.submit({
          type: 'editCriticism',
          clientId: newClientId(),
          itemId: id(item3),
          authorKey: keys[2]!,
          text: '冒名修改',
          concrete: true,
        }),
      ).toMatchObject({ type: 'error', code: 'criticism.notYours' });
      expect(
        await critics[0]!.submit({
          type: 'withdrawCriticism',
          clientId: newClientId(),
          itemId: id(item0),
          authorKey: keys[0]!,
        }),
      ).toMatchObject({ type: 'ack' });

      // Moderation: approve one, return one for rewriting, the author rewrites it.
      await command(host, 'POST', url(`/rounds/${roundId}/items/${id(item1)}/moderate`), {
        action: 'approve',
      });
      await command(host, 'POST', url(`/rounds/${roundId}/items/${id(item2)}/moderate`), {
        action: 'return',
      });
      expect(
        (await host.post(url(`/rounds/${roundId}/items/${id(item0)}/moderate`), { action: 'approve' })).body
          .code,
      ).toBe('criticism.notReleased');
      const checked = await (async () => {
        const since = critics[2]!.frames.length;
        critics[2]!.send({ type: 'checkItems', items: [{ itemId: id(item2), authorKey: keys[2]! }] });
        return critics[2]!.waitForType('items', since);
      })();
      expect(checked.items).toEqual([
        expect.objectContaining({ id: id(item2), status: 'returned', editable: true, revealed: false }),
      ]);
      expect(
        await critics[2]!.submit({
          type: 'editCriticism',
          clientId: newClientId(),
          itemId: id(item2),
          authorKey: keys[2]!,
          text: '整改落实不到位，去年的问题今年还在',
          concrete: true,
        }),
      ).toMatchObject({ type: 'ack' });

      // Ending the criticism phase releases what is held back, however few.
      await phase(sa, 'reveal');
      state = await waitRound(
        hostSocket,
        roundId,
        (r) => r.criticism!.subjects[0]!.phase === 'reveal' && r.criticism!.subjects[0]!.queue!.length === 3,
        'the rest released',
      );
      const released = roundOf(hostSocket, roundId)!.criticism!.subjects[0]!.queue!;
      expect(released.map((q) => [q.text, q.status]).sort()).toEqual(
        [
          [texts[1], 'approved'],
          ['整改落实不到位，去年的问题今年还在', 'pending'],
          [texts[3], 'pending'],
        ].sort(),
      );
      for (const item of released.filter((q) => q.status === 'pending'))
        await command(host, 'POST', url(`/rounds/${roundId}/items/${item.id}/moderate`), {
          action: 'approve',
        });
      // Revealed items are locked for their authors.
      expect(
        await critics[1]!.submit({
          type: 'editCriticism',
          clientId: newClientId(),
          itemId: id(item1),
          authorKey: keys[1]!,
          text: '改一改',
          concrete: true,
        }),
      ).toMatchObject({ type: 'error', code: 'criticism.locked' });

      await command(host, 'POST', url(`/rounds/${roundId}/subjects/${sa}/reveal`), { mode: 'next' });
      await waitRound(projector, roundId, (r) => r.criticism!.subjects[0]!.revealed.length === 1);
      await command(host, 'POST', url(`/rounds/${roundId}/subjects/${sa}/reveal`), { mode: 'all' });
      state = await waitRound(projector, roundId, (r) => r.criticism!.subjects[0]!.revealed.length === 3);
      const onWall = roundOf(projector, roundId)!.criticism!.subjects[0]!;
      expect(onWall.revealed.map((r) => r.text).sort()).toEqual(
        [texts[1], texts[3], '整改落实不到位，去年的问题今年还在'].sort(),
      );
      expect(onWall.revealed.every((r) => r.authorName === undefined && r.status === undefined)).toBe(true);
      expect(onWall).not.toHaveProperty('queue');
      expect(
        (await host.post(url(`/rounds/${roundId}/subjects/${sa}/reveal`), { mode: 'next' })).body.code,
      ).toBe('criticism.nothingToReveal');

      // The subject responds; one criticism becomes a problem with a rectification item.
      expect(
        await phoneA.submit({
          type: 'submitResponse',
          clientId: newClientId(),
          roundId,
          subjectId: sa,
          text: '诚恳接受，立行立改。',
        }),
      ).toMatchObject({ type: 'ack' });
      await waitRound(
        projector,
        roundId,
        (r) => r.criticism!.subjects[0]!.response === '诚恳接受，立行立改。',
      );
      const toConvert = onWall.revealed.find((r) => r.text === texts[1])!;
      const converted = await host.post(url(`/rounds/${roundId}/items/${toConvert.id}/problem`), {
        category: 'style',
        rectification: {
          measures: '每月至少谈心谈话两次',
          ownerMemberId: subjectA.memberId,
          dueOn: '2027-03-31',
        },
      });
      expect(converted.status).toBe(200);
      const problem = await t.db
        .selectFrom('problems')
        .selectAll()
        .where('id', '=', converted.body.problemId)
        .executeTakeFirstOrThrow();
      expect(problem).toMatchObject({
        organization_id: s.branchA.id,
        meeting_id: meetingId,
        scope: 'member',
        subject_member_id: subjectA.memberId,
        description: texts[1],
        source: 'peers',
        category: 'style',
        origin_kind: 'criticismItem',
        origin_id: toConvert.id,
      });
      const rectification = await t.db
        .selectFrom('rectification_items')
        .selectAll()
        .where('id', '=', converted.body.rectificationItemId)
        .executeTakeFirstOrThrow();
      expect(rectification).toMatchObject({
        problem_id: problem.id,
        owner_member_id: subjectA.memberId,
        measures: '每月至少谈心谈话两次',
        due_on: '2027-03-31',
        status: 'planned',
      });
      expect((await host.post(url(`/rounds/${roundId}/items/${toConvert.id}/problem`), {})).body.code).toBe(
        'criticism.alreadyConverted',
      );
      await waitRound(hostSocket, roundId, (r) =>
        r.criticism!.subjects[0]!.revealed.some((i) => i.problemId === problem.id),
      );
      await phase(sa, 'done');

      // Subject B speaks (the recorder writes the summary); two criticisms, released when the phase ends.
      await phase(sb, 'selfExamination');
      const recorder = await t.client().signIn('memberA1');
      expect(
        (
          await recorder.post(url(`/rounds/${roundId}/subjects/${sb}/self-examination`), {
            summary: '口头剖析：工作作风不够扎实',
          })
        ).status,
      ).toBe(200);
      expect(
        (await recorder.post(url(`/rounds/${roundId}/subjects/${sb}/phase`), { phase: 'criticism' })).status,
      ).toBe(403);
      await phase(sb, 'criticism');
      const fromObserver = await observer.submit({
        type: 'submitCriticism',
        clientId: newClientId(),
        roundId,
        subjectId: sb,
        text: '群众反映办事效率不高',
        concrete: true,
        authorKey: newAuthorKey(),
      });
      expect(fromObserver).toMatchObject({ type: 'ack' });
      expect(await write(4, '材料报送不及时', true, sb)).toMatchObject({ type: 'ack' });
      await phase(sb, 'reveal');
      await waitRound(hostSocket, roundId, (r) => r.criticism!.subjects[1]!.queue!.length === 2);
      for (const item of roundOf(hostSocket, roundId)!.criticism!.subjects[1]!.queue!)
        await command(host, 'POST', url(`/rounds/${roundId}/items/${item.id}/moderate`), {
          action: 'approve',
        });
      await command(host, 'POST', url(`/rounds/${roundId}/subjects/${sb}/reveal`), { mode: 'all' });
      await waitRound(observer, roundId, (r) => r.criticism!.subjects[1]!.revealed.length === 2);
      expect(
        (
          await recorder.post(url(`/rounds/${roundId}/subjects/${sb}/problem`), {
            description: '工作作风不够扎实',
          })
        ).body,
      ).toMatchObject({ rectificationItemId: null });
      await phase(sb, 'done');

      await command(host, 'POST', url(`/rounds/${roundId}/close`));
      state = await waitRound(projector, roundId, (r) => r.state === 'closed');
      expect(roundOf(projector, roundId)).toMatchObject({ answered: 2, eligible: 2 });
      const secrets = await t.db
        .selectFrom('criticism_items')
        .select(['author_key_hash', 'client_hash', 'author_member_id'])
        .where('round_id', '=', roundId)
        .execute();
      expect(secrets.length).toBe(6);
      expect(
        secrets.every(
          (r) => r.author_key_hash === null && r.client_hash === null && r.author_member_id === null,
        ),
      ).toBe(true);
      expect(state.rounds.find((r) => r.id === roundId)!.criticism!.subjects.map((x) => x.itemCount)).toEqual(
        [3, 2],
      );
    });

    it('runs the appraisal ballot: rules enforced, tallies for the committee only, after close', async () => {
      const roundId = await createRound(host, meetingId, '民主测评', { kind: 'appraisal' });
      await command(host, 'POST', url(`/rounds/${roundId}/open`));
      const round = (
        await waitRound(phones.get(s.probationaryA.memberId)!, roundId, (r) => r.state === 'open')
      ).rounds.find((r) => r.id === roundId)!;
      // Full members are graded (the one on leave too, she is not exempt); the probationary member is not.
      const graded = round.graded!.map((g) => g.memberId);
      expect(graded.length).toBe(29);
      expect(graded).not.toContain(s.probationaryA.memberId);
      expect(new Set(graded)).toEqual(new Set([s.secretaryA, ...s.membersA].map((m) => m.memberId)));
      expect(round).toMatchObject({ eligible: 29, answered: 0 });

      const gradeOf = (voter: number, member: number): AppraisalGrade =>
        (voter + member) % 10 === 0 ? 'unqualified' : appraisalGrades[(voter * 3 + member) % 3]!;
      const ballotOf = (voter: number) => ({
        kind: 'appraisal' as const,
        grades: Object.fromEntries(graded.map((memberId, m) => [memberId, gradeOf(voter, m)])),
      });

      // Every rule, refused with its code and changing nothing.
      const phone = phones.get(s.membersA[2]!.memberId)!;
      const { [graded[0]!]: _skipped, ...withoutOne } = ballotOf(0).grades;
      const refusals: Array<[LiveClient, object, string]> = [
        [observer, ballotOf(0), 'ballot.observerCannotVote'],
        [phone, { kind: 'appraisal', grades: withoutOne }, 'ballot.missingGrade'],
        [
          phone,
          { kind: 'appraisal', grades: { ...ballotOf(0).grades, [s.probationaryA.memberId]: 'excellent' } },
          'ballot.gradeForNonGraded',
        ],
        [phone, { kind: 'poll', choices: [0] }, 'ballot.wrongKind'],
      ];
      for (const [client, answers, code] of refusals)
        expect(await client.ballot(roundId, answers as never)).toMatchObject({ type: 'error', code });
      expect(await hostSocket.ballot(roundId, ballotOf(0))).toMatchObject({ code: 'live.notParticipant' });
      await barrier();
      expect(roundOf(hostSocket, roundId)!.answered).toBe(0);

      const voterIds = voters();
      const acks = await Promise.all(voterIds.map((id, v) => phones.get(id)!.ballot(roundId, ballotOf(v))));
      expect(acks.every((a) => a.type === 'ack')).toBe(true);
      expect(await phones.get(voterIds[0]!)!.ballot(roundId, ballotOf(0))).toMatchObject({
        type: 'error',
        code: 'ballot.alreadyCast',
      });
      await waitRound(hostSocket, roundId, (r) => r.answered === 29 && r.notAnswered!.length === 0);
      for (const client of everyone()) expect(roundOf(client, roundId)?.results).toBeUndefined();
      const httpView = await host.get(url(''));
      expect(httpView.body.state.rounds.find((r: RoundView) => r.id === roundId).results).toBeUndefined();

      await command(host, 'POST', url(`/rounds/${roundId}/close`));
      const closed = (await waitRound(hostSocket, roundId, (r) => r.state === 'closed')).rounds.find(
        (r) => r.id === roundId,
      )!;
      const results = closed.results as { n: number; perMember: Array<{ memberId: string; counts: object }> };
      expect(results.n).toBe(29);
      expect(results.perMember.length).toBe(29);
      graded.forEach((memberId, m) => {
        const counts = Object.fromEntries(appraisalGrades.map((g) => [g, 0]));
        voterIds.forEach((_, v) => {
          counts[gradeOf(v, m)]! += 1;
        });
        expect(results.perMember.find((p) => p.memberId === memberId)!.counts).toEqual(counts);
      });
      // Never on the wall or a phone; the wall cannot even reveal it.
      await projector.waitForState((st) => st.rounds.find((r) => r.id === roundId)!.state === 'closed');
      for (const client of [projector, observer, ...phones.values()])
        expect(JSON.stringify(roundOf(client, roundId))).not.toContain('perMember');
      expect((await host.post(url(`/rounds/${roundId}/reveal`))).body.code).toBe('round.revealNotAllowed');
      // A member asking the host's HTTP view gets nothing.
      const member = await t.client().signIn('memberA5');
      expect((await member.get(url(''))).status).toBe(403);
    });

    it('runs a quick poll and a word cloud, and refuses to close the session while a round is open', async () => {
      const pollId = await createRound(host, meetingId, '下次主题党日地点', {
        kind: 'poll',
        question: '下次主题党日去哪里？',
        mode: 'single',
        options: ['革命纪念馆', '社区服务', '企业调研'],
      });
      const cloudId = await createRound(host, meetingId, '一个词', {
        kind: 'poll',
        question: '用一个词形容今天的会',
        mode: 'wordCloud',
      });
      await command(host, 'POST', url(`/rounds/${pollId}/open`));
      await command(host, 'POST', url(`/rounds/${cloudId}/open`));
      expect((await host.post(url('/close'))).body.code).toBe('live.roundsStillOpen');
      const respondents = [...phones.values(), observer];
      await Promise.all(respondents.map((c) => waitRound(c, cloudId, (r) => r.state === 'open')));
      await Promise.all(respondents.map((c, i) => c.ballot(pollId, { kind: 'poll', choices: [i % 3] })));
      await Promise.all(
        respondents.map((c, i) =>
          c.ballot(cloudId, { kind: 'poll', words: i < 20 ? ['务实', '深刻'] : ['务实'] }),
        ),
      );
      await command(host, 'POST', url(`/rounds/${pollId}/close`));
      await command(host, 'POST', url(`/rounds/${cloudId}/close`));
      await command(host, 'POST', url(`/rounds/${pollId}/reveal`));
      await command(host, 'POST', url(`/rounds/${cloudId}/reveal`));
      await waitRound(projector, cloudId, (r) => r.revealed);
      await waitRound(projector, pollId, (r) => r.revealed);
      expect(roundOf(projector, pollId)!.results).toEqual({
        suppressed: false,
        n: 30,
        counts: [10, 10, 10],
        words: [],
      });
      expect(roundOf(projector, cloudId)!.results).toEqual({
        suppressed: false,
        n: 30,
        counts: [],
        words: [
          { word: '务实', count: 30 },
          { word: '深刻', count: 20 },
        ],
      });

      await command(host, 'POST', url('/close'));
      await Promise.all(everyone().map((c) => c.waitForState((st) => !st.meeting.open, 'session closed')));
      for (const client of everyone()) {
        expect(client.invalidFrames).toEqual([]);
        expect(client.resyncs).toBe(0);
      }
      expect(
        await t.db.selectFrom('live_events').select('seq').where('meeting_id', '=', meetingId).execute(),
      ).toHaveLength(1);
    });
  });
}
