import { z } from 'zod';

export const auditQuery = z.strictObject({
  /** Page backwards from this sequence number (exclusive). */
  beforeSeq: z.coerce.number().int().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const auditEntry = z.object({
  seq: z.number().int(),
  at: z.date(),
  actorLabel: z.string(),
  action: z.string(),
  organizationId: z.uuid().nullable(),
  meetingId: z.uuid().nullable(),
  details: z.record(z.string(), z.unknown()),
  hash: z.string(),
});

export const auditPage = z.object({
  entries: z.array(auditEntry),
  chain: z.object({ ok: z.boolean(), entries: z.number().int(), brokenAt: z.number().int().optional() }),
});
