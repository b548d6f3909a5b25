import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rosterColumns } from '../../server/members/import/columns.ts';
import { auditedSince, auditMark } from '../support/audit.ts';
import { dbVariantsFromEnv } from '../support/db-variants.ts';
import { insertOrganization, type SeededCommittee, seedCommittee } from '../support/fixtures.ts';
import { branchWorkbook } from '../support/roster-files.ts';
import { startTestApp, type TestApp, type TestClient } from '../support/test-app.ts';
import { encodeGb18030, multipartFile } from '../support/uploads.ts';

for (const variant of dbVariantsFromEnv()) {
  describe(`${variant}: roster import`, () => {
    let t: TestApp;
    let world: SeededCommittee;
    let admin: TestClient;
    let freshBranch: () => Promise<string>;
    const upload = (
      client: TestClient,
      branchId: string,
      step: 'preview' | 'commit',
      file: ReturnType<typeof multipartFile>,
    ) =>
      client.request(
        'POST',
        `/api/organizations/${branchId}/members/import${step === 'preview' ? '/preview' : ''}`,
        file.body,
        file.headers,
      );
    const roster = async (branchId: string) =>
      (await admin.get(`/api/organizations/${branchId}/members`)).body as {
        members: Array<{
          fullName: string;
          status: string;
          committeeRole: string | null;
          partyGroup: { name: string } | null;
          details: Record<string, unknown>;
        }>;
        partyGroups: Array<{ name: string }>;
      };

    beforeAll(async () => {
      t = await startTestApp(variant);
      world = await seedCommittee(t.db, 1);
      admin = await t.client().signIn('admin');
      let n = 0;
      freshBranch = async () =>
        (await insertOrganization(t.db, `导入测试支部${++n}`, 'partyBranch', world.committee)).id;
    });
    afterAll(() => t.close());

    it('previews and imports an XLSX roster with a title row, header variants and Excel date cells', async () => {
      const secretary = await t.client().signIn('secA');
      await insertOrganization(t.db, '第一党小组', 'partyGroup', world.branchA);
      const file = multipartFile('花名册.xlsx', await branchWorkbook());
      const preview = await upload(secretary, world.branchA.id, 'preview', file);
      expect(preview.status).toBe(200);
      expect(preview.body).toMatchObject({
        fileName: '花名册.xlsx',
        format: 'xlsx',
        encoding: null,
        headerRow: 3,
        errors: [],
        warnings: [],
        partyGroupsToCreate: ['第二党小组'],
        counts: { rows: 4, toCreate: 4, existing: 0, withErrors: 0 },
      });
      expect(preview.body.columns[0]).toEqual({ header: '序号', field: null });
      expect(preview.body.rows.map((r: { row: number }) => r.row)).toEqual([4, 5, 7, 8]);
      expect(preview.body.rows[0].values).toEqual({
        fullName: '刘洋',
        gender: 'male',
        ethnicity: '汉族',
        birthDate: '1978-04-21',
        education: '大学本科',
        phone: '13811112222',
        joinedPartyOn: '2001-07-01',
        status: 'fullMember',
        committeeRole: 'organization',
        partyGroupName: '第一党小组',
        leadingCadre: false,
        dualOrgLife: false,
        notes: null,
      });
      expect(preview.body.rows[2].values).toMatchObject({
        birthDate: '1965-03-01',
        joinedPartyOn: '1990-07-01',
        leadingCadre: true,
      });
      expect(preview.body.rows[3].values).toMatchObject({
        joinedPartyOn: '2023-01-01',
        status: 'probationaryMember',
      });
      // A preview writes nothing.
      expect((await roster(world.branchA.id)).members).toHaveLength(3);

      const mark = await auditMark(t.db);
      const committed = await upload(secretary, world.branchA.id, 'commit', file);
      expect(committed.status).toBe(200);
      expect(committed.body).toEqual({ created: 4, skipped: 0, partyGroupsCreated: ['第二党小组'] });
      const after = await roster(world.branchA.id);
      expect(after.partyGroups.map((g) => g.name).sort()).toEqual(['第一党小组', '第二党小组'].sort());
      const ma = after.members.find((m) => m.fullName === '马明')!;
      expect(ma).toMatchObject({
        status: 'fullMember',
        committeeRole: null,
        partyGroup: { name: '第二党小组' },
      });
      expect(ma.details).toMatchObject({
        phone: '010-88889999',
        ethnicity: '回族',
        leadingCadre: true,
        notes: '区人大代表',
      });

      const again = await upload(secretary, world.branchA.id, 'commit', file);
      expect(again.body).toEqual({ created: 0, skipped: 4, partyGroupsCreated: [] });
      expect((await roster(world.branchA.id)).members).toHaveLength(7);
      // Counts only: the file's names stay out of the audit log. Two of the four hold committee posts.
      const entries = await auditedSince(admin, world.branchA.id, mark);
      expect(entries).toEqual([
        {
          action: 'roster.imported',
          actorLabel: '张书记',
          organizationId: world.branchA.id,
          details: { rows: 4, created: 4, skipped: 0, partyGroupsCreated: 1, committeePosts: 2 },
        },
        {
          action: 'roster.imported',
          actorLabel: '张书记',
          organizationId: world.branchA.id,
          details: { rows: 4, created: 0, skipped: 4, partyGroupsCreated: 0, committeePosts: 0 },
        },
      ]);
      expect(JSON.stringify(entries)).not.toContain('刘洋');
    });

    it('imports a UTF-8 CSV with a BOM, CRLF lines, quotes and blank lines', async () => {
      const branchId = await freshBranch();
      const csv =
        '\uFEFF姓名,性别,出生日期,联系电话,入党时间,人员类别,支部职务,党小组,是否领导干部,备注\r\n' +
        '王建国 ,男,1970-10-01,13700001111,1995年7月1日,正式党员,书记,,是,"退休返聘, 兼任离退休党小组联络人"\r\n' +
        '\r\n' +
        '  李秀英,女,1975/5/5,,2000.07,正式党员,,,否,\r\n' +
        '张伟,男,1988.08.08,13700002222,2012-06-01,预备党员,,,,\r\n';
      const response = await upload(admin, branchId, 'commit', multipartFile('roster.csv', csv, 'text/csv'));
      expect(response.status).toBe(200);
      expect(response.body.created).toBe(3);
      const members = (await roster(branchId)).members;
      expect(members.map((m) => m.fullName)).toEqual(['王建国', '李秀英', '张伟']);
      expect(members[0]!.committeeRole).toBe('secretary');
      expect(members[0]!.details.notes).toBe('退休返聘, 兼任离退休党小组联络人');
      expect(members[1]!.details.joinedPartyOn).toBe('2000-07-01');
    });

    it('imports a GB18030 CSV as Excel on Chinese Windows saves it', async () => {
      const branchId = await freshBranch();
      const csv =
        '姓名,性别,出生日期,手机号码,人员类别,党小组\r\n欧阳娜娜,女,1996年2月29日,18600001111,正式党员,机关党小组\r\n';
      const file = multipartFile('花名册.csv', encodeGb18030(csv), 'text/csv');
      const preview = await upload(admin, branchId, 'preview', file);
      expect(preview.body).toMatchObject({
        encoding: 'gb18030',
        errors: [],
        partyGroupsToCreate: ['机关党小组'],
      });
      expect(preview.body.rows[0].values).toMatchObject({ fullName: '欧阳娜娜', birthDate: '1996-02-29' });
      expect((await upload(admin, branchId, 'commit', file)).body.created).toBe(1);
      expect((await roster(branchId)).members[0]!.partyGroup).toMatchObject({ name: '机关党小组' });
    });

    it('refuses a file with row errors as a whole, listing each row, column and problem', async () => {
      const branchId = await freshBranch();
      const before = await roster(branchId);
      const csv = [
        '姓名,性别,出生日期,联系电话,人员类别,支部职务,党小组',
        '合格甲,男,1980-01-01,13800000001,正式党员,,新党小组',
        ',女,1981-01-01,,正式党员,,',
        '乙,不详,1982-13-01,,正式党员,,',
        '丙,男,1983-01-01,电话,群众,科长,',
        '合格甲,男,1980-01-01,138-0000-0001,正式党员,,',
        '丁,女,2999-01-01,,预备党员,,',
      ].join('\n');
      const file = multipartFile('bad.csv', csv);
      const expected = [
        { row: 3, column: '姓名', code: 'required' },
        { row: 4, column: '性别', code: 'invalidOption', value: '不详' },
        { row: 4, column: '出生日期', code: 'invalidDate', value: '1982-13-01' },
        { row: 5, column: '联系电话', code: 'invalidFormat', value: '电话' },
        { row: 5, column: '人员类别', code: 'invalidOption', value: '群众' },
        { row: 5, column: '支部职务', code: 'invalidOption', value: '科长' },
        { row: 6, column: '姓名', code: 'duplicateInFile', value: '合格甲', otherRow: 2 },
        { row: 7, column: '出生日期', code: 'inFuture', value: '2999-01-01' },
      ];
      const preview = await upload(admin, branchId, 'preview', file);
      expect(preview.status).toBe(200);
      expect(preview.body.errors).toEqual(expected);
      expect(preview.body.counts).toEqual({ rows: 6, toCreate: 1, existing: 0, withErrors: 5 });

      const mark = await auditMark(t.db);
      const refused = await upload(admin, branchId, 'commit', file);
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({ code: 'members.importInvalid', issues: expected });
      expect(refused.body.message).toMatch(/没有导入任何人/);
      const after = await roster(branchId);
      expect(after.members).toEqual(before.members);
      expect(after.partyGroups).toEqual([]);
      expect(await auditedSince(admin, branchId, mark)).toEqual([]);
    });

    it('refuses oversized, overlong, legacy and non-multipart uploads', async () => {
      const branchId = await freshBranch();
      const big = await upload(
        admin,
        branchId,
        'preview',
        multipartFile('big.csv', Buffer.alloc(5 * 1024 * 1024 + 1, 0x41)),
      );
      expect(big.status).toBe(413);
      expect(big.body.code).toBe('request.tooLarge');

      const rows = Array.from({ length: 2001 }, (_, i) => `党员${i},正式党员`);
      const long = await upload(
        admin,
        branchId,
        'commit',
        multipartFile('long.csv', ['姓名,人员类别', ...rows].join('\n')),
      );
      expect(long.status).toBe(400);
      expect(long.body.code).toBe('members.importTooManyRows');

      const xls = Buffer.concat([
        Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
        Buffer.alloc(512),
      ]);
      const legacy = await upload(admin, branchId, 'preview', multipartFile('old.xls', xls));
      expect(legacy.body.code).toBe('members.importLegacyXls');

      const zip = await upload(
        admin,
        branchId,
        'preview',
        multipartFile('x.xlsx', Buffer.from('PK\u0003\u0004 not really a zip')),
      );
      expect(zip.body.code).toBe('members.importUnreadable');

      const noHeader = await upload(
        admin,
        branchId,
        'preview',
        multipartFile('x.csv', '序号,籍贯\n1,北京\n'),
      );
      expect(noHeader.body.code).toBe('members.importNoHeader');

      const json = await admin.post(`/api/organizations/${branchId}/members/import/preview`, { file: 'x' });
      expect(json.status).toBe(415);
      expect((await roster(branchId)).members).toEqual([]);
    });

    it('lets only the branch secretary (or an administrator) import', async () => {
      const file = multipartFile('x.csv', '姓名,人员类别\n外人,正式党员\n');
      for (const login of ['memberA1', 'viewer']) {
        const client = await t.client().signIn(login);
        expect((await upload(client, world.branchA.id, 'preview', file)).status, login).toBe(403);
        expect((await upload(client, world.branchA.id, 'commit', file)).status, login).toBe(403);
      }
      for (const login of ['secB', 'otherviewer']) {
        const client = await t.client().signIn(login);
        expect((await upload(client, world.branchA.id, 'preview', file)).status, login).toBe(404);
        expect((await upload(client, world.branchA.id, 'commit', file)).status, login).toBe(404);
      }
      expect((await roster(world.branchA.id)).members.map((m) => m.fullName)).not.toContain('外人');
    });

    it('offers templates with the Chinese headers and an example row, which import as they are', async () => {
      const xlsx = await admin.request('GET', '/api/members/import-template?format=xlsx');
      expect(xlsx.status).toBe(200);
      expect(xlsx.headers['content-type']).toBe(
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      );
      expect(String(xlsx.headers['content-disposition'])).toMatch(
        /^attachment; filename="roster-template.xlsx"/,
      );
      const raw = await t.app.inject({
        method: 'GET',
        url: '/api/members/import-template?format=xlsx',
        headers: { cookie: admin.cookieHeader() },
      });
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(raw.rawPayload as unknown as ExcelJS.Buffer);
      const sheet = workbook.worksheets[0]!;
      expect((sheet.getRow(1).values as string[]).slice(1)).toEqual(rosterColumns.map((c) => c.zh));
      expect(sheet.getCell('A2').value).toBe('王小明');
      expect(workbook.worksheets[1]!.getCell('A2').value).toBe('姓名');

      const csv = await admin.get('/api/members/import-template?format=csv');
      expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(csv.raw.startsWith(`\uFEFF${rosterColumns.map((c) => c.zh).join(',')}\r\n王小明,`)).toBe(true);

      const branchId = await freshBranch();
      for (const [name, bytes] of [
        ['template.xlsx', raw.rawPayload],
        ['template.csv', Buffer.from(csv.raw)],
      ] as const) {
        const preview = await upload(admin, branchId, 'preview', multipartFile(name, bytes));
        expect(preview.body.errors, name).toEqual([]);
        expect(preview.body.rows[0].values, name).toMatchObject({
          fullName: '王小明',
          birthDate: '1985-03-12',
          phone: '13800138000',
          status: 'fullMember',
          committeeRole: 'organization',
          partyGroupName: '第一党小组',
        });
      }
      expect((await admin.get('/api/members/import-template?format=pdf')).status).toBe(400);
    });
  });
}
