import type { MeetingType } from '../domain/enums.ts';
import type { ExplanationLine } from './explanation.ts';
import { round } from './rounding.ts';
import type { Rubric } from './rubric.ts';

/**
 * The branch index a committee reads per quarter or year (QUALITY-INDEX.md):
 * `index = (wc × 100 × compliance + wm × weighted mean MQI) / (wc + wm)` — 0.3 and 0.7 by default,
 * the mean weighting each meeting by its type (组织生活会 3, 党员大会 2, 民主评议 2, others 1).
 *
 * @example
 * const index = computeBranchIndex({ compliance: 0.9, meetings: [{ type: 'orgLifeMeeting', score: 84,
 *   flags: { procedureInvalid: false, needsAttention: false } }] }, rubric);
 * index.index; // 85.8 = 0.3 × 90 + 0.7 × 84
 * trend(85.8, 80.2); // { change: 5.6, direction: 'up' }
 */

export interface BranchMeetingScore {
  type: MeetingType;
  /** The meeting's MQI; null when it could not be scored (it then does not count). */
  score: number | null;
  flags: { procedureInvalid: boolean; needsAttention: boolean };
}

export interface BranchIndex {
  /** 0–100 with one decimal; null when the period has neither compliance nor scored meetings. */
  index: number | null;
  /** Compliance share 0–1 (compliance.ts), null when nothing was required yet. */
  compliance: number | null;
  /** Type-weighted mean MQI of the scored meetings, null when none was scored. */
  meanMqi: number | null;
  scoredMeetings: number;
  /** How many of the period's meetings carry each flag — what a committee looks at first. */
  flags: { procedureInvalid: number; needsAttention: number };
  explanation: ExplanationLine[];
}

export function computeBranchIndex(
  input: { compliance: number | null; meetings: readonly BranchMeetingScore[] },
  rubric: Pick<Rubric, 'branchIndex'>,
): BranchIndex {
  const { complianceWeight, mqiWeight, meetingTypeWeights } = rubric.branchIndex;
  let weightSum = 0;
  let weighted = 0;
  let scoredMeetings = 0;
  for (const meeting of input.meetings) {
    const w = meetingTypeWeights[meeting.type];
    if (meeting.score === null) continue;
    scoredMeetings++;
    weightSum += w;
    weighted += w * meeting.score;
  }
  // A meeting type weighted 0 still counts as scored but adds nothing; all-zero weights mean no mean.
  const meanMqi = weightSum > 0 ? weighted / weightSum : null;
  const compliancePoints = input.compliance === null ? null : 100 * input.compliance;

  // Whatever is missing drops out and the other part carries the whole weight, as components do
  // in the MQI — a quarter with no scored meeting is judged on compliance alone, and says so.
  const parts = [
    { weight: complianceWeight, value: compliancePoints },
    { weight: mqiWeight, value: meanMqi },
  ].filter((p): p is { weight: number; value: number } => p.value !== null && p.weight > 0);
  const total = parts.reduce((sum, p) => sum + p.weight, 0);
  const index = total > 0 ? round(parts.reduce((sum, p) => sum + p.weight * p.value, 0) / total, 1) : null;

  const explanation: ExplanationLine[] = [];
  explanation.push(
    compliancePoints === null
      ? { key: 'quality.branch.noCompliance' }
      : { key: 'quality.branch.compliance', params: { rate: round(compliancePoints, 1) } },
    meanMqi === null
      ? { key: 'quality.branch.noMeetings' }
      : { key: 'quality.branch.meanMqi', params: { mean: round(meanMqi, 1), meetings: scoredMeetings } },
  );
  if (index !== null && parts.length === 2) {
    explanation.push({
      key: 'quality.branch.index',
      params: {
        complianceWeight: round(complianceWeight / total, 2),
        compliance: round(compliancePoints!, 1),
        mqiWeight: round(mqiWeight / total, 2),
        mean: round(meanMqi!, 1),
        index,
      },
    });
  } else if (index !== null) {
    explanation.push({ key: 'quality.branch.indexPartial', params: { index } });
  }
  const flags = {
    procedureInvalid: input.meetings.filter((m) => m.flags.procedureInvalid).length,
    needsAttention: input.meetings.filter((m) => m.flags.needsAttention).length,
  };
  if (flags.procedureInvalid > 0) {
    explanation.push({
      key: 'quality.branch.procedureInvalid',
      params: { meetings: flags.procedureInvalid },
    });
  }
  if (flags.needsAttention > 0) {
    explanation.push({ key: 'quality.branch.needsAttention', params: { meetings: flags.needsAttention } });
  }
  return { index, compliance: input.compliance, meanMqi, scoredMeetings, flags, explanation };
}

export interface Trend {
  /** Current minus previous, one decimal; null when either is missing. */
  change: number | null;
  direction: 'up' | 'down' | 'flat' | 'unknown';
}

/**
 * Change against the previous period. Moves smaller than `tolerance` points read as flat: an
 * index that wobbles by a fraction of a point has not really changed.
 */
export function trend(current: number | null, previous: number | null, tolerance = 1): Trend {
  if (current === null || previous === null) return { change: null, direction: 'unknown' };
  const change = round(current - previous, 1);
  if (Math.abs(change) < tolerance) return { change, direction: 'flat' };
  return { change, direction: change > 0 ? 'up' : 'down' };
}

/** The trend as a line to show: the direction carries the sign, so "下降 2.7", not "下降 -2.7". */
export function trendLine(t: Trend): ExplanationLine {
  return t.change === null
    ? { key: `quality.trend.${t.direction}` }
    : { key: `quality.trend.${t.direction}`, params: { change: Math.abs(t.change) } };
}
