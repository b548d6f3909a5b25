import { z } from 'zod';
import { grantableRoles, organizationKinds, roles } from '../domain/enums.ts';
import { text } from './common.ts';

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
