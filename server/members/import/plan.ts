import type { CommitteeRole } from '../../../shared/domain/enums.ts';
import { fieldErrorsFromZod } from '../../../shared/errors.ts';
import {
  type ImportedValues,
  type ImportIssue,
  type ImportPreview,
  memberFields,
} from '../../../shared/schemas/members.ts';
import { AppError } from '../../http/errors.ts';
import { type HeaderMapping, mapHeaders, type RosterField, templateHeader } from './columns.ts';
import type { Table, TableRow } from './read-table.ts';
import {
  type Cell,
  cellText,
  normalizeName,
  normalizePhone,
  type Parsed,
  parseCommitteeRole,
  parseDate,
  parseGender,
  parseStatus,
  parseYesNo,
  phoneDigits,
} from './values.ts';

/** Large branches have a few hundred members; a bigger file is a mistake (a whole unit's HR export). */
export const maxImportRows = 2000;
/** A title or a note often sits above the header row ("某某党支部党员花名册"). */
const headerSearchDepth = 20;

/** What the plan is checked against: the branch as it is now. */
export interface ImportContext {
  members: ReadonlyArray<{
    id: string;
    fullName: string;
    phone: string | null;
    birthDate: string | null;
    committeeRole: CommitteeRole | null;
  }>;
  partyGroups: ReadonlyArray<{ id: string; name: string }>;
}

export interface ImportPlan {
  preview: ImportPreview;
  /** The rows to write on commit (status `new`), with the party group each goes into by name. */
  toCreate: ImportedValues[];
}

/** Party groups are matched by name the way a person would (case, width and spacing aside). */
export const groupKey = (name: string) => name.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();

/** The first row, near the top, in which a name column can be recognised. */
function findHeader(rows: readonly TableRow[]): { at: number; mapping: HeaderMapping } {
  for (let at = 0; at < Math.min(rows.length, headerSearchDepth); at++) {
    const mapping = mapHeaders(rows[at]!.cells.map(cellText));
    if (mapping.columns.some((c) => c.field === 'fullName')) return { at, mapping };
  }
  throw new AppError('members.importNoHeader', 400, { file: 'invalid' });
}

const isBlank = (cells: readonly Cell[]) => cells.every((c) => cellText(c) === '');

/** Identities that make two entries the same person: same name and phone, or same name and birth date. */
function identityKeys(v: { fullName: string; phone: string | null; birthDate: string | null }): string[] {
  const keys: string[] = [];
  if (phoneDigits(v.phone)) keys.push(`${v.fullName}\u0000tel\u0000${phoneDigits(v.phone)}`);
  if (v.birthDate) keys.push(`${v.fullName}\u0000born\u0000${v.birthDate}`);
  return keys;
}

/** Everything but the party group, which is matched by name rather than id. */
const importedMember = memberFields.omit({ partyGroupId: true });

/**
 * Reads a roster file into the rows it would create, checking each against the same schema as the
 * member form, against the other rows, and against the branch's current roster. Pure: the caller
 * loads the context (and on commit, writes `toCreate` only when there are no errors).
 */
export function planImport(table: Table, fileName: string, context: ImportContext): ImportPlan {
  const { at, mapping } = findHeader(table.rows);
  const headerRow = table.rows[at]!.number;
  const dataRows = table.rows.slice(at + 1).filter((r) => !isBlank(r.cells));
  if (dataRows.length === 0) throw new AppError('members.importEmpty', 400, { file: 'invalid' });
  if (dataRows.length > maxImportRows)
    throw new AppError('members.importTooManyRows', 400, { file: 'tooLarge' });

  const errors: ImportIssue[] = mapping.missing.map((field) => ({
    row: headerRow,
    column: templateHeader(field),
    code: 'missingColumn',
  }));
  const warnings: ImportIssue[] = [];
  const columnOf = (field: RosterField) =>
    mapping.columns.find((c) => c.field === field)?.header ?? templateHeader(field);

  const existingByKey = new Map<string, string>();
  const existingNames = new Set<string>();
  for (const m of context.members) {
    existingNames.add(m.fullName);
    for (const key of identityKeys(m)) existingByKey.set(key, m.id);
  }
  const groups = new Map(context.partyGroups.map((g) => [groupKey(g.name), g.name]));
  const groupsToCreate = new Map<string, string>();
  const seenKeys = new Map<string, number>();
  let secretaryTaken = context.members.some((m) => m.committeeRole === 'secretary');

  const rows: ImportPreview['rows'] = [];
  const toCreate: ImportedValues[] = [];
  for (const { number, cells } of dataRows) {
    const rowIssues: ImportIssue[] = [];
    const cell = (field: RosterField): Cell =>
      mapping.columns
        .filter((c) => c.field === field)
        .map((c) => cells[c.index] ?? null)
        .find((c) => cellText(c) !== '') ?? null;
    const issue = (field: RosterField, code: string, otherRow?: number) => {
      const value = cellText(cell(field));
      rowIssues.push({
        row: number,
        column: columnOf(field),
        code,
        ...(value ? { value } : {}),
        ...(otherRow ? { otherRow } : {}),
      });
    };
    function parsed<T>(field: RosterField, result: Parsed<T>): T | null {
      if ('error' in result) {
        issue(field, result.error);
        return null;
      }
      return result.value;
    }

    const values: ImportedValues = {
      fullName: normalizeName(cell('fullName')),
      gender: parsed('gender', parseGender(cell('gender'))),
      ethnicity: cellText(cell('ethnicity')) || null,
      birthDate: parsed('birthDate', parseDate(cell('birthDate'))),
      education: cellText(cell('education')) || null,
      phone: normalizePhone(cell('phone')) || null,
      joinedPartyOn: parsed('joinedPartyOn', parseDate(cell('joinedPartyOn'))),
      status: parsed('status', parseStatus(cell('status'))),
      committeeRole: parsed('committeeRole', parseCommitteeRole(cell('committeeRole'))),
      partyGroupName: normalizeName(cell('partyGroup')) || null,
      leadingCadre: parsed('leadingCadre', parseYesNo(cell('leadingCadre'))) ?? false,
      dualOrgLife: parsed('dualOrgLife', parseYesNo(cell('dualOrgLife'))) ?? false,
      notes: cellText(cell('notes')) || null,
    };

    // The member form's own rules (lengths, formats, dates in the past and in order), field by field.
    // Blank required cells are "missing" (required), not a wrong type.
    const { partyGroupName, ...member } = values;
    const checked = importedMember.safeParse({
      ...member,
      fullName: member.fullName || undefined,
      status: member.status ?? undefined,
    });
    if (!checked.success) {
      const already = new Set(rowIssues.map((i) => i.column));
      for (const [path, code] of Object.entries(fieldErrorsFromZod(checked.error.issues))) {
        const field = path as RosterField;
        if (field === 'status' && mapping.missing.includes('status')) continue;
        if (!already.has(columnOf(field))) issue(field, code);
      }
    }
    if (partyGroupName && partyGroupName.length > 100) issue('partyGroup', 'tooLong');

    const existingMemberId = identityKeys(values)
      .map((k) => existingByKey.get(k))
      .find(Boolean);
    if (!existingMemberId) {
      const keys = identityKeys(values);
      const earlier = keys.map((k) => seenKeys.get(k)).find((r) => r !== undefined);
      if (earlier !== undefined) issue('fullName', 'duplicateInFile', earlier);
      for (const k of keys) if (!seenKeys.has(k)) seenKeys.set(k, number);
      if (values.fullName && existingNames.has(values.fullName))
        warnings.push({ row: number, column: columnOf('fullName'), code: 'sameNameOnRoster' });
      if (values.committeeRole === 'secretary') {
        if (secretaryTaken) issue('committeeRole', 'secretaryTaken');
        secretaryTaken = true;
      }
    }

    // Left to right, as the person will go through the row in Excel.
    const position = (column: string | null) => mapping.columns.findIndex((c) => c.header === column);
    rowIssues.sort((a, b) => position(a.column) - position(b.column));
    const status = rowIssues.length > 0 ? 'error' : existingMemberId ? 'existing' : 'new';
    if (status === 'new') {
      toCreate.push(values);
      if (
        partyGroupName &&
        !groups.has(groupKey(partyGroupName)) &&
        !groupsToCreate.has(groupKey(partyGroupName))
      )
        groupsToCreate.set(groupKey(partyGroupName), partyGroupName);
    }
    errors.push(...rowIssues);
    rows.push({ row: number, status, values, existingMemberId: existingMemberId ?? null });
  }

  return {
    preview: {
      fileName,
      format: table.format,
      encoding: table.encoding,
      headerRow,
      columns: mapping.columns.map((c) => ({ header: c.header, field: c.field })),
      rows,
      errors,
      warnings,
      partyGroupsToCreate: [...groupsToCreate.values()],
      counts: {
        rows: rows.length,
        toCreate: rows.filter((r) => r.status === 'new').length,
        existing: rows.filter((r) => r.status === 'existing').length,
        withErrors: rows.filter((r) => r.status === 'error').length,
      },
    },
    toCreate,
  };
}
