/**
 * The columns of a branch roster as branches already keep it (党员花名册), in the order of our
 * template. Headers in the wild vary ("手机号码" or "联系电话", "党员类别" or "人员类别", full-width
 * brackets, a "*" for required, an English export…), so each field lists the headers it answers to.
 */
export const rosterColumns = [
  { field: 'fullName', zh: '姓名', en: 'Name', aliases: ['名字', '党员姓名', 'full name', 'member name'] },
  { field: 'gender', zh: '性别', en: 'Gender', aliases: ['sex'] },
  { field: 'ethnicity', zh: '民族', en: 'Ethnicity', aliases: ['nationality', 'ethnic group'] },
  {
    field: 'birthDate',
    zh: '出生日期',
    en: 'Date of birth',
    aliases: ['出生年月', '出生年月日', '出生时间', '生日', 'birth date', 'birthday', 'dob'],
  },
  { field: 'education', zh: '学历', en: 'Education', aliases: ['文化程度', '最高学历', '全日制学历'] },
  {
    field: 'phone',
    zh: '联系电话',
    en: 'Phone',
    aliases: [
      '手机号码',
      '手机号',
      '手机',
      '电话',
      '电话号码',
      '联系方式',
      'mobile',
      'phone number',
      'telephone',
      'tel',
    ],
  },
  {
    field: 'joinedPartyOn',
    zh: '入党时间',
    en: 'Joined the Party',
    aliases: ['入党日期', '入党年月', 'date joined', 'joined party', 'party membership date'],
  },
  {
    field: 'status',
    zh: '人员类别',
    en: 'Member status',
    aliases: ['党员类别', '党员类型', '党员身份', 'status', 'member type', 'category'],
  },
  {
    field: 'committeeRole',
    zh: '支部职务',
    en: 'Committee role',
    aliases: ['党内职务', '支委职务', '党支部职务', 'committee post', 'party post'],
  },
  { field: 'partyGroup', zh: '党小组', en: 'Party group', aliases: ['所在党小组', '所属党小组', 'group'] },
  {
    field: 'leadingCadre',
    zh: '是否领导干部',
    en: 'Leading cadre',
    aliases: ['领导干部', 'is leading cadre'],
  },
  {
    field: 'dualOrgLife',
    zh: '是否双重组织生活',
    en: 'Dual organization life',
    aliases: ['双重组织生活', '参加双重组织生活', 'dual org life'],
  },
  { field: 'notes', zh: '备注', en: 'Notes', aliases: ['说明', 'remarks', 'note', 'comments'] },
] as const;

export type RosterField = (typeof rosterColumns)[number]['field'];

/** Without these a row cannot become a roster entry (a probationary member must never be graded by default). */
export const requiredFields: readonly RosterField[] = ['fullName', 'status'];

/**
 * Reduces a header to what identifies it: full-width forms folded (NFKC), case, spaces, bracketed
 * hints ("（必填）", "(YYYY-MM-DD)"), required-markers and colons removed.
 *
 * @example normalizeHeader(' 出生日期（年月日）* ') // '出生日期'
 */
export function normalizeHeader(header: string): string {
  return header
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[([【][^)\]】]*[)\]】]/g, '')
    .replace(/[\s*:：_]/g, '');
}

const fieldByHeader = new Map<string, RosterField>(
  rosterColumns.flatMap((c) =>
    [c.zh, c.en, c.field, ...c.aliases].map((h) => [normalizeHeader(h), c.field] as [string, RosterField]),
  ),
);

export function fieldForHeader(header: string): RosterField | null {
  return fieldByHeader.get(normalizeHeader(header)) ?? null;
}

export interface HeaderMapping {
  /** Each column of the file, with the field it fills; null for columns we ignore (序号, 籍贯…). */
  columns: Array<{ index: number; header: string; field: RosterField | null }>;
  /** Required fields with no column at all. */
  missing: RosterField[];
}

/**
 * Maps a header row to roster fields. When two columns answer to one field (联系电话 and 手机号码),
 * both are kept: a row's value comes from the first that is filled in.
 */
export function mapHeaders(headers: readonly string[]): HeaderMapping {
  const columns = headers.map((header, index) => ({
    index,
    header: header.trim(),
    field: header.trim() ? fieldForHeader(header) : null,
  }));
  const present = new Set(columns.map((c) => c.field));
  return { columns, missing: requiredFields.filter((f) => !present.has(f)) };
}

/** The Chinese header our template uses for a field (how a missing column is named to the person). */
export function templateHeader(field: RosterField): string {
  return rosterColumns.find((c) => c.field === field)!.zh;
}
