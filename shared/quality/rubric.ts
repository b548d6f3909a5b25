import { z } from 'zod';
import { issueSources, type MeetingType, meetingTypes } from '../domain/enums.ts';
import { fieldErrorsFromZod } from '../errors.ts';
import { minimumK } from './suppression.ts';

/**
 * The Meeting Quality Index rubric as data (QUALITY-INDEX.md): a committee edits it in the UI,
 * every stored score records the `version` it was computed with, so history never silently
 * changes. `rubricSchema` is the one validation for edits; `defaultRubric` is version 1.
 *
 * @example
 * const result = parseRubric(body);
 * if (!result.ok) throw badRequest('request.invalid', result.fields); // { 'grades.good': 'notAscending' }
 * computeMeetingQuality(inputs, result.rubric);
 */

/** The five components, P/S/C/E/R in the product documents. */
export const componentKeys = [
  'procedure',
  'satisfaction',
  'criticism',
  'appraisal',
  'rectification',
] as const;
export type ComponentKey = (typeof componentKeys)[number];

export const subMetricKeys = {
  procedure: ['attendance', 'leaveDiscipline', 'records'],
  satisfaction: ['likert'],
  criticism: ['coverage', 'specificity', 'originality', 'sourceVariety'],
  appraisal: ['assessments', 'ballotParticipation', 'determinations', 'feedback', 'rules'],
  rectification: ['wellFormed', 'onTime', 'followUpReview'],
} as const satisfies Record<ComponentKey, readonly string[]>;
export type SubMetricKey<C extends ComponentKey = ComponentKey> = (typeof subMetricKeys)[C][number];

export const complianceFrequencies = ['monthly', 'quarterly', 'yearly', 'none'] as const;
export type ComplianceFrequency = (typeof complianceFrequencies)[number];

export const preparationSteps = ['study', 'talks', 'opinionSolicitation'] as const;
export type PreparationStep = (typeof preparationSteps)[number];

/** Grades of a meeting (分类定级 vocabulary): 好 · 较好 · 一般 · 较差. */
export const qualityGrades = ['good', 'fairlyGood', 'average', 'poor'] as const;
export type QualityGrade = (typeof qualityGrades)[number];

const weight = z.number().min(0).max(1000);
const share = z.number().min(0).max(1);
const score100 = z.number().int().min(0).max(100);
const kValue = z.number().int().min(minimumK).max(1000);

/** A list of meeting types, each at most once. */
/** One value per meeting type, e.g. a weight or a frequency for each. */
function perMeetingType<S extends z.ZodType>(schema: S) {
  return z.strictObject(
    Object.fromEntries(meetingTypes.map((type) => [type, schema])) as Record<MeetingType, S>,
  );
}

const meetingTypeList = z.array(z.enum(meetingTypes)).superRefine((list, ctx) => {
  list.forEach((type, index) => {
    if (list.indexOf(type) !== index) ctx.addIssue({ code: 'custom', message: 'duplicate', path: [index] });
  });
});

/**
 * Which meetings a component scores: `always` — every meeting of these types (missing activity
 * scores 0: an 组织生活会 without criticism has failed at its purpose); `whenRecorded` — meetings
 * of these types only if they recorded the activity (a 党小组会 that held a criticism round).
 */
const applicability = z
  .strictObject({ always: meetingTypeList, whenRecorded: meetingTypeList })
  .superRefine((value, ctx) => {
    value.whenRecorded.forEach((type, index) => {
      if (value.always.includes(type)) {
        ctx.addIssue({ code: 'custom', message: 'duplicate', path: ['whenRecorded', index] });
      }
    });
  });
export type Applicability = z.infer<typeof applicability>;

/**
 * Sub-metric weights are relative inside their component (the defaults add up to the component's
 * weight so the documents can speak of "12 of P's 20 points"); at least one must be positive.
 */
function subWeights<const K extends readonly [string, ...string[]]>(keys: K) {
  const shape = Object.fromEntries(keys.map((key) => [key, weight])) as { [P in K[number]]: typeof weight };
  return z.strictObject(shape).superRefine((value, ctx) => {
    if (!keys.some((key) => (value as Record<string, number>)[key]! > 0)) {
      ctx.addIssue({ code: 'custom', message: 'noPositiveWeight', path: [] });
    }
  });
}

/** Reports `code` at `path` unless the values ascend strictly in the listed order. */
function ascending(values: Array<[string, number]>, ctx: z.RefinementCtx, prefix: string[] = []) {
  for (let i = 1; i < values.length; i++) {
    const [key, value] = values[i]!;
    if (value <= values[i - 1]![1])
      ctx.addIssue({ code: 'custom', message: 'notAscending', path: [...prefix, key] });
  }
}

const procedure = z
  .strictObject({
    weight,
    appliesTo: applicability,
    subWeights: subWeights(subMetricKeys.procedure),
    /** Attendance rate at or below which the attendance sub-metric is 0 … */
    attendanceFloor: share,
    /** … and at or above which it is 1, linear in between. */
    attendanceTarget: share,
    /** Minutes locked (signed and filed) within this many days after the meeting count as on time. */
    minutesDeadlineDays: z.number().int().min(0).max(365),
  })
  .superRefine((value, ctx) =>
    ascending(
      [
        ['attendanceFloor', value.attendanceFloor],
        ['attendanceTarget', value.attendanceTarget],
      ],
      ctx,
    ),
  );

const satisfaction = z.strictObject({
  weight,
  appliesTo: applicability,
  subWeights: subWeights(subMetricKeys.satisfaction),
  /**
   * S counts only with at least max(k, ⌈minAnswerShare × present⌉) answers: k protects anonymity,
   * the share keeps a handful of enthusiasts from speaking for the room.
   */
  minAnswerShare: share,
});

const criticism = z
  .strictObject({
    weight,
    appliesTo: applicability,
    subWeights: subWeights(subMetricKeys.criticism),
    /** Jaccard similarity of character 3-gram shingles at or above which two texts are near-duplicates. */
    nearDuplicateSimilarity: z.number().gt(0).max(1),
    /** How far back the branch's earlier criticism and self-examination text is compared. */
    lookbackYears: z.number().int().min(1).max(10),
    /** Problem sources that count towards variety, and how many distinct ones earn full credit. */
    countedSources: z.array(z.enum(issueSources)).min(1),
    sourceTarget: z.number().int().min(1).max(issueSources.length),
  })
  .superRefine((value, ctx) => {
    value.countedSources.forEach((source, index) => {
      if (value.countedSources.indexOf(source) !== index) {
        ctx.addIssue({ code: 'custom', message: 'duplicate', path: ['countedSources', index] });
      }
    });
    if (value.sourceTarget > new Set(value.countedSources).size) {
      ctx.addIssue({ code: 'custom', message: 'tooLarge', path: ['sourceTarget'] });
    }
  });

const appraisal = z.strictObject({
  weight,
  appliesTo: applicability,
  subWeights: subWeights(subMetricKeys.appraisal),
  /** Share of eligible members present who cast a ballot that earns full participation credit. */
  ballotParticipationTarget: z.number().gt(0).max(1),
});

const rectification = z.strictObject({
  weight,
  appliesTo: applicability,
  subWeights: subWeights(subMetricKeys.rectification),
  /** Credit for an item verified after its due date (an overdue, unverified item earns 0). */
  lateCredit: share,
});

const components = z
  .strictObject({ procedure, satisfaction, criticism, appraisal, rectification })
  .superRefine((value, ctx) => {
    if (!componentKeys.some((key) => value[key].weight > 0)) {
      ctx.addIssue({ code: 'custom', message: 'noPositiveWeight', path: [] });
    }
    // Satisfaction can be dropped for too few answers, so every meeting type needs another
    // component that always scores it — otherwise a meeting could end up with no score at all.
    for (const type of meetingTypes) {
      const covered = componentKeys.some(
        (key) =>
          key !== 'satisfaction' && value[key].weight > 0 && value[key].appliesTo.always.includes(type),
      );
      if (!covered)
        ctx.addIssue({ code: 'custom', message: 'meetingTypeNotCovered', path: ['appliesTo', type] });
    }
  });

const gates = z
  .strictObject({
    /** Decision meetings without quorum: flagged `procedureInvalid`, score capped. */
    quorum: z.strictObject({ meetingTypes: meetingTypeList, cap: score100 }),
    /** Meetings whose preparation (study, talks, opinion solicitation) must be recorded. */
    preparation: z.strictObject({
      meetingTypes: meetingTypeList,
      requiredSteps: z.array(z.enum(preparationSteps)).min(1),
      cap: score100,
    }),
    /** Overall satisfaction rate (满意 + 基本满意) thresholds. */
    satisfaction: z.strictObject({ needsAttentionBelow: share, noTopGradesBelow: share }),
  })
  .superRefine((value, ctx) => {
    if (value.satisfaction.needsAttentionBelow > value.satisfaction.noTopGradesBelow) {
      ctx.addIssue({ code: 'custom', message: 'notAscending', path: ['satisfaction', 'noTopGradesBelow'] });
    }
  });

/** Lowest score of each grade; anything below `average` is 较差. */
const grades = z
  .strictObject({ average: score100.min(1), fairlyGood: score100.min(1), good: score100.min(1) })
  .superRefine((value, ctx) =>
    ascending(
      [
        ['average', value.average],
        ['fairlyGood', value.fairlyGood],
        ['good', value.good],
      ],
      ctx,
    ),
  );

const branchIndex = z
  .strictObject({
    complianceWeight: weight,
    mqiWeight: weight,
    /** Weight of each meeting type in the branch's mean MQI (组织生活会 counts most). */
    meetingTypeWeights: perMeetingType(weight),
  })
  .superRefine((value, ctx) => {
    if (value.complianceWeight + value.mqiWeight <= 0) {
      ctx.addIssue({ code: 'custom', message: 'noPositiveWeight', path: ['mqiWeight'] });
    }
    if (!Object.values(value.meetingTypeWeights).some((w) => w > 0)) {
      ctx.addIssue({ code: 'custom', message: 'noPositiveWeight', path: ['meetingTypeWeights'] });
    }
  });

export const rubricSchema = z.strictObject({
  /** Increases with every published edit; stored beside every score computed with it. */
  version: z.number().int().min(1),
  components,
  gates,
  grades,
  /** Small-group threshold inside the branch and in committee views (never below 3). */
  suppression: z.strictObject({ branchK: kValue, committeeK: kValue }),
  branchIndex,
  /** How often each meeting type is required (DOMAIN.md §2); `none` means not required. */
  compliance: z.strictObject({
    frequencies: perMeetingType(z.enum(complianceFrequencies)),
  }),
  appraisalRules: z.strictObject({
    /** Optional local rule: more than half 不合格 ballots → "refer to the committee to verify". */
    unqualifiedReferral: z.boolean(),
  }),
});
export type Rubric = z.infer<typeof rubricSchema>;

export type RubricParseResult = { ok: true; rubric: Rubric } | { ok: false; fields: Record<string, string> };

/** Validates a rubric edit; a bad one is refused with a field-level code per offending field. */
export function parseRubric(input: unknown): RubricParseResult {
  // zod 4 leaves the offending input out of issues unless asked, and without it a wrong type is
  // indistinguishable from a missing field.
  const result = rubricSchema.safeParse(input, { reportInput: true });
  return result.success
    ? { ok: true, rubric: result.data }
    : { ok: false, fields: fieldErrorsFromZod(result.error.issues) };
}

const everyType = [...meetingTypes];

/** Version 1, exactly as QUALITY-INDEX.md states it. */
export const defaultRubric: Rubric = {
  version: 1,
  components: {
    procedure: {
      weight: 20,
      appliesTo: { always: everyType, whenRecorded: [] },
      subWeights: { attendance: 12, leaveDiscipline: 3, records: 5 },
      attendanceFloor: 0.5,
      attendanceTarget: 0.95,
      minutesDeadlineDays: 7,
    },
    satisfaction: {
      weight: 30,
      appliesTo: { always: everyType, whenRecorded: [] },
      subWeights: { likert: 30 },
      minAnswerShare: 0.5,
    },
    criticism: {
      weight: 20,
      appliesTo: {
        always: ['orgLifeMeeting', 'leadershipLifeMeeting', 'memberAppraisal'],
        whenRecorded: ['partyGroupMeeting'],
      },
      subWeights: { coverage: 7, specificity: 5, originality: 4, sourceVariety: 4 },
      nearDuplicateSimilarity: 0.8,
      lookbackYears: 2,
      countedSources: ['self', 'masses', 'superior', 'peers', 'collective'],
      sourceTarget: 3,
    },
    appraisal: {
      weight: 10,
      appliesTo: {
        always: ['memberAppraisal'],
        whenRecorded: everyType.filter((type) => type !== 'memberAppraisal'),
      },
      subWeights: { assessments: 2, ballotParticipation: 2, determinations: 2, feedback: 2, rules: 2 },
      ballotParticipationTarget: 0.9,
    },
    rectification: {
      weight: 20,
      appliesTo: {
        always: ['orgLifeMeeting', 'leadershipLifeMeeting'],
        whenRecorded: everyType.filter(
          (type) => type !== 'orgLifeMeeting' && type !== 'leadershipLifeMeeting',
        ),
      },
      subWeights: { wellFormed: 6, onTime: 10, followUpReview: 4 },
      lateCredit: 0.5,
    },
  },
  gates: {
    quorum: { meetingTypes: ['branchGeneralMeeting', 'branchCommitteeMeeting'], cap: 59 },
    preparation: {
      meetingTypes: ['orgLifeMeeting'],
      requiredSteps: ['study', 'talks', 'opinionSolicitation'],
      cap: 79,
    },
    satisfaction: { needsAttentionBelow: 0.6, noTopGradesBelow: 0.9 },
  },
  grades: { average: 60, fairlyGood: 80, good: 90 },
  suppression: { branchK: 3, committeeK: 5 },
  branchIndex: {
    complianceWeight: 0.3,
    mqiWeight: 0.7,
    meetingTypeWeights: {
      branchGeneralMeeting: 2,
      branchCommitteeMeeting: 1,
      partyGroupMeeting: 1,
      partyLecture: 1,
      themedPartyDay: 1,
      orgLifeMeeting: 3,
      leadershipLifeMeeting: 1,
      memberAppraisal: 2,
    },
  },
  compliance: {
    frequencies: {
      branchGeneralMeeting: 'quarterly',
      branchCommitteeMeeting: 'monthly',
      partyGroupMeeting: 'monthly',
      partyLecture: 'quarterly',
      themedPartyDay: 'monthly',
      orgLifeMeeting: 'yearly',
      // 民主生活会 belongs to leadership groups, not branches (DOMAIN.md §2).
      leadershipLifeMeeting: 'none',
      memberAppraisal: 'yearly',
    },
  },
  appraisalRules: { unqualifiedReferral: false },
};

/** The grade of a (rounded) score under the rubric's cut-offs. */
export function gradeFor(score: number, cutoffs: Rubric['grades']): QualityGrade {
  if (score >= cutoffs.good) return 'good';
  if (score >= cutoffs.fairlyGood) return 'fairlyGood';
  if (score >= cutoffs.average) return 'average';
  return 'poor';
}
