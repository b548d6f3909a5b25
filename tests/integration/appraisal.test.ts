import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppraisalGrade } from '../../shared/domain/enums.ts';
import { defaultRubric } from '../../shared/quality/rubric.ts';
import type {
  AppraisalSheet,
  MyAppraisal,
  ReportResponse,
  SheetMember,
} from '../../shared/schemas/appraisal.ts';
import { insertHeldMeeting, insertSealedBallot, runAppraisalBallot } from '../support/appraisal-fixtures.ts';
import { auditedSince, auditMark } from '../support/audit.ts';
import { dbVariantsFromEnv } from '../support/db-variants.ts';
import { insertMember, type SeededCommittee, type SeededMember, seedCommittee } from '../support/fixtures.ts';
import { type ListeningApp, startLiveApp } from '../support/live-fixtures.ts';
import { publishRubricEdit } from '../support/quality.ts';
import type { TestClient } from '../support/test-app.ts';

/**
 * The appraisal after the ballot, through the API: a ballot cast and sealed through the live
 * protocol, then the committee's determinations under the rules (no automatic grade, probationary
 * members never graded, the ⅓ 优秀 cap with a reason), feedback each member sees alone with their
 * response, and the report to the superior organization that carries no tallies.
 */
for (const variant of dbVariantsFromEnv()) {
  describe(`${variant}: the appraisal after the ballot`, () => {
    let t: ListeningApp;
    let w: SeededCommittee;
    let exempt: SeededMember;
    let meetingId: string;
    let secretary: TestClient;
    let memberA1: TestClient;
    let memberA2: TestClient;
    let viewer: TestClient;
    let admin: TestClient;
    /** The member six of ten voters graded 不合格. */
    let target: SeededMember;
    const full = () => [w.secretaryA, ...w.membersA];
    const sheetUrl = () => `/api/meetings/${meetingId}/appraisal`;
    const save = (determinations: unknown[], extra: Record<string, unknown> = {}) =>
      secretary.put(`${sheetUrl()}/determinations`, { determinations, ...extra });
    const sheet = async () => (await secretary.get<AppraisalSheet>(sheetUrl())).body;
    const row = (s: AppraisalSheet, memberId: string) => s.members.find((m) => m.memberId === memberId)!;
    const countRows = async (table: 'appraisal_determinations' | 'appraisal_records') =>
      Number(
        (
          await t.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    /** 3 优秀 (the cap for 9 full members), the target 不合格, the rest 合格. */
    const firstSheet = () =>
      full().map((m, i) => ({
        memberId: m.memberId,
        grade: (m === target ? 'unqualified' : i < 3 ? 'excellent' : 'qualified') as AppraisalGrade,
      }));

    beforeAll(async () => {
      t = await startLiveApp(variant);
      w = await seedCommittee(t.db, 8);
      exempt = await insertMember(t.db, w.branchA.id, '出国党员', { login: 'abroadA' });
      target = w.membersA[7]!;
      const invitees = [...full(), w.probationaryA, exempt].map((m) => m.memberId);
      meetingId = await insertHeldMeeting(t.db, w.branchA.id, invitees, {
        attendance: { [exempt.memberId]: 'exempt' },
      });
      secretary = await t.client().signIn('secA');
      memberA1 = await t.client().signIn('memberA1');
      memberA2 = await t.client().signIn('memberA2');
      viewer = await t.client().signIn('viewer');
      admin = await t.client().signIn('admin');
      // Ten voters present: the nine full members and the probationary member.
      const voters = [...full(), w.probationaryA].map((m) => m.memberId);
      await runAppraisalBallot(t, secretary, meetingId, voters, (v, memberId) =>
        memberId === target.memberId
          ? v < 6
            ? 'unqualified'
            : 'qualified'
          : v % 2 === 0
            ? 'excellent'
            : 'qualified',
      );
    });
    afterAll(() => t?.close());

    it('shows each full member’s ballot distribution beside an empty choice, and writes nothing by itself', async () => {
      const response = await secretary.get<AppraisalSheet>(sheetUrl());
      expect(response.status).toBe(200);
      const s = response.body;
      expect(s.ballot).toMatchObject({ n: 10, k: 3, suppressed: false });
      expect(s.rules).toEqual({
        fullMembers: 9,
        excellentCap: 3,
        excellent: 0,
        excellentOverrideReason: null,
        referralEnabled: false,
      });
      expect(s.members).toHaveLength(11);
      for (const m of full()) {
        const r = row(s, m.memberId);
        expect(r.notGraded).toBeNull();
        expect(r.determination).toBeNull();
        expect(r.history).toEqual([]);
        expect(r.distribution).toEqual(
          m === target
            ? { excellent: 0, qualified: 4, basicallyQualified: 0, unqualified: 6 }
            : { excellent: 5, qualified: 5, basicallyQualified: 0, unqualified: 0 },
        );
      }
      expect(row(s, w.probationaryA.memberId)).toMatchObject({
        notGraded: 'probationary',
        distribution: null,
      });
      expect(row(s, exempt.memberId)).toMatchObject({ notGraded: 'exempt', distribution: null });
      // The local ">50% 不合格" rule is off by default: no flag, and certainly no grade.
      expect(row(s, target.memberId).referral).toBe(false);
      // Reading the sheet decided nothing: no record, no determination was written.
      expect(await countRows('appraisal_records')).toBe(0);
      expect(await countRows('appraisal_determinations')).toBe(0);
      const report = await secretary.get<ReportResponse>(`${sheetUrl()}/report`);
      expect(report.body.canSubmit).toBe(false);
      expect(report.body.current!.undetermined).toBe(9);
      expect((await secretary.post(`${sheetUrl()}/report`)).body.code).toBe(
        'appraisal.determinationsIncomplete',
      );
    });

    it('keeps the distributions with the branch committee', async () => {
      expect((await viewer.get(sheetUrl())).status).toBe(403);
      expect((await admin.get(sheetUrl())).status).toBe(403);
      expect((await memberA1.get(sheetUrl())).status).toBe(403);
      expect((await (await t.client().signIn('secB')).get(sheetUrl())).status).toBe(404);
      expect((await t.client().get(sheetUrl())).status).toBe(401);
    });

    it('flags more than half 不合格 for the committee to verify when the rubric turns the rule on', async () => {
      await t.db
        .insertInto('quality_rubrics')
        .values({
          organization_id: w.committee.id,
          version: 2,
          rubric: JSON.stringify({
            ...defaultRubric,
            version: 2,
            appraisalRules: { unqualifiedReferral: true },
          }),
        })
        .execute();
      const s = await sheet();
      expect(s.rules.referralEnabled).toBe(true);
      expect(s.members.filter((m) => m.referral).map((m) => m.memberId)).toEqual([target.memberId]);
      expect(row(s, target.memberId).determination).toBeNull();
      expect(await countRows('appraisal_determinations')).toBe(0);
    });

    it('shows no member’s distribution, nor the flag read off it, from fewer than k ballots', async () => {
      const small = await insertHeldMeeting(
        t.db,
        w.branchA.id,
        full().map((m) => m.memberId),
        {
          title: '补充测评',
        },
      );
      const everyoneUnqualified = Object.fromEntries(full().map((m) => [m.memberId, 'unqualified' as const]));
      await insertSealedBallot(
        t.db,
        small,
        full().map((m) => m.memberId),
        [everyoneUnqualified, everyoneUnqualified],
      );
      const response = await secretary.get<AppraisalSheet>(`/api/meetings/${small}/appraisal`);
      expect(response.body.ballot).toMatchObject({ n: 2, k: 3, suppressed: true });
      expect(response.body.members.every((m) => m.distribution === null && !m.referral)).toBe(true);
      expect(response.raw).not.toContain('"unqualified":2');
    });

    it('refuses a grade for a probationary or exempt member, and bad input, changing nothing', async () => {
      const a1 = w.membersA[0]!.memberId;
      const cases: Array<[unknown[], Record<string, unknown>, string, Record<string, string>]> = [
        [
          [
            { memberId: a1, grade: 'qualified' },
            { memberId: w.probationaryA.memberId, grade: 'qualified' },
          ],
          {},
          'appraisal.probationaryGraded',
          { 'determinations.1.grade': 'probationaryNotGraded' },
        ],
        [
          [{ memberId: exempt.memberId, grade: 'excellent' }],
          {},
          'appraisal.exemptGraded',
          { 'determinations.0.grade': 'exemptNotGraded' },
        ],
        [
          [{ memberId: w.memberB.memberId, grade: 'qualified' }],
          {},
          'request.invalid',
          { 'determinations.0.memberId': 'notOnSheet' },
        ],
        [
          [{ memberId: a1, grade: 'outstanding' }],
          {},
          'request.invalid',
          { 'determinations.0.grade': 'invalidOption' },
        ],
        [
          [
            { memberId: a1, grade: 'qualified' },
            { memberId: a1, grade: 'excellent' },
          ],
          {},
          'request.invalid',
          { 'determinations.1.memberId': 'duplicate' },
        ],
        [
          [{ memberId: a1, grade: 'qualified', score: 90 }],
          {},
          'request.invalid',
          { 'determinations.0.score': 'unknownField' },
        ],
        [[], {}, 'request.invalid', { determinations: 'tooShort' }],
      ];
      for (const [determinations, extra, code, fields] of cases) {
        const response = await save(determinations, extra);
        expect(response.status, JSON.stringify(determinations)).toBe(400);
        expect(response.body).toMatchObject({ code, fields });
      }
      expect(await countRows('appraisal_determinations')).toBe(0);
      expect(await countRows('appraisal_records')).toBe(0);
      // Withdrawing a grade nobody entered, even for a probationary member, is simply nothing to do.
      expect((await save([{ memberId: w.probationaryA.memberId, grade: null }])).body).toEqual({
        changed: 0,
      });
    });

    it('holds 优秀 to a third of the full members unless the committee records why', async () => {
      const over = firstSheet().map((d, i) => (i === 3 ? { ...d, grade: 'excellent' } : d));
      const refused = await save(over);
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({
        code: 'appraisal.excellentOverCap',
        fields: { excellentOverrideReason: 'excellentOverCap' },
      });
      expect(await countRows('appraisal_determinations')).toBe(0);

      const mark = await auditMark(t.db);
      expect((await save(firstSheet())).body).toEqual({ changed: 9 });
      let s = await sheet();
      expect(s.rules).toMatchObject({ excellent: 3, excellentCap: 3 });
      expect(row(s, w.secretaryA.memberId).determination).toMatchObject({
        grade: 'excellent',
        decidedByName: '张书记',
      });
      expect(row(s, target.memberId).determination!.grade).toBe('unqualified');

      // A fourth 优秀 needs a reason; with one it stands, and clearing the reason is refused.
      const fourth = w.membersA[2]!.memberId;
      expect((await save([{ memberId: fourth, grade: 'excellent' }])).body.code).toBe(
        'appraisal.excellentOverCap',
      );
      const reason = '该同志在抗洪抢险中表现突出，支委会一致同意评为优秀';
      expect(
        (
          await save([{ memberId: fourth, grade: 'excellent', note: '抗洪抢险表现突出' }], {
            excellentOverrideReason: reason,
          })
        ).status,
      ).toBe(200);
      s = await sheet();
      expect(s.rules).toMatchObject({ excellent: 4, excellentOverrideReason: reason });
      expect(row(s, fourth).history.map((h) => h.grade)).toEqual(['qualified', 'excellent']);
      expect(row(s, fourth).determination).toMatchObject({ grade: 'excellent', note: '抗洪抢险表现突出' });
      const cleared = await save([{ memberId: fourth, grade: 'excellent', note: '抗洪抢险表现突出' }], {
        excellentOverrideReason: null,
      });
      expect(cleared.body.code).toBe('appraisal.excellentOverCap');
      expect((await sheet()).rules.excellentOverrideReason).toBe(reason);
      // The reason can be reworded on its own.
      const reworded = `${reason}，并报党委备案`;
      expect((await save([], { excellentOverrideReason: reworded })).body).toEqual({ changed: 0 });
      expect((await sheet()).rules.excellentOverrideReason).toBe(reworded);

      // Every change is audited with ids and grades only: no note, no reason text, no tallies.
      const audited = await auditedSince(admin, w.committee.id, mark);
      const determined = audited.filter((a) => a.action === 'appraisal.determined');
      expect(determined).toHaveLength(10);
      expect(determined.at(-1)!.details).toEqual({
        memberId: fourth,
        grade: 'excellent',
        previousGrade: 'qualified',
      });
      expect(audited.find((a) => a.action === 'appraisal.excellentOverride')!.details).toEqual({
        reasonRecorded: true,
      });
      expect(JSON.stringify(audited)).not.toContain('抗洪');
    });

    it('opens a disposition for 不合格 and keeps the determination once the disposition has begun', async () => {
      let disposition = row(await sheet(), target.memberId).disposition!;
      expect(disposition.state).toBe('education');
      // Untouched, it follows the determination away and back.
      await save([{ memberId: target.memberId, grade: 'basicallyQualified' }]);
      expect(row(await sheet(), target.memberId).disposition).toBeNull();
      await save([{ memberId: target.memberId, grade: 'unqualified' }]);
      disposition = row(await sheet(), target.memberId).disposition!;
      expect(
        (
          await secretary.put(`/api/appraisal/dispositions/${disposition.id}/education`, {
            startedOn: new Date().toISOString().slice(0, 10),
            measures: '支部书记谈心谈话，明确帮扶联系人',
          })
        ).status,
      ).toBe(200);
      const refused = await save([{ memberId: target.memberId, grade: 'qualified' }]);
      expect(refused.status).toBe(409);
      expect(refused.body).toMatchObject({
        code: 'appraisal.dispositionStarted',
        fields: { 'determinations.0.grade': 'dispositionStarted' },
      });
      expect(row(await sheet(), target.memberId).determination!.grade).toBe('unqualified');
    });

    it('records feedback that only the member sees, with their response for the committee', async () => {
      const a1 = w.membersA[0]!;
      const feedbackUrl = (memberId: string) => `${sheetUrl()}/members/${memberId}/feedback`;
      const today = new Date().toISOString().slice(0, 10);
      expect(
        (await secretary.put(feedbackUrl(w.probationaryA.memberId), { givenOn: today, method: 'talk' })).body
          .code,
      ).toBe('appraisal.notDetermined');
      const future = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
      expect(
        (await secretary.put(feedbackUrl(a1.memberId), { givenOn: future, method: 'talk' })).body.fields,
      ).toEqual({
        givenOn: 'inFuture',
      });
      expect(
        (await secretary.put(feedbackUrl(a1.memberId), { givenOn: '2020-01-01', method: 'talk' })).body
          .fields,
      ).toEqual({ givenOn: 'beforeMeeting' });
      expect(
        (await secretary.put(feedbackUrl(a1.memberId), { givenOn: today, method: 'fax' })).body.fields,
      ).toEqual({
        method: 'invalidOption',
      });
      expect((await memberA2.get<MyAppraisal[]>('/api/me/appraisals')).body).toEqual([]);

      const given = await secretary.put(feedbackUrl(a1.memberId), {
        givenOn: today,
        method: 'talk',
        note: '肯定成绩，希望在理论学习上再下功夫',
      });
      expect(given.status).toBe(200);

      const mine = await memberA1.get<MyAppraisal[]>('/api/me/appraisals');
      expect(mine.body).toHaveLength(1);
      const feedback = mine.body[0]!;
      expect(feedback).toMatchObject({
        grade: 'excellent',
        method: 'talk',
        givenOn: today,
        note: '肯定成绩，希望在理论学习上再下功夫',
        responses: [],
        canRespond: true,
        meeting: { id: meetingId },
      });
      // Never a tally, never anyone else: the member's phone learns their own grade and nothing more.
      const raw = mine.raw;
      for (const leak of [
        'distribution',
        'perMember',
        'counts',
        'referral',
        'unqualified',
        target.name,
        '张书记',
      ])
        expect(raw).not.toContain(leak);

      const detailUrl = `/api/appraisal/feedback/${feedback.feedbackId}`;
      expect((await memberA1.get(detailUrl)).body).toEqual(feedback);
      for (const other of [memberA2, secretary, viewer, admin]) {
        expect((await other.get(detailUrl)).status).toBe(404);
        expect((await other.post(`${detailUrl}/responses`, { text: '我有不同意见' })).status).toBe(404);
      }
      expect((await t.client().get(detailUrl)).status).toBe(401);

      expect((await memberA1.post(`${detailUrl}/responses`, { text: '   ' })).body.fields).toEqual({
        text: 'tooShort',
      });
      expect((await memberA1.post(`${detailUrl}/responses`, { text: 'x', extra: 1 })).body.fields).toEqual({
        extra: 'unknownField',
      });
      const response = await memberA1.post(`${detailUrl}/responses`, {
        text: '感谢组织肯定，我将继续努力。',
      });
      expect(response.status).toBe(201);
      let committeeRow: SheetMember = row(await sheet(), a1.memberId);
      expect(committeeRow.feedback).toMatchObject({ grade: 'excellent', current: true, method: 'talk' });
      expect(committeeRow.responses).toEqual([
        expect.objectContaining({ text: '感谢组织肯定，我将继续努力。', aboutGrade: 'excellent' }),
      ]);

      // A changed determination makes the feedback out of date; the member keeps what they were told.
      await save([{ memberId: a1.memberId, grade: 'qualified' }]);
      committeeRow = row(await sheet(), a1.memberId);
      expect(committeeRow.feedback).toMatchObject({ grade: 'excellent', current: false });
      expect((await memberA1.get(detailUrl)).body.grade).toBe('excellent');
      await secretary.put(feedbackUrl(a1.memberId), { givenOn: today, method: 'written' });
      committeeRow = row(await sheet(), a1.memberId);
      expect(committeeRow.feedback).toMatchObject({ grade: 'qualified', current: true, method: 'written' });
      expect(committeeRow.responses[0]!.aboutGrade).toBe('excellent');
      expect((await memberA1.get(detailUrl)).body).toMatchObject({ grade: 'qualified', method: 'written' });
    });

    it('reports determinations and counts upward once sent, never a tally', async () => {
      const reportUrl = `${sheetUrl()}/report`;
      expect((await viewer.get<ReportResponse>(reportUrl)).body).toEqual({
        current: null,
        submitted: null,
        canSubmit: false,
      });
      expect((await memberA1.get(reportUrl)).status).toBe(403);
      expect((await admin.get(reportUrl)).status).toBe(403);
      expect((await (await t.client().signIn('otherviewer')).get(reportUrl)).status).toBe(404);
      expect((await viewer.post(reportUrl)).status).toBe(403);

      const draft = await secretary.get<ReportResponse>(reportUrl);
      expect(draft.body.canSubmit).toBe(true);
      expect((await secretary.post(reportUrl)).status).toBe(201);

      const sent = await viewer.get<ReportResponse>(reportUrl);
      expect(sent.body.current).toBeNull();
      const report = sent.body.submitted!.report;
      expect(report).toMatchObject({
        fullMembers: 9,
        probationaryNotGraded: 1,
        exemptNotGraded: 1,
        counts: { excellent: 3, qualified: 5, basicallyQualified: 0, unqualified: 1 },
        undetermined: 0,
        excellentCap: 3,
        feedbackGiven: 1,
        membersResponded: 1,
        dispositionsOpen: 1,
        dispositionsClosed: 0,
        ballotsCast: { suppressed: false, value: 10 },
      });
      expect(report.determinations).toHaveLength(9);
      expect(report.determinations).toContainEqual({ name: target.name, grade: 'unqualified' });
      // No per-member ballot counts anywhere, nor the flag read off them, nor what the member wrote.
      for (const leak of [
        'distribution',
        'perMember',
        'referral',
        'responses',
        '感谢组织肯定',
        '理论学习上再下功夫',
      ])
        expect(sent.raw).not.toContain(leak);
      // Every key of the answer: the only ones about ballots or counting are the grade counts and ballotsCast.
      const keys = new Set<string>();
      JSON.stringify(sent.body, (key, value) => {
        keys.add(key);
        return value;
      });
      expect([...keys].filter((k) => /ballot|tally|vote|count/i.test(k)).sort()).toEqual([
        'ballotsCast',
        'counts',
      ]);

      // The number of ballots is the one figure from the ballot: under a larger k it is withheld.
      const published = await publishRubricEdit(viewer, w.committee.id, (rubric) => {
        rubric.suppression.committeeK = 20;
      });
      expect(published.status).toBe(201);
      const withheld = await viewer.get<ReportResponse>(reportUrl);
      expect(withheld.body.submitted!.report.ballotsCast).toEqual({ suppressed: true, k: 20 });

      const listed = await viewer.get(`/api/organizations/${w.committee.id}/appraisals`);
      expect(listed.body).toContainEqual(
        expect.objectContaining({
          meeting: expect.objectContaining({ id: meetingId }),
          organization: { id: w.branchA.id, name: '第一党支部' },
          reportedAt: sent.body.submitted!.submittedAt,
          progress: null,
        }),
      );
      const own = await secretary.get(`/api/organizations/${w.branchA.id}/appraisals`);
      expect(own.body.find((r: { meeting: { id: string } }) => r.meeting.id === meetingId).progress).toEqual({
        fullMembers: 9,
        determined: 9,
        feedbackGiven: 1,
        membersResponded: 1,
        dispositionsOpen: 1,
      });
    });
  });
}
