import { sql } from 'kysely';
import type { MeetingType, RectificationStatus } from '../../shared/domain/enums.ts';
import { rectificationTimeZone } from '../../shared/domain/rectification.ts';
import type { ExplanationLine } from '../../shared/quality/explanation.ts';
import type { ComponentResult, MeetingQualityInputs } from '../../shared/quality/mqi.ts';
import type { QualityGrade } from '../../shared/quality/rubric.ts';
import type { Db } from '../db/schema.ts';

/**
 * What the dashboards read: branches with their party groups, held meetings with their current
 * score, the stored score details, and rectification items by due date. Dates are calendar days in
 * the branches' calendar (Asia/Shanghai, as for rectification due dates), so a meeting at 07:00 on
 * 1 April belongs to April whatever the server's time zone.
 */

export interface BranchUnit {
  id: string;
  name: string;
  ancestry: string[];
  /** The general branch (党总支) between the branch and the committee, if any. */
  parentName: string | null;
  partyGroups: Array<{ id: string; name: string }>;
  /** Current members on the roster. */
  members: number;
}

/** Every active branch at or below an organization, with its party groups and head count. */
export async function loadBranchUnits(db: Db, rootId: string): Promise<BranchUnit[]> {
  const rows = await db
    .selectFrom('organizations as o')
    .leftJoin('organizations as p', 'p.id', 'o.parent_id')
    .select([
      'o.id',
      'o.name',
      'o.kind',
      'o.parent_id',
      'o.ancestry',
      'p.kind as parentKind',
      'p.name as parentName',
    ])
    .where('o.archived_at', 'is', null)
    .where('o.kind', 'in', ['partyBranch', 'partyGroup'])
    .where(sql<boolean>`o.ancestry @> array[${rootId}]::uuid[]`)
    .orderBy(sql`convert_to(o.name, 'GB18030')`)
    .execute();
  const branches = rows.filter((r) => r.kind === 'partyBranch');
  const counts =
    branches.length === 0
      ? []
      : await db
          .selectFrom('members')
          .select(['organization_id', (eb) => eb.fn.countAll<number>().as('n')])
          .where('left_at', 'is', null)
          .where(
            'organization_id',
            'in',
            branches.map((b) => b.id),
          )
          .groupBy('organization_id')
          .execute();
  const memberCount = new Map(counts.map((c) => [c.organization_id, Number(c.n)]));
  return branches.map((b) => ({
    id: b.id,
    name: b.name,
    ancestry: b.ancestry,
    parentName: b.parentKind === 'generalBranch' ? b.parentName : null,
    partyGroups: rows
      .filter((g) => g.kind === 'partyGroup' && g.parent_id === b.id)
      .map((g) => ({ id: g.id, name: g.name })),
    members: memberCount.get(b.id) ?? 0,
  }));
}

/** The organizations whose meetings and items count as a branch's: itself and its party groups. */
export function organizationsOf(unit: BranchUnit): string[] {
  return [unit.id, ...unit.partyGroups.map((g) => g.id)];
}

export interface MeetingFact {
  id: string;
  /** The branch, also for a party group's meeting. */
  branchId: string;
  /** The party group that held it (a 党小组会), else null. */
  partyGroupId: string | null;
  type: MeetingType;
  title: string;
  /** ISO calendar day it started. */
  day: string;
  /** The current score row; null when the meeting has not been scored (or could not be). */
  score: number | null;
  scored: boolean;
  flags: StoredFlags;
}

export interface StoredFlags {
  procedureInvalid: boolean;
  needsAttention: boolean;
  provisional: boolean;
  insufficientData: boolean;
}

/** An instant at the start of an ISO calendar day in the branches' calendar. */
const dayStart = (day: string) => sql<Date>`(${day}::date)::timestamp at time zone ${rectificationTimeZone}`;

/**
 * Held meetings of the units between two calendar days (inclusive), with their current score —
 * columns the index meeting_quality_scores_current_figures_idx covers, so years of history are
 * read from the index alone.
 * Cancelled and not-yet-held meetings neither meet a compliance slot nor carry a score.
 */
export async function loadMeetingFacts(
  db: Db,
  units: readonly BranchUnit[],
  range: { start: string; end: string },
): Promise<MeetingFact[]> {
  const branchOf = new Map<string, { branchId: string; partyGroupId: string | null }>();
  for (const unit of units) {
    branchOf.set(unit.id, { branchId: unit.id, partyGroupId: null });
    for (const group of unit.partyGroups)
      branchOf.set(group.id, { branchId: unit.id, partyGroupId: group.id });
  }
  if (branchOf.size === 0) return [];
  // Flags come out as booleans rather than the jsonb they are stored in: a committee's trend reads
  // tens of thousands of rows, and parsing each object in Node costs more than the query.
  const flag = (name: keyof StoredFlags) => sql<boolean>`coalesce((s.flags ->> ${name})::boolean, false)`;
  const rows = await db
    .selectFrom('meetings as m')
    .leftJoin('meeting_quality_scores as s', (j) =>
      j.onRef('s.meeting_id', '=', 'm.id').on('s.superseded_at', 'is', null),
    )
    .select([
      'm.id',
      'm.organization_id',
      'm.type',
      'm.title',
      sql<string>`(m.starts_at at time zone ${rectificationTimeZone})::date`.as('day'),
      sql<boolean>`s.meeting_id is not null`.as('scored'),
      's.score',
      flag('procedureInvalid').as('procedureInvalid'),
      flag('needsAttention').as('needsAttention'),
      flag('provisional').as('provisional'),
      flag('insufficientData').as('insufficientData'),
    ])
    .where('m.organization_id', 'in', [...branchOf.keys()])
    .where('m.status', '=', 'held')
    .where('m.starts_at', '>=', dayStart(range.start))
    .where('m.starts_at', '<', sql<Date>`${dayStart(range.end)} + interval '1 day'`)
    .orderBy('m.starts_at')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    ...branchOf.get(r.organization_id)!,
    type: r.type,
    title: r.title,
    day: r.day,
    score: r.score,
    scored: r.scored,
    flags: {
      procedureInvalid: r.procedureInvalid,
      needsAttention: r.needsAttention,
      provisional: r.provisional,
      insufficientData: r.insufficientData,
    },
  }));
}

/** The parts of a stored score the figures are built from. */
export interface ScoreDetail {
  grade: QualityGrade | null;
  components: Array<Omit<ComponentResult, 'subMetrics'>>;
  explanation: ExplanationLine[];
  satisfaction: MeetingQualityInputs['satisfaction'] | null;
  attendance: MeetingQualityInputs['attendance'] | null;
}

/**
 * The current score's components (without their sub-metrics) and the inputs the figures need. The
 * explanation is large and a committee's table does not show it, so it is read only when asked for.
 */
export async function loadScoreDetails(
  db: Db,
  meetingIds: readonly string[],
  options: { explanation: boolean },
): Promise<Map<string, ScoreDetail>> {
  if (meetingIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('meeting_quality_scores')
    .select([
      'meeting_id',
      'grade',
      // Sub-metrics are for the meeting's own page; the dashboards read the components' totals.
      sql<
        ScoreDetail['components'] | null
      >`(select jsonb_agg(c - 'subMetrics') from jsonb_array_elements(components) c)`.as('components'),
      sql<MeetingQualityInputs['satisfaction'] | null>`inputs -> 'satisfaction'`.as('satisfaction'),
      sql<MeetingQualityInputs['attendance'] | null>`inputs -> 'attendance'`.as('attendance'),
      options.explanation
        ? sql<ExplanationLine[]>`explanation`.as('explanation')
        : sql<ExplanationLine[]>`'[]'::jsonb`.as('explanation'),
    ])
    .where('superseded_at', 'is', null)
    .where('meeting_id', 'in', [...meetingIds])
    .execute();
  return new Map(
    rows.map((r) => [
      r.meeting_id,
      {
        grade: r.grade as QualityGrade | null,
        components: r.components ?? [],
        explanation: r.explanation,
        satisfaction: r.satisfaction,
        attendance: r.attendance,
      },
    ]),
  );
}

export interface ItemFact {
  branchId: string;
  dueOn: string;
  status: RectificationStatus;
  completedAt: Date | null;
}

/** Rectification items of the units falling due between two calendar days (cancelled ones left out). */
export async function loadItemFacts(
  db: Db,
  units: readonly BranchUnit[],
  range: { start: string; end: string },
): Promise<ItemFact[]> {
  const branchOf = new Map<string, string>();
  for (const unit of units) for (const id of organizationsOf(unit)) branchOf.set(id, unit.id);
  if (branchOf.size === 0) return [];
  const rows = await db
    .selectFrom('rectification_items')
    .select(['organization_id', 'due_on', 'status', 'completed_at'])
    .where('organization_id', 'in', [...branchOf.keys()])
    .where('status', '!=', 'cancelled')
    .where('due_on', '>=', range.start)
    .where('due_on', '<=', range.end)
    .execute();
  return rows.map((r) => ({
    branchId: branchOf.get(r.organization_id)!,
    dueOn: r.due_on!,
    status: r.status,
    completedAt: r.completed_at,
  }));
}

/** The day of each branch's first held meeting in Mingjing: its records start there. */
export async function loadRecordsSince(db: Db, units: readonly BranchUnit[]): Promise<Map<string, string>> {
  const branchOf = new Map<string, string>();
  for (const unit of units) for (const id of organizationsOf(unit)) branchOf.set(id, unit.id);
  if (branchOf.size === 0) return new Map();
  // One index probe per organization (meetings_organization_idx) rather than a scan of its history.
  const rows = await db
    .selectFrom('organizations as o')
    .select((eb) => [
      'o.id',
      eb
        .selectFrom('meetings as m')
        .select(sql<string | null>`(min(m.starts_at) at time zone ${rectificationTimeZone})::date`.as('day'))
        .whereRef('m.organization_id', '=', 'o.id')
        .where('m.status', '=', 'held')
        .as('day'),
    ])
    .where('o.id', 'in', [...branchOf.keys()])
    .execute();
  const since = new Map<string, string>();
  for (const row of rows) {
    if (row.day === null) continue;
    const branch = branchOf.get(row.id)!;
    const earlier = since.get(branch);
    if (earlier === undefined || row.day < earlier) since.set(branch, row.day);
  }
  return since;
}
