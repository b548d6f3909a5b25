import { z } from 'zod';
import { meetingStatuses, meetingTypes, organizationKinds } from '../domain/enums.ts';
import { minutesFieldKeys } from '../quality/minutes-fields.ts';
import { capKeys } from '../quality/mqi.ts';
import { componentKeys, qualityGrades, rubricSchema } from '../quality/rubric.ts';
import { isoDate, isoDateTime, optionalText } from './common.ts';

/**
 * The Meeting Quality Index's data layer over HTTP: a meeting's stored score with its explanation
 * and history, the originality flags its recorder sees, and the rubric a committee edits and
 * publishes as a new version.
 */

/**
 * Why a meeting's score was (re)computed: the change that queued it. Stored with each score, so the
 * history reads "verified a rectification item → 84".
 */
export const qualityReasons = [
  'sweep',
  'meetingHeld',
  'meetingEdited',
  'attendanceSaved',
  'leaveDecided',
  'minutesSaved',
  'minutesSigned',
  'minutesAmended',
  'roundClosed',
  'problemRecorded',
  'problemEdited',
  'problemDeleted',
  'rectificationCreated',
  'rectificationEdited',
  'rectificationVerified',
  'rectificationCancelled',
  'rectificationReviewed',
  'itemsFellDue',
  'rubricPublished',
  'appraisalDetermination',
] as const;
export type QualityReason = (typeof qualityReasons)[number];

export const componentStatuses = ['scored', 'notForMeetingType', 'notRecorded', 'insufficientData'] as const;

const explanationLine = z.object({
  key: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  component: z.enum(componentKeys).optional(),
  /** The line in the caller's language. */
  text: z.string(),
});
export type ExplanationLineView = z.infer<typeof explanationLine>;

const componentView = z.object({
  key: z.enum(componentKeys),
  status: z.enum(componentStatuses),
  weight: z.number(),
  share: z.number(),
  score: z.number().nullable(),
  points: z.number().nullable(),
  provisional: z.boolean(),
  subMetrics: z.array(
    z.object({ key: z.string(), weight: z.number(), applicable: z.boolean(), score: z.number().nullable() }),
  ),
});
export type ComponentView = z.infer<typeof componentView>;

export const scoreFlags = z.object({
  procedureInvalid: z.boolean(),
  needsAttention: z.boolean(),
  provisional: z.boolean(),
  insufficientData: z.boolean(),
});
export type ScoreFlags = z.infer<typeof scoreFlags>;

const rubricRef = z.object({
  id: z.uuid(),
  version: z.number().int(),
  /** Who published it; null for the built-in default. */
  organizationName: z.string().nullable(),
});

const scoreSummary = z.object({
  id: z.uuid(),
  score: z.number().int().nullable(),
  grade: z.enum(qualityGrades).nullable(),
  flags: scoreFlags,
  rubric: rubricRef,
  reason: z.string(),
  computedAt: isoDateTime,
});

export const scoreView = scoreSummary.extend({
  uncappedScore: z.number().nullable(),
  components: z.array(componentView),
  caps: z.array(z.object({ key: z.enum(capKeys), cap: z.number(), binding: z.boolean() })),
  explanation: z.array(explanationLine),
});
export type ScoreView = z.infer<typeof scoreView>;

export const scoreHistoryEntry = scoreSummary.extend({ supersededAt: isoDateTime });
export type ScoreHistoryEntry = z.infer<typeof scoreHistoryEntry>;

export const meetingQualityView = z.object({
  meetingId: z.uuid(),
  title: z.string(),
  type: z.enum(meetingTypes),
  status: z.enum(meetingStatuses),
  startsAt: isoDateTime,
  organizationId: z.uuid(),
  organizationName: z.string(),
  /** The score in force; null until the meeting is held and first computed. */
  current: scoreView.nullable(),
  /** Earlier values, newest first. */
  history: z.array(scoreHistoryEntry),
  /** A change is waiting to be scored (the score above may be about to move). */
  pending: z.boolean(),
  /** Required minutes fields still empty now, for the recorder to complete. */
  missingMinutesFields: z.array(z.enum(minutesFieldKeys)),
  me: z.object({ canSeeOriginality: z.boolean() }),
});
export type MeetingQualityView = z.infer<typeof meetingQualityView>;

export const textKinds = ['criticismItem', 'selfExamination'] as const;

export const originalityView = z.object({
  /** Jaccard similarity of character 3-grams at which two texts count as near-duplicates. */
  threshold: z.number(),
  lookbackYears: z.number().int(),
  /** The branch's earlier texts in the look-back that this meeting's were compared with. */
  compared: z.number().int(),
  items: z.array(
    z.object({
      id: z.uuid(),
      kind: z.enum(textKinds),
      subjectName: z.string(),
      text: z.string(),
      match: z
        .object({
          similarity: z.number(),
          date: isoDate,
          /** The other text is from this same meeting (both are flagged). */
          sameMeeting: z.boolean(),
          line: explanationLine,
        })
        .nullable(),
    }),
  ),
});
export type OriginalityView = z.infer<typeof originalityView>;

/** A rubric as a committee edits it; the server numbers the version it publishes. */
export const rubricEdit = rubricSchema.omit({ version: true });

export const publishRubricBody = z.strictObject({
  /** The rubric the edit started from: publishing over someone else's newer version is refused. */
  baseRubricId: z.uuid(),
  note: optionalText(500),
  rubric: rubricEdit,
});
export type PublishRubricBody = z.infer<typeof publishRubricBody>;

export const rubricVersionView = z.object({
  id: z.uuid(),
  version: z.number().int(),
  organizationId: z.uuid().nullable(),
  organizationName: z.string().nullable(),
  note: z.string().nullable(),
  createdAt: isoDateTime,
  createdByName: z.string().nullable(),
  rubric: rubricSchema,
});
export type RubricVersionView = z.infer<typeof rubricVersionView>;

export const rubricPageView = z.object({
  organizationId: z.uuid(),
  organizationName: z.string(),
  organizationKind: z.enum(organizationKinds),
  inForce: rubricVersionView,
  /** Versions published on this organization's path (its own and its superiors'), and the default; newest first. */
  versions: z.array(rubricVersionView),
  /** A committee (基层党委/党总支) whose staff may publish; branches follow their committee's rubric. */
  canPublish: z.boolean(),
});
export type RubricPageView = z.infer<typeof rubricPageView>;

export const publishedRubric = z.object({
  id: z.uuid(),
  version: z.number().int(),
  /** Held meetings queued to be scored again under it. */
  requeued: z.number().int(),
});
