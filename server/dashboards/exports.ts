import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { branchTimeZone, shanghaiDate } from '../../shared/domain/calendar.ts';
import type { Locale } from '../../shared/domain/enums.ts';
import { effectiveStatus } from '../../shared/domain/rectification.ts';
import { translate } from '../../shared/i18n/index.ts';
import type { ExplanationLine } from '../../shared/quality/explanation.ts';
import { explain } from '../../shared/quality/explanation.ts';
import { round } from '../../shared/quality/rounding.ts';
import type {
  BranchDashboard,
  CommitteeDashboard,
  SuppressedNumber,
} from '../../shared/schemas/dashboards.ts';
import type { Db } from '../db/schema.ts';
import { attendanceSummary } from '../meetings/attendance-summary.ts';
import type { BranchContext } from './branch.ts';
import { type CsvCell, toCsv } from './csv.ts';
import { organizationsOf } from './facts.ts';

/**
 * The exports are built from the same figures as the pages (branchDashboard, committeeDashboard),
 * so they carry the same suppression: a withheld figure is written as "少于 5 份，不显示", never as
 * a number. Rates are written as percentages with one decimal.
 */

const percent = (share: number | null) => (share === null ? null : round(100 * share, 1));

/** A figure from survey answers as a cell: the number, or the sentence saying why it is withheld. */
function answersCell(figure: SuppressedNumber | null, locale: Locale, asPercent: boolean): CsvCell {
  if (figure === null) return null;
  if (figure.suppressed) return translate(locale, 'quality.suppressed', { k: figure.k });
  return asPercent ? percent(figure.value) : figure.value;
}

const label = (locale: Locale, key: string) => translate(locale, key);
const listOf = (locale: Locale, items: readonly string[]) =>
  items.join(translate(locale, 'dashboard.listSeparator'));
const joined = (locale: Locale, lines: readonly ExplanationLine[]) => listOf(locale, explain(lines, locale));

/** The branch's figures period by period (the trend the branch page draws). */
export function branchAggregatesCsv(dashboard: BranchDashboard, locale: Locale): Buffer {
  const t = (key: string) => label(locale, key);
  return toCsv([
    [
      t('dashboard.column.period'),
      t('dashboard.column.branchIndex'),
      t('dashboard.column.compliancePercent'),
      t('dashboard.column.meanMqi'),
      t('dashboard.column.attendancePercent'),
      t('dashboard.column.satisfactionPercent'),
      t('dashboard.column.onTimePercent'),
    ],
    ...dashboard.series.map((p) => [
      p.period.key,
      p.index,
      percent(p.compliance),
      p.meanMqi,
      percent(p.attendanceRate),
      answersCell(p.satisfactionRate, locale, true),
      percent(p.onTimeRate),
    ]),
  ]);
}

/** Every branch below the committee in one period, as the committee's table shows them. */
export function committeeAggregatesCsv(dashboard: CommitteeDashboard, locale: Locale): Buffer {
  const t = (key: string) => label(locale, key);
  return toCsv([
    [
      t('dashboard.column.branch'),
      t('dashboard.column.parent'),
      t('dashboard.column.members'),
      t('dashboard.column.branchIndex'),
      t('dashboard.column.grade'),
      t('dashboard.column.trend'),
      t('dashboard.column.compliancePercent'),
      t('dashboard.column.meanMqi'),
      t('dashboard.column.scoredMeetings'),
      t('quality.flag.procedureInvalid'),
      t('quality.flag.needsAttention'),
      t('dashboard.column.weakest'),
      t('dashboard.column.lostPoints'),
      t('dashboard.column.satisfactionPercent'),
      t('dashboard.column.attendancePercent'),
      t('dashboard.column.onTimePercent'),
      t('dashboard.column.estimate'),
      t('dashboard.column.lower'),
      t('dashboard.column.upper'),
      t('dashboard.column.comparison'),
      t('dashboard.column.attention'),
    ],
    ...dashboard.branches.map((b) => [
      b.name,
      b.parentName,
      b.members,
      b.index,
      b.grade ? t(`quality.grade.${b.grade}`) : null,
      b.trend.change,
      percent(b.compliance),
      b.meanMqi,
      b.scoredMeetings,
      b.flags.procedureInvalid,
      b.flags.needsAttention,
      b.weakest ? t(`dashboard.loss.${b.weakest.source}`) : null,
      b.weakest?.lostPoints ?? null,
      answersCell(b.satisfactionRate, locale, true),
      percent(b.attendanceRate),
      percent(b.onTimeRate),
      b.comparison?.estimate ?? null,
      b.comparison?.lower ?? null,
      b.comparison?.upper ?? null,
      b.comparison ? t(`quality.comparison.${b.comparison.position}`) : null,
      listOf(
        locale,
        b.attention.map((a) => t(`dashboard.attention.${a}`)),
      ),
    ]),
  ]);
}

function daysBetween(from: Date, to: Date): number {
  return (to.getTime() - from.getTime()) / 86_400_000;
}

/**
 * The branch ledger (台账) of a period as an XLSX workbook: an overview with the period's figures
 * and compliance by type, the meetings held (attendance, quorum, minutes signed, locked and filed in
 * time, score, satisfaction), attendance per meeting, and the rectification items open during the
 * period with their status, overdue state and verification (对账销号).
 *
 * A committee above the branch gets the branch's aggregates only, as on its dashboard: no
 * attendance list, no items about an individual member, no owner's or verifier's name.
 */
export async function ledgerWorkbook(
  db: Db,
  context: BranchContext,
  dashboard: BranchDashboard,
  locale: Locale,
): Promise<Buffer> {
  const t = (key: string, params?: Record<string, string | number>) => translate(locale, key, params);
  const { period } = dashboard;
  const inside = context.scope === 'branch';
  const deadline = context.inForce.rubric.components.procedure.minutesDeadlineDays;
  const workbook = new ExcelJS.Workbook();
  workbook.creator = t('app.name');

  const heading = (sheet: ExcelJS.Worksheet, columns: Array<{ key: string; width: number }>) => {
    sheet.columns = columns.map((c) => ({ header: t(c.key), width: c.width }));
    sheet.getRow(1).font = { bold: true };
    sheet.views = [{ state: 'frozen', ySplit: 1 }];
  };

  // 1. Overview.
  const overview = workbook.addWorksheet(t('dashboard.ledger.overviewSheet'));
  overview.columns = [{ width: 28 }, { width: 18 }, { width: 70 }];
  overview.addRow([
    t('dashboard.ledger.title', { branch: dashboard.organization.name, period: period.key }),
  ]).font = { bold: true, size: 14 };
  overview.addRow([t('dashboard.ledger.range'), `${period.start} – ${period.end}`]);
  overview.addRow([t('dashboard.ledger.asOf'), dashboard.asOf]);
  overview.addRow([t('dashboard.ledger.suppressionNote', { k: dashboard.viewer.k })]);
  if (!inside) overview.addRow([t('dashboard.ledger.committeeNote')]);
  overview.addRow([]);
  const figureRows: Array<[string, CsvCell, readonly ExplanationLine[]]> = [
    ['dashboard.column.branchIndex', dashboard.index.index, dashboard.index.explanation],
    [
      'dashboard.column.compliancePercent',
      percent(dashboard.compliance.share),
      dashboard.compliance.explanation,
    ],
    [
      'dashboard.column.attendancePercent',
      percent(dashboard.attendance.rate),
      dashboard.attendance.explanation,
    ],
    [
      'dashboard.column.satisfactionPercent',
      answersCell(dashboard.satisfaction.overallRate, locale, true),
      dashboard.satisfaction.explanation,
    ],
    [
      'dashboard.column.onTimePercent',
      percent(dashboard.rectification.onTimeRate),
      dashboard.rectification.explanation,
    ],
  ];
  for (const [key, value, lines] of figureRows) overview.addRow([t(key), value, joined(locale, lines)]);
  for (const d of dashboard.satisfaction.dimensions) {
    overview.addRow([
      t('dashboard.labelValue', {
        label: t('dashboard.satisfaction.byDimension'),
        value: t(`dashboard.dimension.${d.key}`),
      }),
      answersCell(d.mean, locale, false),
    ]);
  }
  overview.addRow([]);
  overview.addRow([t('dashboard.column.meetingType'), t('dashboard.column.heldRequired')]).font = {
    bold: true,
  };
  for (const byType of dashboard.compliance.byType) {
    overview.addRow([
      t(`meetingType.${byType.type}`),
      `${byType.held} / ${byType.required}`,
      byType.pending > 0 ? t('dashboard.explain.compliancePending', { pending: byType.pending }) : '',
    ]);
  }

  // 2. Meetings held, with their record's state.
  const meetingsSheet = workbook.addWorksheet(t('dashboard.ledger.meetingsSheet'));
  heading(meetingsSheet, [
    { key: 'dashboard.column.date', width: 12 },
    { key: 'dashboard.column.meetingType', width: 14 },
    { key: 'dashboard.column.meeting', width: 30 },
    { key: 'dashboard.column.expected', width: 8 },
    { key: 'dashboard.column.present', width: 8 },
    { key: 'dashboard.column.excused', width: 8 },
    { key: 'dashboard.column.absent', width: 8 },
    { key: 'dashboard.column.quorum', width: 10 },
    { key: 'dashboard.column.hostSigned', width: 12 },
    { key: 'dashboard.column.recorderSigned', width: 12 },
    { key: 'dashboard.column.lockedOn', width: 12 },
    { key: 'dashboard.column.filedInTime', width: 14 },
    { key: 'dashboard.column.mqi', width: 10 },
    { key: 'dashboard.column.grade', width: 8 },
    { key: 'dashboard.column.satisfactionMean', width: 16 },
  ]);
  const held = await db
    .selectFrom('meetings as m')
    .leftJoin('minutes as n', 'n.meeting_id', 'm.id')
    .select([
      'm.id',
      'm.title',
      'm.type',
      'm.starts_at',
      'm.ends_at',
      'n.host_signed_at',
      'n.recorder_signed_at',
      'n.locked_at',
    ])
    .where('m.organization_id', 'in', organizationsOf(context.unit))
    .where('m.status', '=', 'held')
    .where(sql<string>`(m.starts_at at time zone ${branchTimeZone})::date`, '>=', period.start)
    .where(sql<string>`(m.starts_at at time zone ${branchTimeZone})::date`, '<=', period.end)
    .orderBy('m.starts_at')
    .execute();
  const figureOf = new Map(dashboard.meetings.map((m) => [m.id, m]));
  const attendanceSheet = inside ? workbook.addWorksheet(t('dashboard.ledger.attendanceSheet')) : null;
  if (attendanceSheet) {
    heading(attendanceSheet, [
      { key: 'dashboard.column.date', width: 12 },
      { key: 'dashboard.column.meeting', width: 30 },
      { key: 'dashboard.column.name', width: 12 },
      { key: 'dashboard.column.attendance', width: 10 },
      { key: 'dashboard.column.reason', width: 30 },
    ]);
  }
  for (const m of held) {
    const summary = await attendanceSummary(db, m.id);
    const figure = figureOf.get(m.id);
    const date = shanghaiDate(m.starts_at);
    const yesNo = (value: boolean) => t(value ? 'common.yes' : 'common.no');
    meetingsSheet.addRow([
      date,
      t(`meetingType.${m.type}`),
      m.title,
      summary.counts.expected,
      summary.counts.present,
      summary.counts.excused,
      summary.counts.absent,
      summary.quorum.met === null
        ? t('dashboard.quorum.none')
        : t(summary.quorum.met ? 'dashboard.quorum.met' : 'dashboard.quorum.notMet'),
      yesNo(m.host_signed_at !== null),
      yesNo(m.recorder_signed_at !== null),
      m.locked_at ? shanghaiDate(m.locked_at) : null,
      // Filed in time as P reads it: locked within the rubric's deadline after the meeting ended.
      yesNo(m.locked_at !== null && daysBetween(m.ends_at ?? m.starts_at, m.locked_at) <= deadline),
      figure?.score ?? null,
      figure?.grade ? t(`quality.grade.${figure.grade}`) : null,
      answersCell(figure?.satisfaction ?? null, locale, false),
    ]);
    if (!attendanceSheet) continue;
    for (const a of summary.attendees) {
      attendanceSheet.addRow([
        date,
        m.title,
        a.name,
        a.attendance ? t(`attendanceStatus.${a.attendance}`) : t('dashboard.attendance.unmarked'),
        a.note ?? (a.leave?.status === 'approved' ? a.leave.reason : null),
      ]);
    }
  }

  // 4. Rectification items open at any time during the period.
  // Columns naming a person are the branch's own.
  const itemColumns = [
    { key: 'dashboard.column.problem', width: 36 },
    { key: 'dashboard.column.source', width: 12 },
    { key: 'dashboard.column.measures', width: 40 },
    { key: 'dashboard.column.owner', width: 12, personal: true },
    { key: 'dashboard.column.dueOn', width: 12 },
    { key: 'dashboard.column.status', width: 10 },
    { key: 'dashboard.column.overdue', width: 8 },
    { key: 'dashboard.column.completedOn', width: 12 },
    { key: 'dashboard.column.verifiedOn', width: 12 },
    { key: 'dashboard.column.verifiedBy', width: 12, personal: true },
  ].filter((c) => inside || !c.personal);
  const items = workbook.addWorksheet(t('dashboard.ledger.rectificationSheet'));
  heading(items, itemColumns);
  const end = sql<Date>`((${period.end}::date + 1)::timestamp at time zone ${branchTimeZone})`;
  const start = sql<Date>`(${period.start}::date)::timestamp at time zone ${branchTimeZone}`;
  let itemsQuery = db
    .selectFrom('rectification_items as i')
    .innerJoin('problems as p', 'p.id', 'i.problem_id')
    .leftJoin('members as o', 'o.id', 'i.owner_member_id')
    .leftJoin('accounts as v', 'v.id', 'i.verified_by')
    .select([
      'p.description',
      'p.source',
      'i.measures',
      'i.owner_unit',
      'o.full_name as ownerName',
      'i.due_on',
      'i.status',
      'i.completed_at',
      'i.verified_at',
      'v.display_name as verifierName',
    ])
    .where('i.organization_id', 'in', organizationsOf(context.unit))
    .where('i.created_at', '<', end)
    .where((eb) =>
      eb.or([
        eb('i.status', 'not in', ['verified', 'cancelled']),
        eb(sql<Date>`coalesce(i.verified_at, i.updated_at)`, '>=', start),
      ]),
    )
    .orderBy('i.due_on')
    .orderBy('i.created_at');
  if (!inside) itemsQuery = itemsQuery.where('i.scope', '=', 'branch');
  for (const r of await itemsQuery.execute()) {
    const status = effectiveStatus({ status: r.status, dueOn: r.due_on }, dashboard.asOf);
    const cells: Record<string, CsvCell> = {
      'dashboard.column.problem': r.description,
      'dashboard.column.source': t(`issueSource.${r.source}`),
      'dashboard.column.measures': r.measures,
      'dashboard.column.owner': r.ownerName ?? r.owner_unit,
      'dashboard.column.dueOn': r.due_on,
      'dashboard.column.status': t(`rectificationStatus.${status}`),
      'dashboard.column.overdue': t(status === 'overdue' ? 'common.yes' : 'common.no'),
      'dashboard.column.completedOn': r.completed_at ? shanghaiDate(r.completed_at) : null,
      'dashboard.column.verifiedOn': r.verified_at ? shanghaiDate(r.verified_at) : null,
      'dashboard.column.verifiedBy': r.verifierName,
    };
    items.addRow(itemColumns.map((c) => cells[c.key] ?? null));
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
