import { sql } from 'kysely';
import { branchTimeZone } from '../../shared/domain/calendar.ts';
import { type MeetingType, meetingTypes, type RectificationStatus } from '../../shared/domain/enums.ts';
import type { ComplianceMeeting } from '../../shared/quality/compliance.ts';
import type { ExplanationLine } from '../../shared/quality/explanation.ts';
import type { ComponentResult, ComponentStatus, MeetingQualityInputs } from '../../shared/quality/mqi.ts';
import type { ComponentKey, QualityGrade } from '../../shared/quality/rubric.ts';
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

/**
 * `column = any($1::uuid[])`: one parameter however many ids — a committee's year can name more
 * meetings than a statement takes parameters, and the plan does not change with the list's length.
 */
function anyOf(column: string, ids: Iterable<string>) {
  return sql<boolean>`${sql.ref(column)} = any(${sql.val([...ids])}::uuid[])`;
}

/** The organizations whose meetings and items count as a branch's: itself and its party groups. */
export function organizationsOf(unit: BranchUnit): string[] {
  return [unit.id, ...unit.partyGroups.map((g) => g.id)];
}

/** A held meeting with its current score; shaped as compliance.ts reads meetings. */
export interface MeetingFact extends TrendFact {
  id: string;
  title: string;
  /** Whether it has a current score row (whose score may still be null: nothing to score). */
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
const dayStart = (day: string) => sql<Date>`(${day}::date)::timestamp at time zone ${branchTimeZone}`;

type FactTuple = [
  id: string,
  type: MeetingType,
  title: string,
  date: string,
  scored: boolean,
  score: number | null,
  procedureInvalid: boolean,
  needsAttention: boolean,
  provisional: boolean,
  insufficientData: boolean,
];

/**
 * Held meetings of the units between two calendar days (inclusive), with their current score —
 * columns the index meeting_quality_scores_current_figures_idx covers, so years of history are
 * read from the index alone. A committee's trend reads tens of thousands of meetings: they come
 * as one JSON array per organization, which Node parses natively, and the flags as booleans
 * rather than the jsonb they are stored in. In order of time within each organization only.
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
  const flag = (name: keyof StoredFlags) => sql`coalesce((s.flags ->> ${name})::boolean, false)`;
  const rows = await db
    .selectFrom('meetings as m')
    .leftJoin('meeting_quality_scores as s', (j) =>
      j.onRef('s.meeting_id', '=', 'm.id').on('s.superseded_at', 'is', null),
    )
    .select([
      'm.organization_id',
      sql<string>`json_agg(json_build_array(m.id, m.type, m.title,
        (m.starts_at at time zone ${branchTimeZone})::date, s.meeting_id is not null, s.score,
        ${flag('procedureInvalid')}, ${flag('needsAttention')}, ${flag('provisional')}, ${flag('insufficientData')})
        order by m.starts_at)::text`.as('facts'),
    ])
    .where(anyOf('m.organization_id', branchOf.keys()))
    .where('m.status', '=', 'held')
    .where('m.starts_at', '>=', dayStart(range.start))
    .where('m.starts_at', '<', sql<Date>`${dayStart(range.end)} + interval '1 day'`)
    .groupBy('m.organization_id')
    .execute();
  const facts: MeetingFact[] = [];
  for (const row of rows) {
    const owner = branchOf.get(row.organization_id)!;
    for (const t of JSON.parse(row.facts) as FactTuple[]) {
      facts.push({
        id: t[0],
        branchId: owner.branchId,
        partyGroupId: owner.partyGroupId,
        type: t[1],
        status: 'held',
        title: t[2],
        date: t[3],
        scored: t[4],
        score: t[5],
        flags: { procedureInvalid: t[6], needsAttention: t[7], provisional: t[8], insufficientData: t[9] },
      });
    }
  }
  return facts;
}

/** What a past period's index needs of a meeting: when, what kind, and its score. */
export interface TrendFact extends ComplianceMeeting {
  /** The branch, also for a party group's meeting. */
  branchId: string;
  /** The current score; null when the meeting has not been scored (or could not be). */
  score: number | null;
  flags: Pick<StoredFlags, 'procedureInvalid' | 'needsAttention'>;
}

/** A trend reads only the index, which flags do not change; one shared object spares an allocation a row. */
const flagsNotRead = Object.freeze({ procedureInvalid: false, needsAttention: false });

/**
 * Held meetings with their current score, as little as a trend needs: a committee's sparklines read
 * every meeting of two years and more, so each comes as `[type, day, score]` with the type as its
 * position in meetingTypes, in one JSON array per organization.
 */
export async function loadTrendFacts(
  db: Db,
  units: readonly BranchUnit[],
  range: { start: string; end: string },
): Promise<TrendFact[]> {
  const owners = ownersOf(units);
  if (owners.size === 0) return [];
  const rows = await db
    .selectFrom('meetings as m')
    .leftJoin('meeting_quality_scores as s', (j) =>
      j.onRef('s.meeting_id', '=', 'm.id').on('s.superseded_at', 'is', null),
    )
    .select([
      'm.organization_id',
      sql<string>`json_agg(json_build_array(array_position(${sql.val([...meetingTypes])}::text[], m.type) - 1,
        (m.starts_at at time zone ${branchTimeZone})::date, s.score))::text`.as('facts'),
    ])
    .where(anyOf('m.organization_id', owners.keys()))
    .where('m.status', '=', 'held')
    .where('m.starts_at', '>=', dayStart(range.start))
    .where('m.starts_at', '<', sql<Date>`${dayStart(range.end)} + interval '1 day'`)
    .groupBy('m.organization_id')
    .execute();
  const facts: TrendFact[] = [];
  for (const row of rows) {
    const owner = owners.get(row.organization_id)!;
    // Plain property writes: spreading and destructuring tens of thousands of tuples costs more
    // than the query.
    const tuples = JSON.parse(row.facts) as Array<[number, string, number | null]>;
    for (let i = 0; i < tuples.length; i++) {
      const t = tuples[i]!;
      facts.push({
        branchId: owner.branchId,
        partyGroupId: owner.partyGroupId,
        type: meetingTypes[t[0]]!,
        date: t[1],
        status: 'held',
        score: t[2],
        flags: flagsNotRead,
      });
    }
  }
  return facts;
}

/** Which branch (and party group) each organization's meetings belong to. */
function ownersOf(units: readonly BranchUnit[]) {
  const owners = new Map<string, { branchId: string; partyGroupId: string | null }>();
  for (const unit of units) {
    owners.set(unit.id, { branchId: unit.id, partyGroupId: null });
    for (const group of unit.partyGroups) owners.set(group.id, { branchId: unit.id, partyGroupId: group.id });
  }
  return owners;
}

/** The parts of a stored score the figures are built from. */
export interface ScoreDetail {
  grade: QualityGrade | null;
  components: Array<Pick<ComponentResult, 'key' | 'status' | 'share' | 'score' | 'points'>>;
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
      // The components' totals as tuples: the sub-metrics are for the meeting's own page, and a
      // committee's year reads thousands of scores.
      sql<
        string | null
      >`(select json_agg(json_build_array(c ->> 'key', c ->> 'status', (c ->> 'share')::float8,
        (c ->> 'score')::float8, (c ->> 'points')::float8)) from jsonb_array_elements(components) c)::text`.as(
        'components',
      ),
      sql<MeetingQualityInputs['satisfaction'] | null>`inputs -> 'satisfaction'`.as('satisfaction'),
      sql<MeetingQualityInputs['attendance'] | null>`inputs -> 'attendance'`.as('attendance'),
      options.explanation
        ? sql<ExplanationLine[]>`explanation`.as('explanation')
        : sql<ExplanationLine[]>`'[]'::jsonb`.as('explanation'),
    ])
    .where('superseded_at', 'is', null)
    .where(anyOf('meeting_id', meetingIds))
    .execute();
  const details = new Map<string, ScoreDetail>();
  for (const r of rows) {
    const tuples = r.components
      ? (JSON.parse(r.components) as Array<
          [ComponentKey, ComponentStatus, number, number | null, number | null]
        >)
      : [];
    details.set(r.meeting_id, {
      grade: r.grade as QualityGrade | null,
      components: tuples.map((t) => ({ key: t[0], status: t[1], share: t[2], score: t[3], points: t[4] })),
      explanation: r.explanation,
      satisfaction: r.satisfaction,
      attendance: r.attendance,
    });
  }
  return details;
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
    .where(anyOf('organization_id', branchOf.keys()))
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
        .select(sql<string | null>`(min(m.starts_at) at time zone ${branchTimeZone})::date`.as('day'))
        .whereRef('m.organization_id', '=', 'o.id')
        .where('m.status', '=', 'held')
        .as('day'),
    ])
    .where(anyOf('o.id', branchOf.keys()))
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
