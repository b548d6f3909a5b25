import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbVariantsFromEnv } from '../support/db-variants.ts';
import { insertMember, type SeededCommittee, type SeededMember, seedCommittee } from '../support/fixtures.ts';
import { dayFromToday, insertMeeting, postEvidenceForm } from '../support/rectification-fixtures.ts';
import { startTestApp, type TestApp, type TestClient } from '../support/test-app.ts';

/** Problems and rectification items through the API: records, validation, lifecycle, evidence, 公示, 回头看. */
for (const variant of dbVariantsFromEnv()) {
  describe(`${variant}: problems and rectification items`, () => {
    let t: TestApp;
    let w: SeededCommittee;
    let organizer: SeededMember;
    let secretary: TestClient;
    let organizerClient: TestClient;
    let owner: TestClient;
    let viewer: TestClient;
    let meetingJan: string;
    let meetingJun: string;
    let meetingEarlier: string;
    let meetingCancelled: string;
    let meetingB: string;
    const branchA = () => w.branchA.id;

    beforeAll(async () => {
      t = await startTestApp(variant);
      w = await seedCommittee(t.db, 3);
      organizer = await insertMember(t.db, w.branchA.id, '王委员', {
        committeeRole: 'organization',
        login: 'orgA',
      });
      meetingEarlier = await insertMeeting(
        t.db,
        w.branchA.id,
        '2025年组织生活会',
        new Date('2025-12-01T06:00:00Z'),
      );
      meetingJan = await insertMeeting(
        t.db,
        w.branchA.id,
        '2026年1月组织生活会',
        new Date('2026-01-10T06:00:00Z'),
      );
      meetingJun = await insertMeeting(
        t.db,
        w.branchA.id,
        '2026年6月支部党员大会',
        new Date('2026-06-10T06:00:00Z'),
        {
          type: 'branchGeneralMeeting',
        },
      );
      meetingCancelled = await insertMeeting(
        t.db,
        w.branchA.id,
        '取消的会',
        new Date('2026-07-01T06:00:00Z'),
        {
          status: 'cancelled',
        },
      );
      meetingB = await insertMeeting(t.db, w.branchB.id, '二支部会议', new Date('2026-08-01T06:00:00Z'));
      secretary = await t.client().signIn('secA');
      organizerClient = await t.client().signIn('orgA');
      owner = await t.client().signIn('memberA1');
      viewer = await t.client().signIn('viewer');
    });
    afterAll(() => t.close());

    const memberProblem = (overrides: Record<string, unknown> = {}) => ({
      scope: 'member',
      subjectMemberId: w.membersA[0]!.memberId,
      description: '理论学习不够深入，学习笔记流于形式',
      source: 'peers',
      category: 'thought',
      meetingId: meetingJan,
      ...overrides,
    });
    const ownItem = (overrides: Record<string, unknown> = {}) => ({
      measures: '每月精读一篇原文并在党小组会上交流',
      ownerMemberId: w.membersA[0]!.memberId,
      dueOn: dayFromToday(30),
      pledge: '三个月内补齐学习笔记',
      ...overrides,
    });

    async function newItem(item: Record<string, unknown> = {}, problem: Record<string, unknown> = {}) {
      const response = await secretary.post(`/api/organizations/${branchA()}/problems`, {
        ...memberProblem(problem),
        item: ownItem(item),
      });
      expect(response.status, response.raw).toBe(201);
      return response.body as { id: string; itemId: string };
    }
    const act = (client: TestClient, itemId: string, action: string, note?: string) =>
      client.post(
        `/api/rectification/items/${itemId}/actions`,
        note === undefined ? { action } : { action, note },
      );
    /** The audit log's entries about one item, oldest first: [action, who, details]. */
    const auditTrail = async (itemId: string) =>
      (
        await t.db
          .selectFrom('audit_log')
          .select(['action', 'actor_label', 'organization_id', 'meeting_id', 'details'])
          .where(sql<string>`details->>'itemId'`, '=', itemId)
          .orderBy('seq')
          .execute()
      ).map((e) => {
        expect(e.organization_id).toBe(branchA());
        return [e.action, e.actor_label, e.details];
      });
    const countRows = async () => ({
      problems: (await t.db.selectFrom('problems').select('id').execute()).length,
      items: (await t.db.selectFrom('rectification_items').select('id').execute()).length,
      events: (await t.db.selectFrom('rectification_events').select('id').execute()).length,
    });

    it('records a problem with its first item in one step and lists them with every filter', async () => {
      const { id, itemId } = await newItem();
      const branchProblem = await secretary.post(`/api/organizations/${branchA()}/problems`, {
        scope: 'branch',
        description: '“三会一课”记录不规范',
        source: 'superior',
        category: 'work',
        meetingId: meetingJun,
      });
      expect(branchProblem.status).toBe(201);
      expect(branchProblem.body.itemId).toBeNull();

      const all = await secretary.get(`/api/organizations/${branchA()}/problems`);
      expect(all.status).toBe(200);
      const mine = all.body.find((p: { id: string }) => p.id === id);
      expect(mine).toMatchObject({
        scope: 'member',
        subject: { id: w.membersA[0]!.memberId, name: '党员甲1' },
        source: 'peers',
        category: 'thought',
        originKind: 'manual',
        meeting: { id: meetingJan, title: '2026年1月组织生活会', type: 'orgLifeMeeting' },
        items: [{ id: itemId, measures: '每月精读一篇原文并在党小组会上交流', effectiveStatus: 'planned' }],
        locked: false,
      });
      const ids = (response: { body: Array<{ id: string }> }) => response.body.map((p) => p.id);
      expect(
        ids(await secretary.get(`/api/organizations/${branchA()}/problems?meetingId=${meetingJun}`)),
      ).toEqual([branchProblem.body.id]);
      expect(ids(await secretary.get(`/api/organizations/${branchA()}/problems?scope=branch`))).toEqual([
        branchProblem.body.id,
      ]);
      expect(
        ids(
          await secretary.get(
            `/api/organizations/${branchA()}/problems?subjectMemberId=${w.membersA[0]!.memberId}`,
          ),
        ),
      ).toContain(id);
      expect(ids(await secretary.get(`/api/organizations/${branchA()}/problems?source=superior`))).toEqual([
        branchProblem.body.id,
      ]);

      const item = await secretary.get(`/api/rectification/items/${itemId}`);
      expect(item.body).toMatchObject({
        problem: { id, description: '理论学习不够深入，学习笔记流于形式', source: 'peers' },
        scope: 'member',
        subject: { name: '党员甲1' },
        owner: { id: w.membersA[0]!.memberId, name: '党员甲1' },
        pledge: '三个月内补齐学习笔记',
        immediateFix: false,
        status: 'planned',
        effectiveStatus: 'planned',
        meeting: { id: meetingJan },
        rights: { actions: ['start', 'cancel'], edit: true, addEvidence: true, isOwner: false },
      });
      expect(item.body.events).toEqual([
        expect.objectContaining({ kind: 'transition', fromStatus: null, toStatus: 'planned', by: '张书记' }),
      ]);
    });

    it('refuses bad problems and items field by field and writes nothing', async () => {
      const before = await countRows();
      const cases: Array<[Record<string, unknown>, Record<string, string>]> = [
        [{ ...memberProblem(), description: '   ' }, { description: 'tooShort' }],
        [{ ...memberProblem(), subjectMemberId: undefined }, { subjectMemberId: 'required' }],
        [{ ...memberProblem(), scope: 'branch' }, { subjectMemberId: 'notForBranch' }],
        [{ ...memberProblem(), source: 'rumour' }, { source: 'invalidOption' }],
        [{ ...memberProblem(), category: 'mood' }, { category: 'invalidOption' }],
        [{ ...memberProblem(), secret: 1 }, { secret: 'unknownField' }],
        [
          { ...memberProblem(), item: { ...ownItem(), ownerMemberId: null } },
          { 'item.ownerMemberId': 'ownerRequired' },
        ],
        [
          { ...memberProblem(), item: { ...ownItem(), dueOn: '2026-02-30' } },
          { 'item.dueOn': 'invalidFormat' },
        ],
        [
          { ...memberProblem(), item: { ...ownItem(), measures: 'x'.repeat(2001) } },
          { 'item.measures': 'tooLong' },
        ],
      ];
      for (const [body, fields] of cases) {
        const response = await secretary.post(`/api/organizations/${branchA()}/problems`, body);
        expect(response.status, JSON.stringify(body)).toBe(400);
        expect(response.body.fields).toEqual(fields);
      }
      // Well-formed, but naming another branch's member or meeting: refused like an unknown id.
      const foreignSubject = await secretary.post(`/api/organizations/${branchA()}/problems`, {
        ...memberProblem({ subjectMemberId: w.memberB.memberId }),
      });
      expect(foreignSubject.status).toBe(400);
      expect(foreignSubject.body).toMatchObject({
        code: 'rectification.memberNotInBranch',
        fields: { subjectMemberId: 'invalidOption' },
      });
      const foreignMeeting = await secretary.post(`/api/organizations/${branchA()}/problems`, {
        ...memberProblem({ meetingId: meetingB }),
      });
      expect(foreignMeeting.body).toMatchObject({ code: 'rectification.meetingNotInBranch' });
      // The problem is valid but its item's owner is not: the problem must not be left behind.
      const foreignOwner = await secretary.post(`/api/organizations/${branchA()}/problems`, {
        ...memberProblem(),
        item: ownItem({ ownerMemberId: w.memberB.memberId }),
      });
      expect(foreignOwner.body.fields).toEqual({ ownerMemberId: 'invalidOption' });
      expect(await countRows()).toEqual(before);
    });

    it('edits a problem, carrying meeting and subject to its items, and deletes only a problem without items', async () => {
      const { id, itemId } = await newItem();
      const edit = await secretary.put(`/api/problems/${id}`, {
        ...memberProblem({ subjectMemberId: w.membersA[1]!.memberId, meetingId: meetingJun }),
        description: '学习笔记照抄照搬',
      });
      expect(edit.status).toBe(200);
      const item = await secretary.get(`/api/rectification/items/${itemId}`);
      expect(item.body).toMatchObject({
        problem: { description: '学习笔记照抄照搬' },
        subject: { name: '党员甲2' },
        meeting: { id: meetingJun },
      });
      const invalid = await secretary.put(`/api/problems/${id}`, { ...memberProblem(), scope: 'team' });
      expect(invalid.body.fields).toEqual({ scope: 'invalidOption' });

      const refused = await secretary.delete(`/api/problems/${id}`);
      expect(refused.status).toBe(409);
      expect(refused.body.code).toBe('rectification.problemHasItems');

      const lonely = await secretary.post(`/api/organizations/${branchA()}/problems`, memberProblem());
      expect((await secretary.delete(`/api/problems/${lonely.body.id}`)).status).toBe(200);
      expect((await secretary.delete(`/api/problems/${lonely.body.id}`)).status).toBe(404);
    });

    it('adds a further item to a problem, and edits an item with each change in the history', async () => {
      const { id } = await newItem();
      const second = await secretary.post(`/api/problems/${id}/items`, {
        measures: '支部统一组织集中学习',
        ownerUnit: '支部委员会',
        immediateFix: true,
      });
      expect(second.status).toBe(201);
      const created = await secretary.get(`/api/rectification/items/${second.body.id}`);
      expect(created.body).toMatchObject({
        owner: null,
        ownerUnit: '支部委员会',
        dueOn: null,
        immediateFix: true,
      });
      expect(created.body.timeliness).toBe('noDueDate');

      const missingOwner = await secretary.post(`/api/problems/${id}/items`, { measures: '没人负责' });
      expect(missingOwner.body.fields).toEqual({ ownerMemberId: 'ownerRequired' });

      const newDue = dayFromToday(60);
      const edit = await secretary.put(`/api/rectification/items/${second.body.id}`, {
        measures: '支部统一组织集中学习',
        ownerMemberId: w.membersA[2]!.memberId,
        ownerUnit: '支部委员会',
        dueOn: newDue,
        immediateFix: true,
      });
      expect(edit.status).toBe(200);
      const after = await secretary.get(`/api/rectification/items/${second.body.id}`);
      expect(after.body.owner).toEqual({ id: w.membersA[2]!.memberId, name: '党员甲3' });
      expect(after.body.events.at(-1)).toMatchObject({
        kind: 'edited',
        by: '张书记',
        changes: [
          { field: 'ownerMemberId', before: null, after: '党员甲3' },
          { field: 'dueOn', before: null, after: newDue },
        ],
      });
      // Saving the same values again is not a change and adds nothing to the history.
      await secretary.put(`/api/rectification/items/${second.body.id}`, {
        measures: '支部统一组织集中学习',
        ownerMemberId: w.membersA[2]!.memberId,
        ownerUnit: '支部委员会',
        dueOn: newDue,
        immediateFix: true,
      });
      expect((await secretary.get(`/api/rectification/items/${second.body.id}`)).body.events).toHaveLength(2);
    });

    it('runs the lifecycle: the owner starts and completes, the committee sends back and verifies', async () => {
      const { itemId } = await newItem();
      const ownView = await owner.get(`/api/rectification/items/${itemId}`);
      expect(ownView.status).toBe(200);
      expect(ownView.body.rights).toEqual({
        actions: ['start'],
        edit: false,
        addEvidence: true,
        publish: false,
        review: false,
        isOwner: true,
        viewList: false,
      });

      expect((await act(owner, itemId, 'complete', '已完成')).body.code).toBe(
        'rectification.actionNotAllowed',
      );
      const started = await act(owner, itemId, 'start');
      expect(started.status).toBe(200);
      expect(started.body).toMatchObject({ status: 'inProgress', rights: { actions: ['complete'] } });

      const noNote = await act(owner, itemId, 'complete');
      expect(noNote.status).toBe(400);
      expect(noNote.body).toMatchObject({ code: 'rectification.noteRequired', fields: { note: 'required' } });
      const blankNote = await act(owner, itemId, 'complete', '   ');
      expect(blankNote.body.fields).toEqual({ note: 'required' });
      expect((await owner.get(`/api/rectification/items/${itemId}`)).body.status).toBe('inProgress');

      const done = await act(owner, itemId, 'complete', '已补齐 3 个月学习笔记，并在党小组会上交流 2 次');
      expect(done.body).toMatchObject({
        status: 'completed',
        completionNote: '已补齐 3 个月学习笔记，并在党小组会上交流 2 次',
        timeliness: 'onTime',
        rights: { actions: [] },
      });
      expect(done.body.completedAt).toBeTruthy();

      for (const action of ['verify', 'cancel', 'sendBack']) {
        const own = await act(owner, itemId, action, '我自己来');
        expect(own.status, action).toBe(403);
        expect(own.body.code).toBe('rectification.notOnOwnItem');
      }
      expect((await act(viewer, itemId, 'verify')).status).toBe(403);

      const noReason = await act(secretary, itemId, 'sendBack');
      expect(noReason.body.fields).toEqual({ note: 'required' });
      const back = await act(secretary, itemId, 'sendBack', '笔记只有摘抄，缺少心得');
      expect(back.body).toMatchObject({ status: 'inProgress', completionNote: null, completedAt: null });
      await act(owner, itemId, 'complete', '补写了学习心得');

      const verified = await act(secretary, itemId, 'verify', '经核实，销号');
      expect(verified.status).toBe(200);
      expect(verified.body).toMatchObject({
        status: 'verified',
        verifiedBy: '张书记',
        rights: { actions: [], edit: false },
      });
      expect(verified.body.verifiedAt).toBeTruthy();

      for (const action of ['start', 'complete', 'verify', 'cancel', 'sendBack']) {
        const again = await act(secretary, itemId, action, '再来一次');
        expect(again.status, action).toBe(409);
      }
      const edit = await secretary.put(`/api/rectification/items/${itemId}`, ownItem());
      expect(edit.body.code).toBe('rectification.itemClosed');

      const history = (await secretary.get(`/api/rectification/items/${itemId}`)).body.events;
      expect(history.map((e: any) => [e.kind, e.fromStatus, e.toStatus, e.by, e.note])).toEqual([
        ['transition', null, 'planned', '张书记', null],
        ['transition', 'planned', 'inProgress', '党员甲1', null],
        [
          'transition',
          'inProgress',
          'completed',
          '党员甲1',
          '已补齐 3 个月学习笔记，并在党小组会上交流 2 次',
        ],
        ['transition', 'completed', 'inProgress', '张书记', '笔记只有摘抄，缺少心得'],
        ['transition', 'inProgress', 'completed', '党员甲1', '补写了学习心得'],
        ['transition', 'completed', 'verified', '张书记', '经核实，销号'],
      ]);
      // The committee's judgements are audited with ids and codes; the owner's own steps and the
      // notes (which may name people) stay in the item's history.
      const trail = await auditTrail(itemId);
      expect(trail).toEqual([
        ['rectification.sentBack', '张书记', { itemId, from: 'completed', to: 'inProgress' }],
        ['rectification.verified', '张书记', { itemId, from: 'completed', to: 'verified' }],
      ]);
      const problems = await secretary.get(`/api/organizations/${branchA()}/problems`);
      const locked = problems.body.find((p: any) => p.items.some((i: any) => i.id === itemId));
      expect(locked.locked).toBe(true);
      const lockedEdit = await secretary.put(`/api/problems/${locked.id}`, memberProblem());
      expect(lockedEdit.body.code).toBe('rectification.problemLocked');
    });

    it('cancels with a reason from any state before verification, never by the owner, not twice', async () => {
      const planned = await newItem();
      expect((await act(secretary, planned.itemId, 'cancel')).body.fields).toEqual({ note: 'required' });
      const cancelled = await act(secretary, planned.itemId, 'cancel', '与第 3 项重复');
      expect(cancelled.body).toMatchObject({ status: 'cancelled', cancelledReason: '与第 3 项重复' });
      expect((await act(secretary, planned.itemId, 'cancel', '再撤一次')).status).toBe(409);
      expect((await act(secretary, planned.itemId, 'start')).status).toBe(409);

      const running = await newItem();
      await act(owner, running.itemId, 'start');
      expect((await act(secretary, running.itemId, 'cancel', '问题已不存在')).body.status).toBe('cancelled');

      const finished = await newItem();
      await act(owner, finished.itemId, 'start');
      await act(owner, finished.itemId, 'complete', '完成');
      expect((await act(secretary, finished.itemId, 'cancel', '并入支部整改')).body.status).toBe('cancelled');

      // One audit entry per cancellation; the refused second one left none.
      for (const [itemId, from] of [
        [planned.itemId, 'planned'],
        [running.itemId, 'inProgress'],
        [finished.itemId, 'completed'],
      ] as const)
        expect(await auditTrail(itemId)).toEqual([
          ['rectification.cancelled', '张书记', { itemId, from, to: 'cancelled' }],
        ]);
    });

    it('never lets a committee member verify or cancel their own item, but a colleague may', async () => {
      const { itemId } = await newItem({ ownerMemberId: w.secretaryA.memberId });
      const own = await secretary.get(`/api/rectification/items/${itemId}`);
      expect(own.body.rights).toMatchObject({ actions: ['start'], isOwner: true, edit: true });
      await act(secretary, itemId, 'start');
      await act(secretary, itemId, 'complete', '书记带头完成');
      const self = await act(secretary, itemId, 'verify');
      expect(self.status).toBe(403);
      expect(self.body.code).toBe('rectification.notOnOwnItem');
      expect((await act(secretary, itemId, 'cancel', '算了')).body.code).toBe('rectification.notOnOwnItem');
      const colleague = await act(organizerClient, itemId, 'verify', '组织委员核实');
      expect(colleague.body).toMatchObject({ status: 'verified', verifiedBy: organizer.name });
    });

    it('derives overdue from the due date in the branch calendar, for the list, its filter and the owner', async () => {
      const orgId = branchA();
      const problem = await secretary.post(`/api/organizations/${orgId}/problems`, {
        scope: 'branch',
        description: '逾期测试：党费收缴不及时',
        source: 'inspection',
      });
      const add = async (dueOn: string | null, ownerMemberId = w.membersA[1]!.memberId) =>
        (
          await secretary.post(`/api/problems/${problem.body.id}/items`, {
            measures: `到期 ${dueOn}`,
            ownerMemberId,
            dueOn,
          })
        ).body.id as string;
      const late = await add(dayFromToday(-1));
      const dueToday = await add(dayFromToday(0));
      const ongoing = await add(null);
      const lateButDone = await add(dayFromToday(-1));
      const lateInProgress = await add(dayFromToday(-3));
      const member2 = await t.client().signIn('memberA2');
      await act(member2, lateButDone, 'start');
      await act(member2, lateButDone, 'complete', '已完成，但晚了');
      await act(member2, lateInProgress, 'start');

      const list = await secretary.get(`/api/organizations/${orgId}/rectification/items?source=inspection`);
      expect(list.status).toBe(200);
      const statusOf = (id: string) => list.body.items.find((i: any) => i.id === id).effectiveStatus;
      expect(statusOf(late)).toBe('overdue');
      expect(statusOf(dueToday)).toBe('planned');
      expect(statusOf(ongoing)).toBe('planned');
      expect(statusOf(lateButDone)).toBe('completed');
      expect(statusOf(lateInProgress)).toBe('overdue');
      expect(list.body.items.find((i: any) => i.id === lateButDone).timeliness).toBe('late');
      expect(list.body.counts).toMatchObject({ overdue: 2, planned: 2, completed: 1, inProgress: 0 });
      // The stored status is untouched: overdue is never written.
      const stored = await t.db
        .selectFrom('rectification_items')
        .select('status')
        .where('id', '=', late)
        .executeTakeFirstOrThrow();
      expect(stored.status).toBe('planned');

      const overdue = await secretary.get(
        `/api/organizations/${orgId}/rectification/items?source=inspection&status=overdue`,
      );
      expect(overdue.body.items.map((i: any) => i.id).sort()).toEqual([late, lateInProgress].sort());
      expect(overdue.body.counts.planned).toBe(2);
      const plannedOnly = await secretary.get(
        `/api/organizations/${orgId}/rectification/items?source=inspection&status=planned`,
      );
      expect(plannedOnly.body.items.map((i: any) => i.id).sort()).toEqual([dueToday, ongoing].sort());

      const mine = await member2.get('/api/me/rectification');
      expect(mine.body.items[0]).toMatchObject({ effectiveStatus: 'overdue', id: lateInProgress });
      expect(mine.body.today).toBe(dayFromToday(0));

      // Moving the due date is an edit the history keeps; the item is no longer overdue.
      await secretary.put(`/api/rectification/items/${late}`, {
        measures: `到期 ${dayFromToday(-1)}`,
        ownerMemberId: w.membersA[1]!.memberId,
        dueOn: dayFromToday(7),
      });
      expect((await secretary.get(`/api/rectification/items/${late}`)).body.effectiveStatus).toBe('planned');

      const badFilter = await secretary.get(
        `/api/organizations/${orgId}/rectification/items?status=late&colour=red`,
      );
      expect(badFilter.status).toBe(400);
      expect(badFilter.body.fields).toEqual({
        'querystring.status': 'invalidOption',
        'querystring.colour': 'unknownField',
      });
    });

    it('filters the list by meeting, subject and scope', async () => {
      const { itemId } = await newItem(
        {},
        { subjectMemberId: w.membersA[2]!.memberId, meetingId: meetingEarlier },
      );
      const byMeeting = await secretary.get(
        `/api/organizations/${branchA()}/rectification/items?meetingId=${meetingEarlier}`,
      );
      expect(byMeeting.body.items.map((i: any) => i.id)).toEqual([itemId]);
      const bySubject = await secretary.get(
        `/api/organizations/${branchA()}/rectification/items?subjectMemberId=${w.membersA[2]!.memberId}&scope=member`,
      );
      expect(bySubject.body.items.map((i: any) => i.id)).toContain(itemId);
      expect(bySubject.body.items.every((i: any) => i.subject?.id === w.membersA[2]!.memberId)).toBe(true);
    });

    it('keeps evidence: links and files from the owner, removable until the item is closed', async () => {
      const { itemId } = await newItem();
      await act(owner, itemId, 'start');
      const link = await owner.post(`/api/rectification/items/${itemId}/evidence`, {
        description: '学习笔记扫描件（网盘）',
        link: 'https://pan.example.cn/s/abc',
      });
      expect(link.status).toBe(201);
      for (const bad of ['javascript:alert(1)', 'ftp://example.cn/x', 'not a url']) {
        const refused = await owner.post(`/api/rectification/items/${itemId}/evidence`, {
          description: 'x',
          link: bad,
        });
        expect(refused.body.fields, bad).toEqual({ link: 'invalidFormat' });
      }

      const png = Buffer.concat([
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
        Buffer.alloc(200, 7),
      ]);
      const upload = await uploadEvidence(owner, itemId, {
        description: '交流发言照片',
        name: '发言 照片.png',
        type: 'image/png',
        data: png,
      });
      expect(upload.status, upload.raw).toBe(201);

      const detail = (await owner.get(`/api/rectification/items/${itemId}`)).body;
      expect(detail.evidenceCount).toBe(2);
      expect(detail.evidence).toEqual([
        expect.objectContaining({
          description: '学习笔记扫描件（网盘）',
          link: 'https://pan.example.cn/s/abc',
          file: null,
          addedBy: '党员甲1',
        }),
        expect.objectContaining({
          description: '交流发言照片',
          link: null,
          file: expect.objectContaining({
            name: '发言 照片.png',
            contentType: 'image/png',
            sizeBytes: png.length,
          }),
        }),
      ]);
      const fileId = detail.evidence[1].file.id;
      const download = await t.app.inject({
        method: 'GET',
        url: `/api/rectification/attachments/${fileId}`,
        headers: { cookie: secretary.cookieHeader() },
      });
      expect(download.statusCode).toBe(200);
      expect(download.headers['content-type']).toBe('image/png');
      expect(String(download.headers['content-disposition'])).toContain(
        "filename*=UTF-8''%E5%8F%91%E8%A8%80%20%E7%85%A7%E7%89%87.png",
      );
      expect(download.rawPayload.equals(png)).toBe(true);

      const html = await uploadEvidence(owner, itemId, {
        description: '网页',
        name: 'x.html',
        type: 'text/html',
        data: Buffer.from('<script>1</script>'),
      });
      expect(html.status).toBe(400);
      expect(html.body).toMatchObject({
        code: 'rectification.fileTypeNotAllowed',
        fields: { file: 'fileType' },
      });
      const noDescription = await uploadEvidence(owner, itemId, {
        description: '',
        name: 'a.pdf',
        type: 'application/pdf',
        data: Buffer.from('%PDF-1.4'),
      });
      expect(noDescription.body.fields).toEqual({ description: 'tooShort' });
      const tooBig = await uploadEvidence(owner, itemId, {
        description: '太大的扫描件',
        name: 'big.pdf',
        type: 'application/pdf',
        data: Buffer.alloc(10 * 1024 * 1024 + 1, 1),
      });
      expect(tooBig.status).toBe(413);
      expect(tooBig.body).toMatchObject({ code: 'request.tooLarge', fields: { file: 'fileTooLarge' } });
      expect((await owner.get(`/api/rectification/items/${itemId}`)).body.evidenceCount).toBe(2);
      expect(
        (
          await t.db
            .selectFrom('rectification_attachments')
            .select('id')
            .where('item_id', '=', itemId)
            .execute()
        ).length,
      ).toBe(1);

      expect(
        (await viewer.post(`/api/rectification/items/${itemId}/evidence`, { description: '上级补充' }))
          .status,
      ).toBe(403);

      const removed = await owner.delete(
        `/api/rectification/items/${itemId}/evidence/${detail.evidence[1].id}`,
      );
      expect(removed.status).toBe(200);
      expect(
        (await t.db.selectFrom('rectification_attachments').select('id').where('id', '=', fileId).execute())
          .length,
      ).toBe(0);
      const gone = await t.app.inject({
        method: 'GET',
        url: `/api/rectification/attachments/${fileId}`,
        headers: { cookie: secretary.cookieHeader() },
      });
      expect(gone.statusCode).toBe(404);

      await act(owner, itemId, 'complete', '完成');
      await act(secretary, itemId, 'verify');
      const closed = await owner.post(`/api/rectification/items/${itemId}/evidence`, { description: '补交' });
      expect(closed.status).toBe(409);
      expect(closed.body.code).toBe('rectification.itemClosed');
      expect(
        (await owner.delete(`/api/rectification/items/${itemId}/evidence/${detail.evidence[0].id}`)).status,
      ).toBe(409);

      const kinds = (await secretary.get(`/api/rectification/items/${itemId}`)).body.events.map((e: any) => [
        e.kind,
        e.description ?? null,
      ]);
      expect(kinds).toContainEqual(['evidenceAdded', '交流发言照片']);
      expect(kinds).toContainEqual(['evidenceRemoved', '交流发言照片']);
    });

    it('takes a file with a link in any part order, and caps evidence at 20 per item', async () => {
      const { itemId } = await newItem();
      const upload = await postEvidenceForm(owner, itemId, [
        {
          name: 'file',
          filename: 'report.pdf',
          type: 'application/pdf',
          data: Buffer.from('%PDF-1.4 report'),
        },
        { name: 'link', value: 'https://dangjian.example.cn/notice/7' },
        { name: 'description', value: '整改情况报告' },
      ]);
      expect(upload.status, upload.raw).toBe(201);
      const [entry] = (await owner.get(`/api/rectification/items/${itemId}`)).body.evidence;
      expect(entry).toMatchObject({
        description: '整改情况报告',
        link: 'https://dangjian.example.cn/notice/7',
        file: { name: 'report.pdf', contentType: 'application/pdf' },
      });
      const download = await t.app.inject({
        method: 'GET',
        url: `/api/rectification/attachments/${entry.file.id}`,
        headers: { cookie: owner.cookieHeader() },
      });
      // Anything but an image is downloaded, never rendered in the app's origin.
      expect(String(download.headers['content-disposition'])).toMatch(/^attachment; filename="report.pdf"/);

      const refused = await postEvidenceForm(owner, itemId, [
        { name: 'description', value: '多余字段' },
        { name: 'owner', value: 'me' },
        { name: 'file', filename: 'a.txt', type: 'text/plain', data: Buffer.from('a') },
      ]);
      expect(refused.body.fields).toEqual({ owner: 'unknownField' });
      const noFile = await postEvidenceForm(owner, itemId, [{ name: 'description', value: '没有文件' }]);
      expect(noFile.body.fields).toEqual({ file: 'required' });

      for (let i = 2; i <= 20; i++)
        expect(
          (await owner.post(`/api/rectification/items/${itemId}/evidence`, { description: `记录 ${i}` }))
            .status,
        ).toBe(201);
      const over = await owner.post(`/api/rectification/items/${itemId}/evidence`, {
        description: '第 21 份',
      });
      expect(over.status).toBe(409);
      expect(over.body.code).toBe('rectification.tooMuchEvidence');
      expect((await owner.get(`/api/rectification/items/${itemId}`)).body.evidenceCount).toBe(20);
    });

    it('publishes items (公示) all or nothing, and withdraws a publication', async () => {
      const a = await newItem();
      const b = await newItem();
      const foreign = await t.client().signIn('secB');
      const problemB = await foreign.post(`/api/organizations/${w.branchB.id}/problems`, {
        scope: 'branch',
        description: '二支部的问题',
        source: 'self',
        item: { measures: '二支部措施', ownerUnit: '二支部' },
      });
      const mixed = await secretary.post(`/api/organizations/${branchA()}/rectification/publish`, {
        itemIds: [a.itemId, problemB.body.itemId],
        scope: 'branch',
      });
      expect(mixed.status).toBe(404);
      expect((await secretary.get(`/api/rectification/items/${a.itemId}`)).body.publishedScope).toBeNull();

      const ok = await secretary.post(`/api/organizations/${branchA()}/rectification/publish`, {
        itemIds: [a.itemId, b.itemId],
        scope: 'organization',
      });
      expect(ok.status).toBe(200);
      const published = (await secretary.get(`/api/rectification/items/${a.itemId}`)).body;
      expect(published.publishedScope).toBe('organization');
      expect(published.publishedAt).toBeTruthy();
      expect(published.events.at(-1)).toMatchObject({
        kind: 'published',
        scope: 'organization',
        by: '张书记',
      });

      await secretary.post(`/api/organizations/${branchA()}/rectification/publish`, {
        itemIds: [b.itemId],
        scope: null,
      });
      const withdrawn = (await secretary.get(`/api/rectification/items/${b.itemId}`)).body;
      expect(withdrawn).toMatchObject({ publishedScope: null, publishedAt: null });
      expect(
        (
          await secretary.post(`/api/organizations/${branchA()}/rectification/publish`, {
            itemIds: [],
            scope: 'branch',
          })
        ).body.fields,
      ).toEqual({ itemIds: 'tooShort' });
      expect(
        (
          await viewer.post(`/api/organizations/${branchA()}/rectification/publish`, {
            itemIds: [a.itemId],
            scope: 'public',
          })
        ).status,
      ).toBe(403);

      // Audited once per publication with the items' ids; the refused ones left nothing.
      const publications = (
        await t.db
          .selectFrom('audit_log')
          .select(['action', 'actor_label', 'organization_id', 'details'])
          .where('action', 'in', ['rectification.published', 'rectification.unpublished'])
          .orderBy('seq')
          .execute()
      ).filter((e) => [a.itemId, b.itemId].some((id) => String(e.details.itemIds).includes(id)));
      expect(
        publications.map((e) => [
          e.action,
          e.actor_label,
          e.organization_id,
          e.details.scope,
          e.details.count,
          String(e.details.itemIds).split(',').sort(),
        ]),
      ).toEqual([
        ['rectification.published', '张书记', branchA(), 'organization', 2, [a.itemId, b.itemId].sort()],
        ['rectification.unpublished', '张书记', branchA(), null, 1, [b.itemId]],
      ]);
    });

    it('marks an item reviewed (回头看) only at a later meeting of the same branch', async () => {
      const { itemId } = await newItem();
      const review = (meetingId: string | null, client = secretary) =>
        client.put(`/api/rectification/items/${itemId}/review`, { meetingId });
      const earlier = await review(meetingEarlier);
      expect(earlier.status).toBe(400);
      expect(earlier.body).toMatchObject({
        code: 'rectification.reviewMeetingNotLater',
        fields: { meetingId: 'notLaterMeeting' },
      });
      expect((await review(meetingJan)).body.code).toBe('rectification.reviewMeetingNotLater');
      expect((await review(meetingCancelled)).body.code).toBe('rectification.reviewMeetingNotLater');
      expect((await review(meetingB)).body.code).toBe('rectification.meetingNotInBranch');
      expect((await review(meetingJun, viewer)).status).toBe(403);
      expect((await review(meetingJun, owner)).status).toBe(403);

      expect((await review(meetingJun)).status).toBe(200);
      const detail = (await secretary.get(`/api/rectification/items/${itemId}`)).body;
      expect(detail.reviewedAtMeeting).toMatchObject({ id: meetingJun, title: '2026年6月支部党员大会' });
      expect(detail.events.at(-1)).toMatchObject({ kind: 'reviewed', meeting: { id: meetingJun } });
      expect((await review(null)).status).toBe(200);
      expect((await secretary.get(`/api/rectification/items/${itemId}`)).body.reviewedAtMeeting).toBeNull();

      expect(await auditTrail(itemId)).toEqual([
        ['rectification.reviewed', '张书记', { itemId, meetingId: meetingJun, previousMeetingId: null }],
        ['rectification.reviewCleared', '张书记', { itemId, meetingId: null, previousMeetingId: meetingJun }],
      ]);
      // The superior committee's administrator reads it in the audit trail of their subtree.
      const admin = await t.client().signIn('admin');
      const audit = await admin.get(`/api/organizations/${w.committee.id}/audit`);
      expect(audit.body.entries[0]).toMatchObject({
        action: 'rectification.reviewCleared',
        actorLabel: '张书记',
        organizationId: branchA(),
        meetingId: meetingJun,
      });
      expect(audit.body.chain.ok).toBe(true);
    });

    it('offers the current roster and the branch meetings to the forms', async () => {
      const options = await secretary.get(`/api/organizations/${branchA()}/rectification/options`);
      expect(options.body.canManage).toBe(true);
      expect(options.body.members[0]).toMatchObject({ name: '张书记' });
      expect(options.body.members.map((m: any) => m.name)).not.toContain('党员乙');
      expect(options.body.meetings.map((m: any) => m.id)).toEqual([
        meetingCancelled,
        meetingJun,
        meetingJan,
        meetingEarlier,
      ]);
      expect((await viewer.get(`/api/organizations/${branchA()}/rectification/options`)).body.canManage).toBe(
        false,
      );
    });
  });
}

function uploadEvidence(
  client: TestClient,
  itemId: string,
  file: { description: string; name: string; type: string; data: Buffer },
) {
  return postEvidenceForm(client, itemId, [
    { name: 'description', value: file.description },
    { name: 'file', filename: file.name, type: file.type, data: file.data },
  ]);
}
