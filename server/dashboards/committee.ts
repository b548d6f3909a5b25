import { meetingTypes } from '../../shared/domain/enums.ts';
import { periodKey, trailingPeriods, trendLength } from '../../shared/domain/periods.ts';
import { type Period, periodBounds } from '../../shared/quality/compliance.ts';
import { round } from '../../shared/quality/rounding.ts';
import { qualityGrades } from '../../shared/quality/rubric.ts';
import { shrinkBranchMeans, summarize } from '../../shared/quality/shrinkage.ts';
import type { CommitteeBranchRow, CommitteeDashboard } from '../../shared/schemas/dashboards.ts';
import type { OrganizationScope } from '../access/principal.ts';
import type { Db } from '../db/schema.ts';
import {
  loadBranchUnits,
  loadItemFacts,
  loadMeetingFacts,
  loadRecordsSince,
  loadScoreDetails,
  loadTrendFacts,
} from './facts.ts';
import {
  attendanceOf,
  attentionOf,
  bareIndex,
  byPeriod,
  complianceOf,
  indexOf,
  periodInfo,
  type RectificationFigure,
  rectificationOf,
  satisfactionOf,
  weakestOf,
} from './figures.ts';
import { rubricsInForce } from './rubrics.ts';

function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const list = groups.get(key(row));
    if (list) list.push(row);
    else groups.set(key(row), [row]);
  }
  return groups;
}

/**
 * Every branch below a committee for one period, answering "which branches need attention and
 * why": the branch index with its grade, trend and sparkline, the flags, where the index lost most,
 * the figures behind it (satisfaction suppressed below each branch's committee k), and an
 * empirical-Bayes comparison of the branches' mean MQI with 90% intervals instead of a rank.
 * Branch-level aggregates only: no names, no per-member figures, no appraisal data.
 */
export async function committeeDashboard(
  db: Db,
  committee: OrganizationScope,
  period: Period,
  asOf: string,
): Promise<CommitteeDashboard> {
  const units = await loadBranchUnits(db, committee.id);
  const periods = trailingPeriods(period, trendLength[period.unit] + 1);
  const bounds = periodBounds(period);
  // The period itself in full; the periods before it only as far as their index needs.
  const [inForce, current, history, items, recordsSince] = await Promise.all([
    rubricsInForce(db, [...units, committee]),
    loadMeetingFacts(db, units, bounds),
    loadTrendFacts(db, units, {
      start: periodBounds(periods[0]!).start,
      end: periodBounds(periods.at(-2)!).end,
    }),
    loadItemFacts(db, units, bounds),
    loadRecordsSince(db, units),
  ]);
  const details = await loadScoreDetails(
    db,
    current.filter((m) => m.scored).map((m) => m.id),
    { explanation: false },
  );
  const currentOf = groupBy(current, (m) => m.branchId);
  const historyOf = groupBy(history, (m) => m.branchId);
  const itemsOf = groupBy(items, (i) => i.branchId);

  const rows = units.map((unit) => {
    const { rubric, committeeK: k } = inForce.get(unit.id)!;
    const earlier = periods.slice(0, -1);
    const past = byPeriod(historyOf.get(unit.id) ?? [], (m) => m.date, earlier);
    const since = recordsSince.get(unit.id);
    const pastIndices = earlier.map((p, i) => bareIndex(unit, past[i]!, p, asOf, rubric, since));
    const inPeriod = currentOf.get(unit.id) ?? [];
    const compliance = complianceOf(unit, inPeriod, period, asOf, rubric, since);
    const index = indexOf(inPeriod, details, compliance, rubric, k, pastIndices.at(-1) ?? null);
    const indices = [...pastIndices, index.index];
    const rectification = rectificationOf(itemsOf.get(unit.id) ?? [], asOf);
    return {
      unit,
      compliance,
      rectification,
      scores: inPeriod.flatMap((m) => (m.score === null ? [] : [m.score])),
      row: {
        id: unit.id,
        name: unit.name,
        parentName: unit.parentName,
        members: unit.members,
        ...index,
        sparkline: periods.slice(1).map((p, i) => ({ period: periodKey(p), index: indices[i + 1]! })),
        weakest: weakestOf(inPeriod, details, compliance?.share ?? null, rubric),
        satisfactionRate: satisfactionOf(inPeriod, details, k).overallRate,
        attendanceRate: attendanceOf(inPeriod, details).rate,
        onTimeRate: rectification.onTimeRate,
        comparison: null,
        attention: [],
      } as CommitteeBranchRow,
    };
  });

  const shrunk = shrinkBranchMeans(
    rows.filter((r) => r.scores.length > 0).map((r) => summarize(r.unit.id, r.scores)),
    { bounds: [0, 100] },
  );
  if (shrunk.ok) {
    const byId = new Map(shrunk.branches.map((b) => [b.id, b]));
    for (const { row } of rows) {
      const b = byId.get(row.id);
      if (!b) continue;
      row.comparison = {
        n: b.n,
        mean: round(b.mean, 1),
        estimate: round(b.estimate, 1),
        lower: round(b.lower, 1),
        upper: round(b.upper, 1),
        shrinkage: round(b.shrinkage, 2),
        position: b.position,
      };
    }
  }
  for (const { row } of rows) row.attention = attentionOf(row, row.comparison?.position ?? null);

  // Ties keep the units' order: by name in Chinese collation, as loadBranchUnits sorts them.
  const branches = rows
    .map((r) => r.row)
    .sort(
      (a, b) =>
        Number(b.attention.length > 0) - Number(a.attention.length > 0) ||
        (a.index ?? Number.POSITIVE_INFINITY) - (b.index ?? Number.POSITIVE_INFINITY),
    );
  const indexed = branches.flatMap((b) => (b.index === null ? [] : [b.index]));
  const viewerK = inForce.get(committee.id)!.committeeK;
  return {
    organization: { id: committee.id, name: committee.name },
    viewer: { scope: 'committee', k: viewerK },
    period: periodInfo(period),
    asOf,
    branches,
    comparison: shrunk.ok
      ? { ok: true, committeeMean: round(shrunk.committeeMean, 1), branches: shrunk.branches.length }
      : { ok: false, reason: shrunk.reason },
    summary: {
      branches: branches.length,
      needingAttention: branches.filter((b) => b.attention.length > 0).length,
      grades: Object.fromEntries(
        qualityGrades.map((g) => [g, branches.filter((b) => b.grade === g).length]),
      ) as CommitteeDashboard['summary']['grades'],
      meanIndex: indexed.length > 0 ? round(indexed.reduce((a, b) => a + b, 0) / indexed.length, 1) : null,
      complianceByType: meetingTypes.flatMap((type) => {
        const all = rows.flatMap((r) => r.compliance?.byType.filter((t) => t.type === type) ?? []);
        return all.length === 0
          ? []
          : [
              {
                type,
                required: all.reduce((s, t) => s + t.required, 0),
                held: all.reduce((s, t) => s + t.held, 0),
                pending: all.reduce((s, t) => s + t.pending, 0),
              },
            ];
      }),
      rectification: rectificationTotals(rows.map((r) => r.rectification)),
    },
  };
}

function rectificationTotals(figures: readonly RectificationFigure[]) {
  const sum = (key: 'onTime' | 'late' | 'overdue' | 'pending') => figures.reduce((s, f) => s + f[key], 0);
  const totals = {
    onTime: sum('onTime'),
    late: sum('late'),
    overdue: sum('overdue'),
    pending: sum('pending'),
  };
  const settled = totals.onTime + totals.late + totals.overdue;
  return { ...totals, onTimeRate: settled > 0 ? round(totals.onTime / settled, 4) : null };
}
