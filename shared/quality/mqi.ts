import { z } from 'zod';
import { issueSources, type MeetingType, meetingTypes } from '../domain/enums.ts';
import { checkExcellentShare } from './appraisal-rules.ts';
import type { ExplanationLine } from './explanation.ts';
import { round } from './rounding.ts';
import {
  type Applicability,
  type ComponentKey,
  componentKeys,
  gradeFor,
  type PreparationStep,
  type QualityGrade,
  type Rubric,
  type SubMetricKey,
} from './rubric.ts';
import { effectiveK } from './suppression.ts';

/**
 * The Meeting Quality Index of one meeting (QUALITY-INDEX.md; formulas and worked examples in
 * docs/quality-index.md): `MQI = 100 × Σ wᵢ·sᵢ / Σ wᵢ` over the components that apply to the
 * meeting, then the gates' caps, with a line-by-line explanation the UI translates.
 *
 * @example
 * const quality = computeMeetingQuality(inputs, rubric);
 * quality.score;       // 84
 * quality.grade;       // 'fairlyGood'
 * quality.explanation; // [{ key: 'quality.explain.satisfaction', params: { mean: '4.1', answers: 23 }, component: 'satisfaction' }, …]
 */

const count = z.number().int().min(0);

/** Reports `exceedsTotal` at `path` when a part is larger than the whole it belongs to. */
function partOf(ctx: z.RefinementCtx, part: number, whole: number, path: string): boolean {
  if (part <= whole) return true;
  ctx.addIssue({ code: 'custom', message: 'exceedsTotal', path: [path] });
  return false;
}

/**
 * Everything the data layer supplies about one meeting. Counts are of people or items; shares are
 * computed here so the arithmetic lives in one place.
 */
export const meetingQualityInputsSchema = z
  .strictObject({
    meetingType: z.enum(meetingTypes),
    attendance: z
      .strictObject({
        /** Members on the roster for this meeting (应到), before exemptions. Observers never count. */
        expected: count,
        /** Members with an approved exemption (年老体弱, abroad…): outside every denominator. */
        exempt: count,
        /** Members present (实到). */
        present: count,
        /** Members absent with approved leave (请假); the rest of the absentees had none. */
        excused: count,
      })
      .superRefine((a, ctx) => {
        // Each count must fit in what the earlier ones left; only the first misfit is reported.
        const fits =
          partOf(ctx, a.exempt, a.expected, 'exempt') &&
          partOf(ctx, a.present, a.expected - a.exempt, 'present');
        if (fits) partOf(ctx, a.excused, a.expected - a.exempt - a.present, 'excused');
      }),
    /** Whether a meeting with a quorum rule had it (computeQuorum); null when the type has none. */
    quorumMet: z.boolean().nullable(),
    /** Pre-meeting work recorded for the meeting (study, heart-to-heart talks, opinion solicitation). */
    preparation: z.strictObject({ study: z.boolean(), talks: z.boolean(), opinionSolicitation: z.boolean() }),
    minutes: z
      .strictObject({
        /** Minutes fields required for this meeting type (DOMAIN.md §2.4), and how many are filled. */
        requiredFields: z.number().int().min(1),
        filledFields: count,
        hostSigned: z.boolean(),
        recorderSigned: z.boolean(),
        /** Days from the meeting's end to locking the signed minutes; null while not yet locked. */
        daysToLock: z.number().min(0).nullable(),
      })
      .superRefine((m, ctx) => {
        partOf(ctx, m.filledFields, m.requiredFields, 'filledFields');
      }),
    satisfaction: z
      .strictObject({
        /** People present who could answer (members and observers). */
        present: count,
        /** Survey answers received (0 when no survey was run). */
        answers: count,
        /** Mean of each Likert dimension over the answers, 1–5, keyed by the instrument's item key. */
        likertMeans: z.record(z.string(), z.number().min(1).max(5)),
        /** Counts of the overall item (满意/基本满意/不满意); null when the instrument did not ask it. */
        overall: z
          .strictObject({ satisfied: count, basicallySatisfied: count, dissatisfied: count })
          .nullable(),
      })
      .superRefine((s, ctx) => {
        if (s.answers > 0 && Object.keys(s.likertMeans).length === 0) {
          ctx.addIssue({ code: 'custom', message: 'required', path: ['likertMeans'] });
        }
        partOf(ctx, s.answers, s.present, 'answers');
        const overall = s.overall
          ? s.overall.satisfied + s.overall.basicallySatisfied + s.overall.dissatisfied
          : 0;
        partOf(ctx, overall, s.answers, 'overall');
      }),
    /** The criticism-and-self-criticism round; null when none was held. */
    criticism: z
      .strictObject({
        /** Members present who gave a self-examination and received at least one criticism. */
        covered: count,
        /** Criticism items recorded (self-examination items included). */
        items: count,
        /** Items marked concrete (具体人具体事) and linked to a problem (查摆问题). */
        concreteAndLinked: count,
        /** Items not flagged as near-duplicates (originality.ts) within the meeting or the look-back. */
        original: count,
        /** Distinct sources of the meeting's problems (查摆问题). */
        sources: z.array(z.enum(issueSources)),
      })
      .superRefine((c, ctx) => {
        partOf(ctx, c.concreteAndLinked, c.items, 'concreteAndLinked');
        partOf(ctx, c.original, c.items, 'original');
        c.sources.forEach((source, index) => {
          if (c.sources.indexOf(source) !== index)
            ctx.addIssue({ code: 'custom', message: 'duplicate', path: ['sources', index] });
        });
      })
      .nullable(),
    /** The democratic appraisal held at this meeting; null when none was. */
    appraisal: z
      .strictObject({
        selfAssessmentDone: z.boolean(),
        peerAssessmentDone: z.boolean(),
        /** Members present entitled to cast a ballot (full and probationary), and ballots cast. */
        eligibleVotersPresent: count,
        ballotsCast: count,
        /** Full members to be graded (probationary members are never graded). */
        fullMembers: count,
        /** Determinations (组织评定) the committee has entered, and feedback given to the member. */
        determinationsEntered: count,
        feedbackGiven: count,
        /** 优秀 determinations, and whether a reason is recorded for exceeding ⅓ of full members. */
        excellent: count,
        excellentOverrideReasonRecorded: z.boolean(),
        /** Probationary members who were given a grade (should be none). */
        probationaryGraded: count,
      })
      .superRefine((a, ctx) => {
        partOf(ctx, a.ballotsCast, a.eligibleVotersPresent, 'ballotsCast');
        partOf(ctx, a.determinationsEntered, a.fullMembers, 'determinationsEntered');
        partOf(ctx, a.feedbackGiven, a.determinationsEntered, 'feedbackGiven');
        partOf(ctx, a.excellent, a.determinationsEntered, 'excellent');
      })
      .nullable(),
    /** Rectification items this meeting produced (cancelled items left out). */
    rectification: z
      .strictObject({
        items: count,
        /** Items with an owner, measures, a due date and a linked problem. */
        wellFormed: count,
        /** Items verified (对账销号) on or before their due date — early ones included. */
        verifiedOnTime: count,
        /** Items verified after their due date. */
        verifiedLate: count,
        /** Items past their due date and not verified. The rest are not yet due: R is provisional. */
        overdue: count,
        /** Whether the previous meeting's items were reviewed (回头看); null if there were none. */
        previousItemsReviewed: z.boolean().nullable(),
      })
      .superRefine((r, ctx) => {
        partOf(ctx, r.wellFormed, r.items, 'wellFormed');
        partOf(ctx, r.verifiedOnTime + r.verifiedLate + r.overdue, r.items, 'overdue');
      }),
  })
  .superRefine((inputs, ctx) => {
    if (inputs.criticism && inputs.criticism.covered > inputs.attendance.present) {
      ctx.addIssue({ code: 'custom', message: 'exceedsTotal', path: ['criticism', 'covered'] });
    }
  });
export type MeetingQualityInputs = z.infer<typeof meetingQualityInputsSchema>;

/** Why a component does not count. */
export type ComponentStatus = 'scored' | 'notForMeetingType' | 'notRecorded' | 'insufficientData';

export interface SubMetricResult {
  key: SubMetricKey;
  /** Relative weight inside the component (from the rubric). */
  weight: number;
  /** False when the sub-metric has nothing to measure (e.g. no absences); its weight is redistributed. */
  applicable: boolean;
  /** 0–1, null when not applicable. */
  score: number | null;
}

export interface ComponentResult {
  key: ComponentKey;
  status: ComponentStatus;
  /** The rubric's weight; it counts towards the total only when `status` is `scored`. */
  weight: number;
  /** Share of the meeting's total applicable weight, 0–1 (0 when not scored). */
  share: number;
  /** 0–1, null when not scored. */
  score: number | null;
  /** Points contributed to the uncapped score: 100 × share × score. */
  points: number | null;
  /** R before its items fall due: computed from what is known so far, and marked so. */
  provisional: boolean;
  subMetrics: SubMetricResult[];
}

export const capKeys = ['quorum', 'preparation', 'satisfactionGrade'] as const;
export type CapKey = (typeof capKeys)[number];

export interface AppliedCap {
  key: CapKey;
  cap: number;
  /** Whether the cap lowered the score (a cap above the score changes nothing but is still listed). */
  binding: boolean;
}

export interface MeetingQuality {
  rubricVersion: number;
  meetingType: MeetingType;
  /** 0–100, an integer: the exact weighted score, capped, rounded half up. Null if nothing could be scored. */
  score: number | null;
  /** The exact weighted score before caps and rounding. */
  uncappedScore: number | null;
  grade: QualityGrade | null;
  components: ComponentResult[];
  /** S was dropped for too few answers. */
  insufficientData: boolean;
  /** R is provisional: some of its items are not yet due. */
  provisional: boolean;
  flags: { procedureInvalid: boolean; needsAttention: boolean };
  caps: AppliedCap[];
  explanation: ExplanationLine[];
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));
const percent = (x: number) => round(100 * x);

/** The share `part / whole`, or null when there is no whole to measure against. */
const ratio = (part: number, whole: number) => (whole > 0 ? part / whole : null);

interface Measured {
  /** Sub-metric scores; null = not applicable. */
  scores: Partial<Record<SubMetricKey, number | null>>;
  lines: ExplanationLine[];
  provisional?: boolean;
  /** Too little data to score the component at all (S below its minimum answers). */
  insufficient?: boolean;
}

type Inputs = MeetingQualityInputs;

function appliesTo(applicability: Applicability, type: MeetingType, recorded: boolean): ComponentStatus {
  if (applicability.always.includes(type)) return 'scored';
  if (applicability.whenRecorded.includes(type)) return recorded ? 'scored' : 'notRecorded';
  return 'notForMeetingType';
}

function measureProcedure(inputs: Inputs, rubric: Rubric): Measured {
  const rules = rubric.components.procedure;
  const { expected, exempt, present, excused } = inputs.attendance;
  const base = expected - exempt;
  const absent = base - present;
  const rate = ratio(present, base);
  const m = inputs.minutes;
  const signed = (m.hostSigned ? 1 : 0) + (m.recorderSigned ? 1 : 0);
  const onTime = m.daysToLock !== null && m.daysToLock <= rules.minutesDeadlineDays;
  const lines: ExplanationLine[] = [];
  if (rate !== null) {
    lines.push({
      key: 'quality.explain.attendance',
      params: { present, expected: base, rate: percent(rate) },
    });
  }
  if (exempt > 0) lines.push({ key: 'quality.explain.exempt', params: { count: exempt } });
  lines.push(
    absent > 0
      ? { key: 'quality.explain.absences', params: { absent, excused } }
      : { key: 'quality.explain.noAbsences' },
    { key: 'quality.explain.minutesFields', params: { filled: m.filledFields, total: m.requiredFields } },
    { key: 'quality.explain.signOff', params: { signed } },
    m.daysToLock === null
      ? { key: 'quality.explain.minutesNotFiled', params: { deadline: rules.minutesDeadlineDays } }
      : {
          key: onTime ? 'quality.explain.minutesFiled' : 'quality.explain.minutesFiledLate',
          params: { days: round(m.daysToLock, 1), deadline: rules.minutesDeadlineDays },
        },
  );
  return {
    scores: {
      attendance:
        rate === null
          ? null
          : clamp01((rate - rules.attendanceFloor) / (rules.attendanceTarget - rules.attendanceFloor)),
      leaveDiscipline: ratio(excused, absent),
      // Three equal parts: fields filled, both signatures, filed by the deadline.
      records: (m.filledFields / m.requiredFields + signed / 2 + (onTime ? 1 : 0)) / 3,
    },
    lines,
  };
}

function measureSatisfaction(inputs: Inputs, rubric: Rubric): Measured {
  const s = inputs.satisfaction;
  // The index leaves the branch, so the committee's k applies, not the branch's.
  const required = Math.max(
    effectiveK(rubric.suppression.committeeK, 'committee'),
    Math.ceil(rubric.components.satisfaction.minAnswerShare * s.present),
  );
  if (s.answers < required) {
    return {
      insufficient: true,
      scores: { likert: null },
      lines: [{ key: 'quality.explain.satisfactionInsufficient', params: { answers: s.answers, required } }],
    };
  }
  const means = Object.values(s.likertMeans);
  const mean = means.reduce((a, b) => a + b, 0) / means.length;
  const lines: ExplanationLine[] = [
    // A string keeps the trailing zero: "3.0/5", not "3/5".
    { key: 'quality.explain.satisfaction', params: { mean: round(mean, 1).toFixed(1), answers: s.answers } },
  ];
  const overall = overallSatisfaction(inputs);
  if (overall) {
    lines.push({
      key: 'quality.explain.overallRate',
      params: { rate: percent(overall.rate), positive: overall.positive, total: overall.total },
    });
  }
  return { scores: { likert: (mean - 1) / 4 }, lines };
}

/** 满意 + 基本满意 over the answers to the overall item; null when it was not asked or not answered. */
function overallSatisfaction(inputs: Inputs): { positive: number; total: number; rate: number } | null {
  const overall = inputs.satisfaction.overall;
  if (!overall) return null;
  const positive = overall.satisfied + overall.basicallySatisfied;
  const total = positive + overall.dissatisfied;
  return total > 0 ? { positive, total, rate: positive / total } : null;
}

function measureCriticism(inputs: Inputs, rubric: Rubric): Measured {
  const rules = rubric.components.criticism;
  const c = inputs.criticism;
  const solicitation = inputs.preparation.opinionSolicitation;
  const present = inputs.attendance.present;
  if (!c) {
    return {
      scores: { coverage: 0, specificity: 0, originality: 0, sourceVariety: solicitation ? 0.5 : 0 },
      lines: [{ key: 'quality.explain.noCriticism' }],
    };
  }
  const sources = c.sources.filter((source) => rules.countedSources.includes(source)).length;
  const lines: ExplanationLine[] = [
    { key: 'quality.explain.coverage', params: { covered: c.covered, present } },
    c.items > 0
      ? { key: 'quality.explain.specificity', params: { concrete: c.concreteAndLinked, items: c.items } }
      : { key: 'quality.explain.noCriticismItems' },
  ];
  if (c.items > 0) {
    lines.push({
      key: 'quality.explain.originality',
      params: { duplicates: c.items - c.original, items: c.items },
    });
  }
  lines.push(
    { key: 'quality.explain.sources', params: { count: sources, target: rules.sourceTarget } },
    { key: solicitation ? 'quality.explain.solicitationHeld' : 'quality.explain.solicitationMissing' },
  );
  return {
    scores: {
      coverage: ratio(c.covered, present),
      // No items means no concrete, original criticism: nothing to credit, not nothing to measure.
      specificity: ratio(c.concreteAndLinked, c.items) ?? 0,
      originality: ratio(c.original, c.items) ?? 0,
      // Half for variety of sources (up to the target), half for having asked the masses.
      sourceVariety: 0.5 * Math.min(1, sources / rules.sourceTarget) + (solicitation ? 0.5 : 0),
    },
    lines,
  };
}

function measureAppraisal(inputs: Inputs, rubric: Rubric): Measured {
  const a = inputs.appraisal;
  if (!a) {
    return {
      scores: { assessments: 0, ballotParticipation: 0, determinations: 0, feedback: 0, rules: 0 },
      lines: [{ key: 'quality.explain.noAppraisal' }],
    };
  }
  const target = rubric.components.appraisal.ballotParticipationTarget;
  const participation = ratio(a.ballotsCast, a.eligibleVotersPresent);
  const share = checkExcellentShare({
    fullMembers: a.fullMembers,
    excellent: a.excellent,
    overrideReason: a.excellentOverrideReasonRecorded ? 'recorded' : null,
  });
  const rulesMet = share.status !== 'reasonRequired' && a.probationaryGraded === 0;
  const lines: ExplanationLine[] = [
    {
      key: 'quality.explain.assessments',
      params: { done: (a.selfAssessmentDone ? 1 : 0) + (a.peerAssessmentDone ? 1 : 0) },
    },
  ];
  if (participation !== null) {
    lines.push({
      key: 'quality.explain.ballotParticipation',
      params: {
        cast: a.ballotsCast,
        eligible: a.eligibleVotersPresent,
        rate: percent(participation),
        target: percent(target),
      },
    });
  }
  lines.push(
    {
      key: 'quality.explain.determinations',
      params: { entered: a.determinationsEntered, members: a.fullMembers },
    },
    { key: 'quality.explain.feedback', params: { given: a.feedbackGiven, members: a.fullMembers } },
  );
  if (share.status === 'reasonRequired') {
    lines.push({
      key: 'quality.explain.excellentOverCap',
      params: { excellent: share.excellent, cap: share.cap },
    });
  }
  if (a.probationaryGraded > 0) {
    lines.push({ key: 'quality.explain.probationaryGraded', params: { count: a.probationaryGraded } });
  }
  if (rulesMet) lines.push({ key: 'quality.explain.appraisalRulesMet' });
  return {
    scores: {
      assessments: ((a.selfAssessmentDone ? 1 : 0) + (a.peerAssessmentDone ? 1 : 0)) / 2,
      ballotParticipation: participation === null ? null : Math.min(1, participation / target),
      determinations: ratio(a.determinationsEntered, a.fullMembers),
      feedback: ratio(a.feedbackGiven, a.fullMembers),
      rules: rulesMet ? 1 : 0,
    },
    lines,
  };
}

function measureRectification(inputs: Inputs, rubric: Rubric): Measured {
  const r = inputs.rectification;
  const settled = r.verifiedOnTime + r.verifiedLate + r.overdue;
  const pending = r.items - settled;
  const lines: ExplanationLine[] =
    r.items === 0
      ? [{ key: 'quality.explain.noRectificationItems' }]
      : [{ key: 'quality.explain.wellFormed', params: { wellFormed: r.wellFormed, items: r.items } }];
  if (settled > 0) {
    lines.push({
      key: 'quality.explain.rectificationSettled',
      params: { items: r.items, onTime: r.verifiedOnTime, late: r.verifiedLate, overdue: r.overdue },
    });
  }
  if (pending > 0) lines.push({ key: 'quality.explain.rectificationPending', params: { pending } });
  if (r.previousItemsReviewed !== null) {
    lines.push({ key: r.previousItemsReviewed ? 'quality.explain.reviewed' : 'quality.explain.notReviewed' });
  }
  return {
    scores: {
      wellFormed: ratio(r.wellFormed, r.items) ?? 0,
      onTime: ratio(r.verifiedOnTime + rubric.components.rectification.lateCredit * r.verifiedLate, settled),
      followUpReview: r.previousItemsReviewed === null ? null : r.previousItemsReviewed ? 1 : 0,
    },
    lines,
    provisional: pending > 0,
  };
}

const measures: Record<ComponentKey, (inputs: Inputs, rubric: Rubric) => Measured> = {
  procedure: measureProcedure,
  satisfaction: measureSatisfaction,
  criticism: measureCriticism,
  appraisal: measureAppraisal,
  rectification: measureRectification,
};

/** Whether the meeting recorded the activity a `whenRecorded` component needs. */
function recorded(key: ComponentKey, inputs: Inputs): boolean {
  switch (key) {
    case 'criticism':
      return inputs.criticism !== null;
    case 'appraisal':
      return inputs.appraisal !== null;
    case 'rectification':
      return inputs.rectification.items > 0;
    default:
      return true;
  }
}

/** Weighted mean over the applicable entries; null when none applies. */
function weightedMean(entries: ReadonlyArray<{ weight: number; score: number | null }>): number | null {
  let total = 0;
  let sum = 0;
  for (const { weight, score } of entries) {
    if (score === null) continue;
    total += weight;
    sum += weight * score;
  }
  return total > 0 ? sum / total : null;
}

/**
 * Computes a meeting's quality under a rubric. Throws a ZodError when the inputs contradict
 * themselves (more present than expected…): that is a bug in the data layer, not a low score.
 */
export function computeMeetingQuality(rawInputs: MeetingQualityInputs, rubric: Rubric): MeetingQuality {
  const inputs = meetingQualityInputsSchema.parse(rawInputs, { reportInput: true });
  const type = inputs.meetingType;
  let insufficientData = false;

  const drafts = componentKeys.map((key) => {
    const rules = rubric.components[key];
    let status = appliesTo(rules.appliesTo, type, recorded(key, inputs));
    const measured: Measured | null = status === 'scored' ? measures[key](inputs, rubric) : null;
    if (measured?.insufficient) {
      status = 'insufficientData';
      insufficientData = true;
    }
    const subMetrics: SubMetricResult[] = Object.entries<number>(rules.subWeights).map(([subKey, weight]) => {
      const score = measured?.scores[subKey as SubMetricKey] ?? null;
      return { key: subKey as SubMetricKey, weight, applicable: score !== null, score };
    });
    let score = status === 'scored' ? weightedMean(subMetrics) : null;
    // Every sub-metric lacking a denominator (a meeting with nobody expected) leaves nothing to score.
    if (status === 'scored' && score === null) status = 'insufficientData';
    if (status !== 'scored') score = null;
    return { key, rules, status, score, subMetrics, measured };
  });

  const totalWeight = drafts.reduce((sum, d) => sum + (d.status === 'scored' ? d.rules.weight : 0), 0);
  const components: ComponentResult[] = drafts.map((d) => {
    const share = d.status === 'scored' && totalWeight > 0 ? d.rules.weight / totalWeight : 0;
    return {
      key: d.key,
      status: d.status,
      weight: d.rules.weight,
      share,
      score: d.score,
      points: d.score === null ? null : 100 * share * d.score,
      provisional: d.status === 'scored' && d.measured?.provisional === true,
      subMetrics: d.subMetrics,
    };
  });

  const explanation: ExplanationLine[] = drafts.flatMap((d) =>
    d.status === 'notForMeetingType' || d.status === 'notRecorded'
      ? [{ key: `quality.explain.${d.status}.${d.key}`, component: d.key }]
      : (d.measured?.lines ?? []).map((line) => ({ ...line, component: d.key })),
  );

  const uncappedScore = totalWeight > 0 ? components.reduce((sum, c) => sum + (c.points ?? 0), 0) : null;
  const gates = evaluateGates(inputs, rubric, !insufficientData);
  explanation.push(...gates.lines);

  let score: number | null = null;
  if (uncappedScore !== null) {
    const capped = Math.min(uncappedScore, ...gates.caps.map((c) => c.cap));
    score = round(capped);
    explanation.push({
      key: 'quality.explain.total',
      params: { score, weight: round(totalWeight, 2) },
    });
  } else {
    explanation.push({ key: 'quality.explain.noScore' });
  }
  const caps = gates.caps.map((c) => ({ ...c, binding: uncappedScore !== null && c.cap < uncappedScore }));

  return {
    rubricVersion: rubric.version,
    meetingType: type,
    score,
    uncappedScore,
    grade: score === null ? null : gradeFor(score, rubric.grades),
    components,
    insufficientData,
    provisional: components.some((c) => c.provisional),
    flags: gates.flags,
    caps,
    explanation,
  };
}

function evaluateGates(inputs: Inputs, rubric: Rubric, satisfactionSufficient: boolean) {
  const { gates } = rubric;
  const type = inputs.meetingType;
  const caps: Array<{ key: CapKey; cap: number }> = [];
  const lines: ExplanationLine[] = [];
  const flags = { procedureInvalid: false, needsAttention: false };

  if (gates.quorum.meetingTypes.includes(type) && inputs.quorumMet === false) {
    flags.procedureInvalid = true;
    caps.push({ key: 'quorum', cap: gates.quorum.cap });
    lines.push({ key: 'quality.explain.cap.quorum', params: { cap: gates.quorum.cap } });
  }

  if (gates.preparation.meetingTypes.includes(type)) {
    const missing = gates.preparation.requiredSteps.filter(
      (step: PreparationStep) => !inputs.preparation[step],
    );
    if (missing.length > 0) {
      caps.push({ key: 'preparation', cap: gates.preparation.cap });
      lines.push(
        { key: 'quality.explain.cap.preparation', params: { cap: gates.preparation.cap } },
        ...missing.map((step) => ({ key: `quality.explain.preparationMissing.${step}` })),
      );
    }
  }

  // The overall rate is read only from as many answers as S needs: fewer would both mislead and
  // let a flag reveal how a handful of people answered.
  const overall = satisfactionSufficient ? overallSatisfaction(inputs) : null;
  if (overall) {
    const { rate } = overall;
    if (rate < gates.satisfaction.needsAttentionBelow) {
      flags.needsAttention = true;
      lines.push({
        key: 'quality.explain.needsAttention',
        params: { threshold: percent(gates.satisfaction.needsAttentionBelow) },
      });
    }
    if (rate < gates.satisfaction.noTopGradesBelow) {
      // Scores are whole numbers, so one below 较好's cut-off is the highest 一般.
      const cap = rubric.grades.fairlyGood - 1;
      caps.push({ key: 'satisfactionGrade', cap });
      lines.push({
        key: 'quality.explain.cap.satisfactionGrade',
        params: { threshold: percent(gates.satisfaction.noTopGradesBelow), cap },
      });
    }
  }
  return { caps, lines, flags };
}
