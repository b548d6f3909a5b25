import { z } from 'zod';
import {
  approvalDecisions,
  dispositionKinds,
  dispositionOutcomes,
  dispositionStates,
  feedbackMethods,
  notGradedReasons,
  stepStates,
} from '../domain/appraisal.ts';
import { appraisalGrades, meetingStatuses, meetingTypes, memberStatuses } from '../domain/enums.ts';
import { isoDate, isoDateTime, optionalText, text } from './common.ts';

/**
 * The appraisal workflow after the ballot: the committee's determination sheet, feedback and the
 * member's responses (申辩), dispositions of 不合格, and the report to the superior organization.
 */

const grade = z.enum(appraisalGrades);
const voteCount = z.number().int().min(0).max(100_000);

export const memberParams = z.strictObject({ id: z.uuid(), memberId: z.uuid() });
export const stepParams = z.strictObject({ id: z.uuid(), stepId: z.uuid() });

/**
 * Determinations to set on the sheet (members left out keep theirs). `grade: null` withdraws a
 * determination. The override reason is kept when absent and cleared by null or blank.
 */
export const determinationsBody = z
  .strictObject({
    determinations: z
      .array(z.strictObject({ memberId: z.uuid(), grade: grade.nullable(), note: optionalText(1000) }))
      .max(1000)
      .superRefine((items, ctx) => {
        const seen = new Set<string>();
        items.forEach((item, i) => {
          if (seen.has(item.memberId))
            ctx.addIssue({ code: 'custom', message: 'duplicate', path: [i, 'memberId'] });
          seen.add(item.memberId);
        });
      }),
    excellentOverrideReason: optionalText(1000),
  })
  // Saving nothing is a mistake; saving only the reason (written after the grades) is not.
  .superRefine((body, ctx) => {
    if (body.determinations.length === 0 && body.excellentOverrideReason === undefined)
      ctx.addIssue({ code: 'custom', message: 'tooShort', path: ['determinations'] });
  });
export type DeterminationsBody = z.infer<typeof determinationsBody>;

export const feedbackBody = z.strictObject({
  givenOn: isoDate,
  method: z.enum(feedbackMethods),
  note: optionalText(2000),
});
export type FeedbackBody = z.infer<typeof feedbackBody>;

export const responseBody = z.strictObject({ text: text(5000) });

export const educationBody = z.strictObject({ startedOn: isoDate, measures: text(5000) });
export type EducationBody = z.infer<typeof educationBody>;

/** A decision of the branch general meeting: which one, and how it voted. */
export const stepBody = z
  .strictObject({
    kind: z.enum(dispositionKinds),
    meetingId: z.uuid(),
    yes: voteCount,
    no: voteCount,
    abstain: voteCount,
    /** Required for 限期改正, refused for the others. */
    correctionDeadline: isoDate.nullable().optional(),
    note: optionalText(2000),
  })
  .superRefine((step, ctx) => {
    const correction = step.kind === 'correctionWithinDeadline';
    if (correction && !step.correctionDeadline)
      ctx.addIssue({ code: 'custom', message: 'required', path: ['correctionDeadline'] });
    if (!correction && step.correctionDeadline)
      ctx.addIssue({ code: 'custom', message: 'notAllowed', path: ['correctionDeadline'] });
  });
export type StepBody = z.infer<typeof stepBody>;

/** The superior organization's decision on a step the general meeting passed. */
export const approvalBody = z.strictObject({
  decision: z.enum(approvalDecisions),
  approverOrganization: text(200),
  approverName: text(100),
  decidedOn: isoDate,
  documentNo: optionalText(100),
});
export type ApprovalBody = z.infer<typeof approvalBody>;

export const closeBody = z.strictObject({
  outcome: z.enum(dispositionOutcomes),
  closedOn: isoDate,
  note: optionalText(2000),
});
export type CloseBody = z.infer<typeof closeBody>;

const meetingRef = z.object({
  id: z.uuid(),
  title: z.string(),
  type: z.enum(meetingTypes),
  startsAt: isoDateTime,
});

const gradeCountsView = z.object({
  excellent: z.number().int(),
  qualified: z.number().int(),
  basicallyQualified: z.number().int(),
  unqualified: z.number().int(),
});

const decidedView = z.object({
  grade: grade.nullable(),
  note: z.string().nullable(),
  decidedAt: isoDateTime,
  decidedByName: z.string().nullable(),
});

export const sheetMember = z.object({
  memberId: z.uuid(),
  name: z.string(),
  status: z.enum(memberStatuses),
  /** Why this member is not graded; null for the full members the committee grades. */
  notGraded: z.enum(notGradedReasons).nullable(),
  /** Ballots on this member per grade; null without a closed ballot, below k, or when not graded. */
  distribution: gradeCountsView.nullable(),
  /** More than half 不合格 ballots, when the optional local rule is on: "提请支委会核实". */
  referral: z.boolean(),
  determination: decidedView.extend({ grade }).nullable(),
  /** Every determination ever entered for this member, oldest first. */
  history: z.array(decidedView),
  feedback: z
    .object({
      id: z.uuid(),
      givenOn: isoDate,
      method: z.enum(feedbackMethods),
      note: z.string().nullable(),
      /** The grade the member was told. */
      grade,
      /** False when the determination changed after the member was told: tell them again. */
      current: z.boolean(),
      recordedByName: z.string().nullable(),
    })
    .nullable(),
  responses: z.array(
    z.object({ id: z.uuid(), text: z.string(), submittedAt: isoDateTime, aboutGrade: grade.nullable() }),
  ),
  disposition: z.object({ id: z.uuid(), state: z.enum(dispositionStates) }).nullable(),
});
export type SheetMember = z.infer<typeof sheetMember>;

export const appraisalSheet = z.object({
  meeting: meetingRef.extend({
    status: z.enum(meetingStatuses),
    organizationId: z.uuid(),
    organizationName: z.string(),
  }),
  /** The latest closed appraisal ballot of the meeting, or null (e.g. a paper ballot). */
  ballot: z
    .object({
      roundId: z.uuid(),
      title: z.string(),
      closedAt: isoDateTime,
      n: z.number().int(),
      k: z.number().int(),
      /** Fewer than k ballots: no distribution is shown. */
      suppressed: z.boolean(),
    })
    .nullable(),
  rules: z.object({
    fullMembers: z.number().int(),
    excellentCap: z.number().int(),
    excellent: z.number().int(),
    excellentOverrideReason: z.string().nullable(),
    referralEnabled: z.boolean(),
  }),
  /** Why determinations cannot be entered now (an error code), or null. */
  blockedBy: z.string().nullable(),
  members: z.array(sheetMember),
  lastReport: z.object({ submittedAt: isoDateTime, submittedByName: z.string().nullable() }).nullable(),
});
export type AppraisalSheet = z.infer<typeof appraisalSheet>;

export const savedDeterminations = z.object({ changed: z.number().int() });

/** What a member sees of their own appraisal: the determination they were told, never tallies. */
export const myAppraisal = z.object({
  feedbackId: z.uuid(),
  meeting: meetingRef,
  organizationName: z.string(),
  grade,
  givenOn: isoDate,
  method: z.enum(feedbackMethods),
  note: z.string().nullable(),
  responses: z.array(z.object({ id: z.uuid(), text: z.string(), submittedAt: isoDateTime })),
  canRespond: z.boolean(),
});
export type MyAppraisal = z.infer<typeof myAppraisal>;
export const myAppraisals = z.array(myAppraisal);

export const createdResponse = z.object({ id: z.uuid() });

const voteMeeting = meetingRef.extend({
  votingExpected: z.number().int(),
  votingPresent: z.number().int(),
  quorumMet: z.boolean().nullable(),
});

export const dispositionStep = z.object({
  id: z.uuid(),
  kind: z.enum(dispositionKinds),
  meeting: meetingRef,
  correctionDeadline: isoDate.nullable(),
  note: z.string().nullable(),
  vote: z.object({ yes: z.number().int(), no: z.number().int(), abstain: z.number().int() }),
  votingExpected: z.number().int(),
  votingPresent: z.number().int(),
  quorumMet: z.boolean(),
  passed: z.boolean(),
  state: z.enum(stepStates),
  approval: z
    .object({
      decision: z.enum(approvalDecisions),
      approverOrganization: z.string(),
      approverName: z.string(),
      decidedOn: isoDate,
      documentNo: z.string().nullable(),
    })
    .nullable(),
  recordedAt: isoDateTime,
  recordedByName: z.string().nullable(),
});
export type DispositionStep = z.infer<typeof dispositionStep>;

export const dispositionView = z.object({
  id: z.uuid(),
  meeting: meetingRef,
  organizationId: z.uuid(),
  organizationName: z.string(),
  member: z.object({ id: z.uuid(), name: z.string() }),
  openedAt: isoDateTime,
  state: z.enum(dispositionStates),
  education: z.object({ startedOn: isoDate, measures: z.string() }).nullable(),
  steps: z.array(dispositionStep),
  closed: z
    .object({
      outcome: z.enum(dispositionOutcomes),
      closedOn: isoDate,
      note: z.string().nullable(),
      closedByName: z.string().nullable(),
    })
    .nullable(),
  /** Why no further step can be recorded now (an error code), or null. */
  nextStepBlockedBy: z.string().nullable(),
  /** Held general meetings of the branch since the appraisal, with their voters, for the vote form. */
  voteMeetings: z.array(voteMeeting),
  today: isoDate,
});
export type DispositionView = z.infer<typeof dispositionView>;

/** A count derived from ballots, withheld below the committee's k (the count itself never travels). */
const protectedCount = z.discriminatedUnion('suppressed', [
  z.object({ suppressed: z.literal(false), value: z.number().int() }),
  z.object({ suppressed: z.literal(true), k: z.number().int() }),
]);

/**
 * What goes to the superior organization: determinations and counts, nothing from which a ballot
 * could be read ("测评情况由党支部掌握"). Determinations are decisions the branch stands behind with
 * names, so they are not suppressed; the only ballot-derived figure, the number of ballots cast,
 * is withheld below the committee's k.
 */
export const appraisalReport = z.object({
  meeting: meetingRef,
  organization: z.object({ id: z.uuid(), name: z.string() }),
  fullMembers: z.number().int(),
  probationaryNotGraded: z.number().int(),
  exemptNotGraded: z.number().int(),
  counts: gradeCountsView,
  undetermined: z.number().int(),
  excellentCap: z.number().int(),
  excellentOverrideReason: z.string().nullable(),
  feedbackGiven: z.number().int(),
  membersResponded: z.number().int(),
  dispositionsOpen: z.number().int(),
  dispositionsClosed: z.number().int(),
  ballotsCast: protectedCount.nullable(),
  determinations: z.array(z.object({ name: z.string(), grade })),
  generatedAt: isoDateTime,
});
export type AppraisalReport = z.infer<typeof appraisalReport>;

export const reportResponse = z.object({
  /** The report as it would read now; only for the branch committee, which decides when to send it. */
  current: appraisalReport.nullable(),
  /** The last report sent upward. */
  submitted: z
    .object({
      report: appraisalReport,
      submittedAt: isoDateTime,
      submittedByName: z.string().nullable(),
    })
    .nullable(),
  canSubmit: z.boolean(),
});
export type ReportResponse = z.infer<typeof reportResponse>;

export const appraisalListRow = z.object({
  meeting: meetingRef.extend({ status: z.enum(meetingStatuses) }),
  organization: z.object({ id: z.uuid(), name: z.string() }),
  reportedAt: isoDateTime.nullable(),
  /** The branch committee's own progress; null for readers above the branch. */
  progress: z
    .object({
      fullMembers: z.number().int(),
      determined: z.number().int(),
      feedbackGiven: z.number().int(),
      membersResponded: z.number().int(),
      dispositionsOpen: z.number().int(),
    })
    .nullable(),
});
export type AppraisalListRow = z.infer<typeof appraisalListRow>;
export const appraisalList = z.array(appraisalListRow);
