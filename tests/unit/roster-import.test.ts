import { describe, expect, it } from 'vitest';
import {
  fieldForHeader,
  mapHeaders,
  normalizeHeader,
  rosterColumns,
} from '../../server/members/import/columns.ts';
import { planImport } from '../../server/members/import/plan.ts';
import { decodeText } from '../../server/members/import/read-table.ts';
import {
  normalizeName,
  normalizePhone,
  parseCommitteeRole,
  parseDate,
  parseGender,
  parseStatus,
  parseYesNo,
} from '../../server/members/import/values.ts';
import { encodeGb18030 } from '../support/uploads.ts';

describe('roster header mapping', () => {
  it('recognises the headers branches use, in Chinese and English, with decorations', () => {
    const cases: Array<[string, string | null]> = [
      ['姓名', 'fullName'],
      [' 姓 名 ', 'fullName'],
      ['*姓名', 'fullName'],
      ['Name', 'fullName'],
      ['性别', 'gender'],
      ['民族', 'ethnicity'],
      ['出生日期（年月日）', 'birthDate'],
      ['出生年月', 'birthDate'],
      ['Date of Birth', 'birthDate'],
      ['学历', 'education'],
      ['联系电话', 'phone'],
      ['手机号码', 'phone'],
      ['Mobile', 'phone'],
      ['入党时间', 'joinedPartyOn'],
      ['人员类别', 'status'],
      ['党员类别', 'status'],
      ['支部职务', 'committeeRole'],
      ['党小组', 'partyGroup'],
      ['是否领导干部', 'leadingCadre'],
      ['是否双重组织生活', 'dualOrgLife'],
      ['备注：', 'notes'],
      ['ＲＥＭＡＲＫＳ', 'notes'],
      ['序号', null],
      ['籍贯', null],
      // A bare 职务 is usually the job at work (科长), not a post in the branch.
      ['职务', null],
    ];
    for (const [header, field] of cases) expect(fieldForHeader(header), header).toBe(field);
  });

  it('knows every template header and reports required columns that are missing', () => {
    for (const c of rosterColumns) expect(fieldForHeader(c.zh)).toBe(c.field);
    expect(normalizeHeader('出生日期 (YYYY-MM-DD) *')).toBe('出生日期');
    const mapping = mapHeaders(['序号', '姓名', '手机号码', '联系电话', '']);
    expect(mapping.columns.map((c) => c.field)).toEqual([null, 'fullName', 'phone', 'phone', null]);
    expect(mapping.missing).toEqual(['status']);
  });
});

describe('roster date parsing', () => {
  it('reads the date forms found in registers', () => {
    const cases: Array<[Parameters<typeof parseDate>[0], string | null]> = [
      ['2019-07-01', '2019-07-01'],
      ['2019/7/1', '2019-07-01'],
      ['2019.7.1', '2019-07-01'],
      ['2019年7月1日', '2019-07-01'],
      ['2019年07月01号', '2019-07-01'],
      ['２０１９年７月１日', '2019-07-01'],
      ['20190701', '2019-07-01'],
      ['2019-07-01 00:00:00', '2019-07-01'],
      ['2019.07', '2019-07-01'],
      ['2019.10', '2019-10-01'],
      ['2019-7', '2019-07-01'],
      ['2019年7月', '2019-07-01'],
      ['201907', '2019-07-01'],
      [20190701, '2019-07-01'],
      [2019.07, '2019-07-01'],
      [2019.12, '2019-12-01'],
      // An Excel date serial that lost its date format: 43647 is 2019-07-01.
      [43647, '2019-07-01'],
      [new Date(Date.UTC(1985, 2, 12)), '1985-03-12'],
      ['', null],
      [null, null],
    ];
    for (const [input, expected] of cases)
      expect(parseDate(input), String(input)).toEqual({ value: expected });
  });

  it('refuses impossible and ambiguous dates', () => {
    for (const input of ['2019-02-30', '2019-13-01', '2019/0/1', '七月一日', '1985', 'yesterday', true])
      expect(parseDate(input), String(input)).toEqual({ error: 'invalidDate' });
    // Excel turns a typed 2019.10 into the number 2019.1.
    expect(parseDate(2019.1)).toEqual({ error: 'ambiguousDate' });
    expect(parseDate('2019.1')).toEqual({ error: 'ambiguousDate' });
    expect(parseDate('2019/1')).toEqual({ value: '2019-01-01' });
  });
});

describe('roster cell values', () => {
  it('normalises names, phones and closed vocabularies', () => {
    expect(normalizeName(' 王　 五 ')).toBe('王五');
    expect(normalizeName('Anna  Li')).toBe('Anna Li');
    expect(normalizePhone(13800138000)).toBe('13800138000');
    expect(normalizePhone(' 010-6666 8888 ')).toBe('010-6666 8888');
    expect(parseGender('女')).toEqual({ value: 'female' });
    expect(parseGender('M')).toEqual({ value: 'male' });
    expect(parseGender('')).toEqual({ value: null });
    expect(parseGender('未知')).toEqual({ error: 'invalidOption' });
    expect(parseStatus('预备党员')).toEqual({ value: 'probationaryMember' });
    expect(parseStatus('Full member')).toEqual({ value: 'fullMember' });
    expect(parseStatus('群众')).toEqual({ error: 'invalidOption' });
    expect(parseCommitteeRole('书记')).toEqual({ value: 'secretary' });
    expect(parseCommitteeRole('纪检委员')).toEqual({ value: 'discipline' });
    expect(parseCommitteeRole('青年委员')).toEqual({ value: 'committeeMember' });
    expect(parseCommitteeRole('党员')).toEqual({ value: null });
    expect(parseCommitteeRole('科长')).toEqual({ error: 'invalidOption' });
    expect(parseYesNo('是')).toEqual({ value: true });
    expect(parseYesNo('√')).toEqual({ value: true });
    expect(parseYesNo('')).toEqual({ value: false });
    expect(parseYesNo(false)).toEqual({ value: false });
    expect(parseYesNo('也许')).toEqual({ error: 'invalidOption' });
  });

  it('decodes CSV text in UTF-8 (with or without BOM) and GB18030', () => {
    const text = '姓名,人员类别\r\n李四,正式党员\r\n';
    expect(decodeText(Buffer.from(`\uFEFF${text}`))).toEqual({ text, encoding: 'utf-8' });
    expect(decodeText(Buffer.from(text))).toEqual({ text, encoding: 'utf-8' });
    expect(decodeText(encodeGb18030(text))).toEqual({ text, encoding: 'gb18030' });
  });
});

describe('import planning', () => {
  const table = (rows: Array<Array<string | number | null>>) => ({
    format: 'csv' as const,
    encoding: 'utf-8',
    rows: rows.map((cells, i) => ({ number: i + 1, cells })),
  });
  const context = {
    members: [
      {
        id: '00000000-0000-4000-8000-000000000001',
        fullName: '张书记',
        phone: '13800000001',
        birthDate: null,
        committeeRole: 'secretary' as const,
      },
      {
        id: '00000000-0000-4000-8000-000000000002',
        fullName: '李四',
        phone: null,
        birthDate: '1980-02-02',
        committeeRole: null,
      },
    ],
    partyGroups: [{ id: '00000000-0000-4000-8000-000000000003', name: '第一党小组' }],
  };

  it('finds the header under a title, skips what is already on the roster, and lists new party groups', () => {
    const { preview, toCreate } = planImport(
      table([
        ['第一党支部党员花名册', null, null, null, null],
        ['姓名', '人员类别', '出生日期', '手机号码', '党小组'],
        ['李四', '正式党员', '1980/2/2', '', '第一党小组 '],
        ['王五', '预备党员', '1999年9月9日', '13900000002', '第二党小组'],
        [null, null, null, null, null],
        ['赵六', '正式党员', '', '', '第二党小组'],
      ]),
      'roster.csv',
      context,
    );
    expect(preview.headerRow).toBe(2);
    expect(preview.errors).toEqual([]);
    expect(preview.rows.map((r) => [r.row, r.status])).toEqual([
      [3, 'existing'],
      [4, 'new'],
      [6, 'new'],
    ]);
    expect(preview.rows[0]!.existingMemberId).toBe(context.members[1]!.id);
    expect(preview.partyGroupsToCreate).toEqual(['第二党小组']);
    expect(toCreate.map((v) => v.fullName)).toEqual(['王五', '赵六']);
    expect(preview.counts).toEqual({ rows: 3, toCreate: 2, existing: 1, withErrors: 0 });
  });

  it('reports every row problem with its row number and column', () => {
    const { preview, toCreate } = planImport(
      table([
        ['姓名', '党员类别', '出生年月', '联系电话', '支部职务', '入党时间'],
        ['', '正式党员', '', '', '', ''],
        ['钱七', '群众', '1990-01-01', '', '', ''],
        ['孙八', '正式党员', '1990-01-45', 'n/a', '', '1980-01-01'],
        ['周九', '正式党员', '1991-01-01', '', '书记', '2999-01-01'],
        ['吴十', '正式党员', '1992-02-02', '', '', ''],
        ['吴十', '预备党员', '1992-02-02', '', '', ''],
        ['张书记', '正式党员', '', '', '', ''],
      ]),
      'bad.csv',
      context,
    );
    expect(preview.errors).toEqual([
      { row: 2, column: '姓名', code: 'required' },
      { row: 3, column: '党员类别', code: 'invalidOption', value: '群众' },
      { row: 4, column: '出生年月', code: 'invalidDate', value: '1990-01-45' },
      { row: 4, column: '联系电话', code: 'invalidFormat', value: 'n/a' },
      { row: 5, column: '支部职务', code: 'secretaryTaken', value: '书记' },
      { row: 5, column: '入党时间', code: 'inFuture', value: '2999-01-01' },
      { row: 7, column: '姓名', code: 'duplicateInFile', value: '吴十', otherRow: 6 },
    ]);
    expect(preview.warnings).toEqual([{ row: 8, column: '姓名', code: 'sameNameOnRoster' }]);
    expect(preview.counts.withErrors).toBe(5);
    expect(toCreate.map((v) => v.fullName)).toEqual(['吴十', '张书记']);
  });

  it('names a missing required column once instead of failing every row', () => {
    const { preview } = planImport(
      table([
        ['姓名', '性别'],
        ['王五', '男'],
      ]),
      'x.csv',
      context,
    );
    expect(preview.errors).toEqual([{ row: 1, column: '人员类别', code: 'missingColumn' }]);
  });

  it('refuses files without a recognisable header or rows', () => {
    expect(() =>
      planImport(
        table([
          ['序号', '籍贯'],
          ['1', '北京'],
        ]),
        'x.csv',
        context,
      ),
    ).toThrow(expect.objectContaining({ code: 'members.importNoHeader' }));
    expect(() =>
      planImport(
        table([
          ['姓名', '人员类别'],
          [null, null],
        ]),
        'x.csv',
        context,
      ),
    ).toThrow(expect.objectContaining({ code: 'members.importEmpty' }));
  });
});
