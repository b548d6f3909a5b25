import { periodKey, periodKeyOfDay } from '../../shared/domain/periods.ts';
import { timeliness } from '../../shared/domain/rectification.ts';
import { computeBranchIndex, type Trend, trend, trendLine } from '../../shared/quality/branch-index.ts';
import {
  type Compliance,
  computeCompliance,
  type Period,
  periodBounds,
} from '../../shared/quality/compliance.ts';
import type { ExplanationLine } from '../../shared/quality/explanation.ts';
import { round } from '../../shared/quality/rounding.ts';
import { componentKeys, gradeFor, type Rubric } from '../../shared/quality/rubric.ts';
import { suppress } from '../../shared/quality/suppression.ts';
import type {
  AttentionReason,
  LossSource,
  MeetingFigure,
  MeetingFlagKey,
  PeriodInfo,
  SuppressedNumber,
} from '../../shared/schemas/dashboards.ts';
import type { BranchUnit, ItemFact, MeetingFact, ScoreDetail, StoredFlags, TrendFact } from './facts.ts';

/**
 * The dashboards' arithmetic over facts already loaded, without the database: one branch, one
 * period at a time. The index itself comes from shared/quality; what is added here is how stored
 * scores are read for a viewer — in particular small-group suppression.
 *
 * Suppression rule: a meeting's survey answers count towards an aggregate only when that meeting
 * alone has at least k of them. Adding small groups together would pass a threshold on the total,
 * but the difference between two periods (a quarter with the meeting, a quarter without it) would
 * then give the small group's answers away.
 */

export function periodInfo(period: Period): PeriodInfo {
  return { key: periodKey(period), unit: period.unit, ...periodBounds(period) };
}

export const inRange = (day: string, range: { start: string; end: string }) =>
  day >= range.start && day <= range.end;

/** Rows sorted into consecutive periods by their day in one pass; rows outside them are dropped. */
export function byPeriod<T>(
  rows: readonly T[],
  dayOf: (row: T) => string,
  periods: readonly Period[],
): T[][] {
  const index = new Map(periods.map((p, i) => [periodKey(p), i]));
  const buckets = periods.map((): T[] => []);
  const unit = periods[0]?.unit;
  if (!unit) return buckets;
  for (const row of rows) {
    const i = index.get(periodKeyOfDay(dayOf(row), unit));
    if (i !== undefined) buckets[i]!.push(row);
  }
  return buckets;
}

const rate = (part: number, whole: number) => (whole > 0 ? round(part / whole, 4) : null);

/** Whether a meeting's survey answers are too few to show to a viewer with this k. */
export function answersHidden(detail: ScoreDetail | undefined, k: number): boolean {
  const answers = detail?.satisfaction?.answers ?? 0;
  return answers > 0 && answers < k;
}

/**
 * A meeting's flags as this viewer may see them: `needsAttention` says the overall satisfaction
 * rate fell below a threshold, which is itself a figure from the answers.
 */
export function visibleFlags(flags: StoredFlags, detail: ScoreDetail | undefined, k: number): StoredFlags {
  return answersHidden(detail, k) ? { ...flags, needsAttention: false } : flags;
}

/**
 * Meetings held versus required in a period — null for a period that ended before the branch's
 * first recorded meeting: a branch that starts using Mingjing is not marked down for the years it
 * kept its records on paper.
 */
export function complianceOf(
  unit: BranchUnit,
  meetings: readonly TrendFact[],
  period: Period,
  asOf: string,
  rubric: Rubric,
  recordsSince: string | undefined,
): Compliance | null {
  if (recordsSince === undefined || periodBounds(period).end < recordsSince) return null;
  return computeCompliance(
    { period, asOf, meetings, partyGroupIds: unit.partyGroups.map((g) => g.id) },
    rubric,
  );
}

export function complianceExplanation(compliance: Compliance | null): ExplanationLine[] {
  if (compliance === null) return [{ key: 'dashboard.explain.noRecords' }];
  const lines: ExplanationLine[] = [
    compliance.required > 0
      ? {
          key: 'dashboard.explain.compliance',
          params: { held: compliance.held, required: compliance.required },
        }
      : { key: 'quality.branch.noCompliance' },
  ];
  const pending = compliance.byType.reduce((sum, t) => sum + t.pending, 0);
  if (pending > 0) lines.push({ key: 'dashboard.explain.compliancePending', params: { pending } });
  return lines;
}

export interface IndexFigure {
  index: number | null;
  grade: ReturnType<typeof gradeFor> | null;
  compliance: number | null;
  meanMqi: number | null;
  scoredMeetings: number;
  flags: { procedureInvalid: number; needsAttention: number };
  trend: Trend;
  explanation: ExplanationLine[];
}

/** The branch index of a period, graded with the rubric's cut-offs, with its trend. */
export function indexOf(
  meetings: readonly MeetingFact[],
  details: ReadonlyMap<string, ScoreDetail>,
  compliance: Compliance | null,
  rubric: Rubric,
  k: number,
  previousIndex: number | null,
): IndexFigure {
  const result = computeBranchIndex(
    {
      compliance: compliance?.share ?? null,
      meetings: meetings
        .filter((m) => m.scored)
        .map((m) => ({ type: m.type, score: m.score, flags: visibleFlags(m.flags, details.get(m.id), k) })),
    },
    rubric,
  );
  const change = trend(result.index, previousIndex);
  return {
    index: result.index,
    grade: result.index === null ? null : gradeFor(result.index, rubric.grades),
    compliance: result.compliance === null ? null : round(result.compliance, 4),
    meanMqi: result.meanMqi === null ? null : round(result.meanMqi, 1),
    scoredMeetings: result.scoredMeetings,
    flags: result.flags,
    trend: change,
    explanation: [...result.explanation, trendLine(change)],
  };
}

/** Only the index of a period, for sparklines and trends. */
export function bareIndex(
  unit: BranchUnit,
  meetings: readonly TrendFact[],
  period: Period,
  asOf: string,
  rubric: Rubric,
  recordsSince: string | undefined,
): number | null {
  const compliance = complianceOf(unit, meetings, period, asOf, rubric, recordsSince);
  return computeBranchIndex(
    // Unscored meetings have a null score, which the index leaves out.
    { compliance: compliance?.share ?? null, meetings },
    rubric,
  ).index;
}

export interface AttendanceFigure {
  rate: number | null;
  present: number;
  expected: number;
  meetings: number;
  explanation: ExplanationLine[];
}

/**
 * Attendance over the period's scored meetings, from the counts each score was computed with
 * (exempt members outside the denominator). Head counts are not answers: no suppression.
 */
export function attendanceOf(
  meetings: readonly MeetingFact[],
  details: ReadonlyMap<string, ScoreDetail>,
): AttendanceFigure {
  let present = 0;
  let expected = 0;
  let counted = 0;
  for (const m of meetings) {
    const a = details.get(m.id)?.attendance;
    if (!a || a.expected - a.exempt <= 0) continue;
    counted++;
    present += a.present;
    expected += a.expected - a.exempt;
  }
  const value = rate(present, expected);
  return {
    rate: value,
    present,
    expected,
    meetings: counted,
    explanation:
      value === null
        ? [{ key: 'dashboard.explain.noAttendance' }]
        : [
            {
              key: 'dashboard.explain.attendance',
              params: { meetings: counted, present, expected, rate: round(100 * value, 1) },
            },
          ],
  };
}

export interface SatisfactionFigure {
  dimensions: Array<{ key: string; mean: SuppressedNumber }>;
  overallRate: SuppressedNumber | null;
  answers: number;
  meetings: number;
  withheldMeetings: number;
  explanation: ExplanationLine[];
}

/** Satisfaction by dimension and the overall rate, each meeting weighted by its answers. */
export function satisfactionOf(
  meetings: readonly MeetingFact[],
  details: ReadonlyMap<string, ScoreDetail>,
  k: number,
): SatisfactionFigure {
  const dimensions = new Map<string, { sum: number; n: number }>();
  const overall = { positive: 0, total: 0, asked: false };
  let answers = 0;
  let counted = 0;
  let withheld = 0;
  for (const m of meetings) {
    const s = details.get(m.id)?.satisfaction;
    if (!s || s.answers === 0) continue;
    const hidden = s.answers < k;
    if (hidden) withheld++;
    else {
      counted++;
      answers += s.answers;
    }
    for (const [key, mean] of Object.entries(s.likertMeans)) {
      const d = dimensions.get(key) ?? { sum: 0, n: 0 };
      if (!hidden) {
        d.sum += mean * s.answers;
        d.n += s.answers;
      }
      dimensions.set(key, d);
    }
    if (s.overall) {
      overall.asked = true;
      const total = s.overall.satisfied + s.overall.basicallySatisfied + s.overall.dissatisfied;
      if (total >= k) {
        overall.positive += s.overall.satisfied + s.overall.basicallySatisfied;
        overall.total += total;
      }
    }
  }
  const explanation: ExplanationLine[] = [
    counted > 0
      ? { key: 'dashboard.explain.satisfaction', params: { meetings: counted, answers } }
      : { key: 'dashboard.explain.noSatisfaction' },
  ];
  if (withheld > 0) {
    explanation.push({ key: 'dashboard.explain.satisfactionWithheld', params: { meetings: withheld, k } });
  }
  return {
    dimensions: [...dimensions].map(([key, d]) => ({
      key,
      mean: suppress(d.n > 0 ? round(d.sum / d.n, 2) : 0, d.n, k),
    })),
    overallRate: overall.asked
      ? suppress(overall.total > 0 ? round(overall.positive / overall.total, 4) : 0, overall.total, k)
      : null,
    answers,
    meetings: counted,
    withheldMeetings: withheld,
    explanation,
  };
}

export interface RectificationFigure {
  onTimeRate: number | null;
  onTime: number;
  late: number;
  overdue: number;
  pending: number;
  explanation: ExplanationLine[];
}

/** Items falling due in the period: done by the due day, done late, or still open past it. */
export function rectificationOf(items: readonly ItemFact[], today: string): RectificationFigure {
  const counts = { onTime: 0, late: 0, overdue: 0, pending: 0 };
  for (const item of items) {
    const t = timeliness(item, today);
    if (t === 'onTime' || t === 'late' || t === 'overdue' || t === 'pending') counts[t]++;
  }
  const settled = counts.onTime + counts.late + counts.overdue;
  const explanation: ExplanationLine[] = [
    settled > 0
      ? { key: 'dashboard.explain.onTime', params: { due: settled, ...counts } }
      : { key: 'dashboard.explain.noItemsDue' },
  ];
  if (counts.pending > 0) {
    explanation.push({ key: 'dashboard.explain.itemsPending', params: { pending: counts.pending } });
  }
  return { onTimeRate: rate(counts.onTime, settled), ...counts, explanation };
}

/**
 * Where the period's index lost most points: compliance, one of the MQI's components (averaged
 * over meetings with the index's type weights) or the gates' caps — "the component that pulled
 * the score down". Null when nothing was lost or nothing was measured.
 */
export function weakestOf(
  meetings: readonly MeetingFact[],
  details: ReadonlyMap<string, ScoreDetail>,
  compliance: number | null,
  rubric: Rubric,
): { source: LossSource; lostPoints: number } | null {
  const { complianceWeight, mqiWeight, meetingTypeWeights } = rubric.branchIndex;
  const lost = Object.fromEntries([...componentKeys, 'caps'].map((key) => [key, 0])) as Record<
    Exclude<LossSource, 'compliance'>,
    number
  >;
  let weights = 0;
  for (const m of meetings) {
    const detail = details.get(m.id);
    const w = meetingTypeWeights[m.type];
    if (m.score === null || !detail || w <= 0) continue;
    weights += w;
    let points = 0;
    for (const c of detail.components) {
      if (c.status !== 'scored' || c.score === null) continue;
      lost[c.key] += w * 100 * c.share * (1 - c.score);
      points += c.points ?? 0;
    }
    // A cap binds when the rounded uncapped score is above the stored one.
    if (round(points) > m.score) lost.caps += w * (points - m.score);
  }
  const parts = (compliance !== null ? complianceWeight : 0) + (weights > 0 ? mqiWeight : 0);
  if (parts <= 0) return null;
  const candidates: Array<{ source: LossSource; lostPoints: number }> = [];
  if (compliance !== null) {
    candidates.push({
      source: 'compliance',
      lostPoints: (complianceWeight / parts) * 100 * (1 - compliance),
    });
  }
  if (weights > 0) {
    for (const [source, value] of Object.entries(lost)) {
      candidates.push({ source: source as LossSource, lostPoints: ((mqiWeight / parts) * value) / weights });
    }
  }
  const worst = candidates.reduce((a, b) => (b.lostPoints > a.lostPoints ? b : a));
  return worst.lostPoints >= 0.05 ? { source: worst.source, lostPoints: round(worst.lostPoints, 1) } : null;
}

/** A committee's reasons to look at a branch, strongest first. */
export function attentionOf(
  index: IndexFigure,
  position: 'above' | 'below' | 'indistinguishable' | null,
): AttentionReason[] {
  const reasons: AttentionReason[] = [];
  if (index.flags.procedureInvalid > 0) reasons.push('procedureInvalid');
  if (index.flags.needsAttention > 0) reasons.push('needsAttention');
  if (index.grade === 'poor') reasons.push('poor');
  if (position === 'below') reasons.push('below');
  if (index.trend.change !== null && index.trend.change <= -fallingBy) reasons.push('falling');
  return reasons;
}

/** A drop of this many points from one period to the next is worth a committee's look. */
export const fallingBy = 5;

const flagOrder: readonly MeetingFlagKey[] = [
  'procedureInvalid',
  'needsAttention',
  'provisional',
  'insufficientData',
];

/** The flags that are set, in the order a person should read them. */
export function flagList(flags: StoredFlags): MeetingFlagKey[] {
  return flagOrder.filter((f) => flags[f]);
}

/** Explanation lines that speak about the answers (the satisfaction component and its gates). */
function speaksOfAnswers(line: ExplanationLine): boolean {
  if (line.key === 'quality.explain.satisfactionInsufficient') return false;
  return (
    line.component === 'satisfaction' ||
    line.key === 'quality.explain.needsAttention' ||
    line.key === 'quality.explain.cap.satisfactionGrade'
  );
}

/**
 * One meeting as a viewer may see it. The score itself only ever counted satisfaction with at
 * least the committee's k answers; a viewer whose k is larger still does not see the satisfaction
 * points, the mean, or the lines about the answers.
 */
export function meetingFigure(m: MeetingFact, detail: ScoreDetail | undefined, k: number): MeetingFigure {
  const hidden = answersHidden(detail, k);
  const flags = visibleFlags(m.flags, detail, k);
  const s = detail?.satisfaction;
  const means = s ? Object.values(s.likertMeans) : [];
  const a = detail?.attendance;
  const explanation = hidden
    ? [
        ...detail!.explanation.filter((line) => !speaksOfAnswers(line)),
        { key: 'quality.suppressed', params: { k }, component: 'satisfaction' as const },
      ]
    : (detail?.explanation ?? []);
  return {
    id: m.id,
    title: m.title,
    type: m.type,
    date: m.date,
    score: m.score,
    grade: detail?.grade ?? null,
    flags: flagList(flags),
    components: (detail?.components ?? []).map((c) => {
      const suppressed = hidden && c.key === 'satisfaction' && c.status === 'scored';
      return {
        key: c.key,
        points: c.status === 'scored' && c.points !== null && !suppressed ? round(c.points, 1) : null,
        suppressed,
      };
    }),
    explanation,
    attendanceRate: a ? rate(a.present, a.expected - a.exempt) : null,
    satisfaction:
      s && s.answers > 0 && means.length > 0
        ? suppress(round(means.reduce((x, y) => x + y, 0) / means.length, 2), s.answers, k)
        : null,
  };
}
