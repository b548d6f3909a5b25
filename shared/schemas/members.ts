import { z } from 'zod';
import { committeeRoles, exemptionReasons, memberStatuses } from '../domain/enums.ts';
import { branchSizeAdviceCodes, genders, latestTodayIso, memberDepartureReasons } from '../domain/roster.ts';
import { errorResponseSchema } from '../errors.ts';
import { isoDate, optionalText, text } from './common.ts';

/** A calendar date that has already happened and is not absurdly old (field codes inFuture, tooEarly). */
export const pastDate = isoDate
  .refine((d) => d >= '1900-01-01', 'tooEarly')
  .refine((d) => d <= latestTodayIso(), 'inFuture');

/** Mobile (13800138000), landline with area code (010-12345678) or international (+852 1234 5678). */
const phonePattern = /^\+?\d[\d ()-]{4,24}$/;
const optionalPhone = z
  .string()
  .trim()
  .max(30)
  .transform((v) => (v === '' ? null : v))
  .refine((v) => v === null || phonePattern.test(v), 'invalidFormat')
  .nullable()
  .optional();

/** The fields of a roster entry a secretary edits. */
export const memberFields = z.strictObject({
  fullName: text(40),
  gender: z.enum(genders).nullable().optional(),
  ethnicity: optionalText(20),
  birthDate: pastDate.nullable().optional(),
  education: optionalText(30),
  phone: optionalPhone,
  joinedPartyOn: pastDate.nullable().optional(),
  status: z.enum(memberStatuses),
  committeeRole: z.enum(committeeRoles).nullable().optional(),
  /** A party group (党小组) under the member's branch. */
  partyGroupId: z.uuid().nullable().optional(),
  leadingCadre: z.boolean().optional(),
  /** 领导干部双重组织生活: a leading cadre who also attends this branch's organization life. */
  dualOrgLife: z.boolean().optional(),
  notes: optionalText(500),
});

/** Joining the Party after birth: checked wherever both dates are known. */
export function joinedBeforeBirth(input: { birthDate?: string | null; joinedPartyOn?: string | null }) {
  return !!input.birthDate && !!input.joinedPartyOn && input.joinedPartyOn <= input.birthDate;
}

const datesInOrder = (
  input: { birthDate?: string | null; joinedPartyOn?: string | null },
  ctx: z.RefinementCtx,
) => {
  if (joinedBeforeBirth(input))
    ctx.addIssue({ code: 'custom', path: ['joinedPartyOn'], message: 'beforeBirth' });
};

export const createMemberBody = memberFields.superRefine(datesInOrder);
export type CreateMemberBody = z.infer<typeof createMemberBody>;
export const updateMemberBody = memberFields.partial().superRefine(datesInOrder);
export type UpdateMemberBody = z.infer<typeof updateMemberBody>;

export const rosterQuery = z.strictObject({
  status: z.enum(memberStatuses).optional(),
  partyGroupId: z.uuid().optional(),
  /** Also list those who left (members.view only). */
  includeLeft: z.enum(['true', 'false']).optional(),
});

export const markLeftBody = z.strictObject({
  reason: z.enum(memberDepartureReasons),
  leftOn: pastDate,
  note: optionalText(300),
});

export const partyGroupRef = z.object({ id: z.uuid(), name: z.string() });

export const activeExemption = z.object({
  id: z.uuid(),
  reason: z.enum(exemptionReasons),
  endsOn: z.string().nullable(),
});

/** A roster entry's personal fields as stored (null: not given), in both the roster and an import preview. */
const personalFields = {
  gender: z.enum(genders).nullable(),
  ethnicity: z.string().nullable(),
  birthDate: z.string().nullable(),
  education: z.string().nullable(),
  phone: z.string().nullable(),
  joinedPartyOn: z.string().nullable(),
  leadingCadre: z.boolean(),
  dualOrgLife: z.boolean(),
  notes: z.string().nullable(),
};

/** Personal and administrative fields: only for holders of `members.view`. */
export const memberDetails = z.object({
  ...personalFields,
  hasAccount: z.boolean(),
  /** Expiry of the member's current unused invitation code, if any. */
  invitationExpiresAt: z.date().nullable(),
  /** The exemption in force today, if any. */
  exemption: activeExemption.nullable(),
  /** Start of the last organization-life meeting (not a 支委会) the member attended. */
  lastAttendedAt: z.date().nullable(),
  absenceWarning: z.enum(['threeMonths', 'fiveMonths']).nullable(),
  left: z
    .object({
      on: z.string().nullable(),
      reason: z.enum(memberDepartureReasons).nullable(),
      note: z.string().nullable(),
    })
    .nullable(),
  createdAt: z.date(),
});
export type MemberDetails = z.infer<typeof memberDetails>;

/** What every member of the branch may see of each other (`roster.view`); `details` needs `members.view`. */
export const rosterEntry = z.object({
  id: z.uuid(),
  fullName: z.string(),
  status: z.enum(memberStatuses),
  committeeRole: z.enum(committeeRoles).nullable(),
  partyGroup: partyGroupRef.nullable(),
  details: memberDetails.optional(),
});
export type RosterEntry = z.infer<typeof rosterEntry>;

export const rosterAccess = z.object({ details: z.boolean(), manage: z.boolean() });

export const rosterResponse = z.object({
  organization: z.object({ id: z.uuid(), name: z.string() }),
  access: rosterAccess,
  partyGroups: z.array(partyGroupRef.extend({ memberCount: z.number().int() })),
  /** Figures over current members, whatever the filters. */
  summary: z.object({
    fullMembers: z.number().int(),
    probationaryMembers: z.number().int(),
    committeeMembers: z.number().int(),
    advice: z.array(z.enum(branchSizeAdviceCodes)),
    /** Members flagged for 3 / 5 months without organization life (members.view only). */
    absence: z.object({ threeMonths: z.number().int(), fiveMonths: z.number().int() }).optional(),
  }),
  members: z.array(rosterEntry),
});
export type RosterResponse = z.infer<typeof rosterResponse>;

export const exemptionRow = z.object({
  id: z.uuid(),
  reason: z.enum(exemptionReasons),
  note: z.string().nullable(),
  approvedBy: z.string(),
  approvedOn: z.string(),
  startsOn: z.string(),
  endsOn: z.string().nullable(),
  revokedAt: z.date().nullable(),
  createdAt: z.date(),
  /** In force today: not revoked, started, not ended. */
  active: z.boolean(),
});
export type ExemptionRow = z.infer<typeof exemptionRow>;

export const memberResponse = rosterEntry.extend({
  organization: z.object({ id: z.uuid(), name: z.string() }),
  access: rosterAccess,
  exemptions: z.array(exemptionRow).optional(),
});
export type MemberResponse = z.infer<typeof memberResponse>;

export const createExemptionBody = z
  .strictObject({
    reason: z.enum(exemptionReasons),
    note: optionalText(300),
    /** Who approved it (a person or body, e.g. 支委会); free text as on the paper record. */
    approvedBy: text(60),
    approvedOn: pastDate,
    startsOn: isoDate,
    endsOn: isoDate.nullable().optional(),
  })
  .superRefine((input, ctx) => {
    if (input.endsOn && input.endsOn < input.startsOn)
      ctx.addIssue({ code: 'custom', path: ['endsOn'], message: 'beforeStart' });
    if (input.reason === 'other' && !input.note)
      ctx.addIssue({ code: 'custom', path: ['note'], message: 'required' });
  });
export type CreateExemptionBody = z.infer<typeof createExemptionBody>;

export const createdResponse = z.object({ id: z.uuid() });

/** Without memberIds: everyone on the roster who has no account yet. */
export const issueInvitationsBody = z.strictObject({
  memberIds: z.array(z.uuid()).min(1).max(2000).optional(),
});

export const invitationSlip = z.object({
  memberId: z.uuid(),
  memberName: z.string(),
  /** Shown once: only its hash is stored. */
  code: z.string(),
  url: z.string(),
  /** The link as a QR code, an SVG document. */
  qrSvg: z.string(),
  expiresAt: z.date(),
});
export type InvitationSlip = z.infer<typeof invitationSlip>;

export const issueInvitationsResponse = z.object({
  organizationName: z.string(),
  slips: z.array(invitationSlip),
});
export type IssueInvitationsResponse = z.infer<typeof issueInvitationsResponse>;

export const invitationCodeBody = z.strictObject({ code: z.string().trim().min(6).max(40) });

/** One problem in an imported file, located the way the person sees it in Excel. */
export const importIssue = z.object({
  /** Spreadsheet row number (1 = the first line of the file). */
  row: z.number().int(),
  /** The column's header as written in the file, or the expected header when it is missing. */
  column: z.string().nullable(),
  code: z.string(),
  /** What the cell said, so the person recognises it (absent for an empty cell). */
  value: z.string().optional(),
  /** For duplicates: the other row in the file. */
  otherRow: z.number().int().optional(),
});
export type ImportIssue = z.infer<typeof importIssue>;

/** One row of an import as read (status null: missing or not understood; the row then has an error). */
export const importedValues = z.object({
  fullName: z.string(),
  status: z.enum(memberStatuses).nullable(),
  committeeRole: z.enum(committeeRoles).nullable(),
  partyGroupName: z.string().nullable(),
  ...personalFields,
});
export type ImportedValues = z.infer<typeof importedValues>;

export const importRowStatuses = ['new', 'existing', 'error'] as const;

export const importPreviewResponse = z.object({
  fileName: z.string(),
  format: z.enum(['xlsx', 'csv']),
  /** The text encoding a CSV file was read in (utf-8 or gb18030). */
  encoding: z.string().nullable(),
  headerRow: z.number().int(),
  /** Every column of the file and the roster field it fills (null: ignored). */
  columns: z.array(z.object({ header: z.string(), field: z.string().nullable() })),
  rows: z.array(
    z.object({
      row: z.number().int(),
      status: z.enum(importRowStatuses),
      values: importedValues,
      /** For `existing`: the roster entry this row repeats (it will be skipped). */
      existingMemberId: z.uuid().nullable(),
    }),
  ),
  errors: z.array(importIssue),
  /** Worth a look but not blocking (e.g. the same name as someone already on the roster). */
  warnings: z.array(importIssue),
  partyGroupsToCreate: z.array(z.string()),
  counts: z.object({
    rows: z.number().int(),
    toCreate: z.number().int(),
    existing: z.number().int(),
    withErrors: z.number().int(),
  }),
});
export type ImportPreview = z.infer<typeof importPreviewResponse>;

export const importResultResponse = z.object({
  created: z.number().int(),
  skipped: z.number().int(),
  partyGroupsCreated: z.array(z.string()),
});
export type ImportResult = z.infer<typeof importResultResponse>;

/** A refused commit: the usual error body plus every row problem (absent for other 400s, e.g. no file). */
export const importRefusedResponse = errorResponseSchema.extend({ issues: z.array(importIssue).optional() });

export const templateQuery = z.strictObject({ format: z.enum(['xlsx', 'csv']) });
