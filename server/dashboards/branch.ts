import { trailingPeriods, trendLength } from '../../shared/domain/periods.ts';
import { type Period, periodBounds } from '../../shared/quality/compliance.ts';
import type { SuppressionScope } from '../../shared/quality/suppression.ts';
import type { BranchDashboard, SeriesPoint } from '../../shared/schemas/dashboards.ts';
import type { Db } from '../db/schema.ts';
import { notFound } from '../http/errors.ts';
import { loadRosterRows, rosterSummary, toRosterEntry } from '../members/roster.ts';
import {
  type BranchUnit,
  loadBranchUnits,
  loadItemFacts,
  loadMeetingFacts,
  loadRecordsSince,
  loadScoreDetails,
  type MeetingFact,
} from './facts.ts';
import {
  attendanceOf,
  complianceExplanation,
  complianceOf,
  flagList,
  indexOf,
  inRange,
  meetingFigure,
  periodInfo,
  rectificationOf,
  satisfactionOf,
  visibleFlags,
} from './figures.ts';
import { type RubricInForce, rubricsInForce } from './rubrics.ts';

/** A branch, the rubric in force for it and the k of the person reading. */
export interface BranchContext {
  unit: BranchUnit;
  inForce: RubricInForce;
  scope: SuppressionScope;
  k: number;
}

export async function branchContext(
  db: Db,
  branchId: string,
  scope: SuppressionScope,
): Promise<BranchContext> {
  const unit = (await loadBranchUnits(db, branchId)).find((u) => u.id === branchId);
  if (!unit) throw notFound();
  const inForce = (await rubricsInForce(db, [unit])).get(unit.id)!;
  return { unit, inForce, scope, k: scope === 'branch' ? inForce.branchK : inForce.committeeK };
}

/**
 * Everything the branch page shows for a period: the index with its trend over the periods before
 * it, each meeting's score with its components, satisfaction by dimension, attendance, the
 * compliance calendar of the period's year, rectification on time, the flagged meetings, and —
 * for people inside the branch only — how many members are about to fall out of organization life.
 */
export async function branchDashboard(
  db: Db,
  context: BranchContext,
  period: Period,
  asOf: string,
): Promise<BranchDashboard> {
  const { unit, inForce, k } = context;
  const { rubric } = inForce;
  // One period before the trend's first, so its first point has a trend of its own.
  const periods = trailingPeriods(period, trendLength[period.unit] + 1);
  const year: Period = { unit: 'year', year: period.year };
  const range = {
    start: [periodBounds(periods[0]!).start, periodBounds(year).start].sort()[0]!,
    end: [periodBounds(period).end, periodBounds(year).end].sort().at(-1)!,
  };
  const [meetings, recordsSince] = await Promise.all([
    loadMeetingFacts(db, [unit], range).then((list) => list.sort((a, b) => a.date.localeCompare(b.date))),
    loadRecordsSince(db, [unit]).then((since) => since.get(unit.id)),
  ]);
  const [details, items] = await Promise.all([
    loadScoreDetails(
      db,
      meetings.filter((m) => m.scored).map((m) => m.id),
      { explanation: true },
    ),
    loadItemFacts(db, [unit], { start: periodBounds(periods[1]!).start, end: periodBounds(period).end }),
  ]);

  const figuresOf = (p: Period, previousIndex: number | null) => {
    const bounds = periodBounds(p);
    const inPeriod = meetings.filter((m) => inRange(m.date, bounds));
    const compliance = complianceOf(unit, inPeriod, p, asOf, rubric, recordsSince);
    return {
      bounds,
      inPeriod,
      compliance,
      index: indexOf(inPeriod, details, compliance, rubric, k, previousIndex),
      attendance: attendanceOf(inPeriod, details),
      satisfaction: satisfactionOf(inPeriod, details, k),
      rectification: rectificationOf(
        items.filter((i) => inRange(i.dueOn, bounds)),
        asOf,
      ),
    };
  };

  let previous = figuresOf(periods[0]!, null);
  const series: SeriesPoint[] = [];
  let current = previous;
  for (const p of periods.slice(1)) {
    current = figuresOf(p, previous.index.index);
    series.push({
      period: periodInfo(p),
      index: current.index.index,
      compliance: current.index.compliance,
      meanMqi: current.index.meanMqi,
      attendanceRate: current.attendance.rate,
      satisfactionRate: current.satisfaction.overallRate,
      onTimeRate: current.rectification.onTimeRate,
    });
    previous = current;
  }

  const calendar = complianceOf(
    unit,
    meetings.filter((m) => inRange(m.date, periodBounds(year))),
    year,
    asOf,
    rubric,
    recordsSince,
  );
  const groupName = new Map(unit.partyGroups.map((g) => [g.id, g.name]));
  const trendRange = { start: periodBounds(periods[1]!).start, end: periodBounds(period).end };

  return {
    organization: { id: unit.id, name: unit.name },
    viewer: { scope: context.scope, k },
    period: periodInfo(period),
    asOf,
    index: current.index,
    series,
    meetings: meetings
      .filter((m) => m.scored && inRange(m.date, trendRange))
      .map((m) => meetingFigure(m, details.get(m.id), k)),
    satisfaction: current.satisfaction,
    attendance: current.attendance,
    compliance: {
      share: current.index.compliance,
      held: current.compliance?.held ?? 0,
      required: current.compliance?.required ?? 0,
      pending: current.compliance?.byType.reduce((sum, t) => sum + t.pending, 0) ?? 0,
      byType: current.compliance?.byType ?? [],
      calendar: {
        period: periodInfo(year),
        slots: (calendar?.slots ?? []).map((s) => ({
          ...s,
          partyGroup: s.partyGroupId
            ? { id: s.partyGroupId, name: groupName.get(s.partyGroupId) ?? '' }
            : null,
        })),
      },
      explanation: complianceExplanation(current.compliance),
    },
    rectification: current.rectification,
    flagged: current.inPeriod.flatMap((m) => flaggedMeeting(m, visibleFlags(m.flags, details.get(m.id), k))),
    attendanceWarnings: context.scope === 'branch' ? await attendanceWarnings(db, unit.id) : null,
  };
}

/** A meeting with a flag a committee acts on ("too few answers" stays with the meeting itself). */
function flaggedMeeting(m: MeetingFact, flags: MeetingFact['flags']) {
  const on = flagList(flags).filter((f) => f !== 'insufficientData');
  return on.length === 0 ? [] : [{ id: m.id, title: m.title, type: m.type, date: m.date, flags: on }];
}

/** The roster's own absence warnings (server/members), counted: the names stay on the roster page. */
async function attendanceWarnings(db: Db, branchId: string) {
  const now = new Date();
  const rows = await loadRosterRows(db, { organizationId: branchId, includeLeft: false });
  const summary = rosterSummary(
    rows.map((row) => toRosterEntry(row, true, now)),
    true,
  );
  return summary.absence ?? { threeMonths: 0, fiveMonths: 0 };
}
