import { z } from 'zod';
import { appraisalGrades } from '../domain/enums.ts';

/**
 * Round configuration and answers — shared by the host's HTTP commands, the websocket protocol and
 * the stored rows. A round is one survey, one criticism round, one appraisal ballot or one poll.
 */
export const roundKinds = ['survey', 'criticism', 'appraisal', 'poll'] as const;
export type RoundKind = (typeof roundKinds)[number];

export const roundStates = ['draft', 'open', 'closed'] as const;
export type RoundState = (typeof roundStates)[number];

/** The default satisfaction instrument (DOMAIN.md §5); committees may publish edited versions. */
export const likertDimensions = [
  'themeFocus',
  'preparation',
  'candour',
  'problemSolving',
  'conduct',
] as const;
export const overallSatisfaction = ['satisfied', 'basicallySatisfied', 'dissatisfied'] as const;
export type OverallSatisfaction = (typeof overallSatisfaction)[number];

export const surveyItem = z.strictObject({
  key: z.string().regex(/^[a-zA-Z][a-zA-Z0-9]{0,39}$/),
  /** Labels in both languages; the instrument is data, not code. */
  label: z.strictObject({ 'zh-CN': z.string().min(1).max(200), en: z.string().min(1).max(200) }),
});

export const surveyInstrument = z.strictObject({
  /** 1–5 Likert items mapped to 0–1 by the quality index. */
  likert: z.array(surveyItem).min(1).max(12),
  /** Whether the overall 满意/基本满意/不满意 item is asked (it feeds the satisfaction gates). */
  overall: z.boolean(),
  /** Whether an optional free-text comment is offered. */
  comment: z.boolean(),
});
export type SurveyInstrument = z.infer<typeof surveyInstrument>;

export const pollModes = ['single', 'multiple', 'wordCloud'] as const;

export const roundConfig = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('survey'), instrumentId: z.uuid().optional() }),
  z
    .strictObject({
      kind: z.literal('criticism'),
      /** Subjects in the order they take their turn (the secretary first, by custom). */
      subjectMemberIds: z.array(z.uuid()).min(1).max(200),
      /** Anonymous by default; the host may choose named criticism for the round. */
      named: z.boolean().default(false),
    })
    .superRefine((config, ctx) => {
      if (new Set(config.subjectMemberIds).size !== config.subjectMemberIds.length)
        ctx.addIssue({ code: 'custom', path: ['subjectMemberIds'], message: 'duplicate' });
    }),
  z.strictObject({ kind: z.literal('appraisal') }),
  z
    .strictObject({
      kind: z.literal('poll'),
      question: z.string().trim().min(1).max(300),
      mode: z.enum(pollModes),
      options: z.array(z.string().trim().min(1).max(100)).max(20).default([]),
    })
    .superRefine((config, ctx) => {
      // Choice polls need something to choose between; a word cloud has no options at all.
      if (config.mode === 'wordCloud' && config.options.length > 0)
        ctx.addIssue({ code: 'custom', path: ['options'], message: 'notAllowed' });
      if (config.mode !== 'wordCloud' && config.options.length < 2)
        ctx.addIssue({ code: 'custom', path: ['options'], message: 'tooShort' });
      if (new Set(config.options).size !== config.options.length)
        ctx.addIssue({ code: 'custom', path: ['options'], message: 'duplicate' });
    }),
]);
export type RoundConfig = z.infer<typeof roundConfig>;

/**
 * What the rounds table keeps: the host's configuration plus, for an appraisal, the graded members
 * frozen when the round opens (so every ballot of the round grades the same list).
 */
export type StoredRoundConfig = RoundConfig & { graded?: string[] };

/** What a participant submits for a survey round: every Likert key of the instrument, 1–5. */
export const surveyAnswers = z.strictObject({
  kind: z.literal('survey'),
  likert: z.record(z.string(), z.number().int().min(1).max(5)),
  overall: z.enum(overallSatisfaction).optional(),
  comment: z.string().trim().max(1000).optional(),
});

/**
 * An appraisal ballot grades *every* graded member, the voter included: a ballot that skipped the
 * voter's own row would identify the voter.
 */
export const appraisalAnswers = z.strictObject({
  kind: z.literal('appraisal'),
  grades: z.record(z.uuid(), z.enum(appraisalGrades)),
});

export const pollAnswers = z.strictObject({
  kind: z.literal('poll'),
  /** Option indexes for single/multiple choice. */
  choices: z.array(z.number().int().min(0).max(19)).max(20).optional(),
  /** Up to three short words for a word cloud. */
  words: z.array(z.string().trim().min(1).max(20)).max(3).optional(),
});

export const ballotAnswers = z.discriminatedUnion('kind', [surveyAnswers, appraisalAnswers, pollAnswers]);
export type BallotAnswers = z.infer<typeof ballotAnswers>;
