import { z } from 'zod';
import { grantableRoles, organizationKinds, roles } from '../domain/enums.ts';
import { text } from './common.ts';

/** Per-organization settings; every field optional, inherited from the nearest ancestor that sets it. */
export const organizationSettings = z.strictObject({
  /** Small-group threshold inside the branch (ANONYMITY.md property 4); never below 3. */
  kBranch: z.number().int().min(3).max(50).optional(),
  /** Small-group threshold for committee views and exports; never below 3. */
  kCommittee: z.number().int().min(3).max(50).optional(),
  /** Optional ">50% 不合格 ballots → refer to the committee" flag (DOMAIN.md §4); off by default. */
  appraisalReferralFlag: z.boolean().optional(),
});
export type OrganizationSettings = z.infer<typeof organizationSettings>;

export const organizationSummary = z.object({
  id: z.uuid(),
  parentId: z.uuid().nullable(),
  kind: z.enum(organizationKinds),
  name: z.string(),
  isLeadershipGroup: z.boolean(),
  /** The caller's effective roles here (including those inherited from ancestors). */
  myRoles: z.array(z.enum(roles)),
});
export type OrganizationSummary = z.infer<typeof organizationSummary>;

export const organizationDetail = organizationSummary.extend({
  settings: organizationSettings,
  ancestry: z.array(z.object({ id: z.uuid(), name: z.string(), kind: z.enum(organizationKinds) })),
  memberCount: z.number().int(),
});

export const createOrganizationBody = z.strictObject({
  parentId: z.uuid(),
  kind: z.enum(organizationKinds),
  name: text(100),
  isLeadershipGroup: z.boolean().optional(),
});

export const updateOrganizationBody = z.strictObject({
  name: text(100).optional(),
  isLeadershipGroup: z.boolean().optional(),
  settings: organizationSettings.optional(),
});

export const createGrantBody = z.strictObject({
  login: z.string().trim().min(1).max(64),
  role: z.enum(grantableRoles),
});

export const grantRow = z.object({
  id: z.uuid(),
  role: z.enum(roles),
  accountId: z.uuid(),
  login: z.string(),
  displayName: z.string(),
  createdAt: z.date(),
});

export const createAccountBody = z.strictObject({
  login: z
    .string()
    .trim()
    .min(2)
    .max(64)
    .regex(/^[\p{L}\p{N}._@+-]+$/u, 'invalidFormat'),
  displayName: text(60),
  password: z.string().min(8).max(200),
});

export const accountRow = z.object({ id: z.uuid(), login: z.string(), displayName: z.string() });
