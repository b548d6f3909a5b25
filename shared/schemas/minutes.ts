import { z } from 'zod';
import {
  attendanceStatuses,
  exemptionReasons,
  meetingModes,
  meetingStatuses,
  meetingTypes,
} from '../domain/enums.ts';
import { recordingMethods, signerRoles } from '../domain/meetings.ts';
import { isoDateTime, optionalText, text } from './common.ts';
import { quorumView } from './meetings.ts';

const ballotCount = z.number().int().min(0).max(100_000);

/** A speaker is a member (by id; the name is taken from the roster) or a guest by name. */
export const speechInput = z
  .strictObject({
    speakerMemberId: z.uuid().optional(),
    speakerName: z.string().trim().max(60).optional(),
    summary: text(20_000),
  })
  .refine((s) => !!s.speakerMemberId || !!s.speakerName, { error: 'required', path: ['speakerName'] });

export const voteInput = z.strictObject({
  item: text(300),
  yes: ballotCount,
  no: ballotCount,
  abstain: ballotCount,
});

/** Every section the recorder writes; the whole document is sent on each save. */
export const minutesContentInput = z.strictObject({
  agendaItems: z.array(text(500)).max(50),
  reports: z.array(text(20_000)).max(50),
  speeches: z.array(speechInput).max(300),
  votes: z.array(voteInput).max(50),
  resolutions: z.array(text(5_000)).max(50),
  closingSummary: z.string().trim().max(20_000),
});
export type MinutesContentInput = z.infer<typeof minutesContentInput>;

export const saveMinutesBody = z.strictObject({
  recordingMethod: z.enum(recordingMethods),
  custodianMemberId: z.uuid().nullable(),
  content: minutesContentInput,
  /** Required once the minutes are locked: every later change is an amendment with its reason. */
  reason: optionalText(500),
});
export type SaveMinutesBody = z.infer<typeof saveMinutesBody>;

export const signMinutesBody = z.strictObject({ as: z.enum(signerRoles) });

export const attachmentParams = z.strictObject({ id: z.uuid(), attachmentId: z.uuid() });

/** Removing an attachment from locked minutes needs a reason; it travels in the query string of the DELETE. */
export const attachmentDeleteQuery = z.strictObject({ reason: optionalText(500) });

/** The text fields that may accompany an uploaded file (multipart), checked like any body. */
export const attachmentUploadFields = z.strictObject({ reason: optionalText(500) });

const person = z.object({ memberId: z.uuid().optional(), name: z.string() });

/** The header and attendance of the minutes: derived from the meeting, frozen once signed. */
export const minutesRecord = z.object({
  title: z.string(),
  sessionNo: z.number().int().nullable(),
  type: z.enum(meetingTypes),
  theme: z.string().optional(),
  startsAt: isoDateTime,
  endsAt: isoDateTime.nullable(),
  location: z.string(),
  mode: z.enum(meetingModes),
  host: person.nullable(),
  recorder: person.nullable(),
  expectedCount: z.number().int(),
  presentCount: z.number().int(),
  attendees: z.array(person),
  absentees: z.array(
    person.extend({
      status: z.enum(attendanceStatuses),
      reason: z.string().nullable(),
      exemptionReason: z.enum(exemptionReasons).optional(),
      excused: z.boolean(),
    }),
  ),
  observers: z.array(z.object({ name: z.string(), affiliation: z.string() })),
  quorum: quorumView,
  votingExpected: z.number().int().optional(),
  votingPresent: z.number().int().optional(),
});

/** null until signed. */
const signature = z.object({ signedAt: isoDateTime, signedByName: z.string() }).nullable();

export const fieldChangeView = z.object({ field: z.string(), before: z.unknown(), after: z.unknown() });

export const amendmentView = z.object({
  id: z.uuid(),
  amendedAt: isoDateTime,
  amendedByName: z.string(),
  reason: z.string(),
  changes: z.array(fieldChangeView),
});
export type AmendmentView = z.infer<typeof amendmentView>;

export const attachmentView = z.object({
  id: z.uuid(),
  fileName: z.string(),
  contentType: z.string(),
  sizeBytes: z.number().int(),
  uploadedAt: isoDateTime,
  uploadedByName: z.string().nullable(),
});
export type AttachmentView = z.infer<typeof attachmentView>;

export const minutesView = z.object({
  meetingId: z.uuid(),
  organizationName: z.string(),
  meetingStatus: z.enum(meetingStatuses),
  /** The scheduled agenda, offered as the starting point for the minutes' agenda items. */
  meetingAgenda: z.array(z.string()),
  record: minutesRecord,
  /** True once signed: `record` is the snapshot taken at sign-off (amended only with a reason). */
  frozen: z.boolean(),
  /** Invitees not yet marked present or absent; sign-off waits until there are none. */
  unmarkedCount: z.number().int(),
  recordingMethod: z.enum(recordingMethods),
  custodian: person.nullable(),
  content: minutesContentInput,
  /** Per vote, in the order of content.votes. */
  voteResults: z.array(
    z.object({
      cast: z.number().int(),
      passed: z.boolean(),
      exceedsPresent: z.boolean(),
      quorumMet: z.boolean().nullable(),
    }),
  ),
  signatures: z.object({ host: signature, recorder: signature }),
  lockedAt: isoDateTime.nullable(),
  updatedAt: isoDateTime.nullable(),
  updatedByName: z.string().nullable(),
  attachments: z.array(attachmentView),
  amendments: z.array(amendmentView),
  me: z.object({
    canEdit: z.boolean(),
    /** The caller's account is the one linked to the host (recorder) and may sign as such. */
    canSignAsHost: z.boolean(),
    canSignAsRecorder: z.boolean(),
  }),
  /** Whether the host and recorder have accounts to sign with (a roster entry may have none yet). */
  signers: z.object({ hostHasAccount: z.boolean(), recorderHasAccount: z.boolean() }),
});
export type MinutesView = z.infer<typeof minutesView>;
export type MinutesRecordView = z.infer<typeof minutesRecord>;

export const attachmentCreated = z.object({ id: z.uuid() });
