import type { CommitteeRole, MemberStatus } from '../../../shared/domain/enums.ts';
import type { Gender } from '../../../shared/domain/roster.ts';

/** A cell as read from a spreadsheet or CSV: text, a number, a date cell, a boolean, or empty. */
export type Cell = string | number | boolean | Date | null;

/** A cell's value, or the field code explaining why it cannot be used. */
export type Parsed<T> = { value: T } | { error: string };

/** The text of a cell, folded (NFKC: full-width digits and letters to ASCII) and trimmed; '' when empty. */
export function cellText(cell: Cell): string {
  if (cell === null) return '';
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? '' : cell.toISOString().slice(0, 10);
  return String(cell).normalize('NFKC').trim();
}

const cjk = '\\p{Script=Han}';
const spaceBetweenHan = new RegExp(`(?<=${cjk})\\s+(?=${cjk})`, 'gu');

/**
 * A person's name as typed in a register. Two-character names are often padded to line up with
 * three-character ones ("王  五"): spaces between Chinese characters are removed, others collapsed.
 *
 * @example normalizeName(' 王　 五 ') // '王五'
 */
export function normalizeName(cell: Cell): string {
  return cellText(cell).replace(spaceBetweenHan, '').replace(/\s+/g, ' ');
}

/**
 * A telephone number; Excel keeps mobile numbers as numbers (13800138000 → 1.38e10), which are
 * turned back into their digits.
 */
export function normalizePhone(cell: Cell): string {
  if (typeof cell === 'number' && Number.isInteger(cell)) return String(cell);
  return cellText(cell).replace(/\s+/g, ' ');
}

/** Digits only, for recognising the same number written two ways (138-0013-8000 vs 13800138000). */
export const phoneDigits = (phone: string | null) => (phone ?? '').replace(/\D/g, '');

function isoFrom(year: number, month: number, day: number): string | null {
  if (month < 1 || month > 12 || day < 1) return null;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day)
    return null;
  return date.toISOString().slice(0, 10);
}

/** Excel's day 0 is 1899-12-30 once its phantom 29 Feb 1900 is accounted for (serials ≥ 61, i.e. after 1900). */
const excelEpochMs = Date.UTC(1899, 11, 30);
const dayMs = 86_400_000;

const datePatterns: Array<{ pattern: RegExp; dayGiven: boolean }> = [
  { pattern: /^(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})(?:[ T]\d{1,2}:\d{2}.*)?$/, dayGiven: true },
  { pattern: /^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?$/, dayGiven: true },
  { pattern: /^(\d{4})(\d{2})(\d{2})$/, dayGiven: true },
  { pattern: /^(\d{4})\s*[-/.]\s*(\d{1,2})$/, dayGiven: false },
  { pattern: /^(\d{4})\s*年\s*(\d{1,2})\s*月?$/, dayGiven: false },
  { pattern: /^(\d{4})(\d{2})$/, dayGiven: false },
];

/**
 * A date as registers write it: a date cell, an Excel serial number, 2019-07-01, 2019/7/1,
 * 2019.7.1, 2019年7月1日, 20190701, or a month alone (2019.07, 2019年7月, 201907 → the 1st).
 * "2019.1" is refused as ambiguous: Excel turns a typed 2019.10 into the number 2019.1.
 *
 * @example parseDate('2019年7月1日') // { value: '2019-07-01' }
 */
export function parseDate(cell: Cell): Parsed<string | null> {
  if (cell instanceof Date) {
    if (Number.isNaN(cell.getTime())) return { error: 'invalidDate' };
    // Spreadsheet dates carry no time zone; exceljs hands them over as UTC midnight.
    return { value: cell.toISOString().slice(0, 10) };
  }
  if (typeof cell === 'number') {
    if (Number.isInteger(cell) && cell >= 61 && cell < 2_958_466 && !/^\d{6}$|^\d{8}$/.test(String(cell)))
      return { value: new Date(excelEpochMs + cell * dayMs).toISOString().slice(0, 10) };
  }
  const text = cellText(cell);
  if (text === '') return { value: null };
  if (/^\d{4}\.1$/.test(text)) return { error: 'ambiguousDate' };
  for (const { pattern, dayGiven } of datePatterns) {
    const match = pattern.exec(text);
    if (!match) continue;
    const iso = isoFrom(Number(match[1]), Number(match[2]), dayGiven ? Number(match[3]) : 1);
    return iso ? { value: iso } : { error: 'invalidDate' };
  }
  return { error: 'invalidDate' };
}

function lookup<T>(table: Record<string, T>, cell: Cell, blank: T | undefined): Parsed<T | null> {
  const key = cellText(cell).toLowerCase().replace(/\s+/g, ' ');
  if (key === '') return { value: blank ?? null };
  return key in table ? { value: table[key]! } : { error: 'invalidOption' };
}

const genderWords: Record<string, Gender> = {
  男: 'male',
  男性: 'male',
  m: 'male',
  male: 'male',
  女: 'female',
  女性: 'female',
  f: 'female',
  female: 'female',
};
export const parseGender = (cell: Cell) => lookup(genderWords, cell, undefined);

const statusWords: Record<string, MemberStatus> = {
  正式党员: 'fullMember',
  正式: 'fullMember',
  'full member': 'fullMember',
  full: 'fullMember',
  fullmember: 'fullMember',
  预备党员: 'probationaryMember',
  预备: 'probationaryMember',
  'probationary member': 'probationaryMember',
  probationary: 'probationaryMember',
  probationarymember: 'probationaryMember',
};
export const parseStatus = (cell: Cell) => lookup(statusWords, cell, undefined);

const noRole = null as CommitteeRole | null;
const roleWords: Record<string, CommitteeRole | null> = {
  书记: 'secretary',
  支部书记: 'secretary',
  党支部书记: 'secretary',
  secretary: 'secretary',
  副书记: 'deputySecretary',
  支部副书记: 'deputySecretary',
  'deputy secretary': 'deputySecretary',
  组织委员: 'organization',
  'organization officer': 'organization',
  宣传委员: 'publicity',
  'publicity officer': 'publicity',
  纪检委员: 'discipline',
  纪律检查委员: 'discipline',
  'discipline officer': 'discipline',
  支部委员: 'committeeMember',
  委员: 'committeeMember',
  支委: 'committeeMember',
  'committee member': 'committeeMember',
  // Ordinary members are often written out instead of left blank.
  无: noRole,
  党员: noRole,
  普通党员: noRole,
  '-': noRole,
  '—': noRole,
  '/': noRole,
  none: noRole,
  member: noRole,
};

/**
 * A 支部职务. Portfolios beyond the five customary ones (青年委员, 保密委员…) are committee
 * members all the same.
 */
export function parseCommitteeRole(cell: Cell): Parsed<CommitteeRole | null> {
  const parsed = lookup(roleWords, cell, undefined);
  if ('error' in parsed && /委员$/.test(cellText(cell))) return { value: 'committeeMember' };
  return parsed;
}

const yesNoWords: Record<string, boolean> = {
  是: true,
  否: false,
  y: true,
  n: false,
  yes: true,
  no: false,
  true: true,
  false: false,
  '1': true,
  '0': false,
  '√': true,
  '✓': true,
  '×': false,
  '✗': false,
  有: true,
  无: false,
};
export function parseYesNo(cell: Cell): Parsed<boolean> {
  if (typeof cell === 'boolean') return { value: cell };
  const parsed = lookup(yesNoWords, cell, false);
  return 'error' in parsed ? parsed : { value: parsed.value ?? false };
}
