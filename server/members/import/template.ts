import ExcelJS from 'exceljs';
import type { Locale } from '../../../shared/domain/enums.ts';
import { translate } from '../../../shared/i18n/index.ts';
import { type RosterField, requiredFields, rosterColumns } from './columns.ts';

/** One filled-in row, so the person sees the expected form of every column. */
const example: Record<RosterField, string> = {
  fullName: '王小明',
  gender: '男',
  ethnicity: '汉族',
  birthDate: '1985-03-12',
  education: '大学本科',
  phone: '13800138000',
  joinedPartyOn: '2010-07-01',
  status: '正式党员',
  committeeRole: '组织委员',
  partyGroup: '第一党小组',
  leadingCadre: '否',
  dualOrgLife: '否',
  notes: '',
};

/** Choices offered as drop-downs in the XLSX template (the parser accepts more spellings). */
const choices: Partial<Record<RosterField, string[]>> = {
  gender: ['男', '女'],
  status: ['正式党员', '预备党员'],
  committeeRole: ['书记', '副书记', '组织委员', '宣传委员', '纪检委员', '支部委员'],
  leadingCadre: ['是', '否'],
  dualOrgLife: ['是', '否'],
};

const dateFields: readonly RosterField[] = ['birthDate', 'joinedPartyOn'];
const templateRows = 500;

/** The roster template as a CSV file: UTF-8 with a BOM (so Excel on Windows reads the Chinese), CRLF lines. */
export function rosterTemplateCsv(): Buffer {
  const quote = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const lines = [rosterColumns.map((c) => c.zh), rosterColumns.map((c) => example[c.field])];
  return Buffer.from(`\uFEFF${lines.map((l) => l.map(quote).join(',')).join('\r\n')}\r\n`, 'utf8');
}

/**
 * The roster template as an XLSX workbook: the headers branches already use, an example row, date
 * and text formats where Excel would otherwise mangle values (phone numbers, dates), drop-downs for
 * closed vocabularies, and a second sheet explaining each column in the reader's language.
 */
export async function rosterTemplateXlsx(locale: Locale): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(translate(locale, 'members.template.rosterSheet'), {
    views: [{ state: 'frozen', ySplit: 1 }],
  });
  sheet.columns = rosterColumns.map((c) => ({
    header: c.zh,
    key: c.field,
    width: c.field === 'notes' ? 24 : c.field === 'phone' || dateFields.includes(c.field) ? 14 : 12,
    style: dateFields.includes(c.field)
      ? { numFmt: 'yyyy-mm-dd' }
      : c.field === 'phone'
        ? { numFmt: '@' }
        : {},
  }));
  sheet.getRow(1).font = { bold: true };
  sheet.addRow(
    Object.fromEntries(
      rosterColumns.map((c) => [
        c.field,
        dateFields.includes(c.field) ? new Date(`${example[c.field]}T00:00:00Z`) : example[c.field],
      ]),
    ),
  );
  rosterColumns.forEach((c, i) => {
    const list = choices[c.field];
    if (!list) return;
    const letter = sheet.getColumn(i + 1).letter;
    for (let r = 2; r <= templateRows; r++) {
      sheet.getCell(`${letter}${r}`).dataValidation = {
        type: 'list',
        allowBlank: true,
        formulae: [`"${list.join(',')}"`],
      };
    }
  });

  const help = workbook.addWorksheet(translate(locale, 'members.template.helpSheet'));
  help.columns = [
    { header: translate(locale, 'members.template.column'), width: 18 },
    { header: translate(locale, 'common.required'), width: 8 },
    { header: translate(locale, 'members.template.howToFill'), width: 80 },
  ];
  help.getRow(1).font = { bold: true };
  for (const c of rosterColumns) {
    help.addRow([
      c.zh,
      requiredFields.includes(c.field) ? translate(locale, 'common.yes') : '',
      translate(locale, `members.template.help.${c.field}`),
    ]);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
