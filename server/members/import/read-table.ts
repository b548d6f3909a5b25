import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { AppError } from '../../http/errors.ts';
import type { Cell } from './values.ts';

export interface TableRow {
  /** The row number the person sees in Excel (or the line number in a CSV file). */
  number: number;
  cells: Cell[];
}

export interface Table {
  format: 'xlsx' | 'csv';
  /** How a CSV file's text was decoded; null for XLSX. */
  encoding: string | null;
  rows: TableRow[];
}

const unreadable = () => new AppError('members.importUnreadable', 400, { file: 'invalid' });

const startsWith = (bytes: Uint8Array, signature: number[]) => signature.every((b, i) => bytes[i] === b);

/**
 * Reads an uploaded roster: XLSX (a zip) by its signature, anything else as CSV. The old binary .xls
 * format is named so the person knows to save as .xlsx or CSV.
 */
export async function readTable(bytes: Buffer): Promise<Table> {
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]))
    return { format: 'xlsx', encoding: null, rows: await readXlsx(bytes) };
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0]))
    throw new AppError('members.importLegacyXls', 400, { file: 'invalid' });
  const { text, encoding } = decodeText(bytes);
  return { format: 'csv', encoding, rows: readCsv(text) };
}

/**
 * CSV text in the encodings branches' files come in: UTF-8 (with or without BOM), UTF-16 ("Unicode
 * text" from Excel), or GB18030 — what Excel on Chinese Windows writes, a superset of GBK and GB2312.
 * Bytes that are not valid UTF-8 are taken as GB18030.
 */
export function decodeText(bytes: Uint8Array): { text: string; encoding: string } {
  if (startsWith(bytes, [0xef, 0xbb, 0xbf]))
    return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'utf-8' };
  if (startsWith(bytes, [0xff, 0xfe]))
    return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
  if (startsWith(bytes, [0xfe, 0xff]))
    return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be' };
  if (bytes.includes(0)) throw unreadable();
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('gb18030').decode(bytes), encoding: 'gb18030' };
  }
}

/** Comma, tab (Excel's "Unicode text") or semicolon (European Excel): whichever the first lines use most. */
function guessDelimiter(text: string): string {
  const sample = text.split(/\r?\n/).slice(0, 10).join('\n');
  const counts = [',', '\t', ';'].map((d) => [d, sample.split(d).length - 1] as const);
  return counts.reduce((best, c) => (c[1] > best[1] ? c : best))[0];
}

function readCsv(text: string): TableRow[] {
  try {
    const records = parse(text, {
      delimiter: guessDelimiter(text),
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      trim: true,
      info: true,
    }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
    return records.map(({ record, info }) => ({ number: info.lines, cells: record }));
  } catch {
    throw unreadable();
  }
}

/** A cell as exceljs reports it: rich text, formulas and hyperlinks reduced to what is displayed. */
function xlsxCell(value: ExcelJS.CellValue): Cell {
  if (value === null || value === undefined) return null;
  if (
    typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'boolean' ||
    value instanceof Date
  )
    return value;
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('result' in value) return xlsxCell((value.result ?? null) as ExcelJS.CellValue);
    if ('text' in value) return xlsxCell(value.text as ExcelJS.CellValue);
  }
  return null;
}

async function readXlsx(bytes: Buffer): Promise<TableRow[]> {
  const workbook = new ExcelJS.Workbook();
  try {
    // exceljs's Buffer type predates Node's generic Buffer.
    await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  } catch {
    throw unreadable();
  }
  // The first sheet that has anything on it (a template's instructions sheet comes second).
  const sheet = workbook.worksheets.find((s) => s.actualRowCount > 0);
  if (!sheet) return [];
  const rows: TableRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, number) => {
    // row.values is 1-based with holes for empty cells.
    const values = row.values as ExcelJS.CellValue[];
    const cells: Cell[] = [];
    for (let i = 1; i < values.length; i++) cells.push(xlsxCell(values[i] ?? null));
    rows.push({ number, cells });
  });
  return rows;
}
