import { z } from 'zod';
import { locales, organizationKinds, roles } from '../domain/enums.ts';
import { text } from './common.ts';

/** Long passphrases welcome; 8 is the floor NIST SP 800-63B sets for user-chosen secrets. */
export const password = z.string().min(8).max(200);
export const login = z
  .string()
  .trim()
  .min(2)
  .max(64)
  .regex(/^[\p{L}\p{N}._@+-]+$/u, 'invalidFormat');

export const loginBody = z.strictObject({
  login: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(200),
});

export const changePasswordBody = z.strictObject({
  currentPassword: z.string().min(1).max(200),
  newPassword: password,
});

export const setupBody = z.strictObject({
  token: z.string().min(10).max(200),
  login,
  displayName: text(60),
  password,
  organizationName: text(100),
  organizationKind: z.enum(organizationKinds),
});

export const acceptInvitationBody = z.strictObject({
  code: z.string().trim().min(6).max(40),
  login,
  password,
});

export const grantSummary = z.object({
  role: z.enum(roles),
  organizationId: z.uuid(),
  memberId: z.uuid().optional(),
});

export const meResponse = z.object({
  accountId: z.uuid(),
  login: z.string(),
  displayName: z.string(),
  locale: z.enum(locales),
  grants: z.array(grantSummary),
});
export type Me = z.infer<typeof meResponse>;

export const setupStatusResponse = z.object({ needsSetup: z.boolean() });

export const localeBody = z.strictObject({ locale: z.enum(locales) });

export const invitationPreviewResponse = z.object({ memberName: z.string(), organizationName: z.string() });
