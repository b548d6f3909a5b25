import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rubricsInForce } from '../../server/dashboards/rubrics.ts';
import { effectiveRubric } from '../../server/quality/rubrics.ts';
import type { MeetingType } from '../../shared/domain/enums.ts';
import { defaultRubric } from '../../shared/quality/rubric.ts';
import type {
  BranchDashboard,
  CommitteeBranchRow,
  CommitteeDashboard,
  MeetingFigure,
} from '../../shared/schemas/dashboards.ts';
import { heldMeeting, insertItem } from '../support/dashboard-fixtures.ts';
import { dbVariantsFromEnv } from '../support/db-variants.ts';
import { insertOrganization, type SeededCommittee, seedCommittee } from '../support/fixtures.ts';
import type { InputsSketch } from '../support/quality-fixtures.ts';
import { insertMeeting } from '../support/rectification-fixtures.ts';
import { startTestApp, type TestApp, type TestClient } from '../support/test-app.ts';

/** Every shown figure from answers (`{ suppressed: false, value, n }`) anywhere in a response. */
function shownFigures(value: unknown, path = ''): Array<{ path: string; n: number }> {
  if (Array.isArray(value)) return value.flatMap((v, i) => shownFigures(v, `${path}[${i}]`));
  if (value === null || typeof value !== 'object') return [];
  const record = value as Record<string, unknown>;
  const own = record.suppressed === false && 'value' in record ? [{ path, n: record.n as number }] : [];
  return [...own, ...Object.entries(record).flatMap(([k, v]) => shownFigures(v, `${path}.${k}`))];
}

const weights: Partial<Record<MeetingType, number>> = {
  branchCommitteeMeeting: 1,
  themedPartyDay: 1,
  branchGeneralMeeting: 2,
  partyGroupMeeting: 1,
  partyLecture: 1,
};

async function workbookOf(bytes: Buffer) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as any);
  return workbook;
}

function sheetRows(workbook: ExcelJS.Workbook, name: string): unknown[][] {
  const sheet = workbook.getWorksheet(name);
  if (!sheet) throw new Error(`no sheet ${name}`);
  const rows: unknown[][] = [];
  sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return rows;
}

for (const variant of dbVariantsFromEnv()) {
  describe(`${variant}: branch and committee dashboards`, () => {
    let t: TestApp;
    let w: SeededCommittee;
    let group: { id: string };
    let branchC: { id: string; ancestry: string[] };
    let branchD: { id: string; ancestry: string[] };
    let secretary: TestClient;
    let viewer: TestClient;
    const q1Scores: Array<{ type: MeetingType; score: number }> = [];
    const q2Scores = new Map<string, number[]>();
    let generalMeeting: string;

    const held = (org: string, title: string, day: string, sketch: InputsSketch) =>
      heldMeeting(t.db, org, title, day, sketch);
    /** A file download's exact bytes (the test client's body is text). */
    const download = async (client: TestClient, url: string) =>
      (await t.app.inject({ method: 'GET', url, headers: { cookie: client.cookieHeader() } })).rawPayload;

    beforeAll(async () => {
      t = await startTestApp(variant);
      w = await seedCommittee(t.db, 5);
      group = await insertOrganization(t.db, '第一党小组', 'partyGroup', w.branchA);
      branchC = await insertOrganization(t.db, '第三党支部', 'partyBranch', w.committee);
      branchD = await insertOrganization(t.db, '第四党支部', 'partyBranch', w.committee);
      secretary = await t.client().signIn('secA');
      viewer = await t.client().signIn('viewer');

      // Branch A, 2025 Q1: 支委会 every month (the last without quorum), 主题党日 in January and
      // February (March's cancelled), one 党员大会, no 党课, the party group meeting twice.
      const q1: Array<[string, string, string, InputsSketch]> = [
        [
          '1月支委会',
          w.branchA.id,
          '2025-01-15',
          { type: 'branchCommitteeMeeting', expected: 3, present: 3, quorumMet: true },
        ],
        [
          '2月支委会',
          w.branchA.id,
          '2025-02-12',
          { type: 'branchCommitteeMeeting', expected: 3, present: 3, quorumMet: true },
        ],
        [
          '3月支委会',
          w.branchA.id,
          '2025-03-12',
          { type: 'branchCommitteeMeeting', expected: 3, present: 1, excused: 1, quorumMet: false },
        ],
        [
          '1月主题党日',
          w.branchA.id,
          '2025-01-20',
          {
            type: 'themedPartyDay',
            expected: 7,
            present: 6,
            excused: 1,
            answers: 4,
            likert: 2.37,
            overall: [1, 2, 1],
          },
        ],
        [
          '2月主题党日',
          w.branchA.id,
          '2025-02-20',
          { type: 'themedPartyDay', expected: 7, present: 7, answers: 4, likert: 2.37, overall: [2, 1, 1] },
        ],
        [
          '一季度党员大会',
          w.branchA.id,
          '2025-03-25',
          {
            type: 'branchGeneralMeeting',
            expected: 7,
            present: 6,
            excused: 1,
            quorumMet: true,
            answers: 6,
            likert: 4.5,
            overall: [2, 1, 3],
          },
        ],
        [
          '1月党小组会',
          group.id,
          '2025-01-22',
          { type: 'partyGroupMeeting', expected: 4, present: 4, answers: 2, likert: 3, overall: [2, 0, 0] },
        ],
        [
          '3月党小组会',
          group.id,
          '2025-03-22',
          { type: 'partyGroupMeeting', expected: 4, present: 3, excused: 1 },
        ],
      ];
      for (const [title, org, day, sketch] of q1) {
        const meeting = await held(org, title, day, sketch);
        q1Scores.push({ type: sketch.type, score: meeting.quality.score! });
        if (title === '一季度党员大会') generalMeeting = meeting.id;
      }
      await insertMeeting(t.db, w.branchA.id, '3月主题党日', new Date('2025-03-20T06:30:00Z'), {
        type: 'themedPartyDay',
        status: 'cancelled',
      });
      // Who came to the 党员大会, for the ledger's attendance sheet.
      const everyoneA = [w.secretaryA, ...w.membersA, w.probationaryA];
      await t.db
        .insertInto('meeting_invitees')
        .values(everyoneA.map((m) => ({ meeting_id: generalMeeting, member_id: m.memberId })))
        .execute();
      await t.db
        .insertInto('attendance')
        .values(
          everyoneA.map((m, i) => ({
            meeting_id: generalMeeting,
            member_id: m.memberId,
            status: i === 3 ? ('excused' as const) : ('present' as const),
            note: i === 3 ? '外出学习' : null,
          })),
        )
        .execute();

      // Branch B (two members): every survey is below any k.
      await held(w.branchB.id, '2月支委会', '2025-02-10', {
        type: 'branchCommitteeMeeting',
        expected: 1,
        present: 1,
        quorumMet: true,
      });
      await held(w.branchB.id, '2月主题党日', '2025-02-18', {
        type: 'themedPartyDay',
        expected: 2,
        present: 2,
        answers: 2,
        likert: 3.9,
        overall: [1, 1, 0],
      });

      // Rectification items of branch A falling due in Q1: two on time, one late, one overdue.
      await insertItem(t.db, w.branchA.id, {
        measures: '按月公示党费收缴',
        dueOn: '2025-02-10',
        status: 'verified',
        completedOn: '2025-02-08',
        verifiedOn: '2025-02-09',
      });
      await insertItem(t.db, w.branchA.id, {
        measures: '补齐学习笔记',
        dueOn: '2025-02-20',
        status: 'verified',
        completedOn: '2025-03-01',
        verifiedOn: '2025-03-02',
      });
      await insertItem(t.db, w.branchA.id, {
        measures: '整理党员档案',
        dueOn: '2025-03-15',
        status: 'inProgress',
      });
      await insertItem(t.db, w.branchA.id, {
        measures: '修订支部工作制度',
        dueOn: '2025-03-31',
        status: 'completed',
        completedOn: '2025-03-31',
      });
      await insertItem(t.db, w.branchA.id, {
        measures: '已撤销的事项',
        dueOn: '2025-03-01',
        status: 'cancelled',
      });
      await insertItem(t.db, w.branchA.id, { measures: '二季度的事项', dueOn: '2025-04-10' });
      await insertItem(t.db, w.branchA.id, {
        measures: '个人学习计划',
        dueOn: '2025-03-20',
        status: 'verified',
        completedOn: '2025-03-18',
        verifiedOn: '2025-03-19',
        subjectMemberId: w.membersA[0]!.memberId,
        ownerMemberId: w.membersA[0]!.memberId,
      });

      // 2025 Q2, for the comparison: A has six good meetings, B one perfect meeting, C six
      // consistently weak ones, D two middling ones.
      const partyDay = (present: number, likert: number, answers = 6): InputsSketch => ({
        type: 'themedPartyDay',
        expected: 7,
        present,
        excused: present === 7 ? 0 : 1,
        answers,
        likert,
        overall: [answers, 0, 0],
      });
      const q2: Array<[string, string, InputsSketch[]]> = [
        ['A', w.branchA.id, [4.4, 4.5, 4.3, 4.6, 4.4, 4.5].map((l) => partyDay(7, l))],
        [
          'B',
          w.branchB.id,
          [{ type: 'themedPartyDay', expected: 2, present: 2, answers: 2, likert: 4.8, overall: [2, 0, 0] }],
        ],
        ['C', branchC.id, [2.8, 2.7, 2.9, 2.8, 2.6, 2.9].map((l) => ({ ...partyDay(5, l, 5), excused: 0 }))],
        ['D', branchD.id, [partyDay(6, 3.6), partyDay(6, 4.0)]],
      ];
      for (const [name, org, sketches] of q2) {
        const scores: number[] = [];
        for (const [i, sketch] of sketches.entries()) {
          const day = `2025-0${4 + Math.floor(i / 2)}-${String(5 + 10 * (i % 2)).padStart(2, '0')}`;
          scores.push((await held(org, `${name}第${i + 1}次主题党日`, day, sketch)).quality.score!);
        }
        q2Scores.set(org, scores);
      }
    });
    afterAll(() => t.close());

    const accessLogRows = () =>
      t.db.selectFrom('dashboard_access_log').select(['account_id', 'organization_id', 'view']).execute();

    it("computes a branch's quarter: compliance, index, attendance and rectification on time", async () => {
      const response = await secretary.get(`/api/organizations/${w.branchA.id}/dashboard?period=2025-Q1`);
      expect(response.status).toBe(200);
      const d = response.body as BranchDashboard;
      expect(d.viewer).toEqual({ scope: 'branch', k: 3 });
      expect(d.period).toEqual({ key: '2025-Q1', unit: 'quarter', start: '2025-01-01', end: '2025-03-31' });

      // 支委会 3/3, 主题党日 2/3 (the cancelled one does not count), 党员大会 1/1, 党课 0/1, 党小组会 2/3.
      expect(d.compliance.required).toBe(11);
      expect(d.compliance.held).toBe(8);
      expect(d.compliance.share).toBeCloseTo(8 / 11, 4);
      const byType = Object.fromEntries(d.compliance.byType.map((b) => [b.type, `${b.held}/${b.required}`]));
      expect(byType).toEqual({
        branchGeneralMeeting: '1/1',
        branchCommitteeMeeting: '3/3',
        partyGroupMeeting: '2/3',
        partyLecture: '0/1',
        themedPartyDay: '2/3',
      });
      // The calendar covers the whole year: 12 monthly slots per monthly type, the yearly ones too.
      expect(d.compliance.calendar.period.key).toBe('2025');
      const groupSlots = d.compliance.calendar.slots.filter((s) => s.type === 'partyGroupMeeting');
      expect(groupSlots).toHaveLength(12);
      expect(groupSlots[0]).toMatchObject({ partyGroup: { name: '第一党小组' }, state: 'held' });
      expect(groupSlots[1]!.state).toBe('missed');

      // Branch index = 0.3 × compliance + 0.7 × type-weighted mean MQI.
      const weighted = q1Scores.reduce((s, m) => s + weights[m.type]! * m.score, 0);
      const weightSum = q1Scores.reduce((s, m) => s + weights[m.type]!, 0);
      expect(weightSum).toBe(9);
      expect(d.index.meanMqi).toBeCloseTo(weighted / weightSum, 1);
      expect(d.index.index).toBeCloseTo((0.3 * (100 * 8)) / 11 + (0.7 * weighted) / weightSum, 1);
      expect(d.index.scoredMeetings).toBe(8);
      expect(d.index.flags).toEqual({ procedureInvalid: 1, needsAttention: 1 });
      // The quarter before the branch's first meeting has no index, so there is no trend yet.
      expect(d.index.trend).toEqual({ change: null, direction: 'unknown' });
      expect(d.series.map((p) => p.period.key)).toEqual([
        '2023-Q2',
        '2023-Q3',
        '2023-Q4',
        '2024-Q1',
        '2024-Q2',
        '2024-Q3',
        '2024-Q4',
        '2025-Q1',
      ]);
      expect(d.series.slice(0, 7).every((p) => p.index === null)).toBe(true);

      // Attendance from the counts each score was computed with: 33 present of 38 expected.
      expect(d.attendance).toMatchObject({ present: 33, expected: 38, meetings: 8 });
      expect(d.attendance.rate).toBeCloseTo(33 / 38, 4);

      // Items due in Q1: on time (early and on the day), late, overdue; cancelled and Q2 ones left out.
      expect(d.rectification).toMatchObject({ onTime: 3, late: 1, overdue: 1, pending: 0, onTimeRate: 0.6 });

      // Flags a committee acts on; "too few answers" is on each meeting, not in this list.
      expect(d.flagged.map((f) => [f.title, f.flags])).toEqual([
        ['3月支委会', ['procedureInvalid']],
        ['一季度党员大会', ['needsAttention']],
      ]);
      // Members inside the branch see the roster's absence warnings as counts.
      expect(d.attendanceWarnings).not.toBeNull();
    });

    it('shows the branch its own small surveys (k = 3) but never a survey of two', async () => {
      const d = (await secretary.get(`/api/organizations/${w.branchA.id}/dashboard?period=2025-Q1`))
        .body as BranchDashboard;
      // 党员大会 (6 answers at 4.5) and both 主题党日 (4 answers at 2.37) count; the group meeting (2) does not.
      expect(d.satisfaction).toMatchObject({ answers: 14, meetings: 3, withheldMeetings: 1 });
      for (const dimension of d.satisfaction.dimensions) {
        expect(dimension.mean).toEqual({ suppressed: false, value: 3.28, n: 14 });
      }
      expect(d.satisfaction.overallRate).toEqual({ suppressed: false, value: 0.6429, n: 14 });
      const partyDay = d.meetings.find((m) => m.title === '1月主题党日')!;
      expect(partyDay.satisfaction).toEqual({ suppressed: false, value: 2.37, n: 4 });
      const groupMeeting = d.meetings.find((m) => m.title === '1月党小组会')!;
      expect(groupMeeting.satisfaction).toEqual({ suppressed: true, n: 2, k: 3 });
      for (const figure of shownFigures(d)) expect(figure.n, figure.path).toBeGreaterThanOrEqual(3);
    });

    it("shows a committee a branch's figures with the committee's k and logs the look", async () => {
      const before = (await accessLogRows()).length;
      const response = await viewer.get(`/api/organizations/${w.branchA.id}/dashboard?period=2025-Q1`);
      expect(response.status).toBe(200);
      const d = response.body as BranchDashboard;
      expect(d.viewer).toEqual({ scope: 'committee', k: 5 });
      // Only the 党员大会 had five answers or more.
      expect(d.satisfaction).toMatchObject({ answers: 6, meetings: 1, withheldMeetings: 3 });
      for (const dimension of d.satisfaction.dimensions) {
        expect(dimension.mean).toEqual({ suppressed: false, value: 4.5, n: 6 });
      }
      expect(d.satisfaction.overallRate).toEqual({ suppressed: false, value: 0.5, n: 6 });
      const partyDay = d.meetings.find((m) => m.title === '1月主题党日')!;
      expect(partyDay.satisfaction).toEqual({ suppressed: true, n: 4, k: 5 });
      for (const figure of shownFigures(d)) expect(figure.n, figure.path).toBeGreaterThanOrEqual(5);
      // The four-answer surveys' mean appears nowhere in what the committee receives.
      expect(response.raw).not.toContain('2.37');
      // Member-level figures stay in the branch.
      expect(d.attendanceWarnings).toBeNull();

      const log = await accessLogRows();
      expect(log).toHaveLength(before + 1);
      expect(log.at(-1)).toEqual({
        account_id: w.viewer,
        organization_id: w.branchA.id,
        view: 'branchDashboard',
      });
      // A branch reading its own figures is not logged.
      await secretary.get(`/api/organizations/${w.branchA.id}/dashboard?period=2025-Q1`);
      expect(await accessLogRows()).toHaveLength(before + 1);
    });

    it('lists every branch with its index, flags and where it lost most; suppresses small surveys', async () => {
      const response = await viewer.get(
        `/api/organizations/${w.committee.id}/committee-dashboard?period=2025-Q1`,
      );
      expect(response.status).toBe(200);
      const d = response.body as CommitteeDashboard;
      expect(d.branches.map((b) => b.name).sort()).toEqual(
        ['第一党支部', '第三党支部', '第二党支部', '第四党支部'].sort(),
      );
      const a = d.branches.find((b) => b.id === w.branchA.id)!;
      const branchDetail = (
        await secretary.get(`/api/organizations/${w.branchA.id}/dashboard?period=2025-Q1`)
      ).body as BranchDashboard;
      // The committee's row and the branch page agree on the index.
      expect(a.index).toBe(branchDetail.index.index);
      expect(a.flags).toEqual({ procedureInvalid: 1, needsAttention: 1 });
      expect(a.attention).toEqual(expect.arrayContaining(['procedureInvalid', 'needsAttention']));
      expect(a.satisfactionRate).toEqual({ suppressed: false, value: 0.5, n: 6 });
      expect(a.onTimeRate).toBe(0.6);
      expect(a.weakest).not.toBeNull();
      expect(a.sparkline).toHaveLength(8);
      const b = d.branches.find((x) => x.id === w.branchB.id)!;
      expect(b.satisfactionRate).toEqual({ suppressed: true, n: 0, k: 5 });
      for (const figure of shownFigures(d)) expect(figure.n, figure.path).toBeGreaterThanOrEqual(5);
      expect(response.raw).not.toContain('3.9');
      // Branches needing attention come first.
      const firstCalm = d.branches.findIndex((x) => x.attention.length === 0);
      if (firstCalm >= 0)
        expect(d.branches.slice(firstCalm).every((x) => x.attention.length === 0)).toBe(true);
      expect(d.summary.branches).toBe(4);
      expect(d.summary.complianceByType.find((c) => c.type === 'branchCommitteeMeeting')).toBeDefined();
    });

    it('compares branches with shrinkage and intervals rather than a rank', async () => {
      const d = (await viewer.get(`/api/organizations/${w.committee.id}/committee-dashboard?period=2025-Q2`))
        .body as CommitteeDashboard;
      expect(d.comparison.ok).toBe(true);
      const row = (id: string) => d.branches.find((x) => x.id === id)!.comparison!;
      const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
      // Branch A's Q2 includes the 党课 from April alongside its six 主题党日.
      for (const [id, scores] of q2Scores) {
        if (id === w.branchA.id) continue;
        expect(row(id).mean).toBeCloseTo(mean(scores), 1);
        expect(row(id).n).toBe(scores.length);
      }
      const a = row(w.branchA.id);
      const b = row(w.branchB.id);
      const c = row(branchC.id);
      const committeeMean = (d.comparison as { committeeMean: number }).committeeMean;
      // One meeting moves further toward the committee mean than six consistent ones.
      expect(b.shrinkage).toBeGreaterThan(a.shrinkage);
      expect(b.shrinkage).toBeGreaterThan(c.shrinkage);
      expect(b.estimate).toBeLessThan(b.mean);
      expect(b.estimate).toBeGreaterThan(committeeMean);
      for (const r of [a, b, c]) {
        expect(r.lower).toBeLessThanOrEqual(r.estimate);
        expect(r.upper).toBeGreaterThanOrEqual(r.estimate);
      }
      // Less data, a wider interval.
      expect(b.upper - b.lower).toBeGreaterThan(a.upper - a.lower);
      // Six consistently weak meetings are clearly below the committee, and the row says so.
      expect(c.position).toBe('below');
      expect(d.branches.find((x) => x.id === branchC.id)!.attention).toContain('below');
    });

    it('writes the ledger as XLSX with the same suppression', async () => {
      const response = await viewer.get(`/api/organizations/${w.branchA.id}/exports/ledger?period=2025-Q1`);
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toContain('spreadsheetml');
      expect(String(response.headers['content-disposition'])).toContain('.xlsx');
      const workbook = await workbookOf(
        await download(viewer, `/api/organizations/${w.branchA.id}/exports/ledger?period=2025-Q1`),
      );
      // The committee's copy holds the branch's aggregates: no attendance list, no names.
      expect(workbook.worksheets.map((s) => s.name)).toEqual(['概况', '会议', '整改']);
      const meetings = sheetRows(workbook, '会议');
      expect(meetings[0]).toContain('满意度均值（1–5）');
      expect(meetings).toHaveLength(1 + 8);
      const column = (meetings[0] as string[]).indexOf('满意度均值（1–5）');
      const cell = (title: string) => meetings.find((r) => r[2] === title)![column];
      expect(cell('1月主题党日')).toBe('少于 5 份，不显示');
      expect(cell('1月党小组会')).toBe('少于 5 份，不显示');
      expect(cell('一季度党员大会')).toBe(4.5);
      const general = meetings.find((r) => r[2] === '一季度党员大会')!;
      expect(general.slice(3, 8)).toEqual([7, 6, 1, 0, '达到']);
      const everything = workbook.worksheets.flatMap((s) => sheetRows(workbook, s.name).flat()).map(String);
      expect(everything.some((v) => v.includes('2.37'))).toBe(false);
      for (const person of [w.secretaryA, ...w.membersA, w.probationaryA]) {
        expect(
          everything.some((v) => v.includes(person.name)),
          person.name,
        ).toBe(false);
      }
      const items = sheetRows(workbook, '整改');
      expect(items[0]).not.toContain('责任人');
      expect(items.map((r) => r[2])).not.toContain('个人学习计划');
      const overdue = items.find((r) => r[2] === '整理党员档案')!;
      expect(overdue[4]).toBe('已逾期');
      const verified = items.find((r) => r[2] === '按月公示党费收缴')!;
      expect(verified.slice(4, 8)).toEqual(['已销号', '否', '2025-02-08', '2025-02-09']);
      expect((await accessLogRows()).at(-1)).toMatchObject({ view: 'ledgerExport', account_id: w.viewer });

      // Inside the branch: the four-answer surveys, who came, and who answers for each item.
      const ownBook = await workbookOf(
        await download(secretary, `/api/organizations/${w.branchA.id}/exports/ledger?period=2025-Q1`),
      );
      expect(ownBook.worksheets.map((s) => s.name)).toEqual(['概况', '会议', '出席', '整改']);
      const ownMeetings = sheetRows(ownBook, '会议');
      expect(ownMeetings.find((r) => r[2] === '1月主题党日')![column]).toBe(2.37);
      const attendance = sheetRows(ownBook, '出席');
      expect(attendance.filter((r) => r[1] === '一季度党员大会')).toHaveLength(7);
      expect(attendance.find((r) => r[3] === '请假')![4]).toBe('外出学习');
      const ownItems = sheetRows(ownBook, '整改');
      expect(ownItems[0]).toContain('责任人');
      expect(ownItems.find((r) => r[2] === '个人学习计划')![3]).toBe(w.membersA[0]!.name);
    });

    it('writes aggregates as CSV that Excel opens, with the same suppression', async () => {
      const response = await viewer.get(
        `/api/organizations/${w.committee.id}/exports/aggregates?period=2025-Q1`,
      );
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toContain('text/csv');
      const raw = await download(
        viewer,
        `/api/organizations/${w.committee.id}/exports/aggregates?period=2025-Q1`,
      );
      expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const rows: string[][] = parse(raw.toString('utf8'), { bom: true });
      const header = rows[0]!;
      const satisfaction = header.indexOf('总体满意率（%）');
      expect(satisfaction).toBeGreaterThan(0);
      expect(rows.find((r) => r[0] === '第二党支部')![satisfaction]).toBe('少于 5 份，不显示');
      expect(rows.find((r) => r[0] === '第一党支部')![satisfaction]).toBe('50');
      expect(raw.toString('utf8')).not.toContain('3.9');
      expect((await accessLogRows()).at(-1)).toMatchObject({
        view: 'aggregatesExport',
        organization_id: w.committee.id,
      });

      const own = await download(
        secretary,
        `/api/organizations/${w.branchA.id}/exports/aggregates?period=2025-Q1`,
      );
      const ownRows: string[][] = parse(own.toString('utf8'), { bom: true });
      expect(ownRows).toHaveLength(1 + 8);
      const q1 = ownRows.find((r) => r[0] === '2025-Q1')!;
      expect(q1[ownRows[0]!.indexOf('总体满意率（%）')]).toBe('64.3');
      expect(q1[ownRows[0]!.indexOf('规定会议按时召开率（%）')]).toBe('72.7');
    });

    it('keeps every figure in its scope', async () => {
      const member = await t.client().signIn('memberA1');
      const otherViewer = await t.client().signIn('otherviewer');
      const secB = await t.client().signIn('secB');
      const admin = await t.client().signIn('admin');
      const anonymous = t.client();
      const a = w.branchA.id;
      const c = w.committee.id;
      const cases: Array<[TestClient, string, number]> = [
        [member, `/api/organizations/${a}/dashboard`, 403],
        [secB, `/api/organizations/${a}/dashboard`, 404],
        [otherViewer, `/api/organizations/${a}/dashboard`, 404],
        [secretary, `/api/organizations/${c}/committee-dashboard`, 404],
        [secretary, `/api/organizations/${c}/dashboard-access-log`, 404],
        [secretary, `/api/organizations/${c}/exports/aggregates`, 404],
        [secretary, `/api/organizations/${c}/quarterly-report`, 404],
        [otherViewer, `/api/organizations/${c}/committee-dashboard`, 404],
        [otherViewer, `/api/organizations/${a}/exports/ledger`, 404],
        [secB, `/api/organizations/${a}/exports/ledger`, 404],
        [member, `/api/organizations/${a}/exports/aggregates`, 403],
        [anonymous, `/api/organizations/${a}/dashboard`, 401],
        [admin, `/api/organizations/${c}/committee-dashboard`, 200],
        [viewer, `/api/organizations/${c}/quarterly-report?period=2025-Q1`, 200],
        [viewer, `/api/organizations/${a}/committee-dashboard`, 400],
        [viewer, `/api/organizations/${c}/dashboard`, 400],
        [viewer, `/api/organizations/${group.id}/exports/aggregates`, 400],
      ];
      for (const [client, url, status] of cases)
        expect(`${url} → ${(await client.get(url)).status}`).toBe(`${url} → ${status}`);
      const wrongKind = await viewer.get(`/api/organizations/${a}/committee-dashboard`);
      expect(wrongKind.body.code).toBe('dashboard.notACommittee');
    });

    it('refuses bad periods with field codes and writes nothing', async () => {
      const before = (await accessLogRows()).length;
      const cases: Array<[string, Record<string, string>]> = [
        [
          `/api/organizations/${w.branchA.id}/dashboard?period=2025-Q5`,
          { 'querystring.period': 'invalidFormat' },
        ],
        [`/api/organizations/${w.branchA.id}/dashboard?period=1999`, { 'querystring.period': 'outOfRange' }],
        [`/api/organizations/${w.branchA.id}/dashboard?quarter=1`, { 'querystring.quarter': 'unknownField' }],
        [
          `/api/organizations/${w.committee.id}/quarterly-report?period=2025`,
          { 'querystring.period': 'invalidFormat' },
        ],
        [
          `/api/organizations/${w.committee.id}/dashboard-access-log?limit=0`,
          { 'querystring.limit': 'tooSmall' },
        ],
      ];
      for (const [url, fields] of cases) {
        const response = await viewer.get(url);
        expect(response.status, url).toBe(400);
        expect(response.body.fields, url).toEqual(fields);
      }
      expect(await accessLogRows()).toHaveLength(before);
    });

    it("lists the committee's access log, newest first, a page at a time", async () => {
      const first = await viewer.get(`/api/organizations/${w.committee.id}/dashboard-access-log?limit=2`);
      expect(first.status).toBe(200);
      expect(first.body.entries).toHaveLength(2);
      expect(first.body.entries[0]).toMatchObject({
        account: { displayName: '党委组织部', login: 'viewer' },
      });
      const all: Array<{ id: string; view: string; organization: { name: string } }> = [
        ...first.body.entries,
      ];
      let next = first.body.nextBefore as string | null;
      while (next) {
        const page = await viewer.get(
          `/api/organizations/${w.committee.id}/dashboard-access-log?limit=2&before=${encodeURIComponent(next)}`,
        );
        all.push(...page.body.entries);
        next = page.body.nextBefore;
      }
      const total = await accessLogRows();
      expect(all).toHaveLength(total.length);
      expect(new Set(all.map((e) => e.id)).size).toBe(total.length);
      expect(all.map((e) => e.view)).toContain('branchDashboard');
      expect(all.some((e) => e.organization.name === '第一党支部')).toBe(true);
      // Another committee's log shows none of it.
      const other = await (await t.client().signIn('otherviewer')).get(
        `/api/organizations/${w.otherCommittee.id}/dashboard-access-log`,
      );
      expect(other.body.entries).toEqual([]);
    });

    it("applies the strictest committee k on the branch's path; a branch cannot loosen it", async () => {
      const publish = (organizationId: string, version: number, committeeK: number) =>
        t.db
          .insertInto('quality_rubrics')
          .values({
            organization_id: organizationId,
            version,
            rubric: JSON.stringify({ ...defaultRubric, version, suppression: { branchK: 3, committeeK } }),
          })
          .execute();
      await publish(w.committee.id, 2, 7);
      await publish(w.branchA.id, 1, 3);
      const inForce = (await rubricsInForce(t.db, [w.branchA])).get(w.branchA.id)!;
      const effective = await effectiveRubric(t.db, w.branchA.ancestry);
      expect(inForce.rubric).toEqual(effective.rubric);
      expect(inForce).toMatchObject({ branchK: 3, committeeK: 7 });

      const response = await viewer.get(`/api/organizations/${w.branchA.id}/dashboard?period=2025-Q1`);
      const d = response.body as BranchDashboard;
      expect(d.viewer.k).toBe(7);
      // The 党员大会's six answers are now too few: no mean, no satisfaction points, no lines about them.
      expect(d.satisfaction.overallRate).toEqual({ suppressed: true, n: 0, k: 7 });
      const general = d.meetings.find((m) => m.title === '一季度党员大会') as MeetingFigure;
      expect(general.satisfaction).toEqual({ suppressed: true, n: 6, k: 7 });
      expect(general.components.find((c) => c.key === 'satisfaction')).toEqual({
        key: 'satisfaction',
        points: null,
        suppressed: true,
      });
      expect(general.explanation.map((l) => l.key)).not.toContain('quality.explain.satisfaction');
      expect(general.explanation.map((l) => l.key)).toContain('quality.suppressed');
      expect(general.flags).not.toContain('needsAttention');
      for (const figure of shownFigures(d)) expect(figure.n, figure.path).toBeGreaterThanOrEqual(7);

      const committee = (
        await viewer.get(`/api/organizations/${w.committee.id}/committee-dashboard?period=2025-Q1`)
      ).body as CommitteeDashboard;
      const rowA = committee.branches.find((b) => b.id === w.branchA.id) as CommitteeBranchRow;
      expect(rowA.satisfactionRate).toEqual({ suppressed: true, n: 0, k: 7 });
      expect(rowA.flags.needsAttention).toBe(0);
      // The branch itself still reads its own figures with its own k.
      const own = (await secretary.get(`/api/organizations/${w.branchA.id}/dashboard?period=2025-Q1`))
        .body as BranchDashboard;
      expect(own.viewer.k).toBe(3);
      expect(own.satisfaction.overallRate).toMatchObject({ suppressed: false });
    });
  });
}
