import { z } from 'zod';
import {
  issueSources,
  meetingStatuses,
  meetingTypes,
  problemCategories,
  problemOrigins,
  publicationScopes,
  rectificationStatuses,
  subjectScopes,
} from '../domain/enums.ts';
import {
  editableItemFields,
  effectiveRectificationStatuses,
  rectificationActions,
  rectificationEventKinds,
  timelinessValues,
} from '../domain/rectification.ts';
import { isoDate, isoDateTime, optionalText, text } from './common.ts';

/** Problems (查摆问题) and rectification items (整改事项): every body, query and response of the feature. */

const optionalId = z.uuid().nullable().optional();
const optionalDate = isoDate.nullable().optional();
/** Only http(s): a javascript: or data: link in the evidence list would run in the viewer's session. */
const httpLink = z.url({ protocol: /^https?$/ }).max(2000);

const problemShape = {
  scope: z.enum(subjectScopes),
  subjectMemberId: optionalId,
  description: text(2000),
  source: z.enum(issueSources),
  category: z.enum(problemCategories).nullable().optional(),
  meetingId: optionalId,
};

/** A personal problem names its member; a branch (班子) problem names nobody. */
function checkSubject(value: { scope: string; subjectMemberId?: string | null }, ctx: z.RefinementCtx) {
  if (value.scope === 'member' && !value.subjectMemberId)
    ctx.addIssue({ code: 'custom', path: ['subjectMemberId'], message: 'required' });
  if (value.scope === 'branch' && value.subjectMemberId)
    ctx.addIssue({ code: 'custom', path: ['subjectMemberId'], message: 'notForBranch' });
}

const itemShape = {
  measures: text(2000),
  ownerMemberId: optionalId,
  ownerUnit: optionalText(100),
  /** Absent or null: an ongoing item (长期坚持) with no deadline. */
  dueOn: optionalDate,
  pledge: optionalText(1000),
  immediateFix: z.boolean().optional(),
};

/** Someone must answer for the item: a member, a unit (责任部门), or both. */
function checkOwner(
  value: { ownerMemberId?: string | null; ownerUnit?: string | null },
  ctx: z.RefinementCtx,
) {
  if (!value.ownerMemberId && !value.ownerUnit)
    ctx.addIssue({ code: 'custom', path: ['ownerMemberId'], message: 'ownerRequired' });
}

export const itemBody = z.strictObject(itemShape).superRefine(checkOwner);
export type ItemBody = z.infer<typeof itemBody>;

export const problemBody = z.strictObject(problemShape).superRefine(checkSubject);
export type ProblemBody = z.infer<typeof problemBody>;

/** A problem, optionally with its first rectification item, recorded in one step. */
export const createProblemBody = z
  .strictObject({ ...problemShape, item: itemBody.optional() })
  .superRefine(checkSubject);
export type CreateProblemBody = z.infer<typeof createProblemBody>;

export const problemQuery = z.strictObject({
  meetingId: z.uuid().optional(),
  scope: z.enum(subjectScopes).optional(),
  subjectMemberId: z.uuid().optional(),
  source: z.enum(issueSources).optional(),
});
export type ProblemQuery = z.infer<typeof problemQuery>;

export const itemQuery = z.strictObject({
  status: z.enum(effectiveRectificationStatuses).optional(),
  meetingId: z.uuid().optional(),
  scope: z.enum(subjectScopes).optional(),
  subjectMemberId: z.uuid().optional(),
  source: z.enum(issueSources).optional(),
});
export type ItemQuery = z.infer<typeof itemQuery>;

export const actionBody = z.strictObject({
  action: z.enum(rectificationActions),
  /** The completion note, the reason for sending back or cancelling, or a remark. */
  note: optionalText(2000),
});

/** Also the text fields that travel with an uploaded file (multipart/form-data). */
export const evidenceBody = z.strictObject({
  description: text(500),
  link: httpLink.optional(),
});

export const evidenceParams = z.strictObject({ id: z.uuid(), evidenceId: z.uuid() });

export const publishBody = z.strictObject({
  itemIds: z.array(z.uuid()).min(1).max(500),
  /** null withdraws the publication. */
  scope: z.enum(publicationScopes).nullable(),
});

export const reviewBody = z.strictObject({
  /** The later meeting that looked back at this item (回头看); null clears it. */
  meetingId: z.uuid().nullable(),
});

export const createdResponse = z.object({ id: z.uuid() });
export const createdProblemResponse = z.object({ id: z.uuid(), itemId: z.uuid().nullable() });

export const personRef = z.object({ id: z.uuid(), name: z.string() });
export type PersonRef = z.infer<typeof personRef>;

export const meetingRef = z.object({
  id: z.uuid(),
  title: z.string(),
  startsAt: isoDateTime,
  type: z.enum(meetingTypes),
});
export type MeetingRef = z.infer<typeof meetingRef>;

export const problemRow = z.object({
  id: z.uuid(),
  organizationId: z.uuid(),
  meeting: meetingRef.nullable(),
  scope: z.enum(subjectScopes),
  subject: personRef.nullable(),
  description: z.string(),
  source: z.enum(issueSources),
  category: z.enum(problemCategories).nullable(),
  originKind: z.enum(problemOrigins),
  createdAt: isoDateTime,
  items: z.array(
    z.object({ id: z.uuid(), measures: z.string(), effectiveStatus: z.enum(effectiveRectificationStatuses) }),
  ),
  /** Locked once an item is verified: the closed record must keep describing what was fixed. */
  locked: z.boolean(),
});
export type ProblemRow = z.infer<typeof problemRow>;

export const itemSummary = z.object({
  id: z.uuid(),
  organization: z.object({ id: z.uuid(), name: z.string() }),
  problem: z.object({
    id: z.uuid(),
    description: z.string(),
    source: z.enum(issueSources),
    category: z.enum(problemCategories).nullable(),
  }),
  meeting: meetingRef.nullable(),
  scope: z.enum(subjectScopes),
  subject: personRef.nullable(),
  measures: z.string(),
  owner: personRef.nullable(),
  ownerUnit: z.string().nullable(),
  dueOn: isoDate.nullable(),
  pledge: z.string().nullable(),
  immediateFix: z.boolean(),
  status: z.enum(rectificationStatuses),
  effectiveStatus: z.enum(effectiveRectificationStatuses),
  timeliness: z.enum(timelinessValues),
  completedAt: isoDateTime.nullable(),
  verifiedAt: isoDateTime.nullable(),
  publishedScope: z.enum(publicationScopes).nullable(),
  publishedAt: isoDateTime.nullable(),
  reviewedAtMeeting: meetingRef.nullable(),
  evidenceCount: z.number().int(),
  createdAt: isoDateTime,
});
export type ItemSummary = z.infer<typeof itemSummary>;

export const itemListResponse = z.object({
  items: z.array(itemSummary),
  /** Items per effective status under the other filters, for the status chips. */
  counts: z.record(z.enum(effectiveRectificationStatuses), z.number().int()),
  /** Today in the branch's calendar (Asia/Shanghai), the day overdue was judged against. */
  today: isoDate,
});
export type ItemListResponse = z.infer<typeof itemListResponse>;

const fieldValue = z.union([z.string(), z.boolean(), z.null()]);

export const rectificationEvent = z.object({
  id: z.uuid(),
  at: isoDateTime,
  by: z.string().nullable(),
  kind: z.enum(rectificationEventKinds),
  fromStatus: z.enum(rectificationStatuses).nullable(),
  toStatus: z.enum(rectificationStatuses),
  note: z.string().nullable(),
  changes: z
    .array(z.object({ field: z.enum(editableItemFields), before: fieldValue, after: fieldValue }))
    .optional(),
  description: z.string().optional(),
  scope: z.enum(publicationScopes).nullable().optional(),
  meeting: meetingRef.nullable().optional(),
});
export type RectificationEventRow = z.infer<typeof rectificationEvent>;

export const evidenceRow = z.object({
  id: z.uuid(),
  description: z.string(),
  link: z.string().nullable(),
  file: z
    .object({ id: z.uuid(), name: z.string(), contentType: z.string(), sizeBytes: z.number().int() })
    .nullable(),
  addedAt: isoDateTime,
  addedBy: z.string().nullable(),
});
export type EvidenceRow = z.infer<typeof evidenceRow>;

export const itemDetail = itemSummary.extend({
  ownerMemberId: z.uuid().nullable(),
  completionNote: z.string().nullable(),
  cancelledReason: z.string().nullable(),
  verifiedBy: z.string().nullable(),
  evidence: z.array(evidenceRow),
  events: z.array(rectificationEvent),
  today: isoDate,
  /** What the caller may do, so the page shows only buttons that will work. */
  rights: z.object({
    actions: z.array(z.enum(rectificationActions)),
    edit: z.boolean(),
    addEvidence: z.boolean(),
    publish: z.boolean(),
    review: z.boolean(),
    isOwner: z.boolean(),
    /** May open the branch's whole list (otherwise the way back is "my items"). */
    viewList: z.boolean(),
  }),
});
export type ItemDetail = z.infer<typeof itemDetail>;

export const rectificationOptions = z.object({
  members: z.array(personRef),
  meetings: z.array(meetingRef.extend({ status: z.enum(meetingStatuses) })),
  canManage: z.boolean(),
});
export type RectificationOptions = z.infer<typeof rectificationOptions>;

export const myItemsResponse = z.object({ items: z.array(itemSummary), today: isoDate });
export type MyItemsResponse = z.infer<typeof myItemsResponse>;
