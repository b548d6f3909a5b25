import { z } from 'zod';
import { meetingTypes } from '../domain/enums.ts';
import { periodKeyPattern } from '../domain/periods.ts';
import { complianceFrequencies, componentKeys, qualityGrades } from '../quality/rubric.ts';
import { suppressionScopes } from '../quality/suppression.ts';
import { isoDateTime } from './common.ts';

/**
 * The branch and committee dashboards, their exports and the committee's access log. Every figure
 * built from survey answers travels as `suppressedNumber`: below k only the fact that it was
 * withheld (and k) is sent, never the value.
 */

const yearInRange = (key: string) => {
  const year = Number(key.slice(0, 4));
  return year >= 2000 && year <= 2100;
};

/** `2026`, `2026-Q1` or `2026-03`; omitted = the current quarter. */
export const periodKeySchema = z
  .string()
  .regex(periodKeyPattern)
  .refine(yearInRange, { message: 'outOfRange' });

export const periodQuery = z.strictObject({ period: periodKeySchema.optional() });
export type PeriodQuery = z.infer<typeof periodQuery>;

/** The printable report is quarterly by name; omitted = the last quarter that has ended. */
export const quarterQuery = z.strictObject({
  period: z
    .string()
    .regex(/^\d{4}-Q[1-4]$/)
    .refine(yearInRange, { message: 'outOfRange' })
    .optional(),
});

export const accessLogQuery = z.strictObject({
  /** Entries strictly older than this instant (the previous page's last `at`). */
  before: isoDateTime.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** What a committee looked at; one row per look, in dashboard_access_log. */
export const dashboardViews = [
  'branchDashboard',
  'committeeDashboard',
  'quarterlyReport',
  'ledgerExport',
  'aggregatesExport',
] as const;
export type DashboardView = (typeof dashboardViews)[number];

export const explanationLine = z.object({
  key: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  component: z.enum(componentKeys).optional(),
});

/** A figure from survey answers: its value and how many answers, or only that it is withheld. */
export const suppressedNumber = z.discriminatedUnion('suppressed', [
  z.object({ suppressed: z.literal(false), value: z.number(), n: z.number().int() }),
  z.object({ suppressed: z.literal(true), n: z.number().int(), k: z.number().int() }),
]);
export type SuppressedNumber = z.infer<typeof suppressedNumber>;

export const periodInfo = z.object({
  key: z.string(),
  unit: z.enum(['month', 'quarter', 'year']),
  start: z.string(),
  end: z.string(),
});
export type PeriodInfo = z.infer<typeof periodInfo>;

const viewer = z.object({
  /** `branch` — someone inside the branch (branch k); `committee` — a superior organization (committee k). */
  scope: z.enum(suppressionScopes),
  k: z.number().int(),
});

const trend = z.object({
  change: z.number().nullable(),
  direction: z.enum(['up', 'down', 'flat', 'unknown']),
});

const grade = z.enum(qualityGrades).nullable();
const share = z.number().nullable();

const indexFigure = z.object({
  index: z.number().nullable(),
  grade,
  compliance: share,
  meanMqi: z.number().nullable(),
  scoredMeetings: z.number().int(),
  flags: z.object({ procedureInvalid: z.number().int(), needsAttention: z.number().int() }),
  trend,
  explanation: z.array(explanationLine),
});

export const meetingFlagKeys = [
  'procedureInvalid',
  'needsAttention',
  'provisional',
  'insufficientData',
] as const;
export type MeetingFlagKey = (typeof meetingFlagKeys)[number];

export const meetingFigure = z.object({
  id: z.uuid(),
  title: z.string(),
  type: z.enum(meetingTypes),
  /** The day it was held, in the branch's calendar. */
  date: z.string(),
  score: z.number().nullable(),
  grade,
  flags: z.array(z.enum(meetingFlagKeys)),
  components: z.array(
    z.object({
      key: z.enum(componentKeys),
      /** Points contributed to the score; null when the component did not count or is withheld. */
      points: z.number().nullable(),
      /** The component is built from fewer answers than this viewer's k. */
      suppressed: z.boolean(),
    }),
  ),
  explanation: z.array(explanationLine),
  attendanceRate: share,
  /** Mean of the survey's dimensions (1–5). */
  satisfaction: suppressedNumber.nullable(),
});
export type MeetingFigure = z.infer<typeof meetingFigure>;

export const satisfactionFigure = z.object({
  dimensions: z.array(z.object({ key: z.string(), mean: suppressedNumber })),
  /** 满意 + 基本满意 over the answers to the overall item, 0–1. */
  overallRate: suppressedNumber.nullable(),
  answers: z.number().int(),
  /** Meetings whose answers are counted, and those left out because each had fewer than k. */
  meetings: z.number().int(),
  withheldMeetings: z.number().int(),
  explanation: z.array(explanationLine),
});

export const attendanceFigure = z.object({
  rate: share,
  present: z.number().int(),
  expected: z.number().int(),
  meetings: z.number().int(),
  explanation: z.array(explanationLine),
});

export const complianceSlot = z.object({
  type: z.enum(meetingTypes),
  partyGroup: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  start: z.string(),
  end: z.string(),
  state: z.enum(['held', 'missed', 'pending']),
});

export const complianceFigure = z.object({
  share,
  held: z.number().int(),
  required: z.number().int(),
  pending: z.number().int(),
  byType: z.array(
    z.object({
      type: z.enum(meetingTypes),
      frequency: z.enum(complianceFrequencies),
      required: z.number().int(),
      held: z.number().int(),
      pending: z.number().int(),
    }),
  ),
  /** The whole year of the selected period, slot by slot (a quarter hides the yearly meetings). */
  calendar: z.object({ period: periodInfo, slots: z.array(complianceSlot) }),
  explanation: z.array(explanationLine),
});

export const rectificationFigure = z.object({
  /** Items due in the period done on time, over those done or overdue. */
  onTimeRate: share,
  onTime: z.number().int(),
  late: z.number().int(),
  overdue: z.number().int(),
  pending: z.number().int(),
  explanation: z.array(explanationLine),
});

export const seriesPoint = z.object({
  period: periodInfo,
  index: z.number().nullable(),
  compliance: share,
  meanMqi: z.number().nullable(),
  attendanceRate: share,
  satisfactionRate: suppressedNumber.nullable(),
  onTimeRate: share,
});
export type SeriesPoint = z.infer<typeof seriesPoint>;

export const branchDashboard = z.object({
  organization: z.object({ id: z.uuid(), name: z.string() }),
  viewer,
  period: periodInfo,
  asOf: z.string(),
  index: indexFigure,
  /** The trend: this period and those before it, oldest first. */
  series: z.array(seriesPoint),
  /** Every meeting of the trend's range, oldest first, with its score's components. */
  meetings: z.array(meetingFigure),
  satisfaction: satisfactionFigure,
  attendance: attendanceFigure,
  compliance: complianceFigure,
  rectification: rectificationFigure,
  /** Meetings of the period carrying a flag. */
  flagged: z.array(meetingFigure.pick({ id: true, title: true, type: true, date: true, flags: true })),
  /** Members 3 and 5 months without organization life: for people inside the branch only. */
  attendanceWarnings: z.object({ threeMonths: z.number().int(), fiveMonths: z.number().int() }).nullable(),
});
export type BranchDashboard = z.infer<typeof branchDashboard>;

/** What a committee should look at first, in this order. */
export const attentionReasons = ['procedureInvalid', 'needsAttention', 'poor', 'below', 'falling'] as const;
export type AttentionReason = (typeof attentionReasons)[number];

/** Where the index lost most: compliance, a component of the MQI, or the gates' caps. */
export const lossSources = ['compliance', ...componentKeys, 'caps'] as const;
export type LossSource = (typeof lossSources)[number];

export const committeeBranchRow = z.object({
  id: z.uuid(),
  name: z.string(),
  /** The general branch (党总支) it sits under, when there is one between it and the committee. */
  parentName: z.string().nullable(),
  members: z.number().int(),
  ...indexFigure.shape,
  sparkline: z.array(z.object({ period: z.string(), index: z.number().nullable() })),
  weakest: z.object({ source: z.enum(lossSources), lostPoints: z.number() }).nullable(),
  satisfactionRate: suppressedNumber.nullable(),
  attendanceRate: share,
  onTimeRate: share,
  comparison: z
    .object({
      n: z.number().int(),
      mean: z.number(),
      estimate: z.number(),
      lower: z.number(),
      upper: z.number(),
      shrinkage: z.number(),
      position: z.enum(['above', 'below', 'indistinguishable']),
    })
    .nullable(),
  attention: z.array(z.enum(attentionReasons)),
});
export type CommitteeBranchRow = z.infer<typeof committeeBranchRow>;

export const committeeDashboard = z.object({
  organization: z.object({ id: z.uuid(), name: z.string() }),
  viewer,
  period: periodInfo,
  asOf: z.string(),
  /** Needing attention first, then by index from low to high. */
  branches: z.array(committeeBranchRow),
  /** The empirical-Bayes comparison of the branches' mean MQI in the period. */
  comparison: z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), committeeMean: z.number(), branches: z.number().int() }),
    z.object({ ok: z.literal(false), reason: z.enum(['tooFewBranches', 'noWithinVariance']) }),
  ]),
  summary: z.object({
    branches: z.number().int(),
    needingAttention: z.number().int(),
    grades: z.record(z.enum(qualityGrades), z.number().int()),
    meanIndex: z.number().nullable(),
    complianceByType: z.array(
      z.object({
        type: z.enum(meetingTypes),
        required: z.number().int(),
        held: z.number().int(),
        pending: z.number().int(),
      }),
    ),
    rectification: z.object({
      onTime: z.number().int(),
      late: z.number().int(),
      overdue: z.number().int(),
      pending: z.number().int(),
      onTimeRate: share,
    }),
  }),
});
export type CommitteeDashboard = z.infer<typeof committeeDashboard>;

export const accessLogEntry = z.object({
  id: z.uuid(),
  at: isoDateTime,
  account: z.object({ displayName: z.string(), login: z.string() }),
  organization: z.object({ id: z.uuid(), name: z.string() }),
  view: z.enum(dashboardViews),
});

export const accessLogPage = z.object({
  entries: z.array(accessLogEntry),
  /** Pass as `before` for the next, older page; null at the end. */
  nextBefore: isoDateTime.nullable(),
});
export type AccessLogPage = z.infer<typeof accessLogPage>;
