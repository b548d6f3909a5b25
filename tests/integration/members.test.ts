import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attendanceSummary } from '../../server/meetings/attendance-summary.ts';
import { auditedSince, auditMark } from '../support/audit.ts';
import { dbVariantsFromEnv } from '../support/db-variants.ts';
import {
  insertMember,
  insertOrganization,
  type SeededCommittee,
  seedCommittee,
} from '../support/fixtures.ts';
import { backdateMember, monthsAgo, recordAttendance } from '../support/roster.ts';
import { startTestApp, type TestApp, type TestClient } from '../support/test-app.ts';

const newMember = {
  fullName: '赵  红 ',
  gender: 'female',
  ethnicity: '回族',
  birthDate: '1990-05-04',
  education: '硕士研究生',
  phone: '139 0000 1111',
  joinedPartyOn: '2012-06-30',
  status: 'probationaryMember',
  committeeRole: null,
  leadingCadre: true,
  dualOrgLife: true,
  notes: '外单位领导干部',
};

for (const variant of dbVariantsFromEnv()) {
  describe(`${variant}: the branch roster`, () => {
    let t: TestApp;
    let world: SeededCommittee;
    let secretary: TestClient;
    let admin: TestClient;
    let groupA: { id: string };
    let groupB: { id: string };
    const countMembers = async () =>
      Number(
        (
          await t.db
            .selectFrom('members')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    beforeAll(async () => {
      t = await startTestApp(variant);
      world = await seedCommittee(t.db, 5);
      groupA = await insertOrganization(t.db, '第一党小组', 'partyGroup', world.branchA);
      groupB = await insertOrganization(t.db, '乙支部党小组', 'partyGroup', world.branchB);
      secretary = await t.client().signIn('secA');
      admin = await t.client().signIn('admin');
    });
    afterAll(() => t.close());
    const audited = (mark: number) => auditedSince(admin, world.branchA.id, mark);

    it('adds a member with every field and shows them to the secretary', async () => {
      const mark = await auditMark(t.db);
      const created = await secretary.post(`/api/organizations/${world.branchA.id}/members`, {
        ...newMember,
        partyGroupId: groupA.id,
      });
      expect(created.status).toBe(201);
      const detail = await secretary.get(`/api/members/${created.body.id}`);
      expect(detail.status).toBe(200);
      expect(detail.body).toMatchObject({
        fullName: '赵  红',
        status: 'probationaryMember',
        committeeRole: null,
        partyGroup: { id: groupA.id, name: '第一党小组' },
        organization: { id: world.branchA.id, name: '第一党支部' },
        access: { details: true, manage: true },
        details: {
          gender: 'female',
          ethnicity: '回族',
          birthDate: '1990-05-04',
          education: '硕士研究生',
          phone: '139 0000 1111',
          joinedPartyOn: '2012-06-30',
          leadingCadre: true,
          dualOrgLife: true,
          notes: '外单位领导干部',
          hasAccount: false,
          exemption: null,
          lastAttendedAt: null,
          absenceWarning: null,
          left: null,
        },
        exemptions: [],
      });
      // Ids and codes only: the name and personal fields stay on the roster.
      expect(await audited(mark)).toEqual([
        {
          action: 'member.created',
          actorLabel: '张书记',
          organizationId: world.branchA.id,
          details: { memberId: created.body.id, status: 'probationaryMember', committeeRole: null },
        },
      ]);

      const roster = await secretary.get(`/api/organizations/${world.branchA.id}/members`);
      expect(roster.status).toBe(200);
      expect(roster.body.members.map((m: { fullName: string }) => m.fullName)).toContain('赵  红');
      // The secretary comes first, whatever the alphabet says.
      expect(roster.body.members[0].fullName).toBe('张书记');
      expect(roster.body.partyGroups).toEqual([{ id: groupA.id, name: '第一党小组', memberCount: 1 }]);
      expect(roster.body.summary).toMatchObject({
        fullMembers: 6,
        probationaryMembers: 2,
        committeeMembers: 1,
      });
    });

    it('refuses bad input field by field and writes nothing', async () => {
      const before = await countMembers();
      const mark = await auditMark(t.db);
      const url = `/api/organizations/${world.branchA.id}/members`;
      const cases: Array<[Record<string, unknown>, Record<string, string>]> = [
        [{ ...newMember, admin: true }, { admin: 'unknownField' }],
        [{ ...newMember, fullName: '   ' }, { fullName: 'tooShort' }],
        [{ status: 'fullMember' }, { fullName: 'required' }],
        [{ ...newMember, status: 'observer' }, { status: 'invalidOption' }],
        [{ ...newMember, phone: 'call me' }, { phone: 'invalidFormat' }],
        [{ ...newMember, birthDate: '2999-01-01', joinedPartyOn: null }, { birthDate: 'inFuture' }],
        [{ ...newMember, birthDate: '1990-02-30' }, { birthDate: 'invalidFormat' }],
        [{ ...newMember, joinedPartyOn: '1989-01-01' }, { joinedPartyOn: 'beforeBirth' }],
        [{ ...newMember, partyGroupId: 'not-a-uuid' }, { partyGroupId: 'invalidFormat' }],
      ];
      for (const [body, fields] of cases) {
        const response = await secretary.post(url, body);
        expect(response.status, JSON.stringify(body)).toBe(400);
        expect(response.body.code).toBe('request.invalid');
        expect(response.body.fields).toEqual(fields);
      }
      const foreignGroup = await secretary.post(url, { ...newMember, partyGroupId: groupB.id });
      expect(foreignGroup.status).toBe(400);
      expect(foreignGroup.body).toMatchObject({
        code: 'members.partyGroupNotInBranch',
        fields: { partyGroupId: 'invalidOption' },
      });
      const secondSecretary = await secretary.post(url, { ...newMember, committeeRole: 'secretary' });
      expect(secondSecretary.status).toBe(409);
      expect(secondSecretary.body).toMatchObject({
        code: 'members.secretaryTaken',
        fields: { committeeRole: 'secretaryTaken' },
      });
      expect(await countMembers()).toBe(before);
      expect(await audited(mark)).toEqual([]);
    });

    it('edits a member, keeping the rules that span fields', async () => {
      const { body } = await secretary.post(`/api/organizations/${world.branchA.id}/members`, {
        fullName: '钱明',
        status: 'probationaryMember',
        birthDate: '1980-01-01',
      });
      const mark = await auditMark(t.db);
      const ok = await secretary.patch(`/api/members/${body.id}`, {
        phone: '010-66668888',
        committeeRole: 'publicity',
        partyGroupId: groupA.id,
      });
      expect(ok.status).toBe(200);
      const detail = await secretary.get(`/api/members/${body.id}`);
      expect(detail.body).toMatchObject({
        committeeRole: 'publicity',
        partyGroup: { id: groupA.id },
        details: { phone: '010-66668888', birthDate: '1980-01-01' },
      });
      const beforeBirth = await secretary.patch(`/api/members/${body.id}`, { joinedPartyOn: '1979-07-01' });
      expect(beforeBirth.status).toBe(400);
      expect(beforeBirth.body.fields).toEqual({ joinedPartyOn: 'beforeBirth' });
      const cleared = await secretary.patch(`/api/members/${body.id}`, { partyGroupId: null, phone: '' });
      expect(cleared.status).toBe(200);
      const after = await secretary.get(`/api/members/${body.id}`);
      expect(after.body.partyGroup).toBeNull();
      expect(after.body.details.phone).toBeNull();
      expect(after.body.details.joinedPartyOn).toBeNull();

      // 转正, with the committee post sent again unchanged.
      const promoted = await secretary.patch(`/api/members/${body.id}`, {
        status: 'fullMember',
        committeeRole: 'publicity',
      });
      expect(promoted.status).toBe(200);
      // Only the changes of post and status are audited, each with what it was before.
      expect(await audited(mark)).toEqual([
        {
          action: 'member.committeeRoleChanged',
          actorLabel: '张书记',
          organizationId: world.branchA.id,
          details: { memberId: body.id, from: null, to: 'publicity' },
        },
        {
          action: 'member.statusChanged',
          actorLabel: '张书记',
          organizationId: world.branchA.id,
          details: { memberId: body.id, from: 'probationaryMember', to: 'fullMember' },
        },
      ]);
    });

    it('audits a committee post as the role change it is: the member gains the secretary role and loses it', async () => {
      const appointee = world.membersA[3]!;
      const asAppointee = await t.client().signIn(appointee.login!);
      let added = 0;
      const canAdd = async () =>
        (
          await asAppointee.post(`/api/organizations/${world.branchA.id}/members`, {
            fullName: `试添加${++added}`,
            status: 'fullMember',
          })
        ).status;
      expect(await canAdd()).toBe(403);

      const mark = await auditMark(t.db);
      expect(
        (await admin.patch(`/api/members/${appointee.memberId}`, { committeeRole: 'organization' })).status,
      ).toBe(200);
      const whileInPost = await canAdd();
      expect(
        (await secretary.patch(`/api/members/${appointee.memberId}`, { committeeRole: null })).status,
      ).toBe(200);
      expect(whileInPost).toBe(201);
      expect(await canAdd()).toBe(403);

      const entries = await audited(mark);
      expect(entries.map((e) => [e.action, e.actorLabel])).toEqual([
        ['member.committeeRoleChanged', '管理员'],
        ['member.created', appointee.name],
        ['member.committeeRoleChanged', '张书记'],
      ]);
      expect(entries[0]!.details).toEqual({ memberId: appointee.memberId, from: null, to: 'organization' });
      expect(entries[2]!.details).toEqual({ memberId: appointee.memberId, from: 'organization', to: null });
    });

    it('filters by status and party group', async () => {
      const url = `/api/organizations/${world.branchA.id}/members`;
      const probationary = await secretary.get(`${url}?status=probationaryMember`);
      expect(probationary.body.members.map((m: { fullName: string }) => m.fullName).sort()).toEqual(
        ['赵  红', '预备党员甲'].sort(),
      );
      const inGroup = await secretary.get(`${url}?partyGroupId=${groupA.id}`);
      expect(inGroup.body.members.map((m: { fullName: string }) => m.fullName)).toEqual(['赵  红']);
      // Figures describe the branch, not the filtered view.
      expect(inGroup.body.summary.fullMembers).toBe(probationary.body.summary.fullMembers);
      const bad = await secretary.get(`${url}?status=everyone&sort=name`);
      expect(bad.status).toBe(400);
      expect(bad.body.fields).toEqual({
        'querystring.status': 'invalidOption',
        'querystring.sort': 'unknownField',
      });
    });

    it('records a member leaving: kept on file, off the roster, and signed out of the branch', async () => {
      const leaver = world.membersA[4]!;
      const asLeaver = await t.client().signIn(leaver.login!);
      expect((await asLeaver.get(`/api/organizations/${world.branchA.id}/members`)).status).toBe(200);

      const mark = await auditMark(t.db);
      const future = await secretary.post(`/api/members/${leaver.memberId}/departure`, {
        reason: 'transferredOut',
        leftOn: '2999-01-01',
      });
      expect(future.body.fields).toEqual({ leftOn: 'inFuture' });
      const left = await secretary.post(`/api/members/${leaver.memberId}/departure`, {
        reason: 'transferredOut',
        leftOn: '2026-10-31',
        note: '调往市财政局党委',
      });
      expect(left.status).toBe(200);

      const roster = await secretary.get(`/api/organizations/${world.branchA.id}/members`);
      expect(roster.body.members.map((m: { id: string }) => m.id)).not.toContain(leaver.memberId);
      const withLeft = await secretary.get(`/api/organizations/${world.branchA.id}/members?includeLeft=true`);
      const entry = withLeft.body.members.find((m: { id: string }) => m.id === leaver.memberId);
      expect(entry.details.left).toEqual({
        on: '2026-10-31',
        reason: 'transferredOut',
        note: '调往市财政局党委',
      });
      expect(
        await t.db.selectFrom('members').select('id').where('id', '=', leaver.memberId).execute(),
      ).toHaveLength(1);

      expect(
        (await secretary.patch(`/api/members/${leaver.memberId}`, { phone: '13800000000' })).body.code,
      ).toBe('members.hasLeft');
      const again = await secretary.post(`/api/members/${leaver.memberId}/departure`, {
        reason: 'other',
        leftOn: '2026-10-31',
      });
      expect(again.status).toBe(409);
      // Their grants came from the roster entry, so the branch is now a stranger to them.
      expect((await asLeaver.get(`/api/organizations/${world.branchA.id}/members`)).status).toBe(404);
      // One entry for the one departure; the note, which may name people, stays on the roster.
      expect(await audited(mark)).toEqual([
        {
          action: 'member.departed',
          actorLabel: '张书记',
          organizationId: world.branchA.id,
          details: {
            memberId: leaver.memberId,
            reason: 'transferredOut',
            leftOn: '2026-10-31',
            committeeRole: null,
          },
        },
      ]);
    });

    it('does not let a secretary record their own departure', async () => {
      const self = await secretary.post(`/api/members/${world.secretaryA.memberId}/departure`, {
        reason: 'transferredOut',
        leftOn: '2026-01-01',
      });
      expect(self.status).toBe(400);
      expect(self.body.code).toBe('members.cannotRemoveSelf');
    });

    it('advises on branch size and committee without refusing anything', async () => {
      const world2 = await insertOrganization(t.db, '第三党支部', 'partyBranch', world.committee);
      const admin = await t.client().signIn('admin');
      const url = `/api/organizations/${world2.id}/members`;
      const advice = async () => (await admin.get(url)).body.summary.advice;
      expect(await advice()).toEqual(['tooFewFullMembers', 'secretaryMissing']);
      for (let i = 0; i < 7; i++) {
        const created = await admin.post(url, { fullName: `丙${i}`, status: 'fullMember' });
        expect(created.status).toBe(201);
      }
      expect(await advice()).toEqual(['committeeNeeded', 'secretaryMissing']);
      await admin.post(url, { fullName: '丙书记', status: 'fullMember', committeeRole: 'secretary' });
      await admin.post(url, { fullName: '丙组织', status: 'fullMember', committeeRole: 'organization' });
      await admin.post(url, { fullName: '丙宣传', status: 'fullMember', committeeRole: 'publicity' });
      expect(await advice()).toEqual([]);
    });

    it('shows the last organization life attended and warns at 3 and 5 months, except for the exempt', async () => {
      const branch = await insertOrganization(t.db, '第四党支部', 'partyBranch', world.committee);
      const add = async (name: string) => {
        const member = await insertMember(t.db, branch.id, name);
        await backdateMember(t.db, member.memberId, monthsAgo(24));
        return member.memberId;
      };
      const recent = await add('近期参加');
      const fourMonths = await add('四个月');
      const sixMonths = await add('六个月');
      const onlyCommittee = await add('只开支委会');
      const exempt = await add('免于参加');
      await insertMember(t.db, branch.id, '新转入');
      const lastMonth = monthsAgo(1);
      await recordAttendance(t.db, { organizationId: branch.id, memberId: recent, startsAt: lastMonth });
      await recordAttendance(t.db, {
        organizationId: branch.id,
        memberId: fourMonths,
        startsAt: monthsAgo(4),
      });
      await recordAttendance(t.db, {
        organizationId: branch.id,
        memberId: fourMonths,
        startsAt: monthsAgo(1),
        status: 'absent',
      });
      await recordAttendance(t.db, {
        organizationId: branch.id,
        memberId: sixMonths,
        startsAt: monthsAgo(6),
      });
      await recordAttendance(t.db, {
        organizationId: branch.id,
        memberId: onlyCommittee,
        startsAt: monthsAgo(4),
      });
      await recordAttendance(t.db, {
        organizationId: branch.id,
        memberId: onlyCommittee,
        startsAt: monthsAgo(1),
        type: 'branchCommitteeMeeting',
      });
      await t.db
        .insertInto('member_exemptions')
        .values({
          member_id: exempt,
          reason: 'abroad',
          approved_by: '支委会',
          approved_on: '2025-01-01',
          starts_on: '2025-01-01',
        })
        .execute();

      const admin = await t.client().signIn('admin');
      const roster = await admin.get(`/api/organizations/${branch.id}/members`);
      const byName = new Map<
        string,
        { details: { absenceWarning: string | null; lastAttendedAt: string | null } }
      >(roster.body.members.map((m: { fullName: string }) => [m.fullName, m]));
      expect(byName.get('近期参加')!.details.absenceWarning).toBeNull();
      expect(byName.get('近期参加')!.details.lastAttendedAt).toBe(lastMonth.toISOString());
      expect(byName.get('四个月')!.details.absenceWarning).toBe('threeMonths');
      expect(byName.get('六个月')!.details.absenceWarning).toBe('fiveMonths');
      expect(byName.get('只开支委会')!.details.absenceWarning).toBe('threeMonths');
      expect(byName.get('免于参加')!.details.absenceWarning).toBeNull();
      expect(byName.get('免于参加')!.details.lastAttendedAt).toBeNull();
      expect(byName.get('新转入')!.details.absenceWarning).toBeNull();
      expect(roster.body.summary.absence).toEqual({ threeMonths: 2, fiveMonths: 1 });
    });
  });

  describe(`${variant}: who may see and change a roster`, () => {
    let t: TestApp;
    let world: SeededCommittee;
    let exemptionInA: string;
    beforeAll(async () => {
      t = await startTestApp(variant);
      world = await seedCommittee(t.db, 2);
      const row = await t.db
        .insertInto('member_exemptions')
        .values({
          member_id: world.membersA[0]!.memberId,
          reason: 'illness',
          approved_by: '支委会',
          approved_on: '2026-01-05',
          starts_on: '2026-01-05',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      exemptionInA = row.id;
      await t.db
        .updateTable('members')
        .set({ phone: '13912345678', birth_date: '1970-01-01' })
        .where('organization_id', '=', world.branchA.id)
        .execute();
    });
    afterAll(() => t.close());

    const branchA = () => world.branchA.id;
    const memberA = () => world.membersA[1]!.memberId;
    const writes = () =>
      [
        ['POST', `/api/organizations/${branchA()}/members`, { fullName: '新人', status: 'fullMember' }],
        ['PATCH', `/api/members/${memberA()}`, { phone: '13000000000' }],
        ['POST', `/api/members/${memberA()}/departure`, { reason: 'other', leftOn: '2026-01-01', note: 'x' }],
        [
          'POST',
          `/api/members/${memberA()}/exemptions`,
          { reason: 'illness', approvedBy: '支委会', approvedOn: '2026-01-01', startsOn: '2026-01-01' },
        ],
        ['POST', `/api/exemptions/${exemptionInA}/revoke`, {}],
        ['POST', `/api/organizations/${branchA()}/invitations`, {}],
      ] as const;

    const snapshot = async () =>
      JSON.stringify([
        await t.db.selectFrom('members').selectAll().orderBy('id').execute(),
        await t.db.selectFrom('member_exemptions').selectAll().orderBy('id').execute(),
        await t.db.selectFrom('invitations').selectAll().orderBy('id').execute(),
        await t.db.selectFrom('audit_log').selectAll().orderBy('seq').execute(),
      ]);

    it('shows a plain member names, status, committee role and party group only, and no writes', async () => {
      const member = await t.client().signIn('memberA1');
      const roster = await member.get(`/api/organizations/${branchA()}/members`);
      expect(roster.status).toBe(200);
      expect(roster.body.access).toEqual({ details: false, manage: false });
      expect(roster.body.summary.absence).toBeUndefined();
      for (const entry of roster.body.members) {
        expect(Object.keys(entry).sort()).toEqual([
          'committeeRole',
          'fullName',
          'id',
          'partyGroup',
          'status',
        ]);
      }
      expect(roster.raw).not.toContain('13912345678');
      const detail = await member.get(`/api/members/${memberA()}`);
      expect(detail.status).toBe(200);
      expect(detail.body.details).toBeUndefined();
      expect(detail.body.exemptions).toBeUndefined();
      expect(detail.raw).not.toContain('1970-01-01');
      expect((await member.get(`/api/organizations/${branchA()}/members?includeLeft=true`)).status).toBe(403);

      const before = await snapshot();
      for (const [method, url, body] of writes()) {
        const response = await member.request(method, url, body);
        expect(response.status, `${method} ${url}`).toBe(403);
        expect(response.body.code).toBe('auth.forbidden');
      }
      expect(await snapshot()).toBe(before);
    });

    it('lets a committee viewer read everything but change nothing', async () => {
      const viewer = await t.client().signIn('viewer');
      const roster = await viewer.get(`/api/organizations/${branchA()}/members`);
      expect(roster.status).toBe(200);
      expect(roster.body.access).toEqual({ details: true, manage: false });
      expect(roster.body.members[0].details.phone).toBe('13912345678');
      expect((await viewer.get(`/api/members/${memberA()}`)).body.exemptions).toEqual([]);
      const before = await snapshot();
      for (const [method, url, body] of writes()) {
        expect((await viewer.request(method, url, body)).status, `${method} ${url}`).toBe(403);
      }
      expect(await snapshot()).toBe(before);
    });

    it("answers 404 to the secretary and members of another branch, and to another committee's staff", async () => {
      for (const login of ['secB', 'memberB', 'otherviewer']) {
        const stranger = await t.client().signIn(login);
        expect((await stranger.get(`/api/organizations/${branchA()}/members`)).status, login).toBe(404);
        expect((await stranger.get(`/api/members/${memberA()}`)).status, login).toBe(404);
        const before = await snapshot();
        for (const [method, url, body] of writes()) {
          const response = await stranger.request(method, url, body);
          expect(response.status, `${login} ${method} ${url}`).toBe(404);
          expect(response.body.code).toBe('resource.notFound');
        }
        expect(await snapshot()).toBe(before);
      }
    });

    it('answers 404 for ids that do not exist and 401 without a session', async () => {
      const secretary = await t.client().signIn('secA');
      const unknown = crypto.randomUUID();
      expect((await secretary.get(`/api/members/${unknown}`)).status).toBe(404);
      expect((await secretary.post(`/api/exemptions/${unknown}/revoke`)).status).toBe(404);
      expect((await secretary.get(`/api/organizations/${unknown}/members`)).status).toBe(404);
      const anonymous = t.client();
      expect((await anonymous.get(`/api/organizations/${branchA()}/members`)).status).toBe(401);
      expect((await anonymous.get('/api/members/import-template?format=csv')).status).toBe(401);
    });

    it('keeps the roster on branches: a committee has no members of its own', async () => {
      const admin = await t.client().signIn('admin');
      const response = await admin.get(`/api/organizations/${world.committee.id}/members`);
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('members.notABranch');
      expect((await admin.get(`/api/organizations/${branchA()}/members`)).body.access).toEqual({
        details: true,
        manage: true,
      });
    });
  });

  describe(`${variant}: exemptions`, () => {
    let t: TestApp;
    let world: SeededCommittee;
    let secretary: TestClient;
    let admin: TestClient;
    beforeAll(async () => {
      t = await startTestApp(variant);
      world = await seedCommittee(t.db, 3);
      secretary = await t.client().signIn('secA');
      admin = await t.client().signIn('admin');
    });
    afterAll(() => t.close());

    it('records an exemption, takes the member out of attendance denominators, and revokes it keeping the row', async () => {
      const member = world.membersA[0]!;
      const meetingId = await recordAttendance(t.db, {
        organizationId: world.branchA.id,
        memberId: world.membersA[1]!.memberId,
        startsAt: new Date(),
      });
      await t.db
        .insertInto('meeting_invitees')
        .values({ meeting_id: meetingId, member_id: member.memberId })
        .execute();
      expect((await attendanceSummary(t.db, meetingId)).counts).toMatchObject({
        invited: 2,
        expected: 2,
        exempt: 0,
      });

      const mark = await auditMark(t.db);
      const url = `/api/members/${member.memberId}/exemptions`;
      const valid = {
        reason: 'abroad',
        note: '随配偶出国',
        approvedBy: '第一党支部委员会',
        approvedOn: '2026-01-10',
        startsOn: '2026-01-15',
        endsOn: null,
      };
      const cases: Array<[Record<string, unknown>, Record<string, string>]> = [
        [{ ...valid, endsOn: '2026-01-14' }, { endsOn: 'beforeStart' }],
        [{ ...valid, reason: 'other', note: '' }, { note: 'required' }],
        [{ ...valid, reason: 'bored' }, { reason: 'invalidOption' }],
        [{ ...valid, approvedBy: '' }, { approvedBy: 'tooShort' }],
        [{ ...valid, approvedOn: '2999-01-01' }, { approvedOn: 'inFuture' }],
      ];
      for (const [body, fields] of cases) {
        const response = await secretary.post(url, body);
        expect(response.status).toBe(400);
        expect(response.body.fields).toEqual(fields);
      }
      expect(await t.db.selectFrom('member_exemptions').selectAll().execute()).toEqual([]);

      const created = await secretary.post(url, valid);
      expect(created.status).toBe(201);
      const detail = await secretary.get(`/api/members/${member.memberId}`);
      expect(detail.body.details.exemption).toEqual({ id: created.body.id, reason: 'abroad', endsOn: null });
      expect(detail.body.exemptions).toEqual([
        expect.objectContaining({
          id: created.body.id,
          reason: 'abroad',
          note: '随配偶出国',
          approvedBy: '第一党支部委员会',
          approvedOn: '2026-01-10',
          startsOn: '2026-01-15',
          endsOn: null,
          revokedAt: null,
          active: true,
        }),
      ]);
      expect((await attendanceSummary(t.db, meetingId)).counts).toMatchObject({
        invited: 2,
        expected: 1,
        exempt: 1,
      });

      const revoked = await secretary.post(`/api/exemptions/${created.body.id}/revoke`);
      expect(revoked.status).toBe(200);
      const after = await secretary.get(`/api/members/${member.memberId}`);
      expect(after.body.details.exemption).toBeNull();
      expect(after.body.exemptions[0]).toMatchObject({ active: false, revokedAt: expect.any(String) });
      expect((await attendanceSummary(t.db, meetingId)).counts).toMatchObject({ expected: 2, exempt: 0 });
      const twice = await secretary.post(`/api/exemptions/${created.body.id}/revoke`);
      expect(twice.status).toBe(409);
      expect(twice.body.code).toBe('members.exemptionAlreadyRevoked');
      const entries = await auditedSince(admin, world.branchA.id, mark);
      expect(entries).toEqual([
        {
          action: 'exemption.granted',
          actorLabel: '张书记',
          organizationId: world.branchA.id,
          details: {
            memberId: member.memberId,
            exemptionId: created.body.id,
            reason: 'abroad',
            startsOn: '2026-01-15',
            endsOn: null,
          },
        },
        {
          action: 'exemption.revoked',
          actorLabel: '张书记',
          organizationId: world.branchA.id,
          details: { memberId: member.memberId, exemptionId: created.body.id },
        },
      ]);
      expect(JSON.stringify(entries)).not.toContain('随配偶出国');
    });

    it('lists an exemption that has not started yet as inactive', async () => {
      const member = world.membersA[2]!;
      const created = await secretary.post(`/api/members/${member.memberId}/exemptions`, {
        reason: 'illness',
        approvedBy: '支委会',
        approvedOn: '2026-01-01',
        startsOn: '2999-01-01',
      });
      expect(created.status).toBe(201);
      const detail = await secretary.get(`/api/members/${member.memberId}`);
      expect(detail.body.details.exemption).toBeNull();
      expect(detail.body.exemptions[0].active).toBe(false);
    });
  });
}
