import { z } from 'zod';
import { attendanceStatuses, issueSources, problemCategories } from '../domain/enums.ts';
import { isoDate, optionalText, text } from './common.ts';
import { criticismPhases, liveState } from './live.ts';
import { roundConfig, surveyInstrument } from './rounds.ts';

/**
 * HTTP bodies and responses of the live meeting: the host's commands under
 * /api/meetings/:id/live/…, the public join/claim routes and the survey instruments. The websocket
 * frames are in live.ts.
 */

export const meetingParams = z.strictObject({ id: z.uuid() });
export const roundParams = z.strictObject({ id: z.uuid(), roundId: z.uuid() });
export const subjectParams = z.strictObject({ id: z.uuid(), roundId: z.uuid(), subjectId: z.uuid() });
export const itemParams = z.strictObject({ id: z.uuid(), roundId: z.uuid(), itemId: z.uuid() });
export const memberParams = z.strictObject({ id: z.uuid(), memberId: z.uuid() });

export const liveSessionResponse = z.object({
  open: z.boolean(),
  joinCode: z.string(),
  /** PUBLIC_URL/j/<code>: what the QR code on the projector encodes. */
  joinUrl: z.string(),
  /** The QR code of joinUrl as an SVG document (empty while closed). */
  qrSvg: z.string(),
});

/** The projector's address; its token is in the #fragment so it never reaches a server log. */
export const projectorLinkResponse = z.object({ url: z.string() });

export const claimCodesBody = z.strictObject({
  /** Default: every invitee without an account who has not yet claimed a phone. */
  memberIds: z.array(z.uuid()).min(1).max(1000).optional(),
});

export const observerCodesBody = z.strictObject({
  /** Default: every observer of the meeting who has not yet joined. */
  observerIds: z.array(z.uuid()).min(1).max(200).optional(),
});

export const issuedCode = z.object({
  memberId: z.uuid().optional(),
  observerId: z.uuid().optional(),
  name: z.string(),
  /** Shown once, for a printed slip; only its hash is stored. */
  code: z.string(),
  expiresAt: z.date(),
});
export const issuedCodesResponse = z.object({
  codes: z.array(issuedCode),
  /** People left out because a phone already claimed their entry (use rebind for a lost phone). */
  alreadyClaimed: z.array(z.uuid()),
});

export const rebindBody = z.strictObject({ memberId: z.uuid(), reason: text(200) });

export const passState = z.enum(['none', 'issued', 'claimed']);
export const passesResponse = z.object({
  passes: z.array(
    z.object({
      memberId: z.uuid().optional(),
      observerId: z.uuid().optional(),
      name: z.string(),
      state: passState,
      claimedAt: z.date().nullable(),
      /** Earlier bindings the host revoked (lost phones), with who, when and why. */
      revoked: z.array(z.object({ at: z.date(), byName: z.string().nullable(), reason: z.string() })),
    }),
  ),
});

export const createRoundBody = z.strictObject({ title: text(100), config: roundConfig });
export const createdResponse = z.object({ id: z.uuid() });

export const phaseBody = z.strictObject({ phase: z.enum(criticismPhases) });
export const oralSummaryBody = z.strictObject({ summary: text(5000) });
export const moderateBody = z.strictObject({ action: z.enum(['approve', 'return', 'reject']) });
export const revealItemsBody = z.strictObject({ mode: z.enum(['next', 'all']) });

export const convertBody = z.strictObject({
  /** Defaults to the item's (or self-examination's) text. */
  description: text(2000).optional(),
  source: z.enum(issueSources).optional(),
  category: z.enum(problemCategories).optional(),
  rectification: z
    .strictObject({
      measures: text(2000),
      ownerMemberId: z.uuid().optional(),
      dueOn: isoDate.optional(),
      pledge: text(1000).optional(),
      immediateFix: z.boolean().optional(),
    })
    .optional(),
});
export const convertResponse = z.object({ problemId: z.uuid(), rectificationItemId: z.uuid().nullable() });

export const timerBody = z.strictObject({
  seconds: z
    .number()
    .int()
    .min(5)
    .max(4 * 3600),
  label: z.string().trim().max(60).default(''),
});

export const markAttendanceBody = z.strictObject({
  status: z.enum(attendanceStatuses),
  note: optionalText(200),
  /** Required once the minutes are locked: the change becomes an amendment (see meetings). */
  reason: optionalText(500),
});

export const liveStateResponse = z.object({ seq: z.number().int(), state: liveState });

/** Codes people type: generous about case, spaces and dashes; normalised on the server. */
export const codeBody = z.strictObject({ code: z.string().trim().min(4).max(24) });

export const joinResolution = z.object({
  meetingId: z.uuid(),
  title: z.string(),
  organizationName: z.string(),
  open: z.boolean(),
});

export const claimResponse = z.object({ meetingId: z.uuid(), token: z.string(), name: z.string() });

export const joinQrParams = z.strictObject({ code: z.string().regex(/^[0-9A-Z]{6}$/) });

/** A committee's edited survey instrument; item keys must be distinct. */
export const publishInstrumentBody = surveyInstrument.superRefine((instrument, ctx) => {
  const seen = new Set<string>();
  instrument.likert.forEach((item, i) => {
    if (seen.has(item.key))
      ctx.addIssue({ code: 'custom', path: ['likert', i, 'key'], message: 'duplicate' });
    seen.add(item.key);
  });
});

export const instrumentResponse = z.object({
  id: z.uuid(),
  /** Who published it; null for the built-in default. */
  organizationId: z.uuid().nullable(),
  version: z.number().int(),
  definition: surveyInstrument,
  createdAt: z.date(),
});
