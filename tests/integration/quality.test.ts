import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markQualityDirty } from '../../server/quality/queue.ts';
import { publishRubric } from '../../server/quality/rubrics.ts';
import { sweep } from '../../server/quality/worker.ts';
import { shanghaiDate } from '../../shared/domain/calendar.ts';
import { newAuthorKey, newClientId } from '../../shared/domain/live-client.ts';
import { addDays, daysBetween } from '../../shared/domain/rectification.ts';
import { explain } from '../../shared/quality/explanation.ts';
import { computeMeetingQuality, type MeetingQualityInputs } from '../../shared/quality/mqi.ts';
import { defaultRubric, type Rubric } from '../../shared/quality/rubric.ts';
import type { MeetingQualityView, OriginalityView, RubricPageView } from '../../shared/schemas/quality.ts';
import type { BallotAnswers } from '../../shared/schemas/rounds.ts';
import { dbVariantsFromEnv } from '../support/db-variants.ts';
import { type SeededCommittee, seedCommittee } from '../support/fixtures.ts';
import type { LiveClient } from '../support/live-client.ts';
import {
  claimObservers,
  command,
  createRound,
  type ListeningApp,
  sessionSocket,
  startLiveApp,
  startNodes,
  tokenSocket,
} from '../support/live-fixtures.ts';
import { hoursFromNow, scheduleMeeting } from '../support/meetings.ts';
import { insertClosedCriticism, publishRubricEdit } from '../support/quality.ts';
import { insertMeeting, insertProblem } from '../support/rectification-fixtures.ts';
import type { TestClient } from '../support/test-app.ts';

/**
 * The Meeting Quality Index's data layer end to end: an 组织生活会 run through the live protocol
 * (check-in, survey, criticism with a converted item, minutes signed) is scored from its records;
 * later changes rescore it and keep the earlier values; a committee's rubric edits are validated,
 * versioned and rescore the meetings under them; recycled text is flagged against the branch's
 * earlier meetings; and two nodes share the recompute queue without doing anything twice.
 */

// A self-examination recycled from year to year (对照检查材料), and this year's light rewording of it.
const recycled =
  '对理论学习重视不够，满足于完成规定动作，学习的系统性和深度不够，理论联系实际不够紧密，运用理论指导工作、解决实际问题的能力有待提高。';
const reworded =
  '对理论学习重视不够，满足于完成规定动作；学习的系统性和深度还不够，理论联系实际不够紧密，运用理论指导实践、解决实际问题的能力有待提高';

const texts = {
  selfA: '作为支部书记，抓班子带队伍用力不均，对青年党员的思想动态掌握不及时，去年两次谈心谈话流于形式。',
  c1: '书记开支委会经常临时改时间，去年有三次通知不到位，影响了党员参会。',
  c2: '主题党日活动形式单一，连续四个月都是集中读报，党员参与积极性不高。',
  c3: '没什么意见。',
  d1: '甲二同志承担的党费收缴台账有两个月没有及时登记，群众有反映。',
  d2: '甲二同志在社区志愿服务中出勤较少，今年只参加了一次。',
};

for (const variant of dbVariantsFromEnv()) {
  describe(`${variant}: the quality index's data layer`, () => {
    let t: ListeningApp;
    let s: SeededCommittee;
    let secretary: TestClient;
    let viewer: TestClient;
    let meetingId: string;
    let itemId: string;
    let lastYear: string;
    const url = (path: string) => `/api/meetings/${meetingId}/live${path}`;
    const qualityOf = async (client: TestClient = secretary) => {
      const response = await client.get<MeetingQualityView>(`/api/meetings/${meetingId}/quality`);
      expect(response.status).toBe(200);
      return response.body;
    };
    const storedRow = () =>
      t.db
        .selectFrom('meeting_quality_scores')
        .selectAll()
        .where('meeting_id', '=', meetingId)
        .where('superseded_at', 'is', null)
        .executeTakeFirstOrThrow();

    beforeAll(async () => {
      // The worker scores only when a test drains it, so each step's scores are what the test expects.
      t = await startLiveApp(variant, { qualityWorker: { intervalMs: 3_600_000 } });
      s = await seedCommittee(t.db, 8);
      secretary = await t.client().signIn('secA');
      viewer = await t.client().signIn('viewer');
      // The branch's history: last year's 组织生活会, where the recycled self-examination was first
      // written, and a 党小组会-free half year in between with unrelated criticism.
      const today = shanghaiDate(new Date());
      lastYear = addDays(today, -360);
      const earlier = await insertMeeting(
        t.db,
        s.branchA.id,
        '上年度组织生活会',
        new Date(`${lastYear}T02:00:00Z`),
      );
      await insertClosedCriticism(t.db, earlier, [
        {
          memberId: s.membersA[1]!.memberId,
          selfExamination: recycled,
          items: ['开会迟到早退的情况有所好转。'],
        },
      ]);
      const between = await insertMeeting(
        t.db,
        s.branchA.id,
        '半年度组织生活会',
        new Date(`${addDays(today, -180)}T02:00:00Z`),
      );
      await insertClosedCriticism(t.db, between, [
        {
          memberId: s.membersA[2]!.memberId,
          selfExamination: '服务意识不强，窗口接待群众时态度生硬，被投诉过一次。',
        },
      ]);
      // Rounds closed before fingerprints were kept get theirs from the sweep.
      expect((await sweep(t.db, today)).fingerprinted).toBe(2);
      await t.app.qualityWorker.drain();
    });
    afterAll(() => t?.close());

    it('scores an 组织生活会 run through the live protocol, with its inputs, score and explanation stored', async () => {
      const members = s.membersA;
      meetingId = await scheduleMeeting(secretary, s.branchA.id, {
        startsAt: hoursFromNow(-3),
        endsAt: hoursFromNow(-1),
        hostMemberId: s.secretaryA.memberId,
        recorderMemberId: members[0]!.memberId,
        preparation: { studyHeld: true, talksHeld: true, opinionSolicitationHeld: true },
        observers: [{ name: '王群众', affiliation: '群众代表' }],
      });
      await command(secretary, 'POST', url('/open'));
      const hostSocket = await sessionSocket(t, meetingId, 'secA', 'host');
      // Eight members check in from their phones, the probationary member too; one is away on business.
      await command(secretary, 'PUT', url(`/attendance/${members[7]!.memberId}`), {
        status: 'excused',
        note: '出差',
      });
      const present = [s.secretaryA, ...members.slice(0, 7), s.probationaryA];
      const phones = new Map<string, LiveClient>();
      for (const m of present) phones.set(m.memberId, await sessionSocket(t, meetingId, m.login!));
      const observerTokens = await claimObservers(secretary, t.client(), meetingId);
      const observer = await tokenSocket(t, meetingId, 'observer', [...observerTokens.values()][0]!);
      await hostSocket.waitForState((st) => st.attendance!.present === 9, 'nine present');
      const phone = (m: { memberId: string }) => phones.get(m.memberId)!;

      // The satisfaction survey: nine members and the observer.
      const survey = await createRound(secretary, meetingId, '满意度测评', { kind: 'survey' });
      await command(secretary, 'POST', url(`/rounds/${survey}/open`));
      const answers: Array<Extract<BallotAnswers, { kind: 'survey' }>> = present.map((_, i) => ({
        kind: 'survey',
        likert: { themeFocus: 5, preparation: 4, candour: i % 2 ? 5 : 4, problemSolving: 4, conduct: 5 },
        overall: i === 8 ? 'basicallySatisfied' : 'satisfied',
      }));
      answers.push({
        kind: 'survey',
        likert: { themeFocus: 3, preparation: 3, candour: 3, problemSolving: 2, conduct: 3 },
        overall: 'dissatisfied',
      });
      const respondents = [...present.map(phone), observer];
      for (const [i, client] of respondents.entries()) {
        await client.waitForState((st) => st.rounds.some((r) => r.id === survey && r.state === 'open'));
        expect(await client.ballot(survey, answers[i]!)).toMatchObject({ type: 'ack' });
      }
      await command(secretary, 'POST', url(`/rounds/${survey}/close`));

      // Criticism and self-criticism for the secretary and 党员甲2.
      const [subjectA, subjectB] = [s.secretaryA, members[1]!];
      const round = await createRound(secretary, meetingId, '批评与自我批评', {
        kind: 'criticism',
        subjectMemberIds: [subjectA.memberId, subjectB.memberId],
      });
      await command(secretary, 'POST', url(`/rounds/${round}/open`));
      const subjects = (
        await hostSocket.waitForState((st) =>
          st.rounds.some((r) => r.id === round && r.state === 'open' && !!r.criticism),
        )
      ).rounds.find((r) => r.id === round)!.criticism!.subjects;
      const [sa, sb] = subjects.map((x) => x.id) as [string, string];
      const selfExamine = (who: { memberId: string }, subjectId: string, text: string) =>
        phone(who).submit({
          type: 'submitSelfExamination',
          clientId: newClientId(),
          roundId: round,
          subjectId,
          text,
        });
      const criticise = (who: { memberId: string }, subjectId: string, text: string, concrete: boolean) =>
        phone(who).submit({
          type: 'submitCriticism',
          clientId: newClientId(),
          roundId: round,
          subjectId,
          text,
          concrete,
          authorKey: newAuthorKey(),
        });
      const itemOf = (ack: Awaited<ReturnType<typeof criticise>>) => (ack.type === 'ack' ? ack.itemId! : '');
      expect(await selfExamine(subjectA, sa, texts.selfA)).toMatchObject({ type: 'ack' });
      // 党员甲2 reads out last year's self-examination, lightly reworded.
      expect(await selfExamine(subjectB, sb, reworded)).toMatchObject({ type: 'ack' });
      const c1 = itemOf(await criticise(members[2]!, sa, texts.c1, true));
      const c2 = itemOf(await criticise(members[3]!, sa, texts.c2, true));
      const c3 = itemOf(await criticise(members[4]!, sa, texts.c3, false));
      // Two members hand in the same paragraph about 党员甲2; neither is moderated before the close.
      await criticise(members[2]!, sb, texts.d1, true);
      await criticise(members[3]!, sb, texts.d1, true);
      await criticise(members[5]!, sb, texts.d2, false);
      for (const [item, action] of [
        [c1, 'approve'],
        [c2, 'approve'],
        [c3, 'reject'],
      ] as const)
        await command(secretary, 'POST', url(`/rounds/${round}/items/${item}/moderate`), { action });
      const dueOn = addDays(shanghaiDate(new Date()), 60);
      const converted = await command(secretary, 'POST', url(`/rounds/${round}/items/${c1}/problem`), {
        category: 'style',
        rectification: {
          measures: '支委会时间提前一周确定并书面通知',
          ownerMemberId: subjectB.memberId,
          dueOn,
        },
      });
      itemId = converted.rectificationItemId;
      await command(secretary, 'POST', url(`/rounds/${round}/subjects/${sa}/problem`), {});
      await command(secretary, 'POST', url(`/rounds/${round}/close`));
      await command(secretary, 'POST', url('/close'));
      for (const client of [hostSocket, observer, ...phones.values()]) client.close();

      // Held, the minutes written by the recorder, signed by host and recorder.
      expect((await secretary.post(`/api/meetings/${meetingId}/status`, { status: 'held' })).status).toBe(
        200,
      );
      const recorder = await t.client().signIn('memberA1');
      const saved = await recorder.put(`/api/meetings/${meetingId}/minutes`, {
        recordingMethod: 'summary',
        custodianMemberId: s.secretaryA.memberId,
        content: {
          agendaItems: ['通报上年度整改落实情况', '批评与自我批评'],
          reports: ['张书记代表支委会报告一年来的工作和上年度问题整改情况'],
          speeches: [{ speakerMemberId: s.secretaryA.memberId, summary: '带头作对照检查' }],
          votes: [],
          resolutions: [],
          closingSummary: '会议达到了红红脸、出出汗的效果',
        },
      });
      expect(saved.status).toBe(200);
      expect((await secretary.post(`/api/meetings/${meetingId}/minutes/sign`, { as: 'host' })).status).toBe(
        200,
      );
      expect(
        (await recorder.post(`/api/meetings/${meetingId}/minutes/sign`, { as: 'recorder' })).status,
      ).toBe(200);
      await t.app.qualityWorker.drain();

      const meeting = await t.db
        .selectFrom('meetings')
        .innerJoin('minutes', 'minutes.meeting_id', 'meetings.id')
        .select(['meetings.ends_at', 'minutes.locked_at'])
        .where('meetings.id', '=', meetingId)
        .executeTakeFirstOrThrow();
      const mean = (key: keyof (typeof answers)[number]['likert']) =>
        answers.reduce((sum, a) => sum + a.likert[key]!, 0) / answers.length;
      const expected: MeetingQualityInputs = {
        meetingType: 'orgLifeMeeting',
        attendance: { expected: 10, exempt: 0, present: 9, excused: 1 },
        quorumMet: null,
        preparation: { study: true, talks: true, opinionSolicitation: true },
        minutes: {
          requiredFields: 11,
          filledFields: 11,
          hostSigned: true,
          recorderSigned: true,
          daysToLock: daysBetween(shanghaiDate(meeting.ends_at!), shanghaiDate(meeting.locked_at!)),
        },
        satisfaction: {
          present: 10,
          answers: 10,
          likertMeans: {
            themeFocus: mean('themeFocus'),
            preparation: mean('preparation'),
            candour: mean('candour'),
            problemSolving: mean('problemSolving'),
            conduct: mean('conduct'),
          },
          overall: { satisfied: 8, basicallySatisfied: 1, dissatisfied: 1 },
        },
        // Two self-examinations and five items (the rejected one is not on the record); the recycled
        // self-examination and the paragraph handed in twice are near-duplicates.
        criticism: { covered: 2, items: 7, concreteAndLinked: 2, original: 4, sources: ['self', 'peers'] },
        appraisal: null,
        rectification: {
          items: 1,
          wellFormed: 1,
          verifiedOnTime: 0,
          verifiedLate: 0,
          overdue: 0,
          previousItemsReviewed: null,
        },
      };
      const row = await storedRow();
      expect(row.inputs).toEqual(expected);
      const quality = computeMeetingQuality(expected, defaultRubric);
      expect(row.score).toBe(quality.score);
      expect(row.grade).toBe(quality.grade);
      expect(row.components).toEqual(JSON.parse(JSON.stringify(quality.components)));
      expect(row.caps).toEqual(quality.caps);
      expect(row.flags).toEqual({
        procedureInvalid: false,
        needsAttention: false,
        provisional: true,
        insufficientData: false,
      });
      expect(row.explanation).toEqual(JSON.parse(JSON.stringify(quality.explanation)));

      const view = await qualityOf();
      expect(view.current).toMatchObject({
        score: quality.score,
        grade: quality.grade,
        rubric: { version: 1, organizationName: null },
        flags: { provisional: true },
      });
      const lines = view.current!.explanation.map((l) => l.text);
      expect(lines).toEqual(explain(quality.explanation, 'zh-CN'));
      expect(lines).toEqual(
        expect.arrayContaining([
          '出席 9/10 人（90%）',
          '缺席 1 人，其中 1 人已请假',
          '会议记录必填项已填 11/11',
          '主持人、记录人签字 2/2',
          '满意度 4.3/5（10 份）',
          '总体满意率 90%（10 份中 9 份满意或基本满意）',
          '到会 9 人中 2 人作了自我批评并听取了批评',
          '7 条意见中 2 条具体且关联查摆问题',
          '7 条意见中 3 条与其他内容雷同',
          '问题来源 2 类（目标 3 类）',
          '1 项整改尚未到期，整改落实为暂估',
        ]),
      );
      expect(view.missingMinutesFields).toEqual([]);
      expect(view.history).toEqual([]);
      // In English too, from the same stored lines.
      const english = await t.client().signIn('secA');
      await english.put('/api/locale', { locale: 'en' });
      expect((await qualityOf(english)).current!.explanation[0]!.text).toBe('Attendance 9 of 10 (90%)');
    });

    it('flags recycled text against the branch’s earlier meetings and within the meeting, for the recorder only', async () => {
      const response = await secretary.get<OriginalityView>(`/api/meetings/${meetingId}/quality/originality`);
      expect(response.status).toBe(200);
      const o = response.body;
      expect(o).toMatchObject({ threshold: 0.8, lookbackYears: 2, compared: 3 });
      const flagged = o.items.filter((i) => i.match);
      expect(flagged.map((i) => i.text).sort()).toEqual([reworded, texts.d1, texts.d1].sort());
      const copy = flagged.find((i) => i.text === reworded)!;
      expect(copy).toMatchObject({ kind: 'selfExamination', subjectName: '党员甲2' });
      expect(copy.match).toMatchObject({ date: lastYear, sameMeeting: false });
      expect(copy.match!.line.text).toBe(
        `与 ${lastYear} 的一条内容 ${Math.floor(copy.match!.similarity * 100)}% 相同`,
      );
      expect(copy.match!.similarity).toBeGreaterThanOrEqual(0.8);
      expect(flagged.filter((i) => i.text === texts.d1).every((i) => i.match!.sameMeeting)).toBe(true);
      // Nothing is hidden: every recorded text is listed, flagged first.
      expect(o.items).toHaveLength(7);
      expect(o.items.slice(0, 3).every((i) => i.match)).toBe(true);

      // The fingerprints carry the meeting's day, no author and no time of writing.
      const columns = await t.db
        .selectFrom('information_schema.columns' as never)
        .select('column_name' as never)
        .where('table_name' as never, '=', 'text_fingerprints' as never)
        .execute();
      expect((columns as Array<{ column_name: string }>).map((c) => c.column_name).sort()).toEqual(
        [
          'id',
          'organization_id',
          'meeting_id',
          'source_kind',
          'source_id',
          'meeting_day',
          'signature',
        ].sort(),
      );
      const fingerprints = await t.db
        .selectFrom('text_fingerprints')
        .select(['meeting_day', 'source_kind'])
        .where('meeting_id', '=', meetingId)
        .execute();
      expect(fingerprints).toHaveLength(7);
      const { starts_at } = await t.db
        .selectFrom('meetings')
        .select('starts_at')
        .where('id', '=', meetingId)
        .executeTakeFirstOrThrow();
      expect(new Set(fingerprints.map((f) => f.meeting_day))).toEqual(new Set([shanghaiDate(starts_at)]));

      // The committee reads the count in the explanation, never the criticism itself; members see neither.
      expect((await viewer.get(`/api/meetings/${meetingId}/quality/originality`)).status).toBe(403);
      expect((await viewer.get(`/api/meetings/${meetingId}/quality`)).body.me.canSeeOriginality).toBe(false);
      const member = await t.client().signIn('memberA3');
      expect((await member.get(`/api/meetings/${meetingId}/quality`)).status).toBe(403);
      expect((await member.get(`/api/meetings/${meetingId}/quality/originality`)).status).toBe(403);
      const otherBranch = await t.client().signIn('secB');
      expect((await otherBranch.get(`/api/meetings/${meetingId}/quality`)).status).toBe(404);
    });

    it('rescores when a rectification item is verified later, keeping the earlier value in its history', async () => {
      const before = await qualityOf();
      const owner = await t.client().signIn('memberA2');
      for (const [who, action, note] of [
        [owner, 'start', null],
        [owner, 'complete', '已提前一周发出书面通知'],
      ] as const)
        expect((await who.post(`/api/rectification/items/${itemId}/actions`, { action, note })).status).toBe(
          200,
        );
      // The owner's own progress changes nothing the index reads.
      expect(
        await t.db
          .selectFrom('quality_recompute_queue')
          .select('meeting_id')
          .where('meeting_id', '=', meetingId)
          .execute(),
      ).toEqual([]);
      expect(
        (await secretary.post(`/api/rectification/items/${itemId}/actions`, { action: 'verify' })).status,
      ).toBe(200);
      expect((await qualityOf()).pending).toBe(true);
      await t.app.qualityWorker.drain();

      const after = await qualityOf();
      const row = await storedRow();
      const inputs = row.inputs as MeetingQualityInputs;
      expect(inputs.rectification).toMatchObject({ items: 1, verifiedOnTime: 1, overdue: 0 });
      const r = after.current!.components.find((c) => c.key === 'rectification')!;
      expect(r).toMatchObject({ provisional: false, score: 1 });
      expect(after.current!.flags.provisional).toBe(false);
      expect(after.current!.score).toBe(computeMeetingQuality(inputs, defaultRubric).score);
      // R had only its well-formed part before; now its follow-through counts too.
      const wasR = before.current!.components.find((c) => c.key === 'rectification')!;
      expect(wasR.subMetrics.find((m) => m.key === 'onTime')).toMatchObject({
        applicable: false,
        score: null,
      });
      expect(r.subMetrics.find((m) => m.key === 'onTime')).toMatchObject({ applicable: true, score: 1 });
      expect(after.current!.reason).toBe('rectificationVerified');
      expect(after.history).toHaveLength(1);
      expect(after.history[0]).toMatchObject({
        id: before.current!.id,
        score: before.current!.score,
        reason: before.current!.reason,
        flags: { provisional: true },
      });
      expect(after.current!.explanation.map((l) => l.text)).toContain(
        '1 项整改中 1 项按期销号，0 项逾期完成，0 项逾期',
      );

      // Scoring again with nothing changed writes nothing.
      await markQualityDirty(t.db, meetingId, 'sweep');
      await t.app.qualityWorker.drain();
      expect((await qualityOf()).history).toHaveLength(1);
    });

    it('requeues a meeting whose items fell due since it was last scored (the daily sweep)', async () => {
      // An item the meeting produced three days ago, due yesterday, when the score was last computed.
      const today = shanghaiDate(new Date());
      const problemId = await insertProblem(t.db, s.branchA.id, '支部活动经费使用公示不及时');
      await t.db
        .updateTable('problems')
        .set({ meeting_id: meetingId, source: 'masses' })
        .where('id', '=', problemId)
        .execute();
      await t.db
        .insertInto('rectification_items')
        .values({
          organization_id: s.branchA.id,
          problem_id: problemId,
          meeting_id: meetingId,
          scope: 'branch',
          measures: '每季度公示一次',
          owner_unit: '支部委员会',
          due_on: addDays(today, -1),
          status: 'inProgress',
        })
        .execute();
      // Scores are never edited by the app; a test moves this one's computation back in time.
      await sql`update meeting_quality_scores set computed_at = ${new Date(`${addDays(today, -3)}T04:00:00Z`)}
        where meeting_id = ${meetingId} and superseded_at is null`.execute(t.db);
      const before = await qualityOf();
      await sweep(t.db, today);
      const queued = await t.db
        .selectFrom('quality_recompute_queue')
        .select('reason')
        .where('meeting_id', '=', meetingId)
        .executeTakeFirstOrThrow();
      expect(queued.reason).toBe('itemsFellDue');
      await t.app.qualityWorker.drain();
      const after = await qualityOf();
      const inputs = (await storedRow()).inputs as MeetingQualityInputs;
      expect(inputs.rectification).toMatchObject({ items: 2, verifiedOnTime: 1, overdue: 1 });
      expect(inputs.criticism!.sources).toEqual(['self', 'masses', 'peers']);
      expect(after.current!.reason).toBe('itemsFellDue');
      expect(after.current!.explanation.map((l) => l.text)).toContain(
        '2 项整改中 1 项按期销号，0 项逾期完成，1 项逾期',
      );
      expect(after.current!.score).toBeLessThan(before.current!.score!);
      expect(after.history[0]!.id).toBe(before.current!.id);
      // Once rescored, the next sweep leaves it alone.
      await sweep(t.db, today);
      expect(
        await t.db
          .selectFrom('quality_recompute_queue')
          .select('meeting_id')
          .where('meeting_id', '=', meetingId)
          .execute(),
      ).toEqual([]);
    });

    it('refuses a bad rubric with a code per field and changes nothing', async () => {
      const versions = async () =>
        (await viewer.get<RubricPageView>(`/api/organizations/${s.committee.id}/quality-rubric`)).body
          .versions;
      const before = await versions();
      const refused = async (edit: (r: Rubric) => void, fields: Record<string, string>) => {
        const response = await publishRubricEdit(viewer, s.committee.id, edit);
        expect(response.status, JSON.stringify(response.body)).toBe(400);
        expect(response.body.fields).toEqual(fields);
      };
      // Without P, five types of meeting would have nothing left to score them: each is named.
      await refused((r) => (r.components.procedure.weight = -5), {
        'rubric.components.procedure.weight': 'tooSmall',
        ...Object.fromEntries(
          [
            'branchGeneralMeeting',
            'branchCommitteeMeeting',
            'partyGroupMeeting',
            'partyLecture',
            'themedPartyDay',
          ].map((type) => [`rubric.components.appliesTo.${type}`, 'meetingTypeNotCovered']),
        ),
      });
      await refused(
        (r) => {
          for (const c of Object.values(r.components)) c.weight = 0;
        },
        {
          'rubric.components': 'noPositiveWeight',
          ...Object.fromEntries(
            [
              'branchGeneralMeeting',
              'branchCommitteeMeeting',
              'partyGroupMeeting',
              'partyLecture',
              'themedPartyDay',
              'orgLifeMeeting',
              'leadershipLifeMeeting',
              'memberAppraisal',
            ].map((type) => [`rubric.components.appliesTo.${type}`, 'meetingTypeNotCovered']),
          ),
        },
      );
      await refused((r) => (r.components.satisfaction.minAnswerShare = 1.5), {
        'rubric.components.satisfaction.minAnswerShare': 'tooLarge',
      });
      await refused((r) => (r.components.procedure.attendanceTarget = 0.4), {
        'rubric.components.procedure.attendanceTarget': 'notAscending',
      });
      await refused((r) => (r.suppression.committeeK = 2), { 'rubric.suppression.committeeK': 'tooSmall' });
      await refused((r) => (r.grades.good = 70), { 'rubric.grades.good': 'notAscending' });
      const unknown = await viewer.post(`/api/organizations/${s.committee.id}/quality-rubrics`, {
        baseRubricId: before[0]!.id,
        rubric: { ...defaultRubric, extra: true },
      });
      expect(unknown.status).toBe(400);
      expect(unknown.body.fields).toMatchObject({
        'rubric.version': 'unknownField',
        'rubric.extra': 'unknownField',
      });
      // A caller without the HTTP boundary (a seeding command) meets the same rules.
      const { version: _v, ...inForce } = before[0]!.rubric;
      await expect(
        t.db.transaction().execute((trx) =>
          publishRubric(
            trx,
            {
              id: s.committee.id,
              kind: 'primaryCommittee',
              name: '测试党委',
              ancestry: s.committee.ancestry,
            },
            {
              baseRubricId: before[0]!.id,
              rubric: { ...inForce, suppression: { branchK: 1, committeeK: 5 } },
            },
            {
              accountId: s.viewer,
              login: 'viewer',
              displayName: '党委组织部',
              locale: 'zh-CN',
              grants: [],
            },
          ),
        ),
      ).rejects.toMatchObject({ statusCode: 400, fields: { 'rubric.suppression.branchK': 'tooSmall' } });
      expect(await versions()).toEqual(before);

      // A branch follows its committee: its secretary may not publish, nor may anyone at a branch.
      expect((await publishRubricEdit(secretary, s.branchA.id, () => {})).status).toBe(403);
      const admin = await t.client().signIn('admin');
      const atBranch = await publishRubricEdit(admin, s.branchA.id, () => {});
      expect(atBranch.status).toBe(403);
      expect(atBranch.body.code).toBe('rubric.committeesOnly');
      // Another committee's staff do not even learn that this committee exists.
      const stranger = await t.client().signIn('otherviewer');
      expect((await stranger.get(`/api/organizations/${s.committee.id}/quality-rubric`)).status).toBe(404);
    });

    it('publishes an edit as a new version, requeues the meetings under it and rescores them with it', async () => {
      const before = await qualityOf();
      const published = await publishRubricEdit(
        viewer,
        s.committee.id,
        (r) => {
          r.components.satisfaction.weight = 10;
          r.suppression.branchK = 4;
        },
        '降低满意度权重',
      );
      expect(published.status).toBe(201);
      expect(published.body).toMatchObject({ version: 2 });
      expect(published.body.requeued).toBeGreaterThanOrEqual(1);
      const page = (await secretary.get<RubricPageView>(`/api/organizations/${s.branchA.id}/quality-rubric`))
        .body;
      expect(page).toMatchObject({
        canPublish: false,
        inForce: {
          version: 2,
          organizationName: '测试党委',
          note: '降低满意度权重',
          createdByName: '党委组织部',
        },
      });
      expect(page.versions.map((v) => v.version)).toEqual([2, 1]);
      expect(page.inForce.rubric.components.satisfaction.weight).toBe(10);

      // Publishing over a version someone else has since published is refused.
      const stale = await viewer.post(`/api/organizations/${s.committee.id}/quality-rubrics`, {
        baseRubricId: page.versions[1]!.id,
        rubric: (({ version: _v, ...rest }) => rest)(page.inForce.rubric),
      });
      expect(stale.status).toBe(409);
      expect(stale.body.code).toBe('rubric.changedMeanwhile');

      const audit = await t.db
        .selectFrom('audit_log')
        .select(['action', 'details'])
        .where('action', '=', 'rubric.published')
        .execute();
      expect(audit).toEqual([
        {
          action: 'rubric.published',
          details: expect.objectContaining({ version: 2, rubricId: published.body.id }),
        },
      ]);

      await t.app.qualityWorker.drain();
      const after = await qualityOf();
      const row = await storedRow();
      const rubric = page.inForce.rubric;
      expect(after.current).toMatchObject({
        rubric: { version: 2, organizationName: '测试党委' },
        reason: 'rubricPublished',
        score: computeMeetingQuality(row.inputs as MeetingQualityInputs, rubric).score,
      });
      expect(after.current!.components.find((c) => c.key === 'satisfaction')!.weight).toBe(10);
      expect(after.history[0]).toMatchObject({ score: before.current!.score, rubric: { version: 1 } });
    });
  });

  describe(`${variant}: the recompute queue on two nodes`, () => {
    it('drains the queue with both workers and scores each meeting exactly once', async () => {
      const cluster = await startNodes(variant, 2, { qualityWorker: { intervalMs: 20, batchSize: 3 } });
      try {
        // Both workers have had their start-up sweep: what follows is the queue alone.
        for (const node of cluster.nodes) await node.app.qualityWorker.drain();
        const s = await seedCommittee(cluster.db, 3);
        const ids: string[] = [];
        for (let i = 0; i < 24; i++)
          ids.push(
            await insertMeeting(
              cluster.db,
              s.branchA.id,
              `第${i + 1}次主题党日`,
              new Date(Date.now() - (i + 1) * 86_400_000),
              { type: 'themedPartyDay' },
            ),
          );
        await markQualityDirty(cluster.db, ids, 'meetingHeld');
        const scored = () =>
          cluster.db
            .selectFrom('meeting_quality_scores')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('meeting_id', 'in', ids)
            .executeTakeFirstOrThrow();
        await expect.poll(async () => (await scored()).n, { timeout: 60_000, interval: 100 }).toBe(24);
        const [a, b] = cluster.nodes.map((n) => n.app.qualityWorker);
        for (const node of cluster.nodes) await node.app.qualityWorker.stop();
        expect(a!.stats.computed + b!.stats.computed).toBe(24);
        expect(a!.stats.failed + b!.stats.failed).toBe(0);
        expect(await cluster.db.selectFrom('quality_recompute_queue').selectAll().execute()).toEqual([]);
      } finally {
        await cluster.close();
      }
    });
  });
}
