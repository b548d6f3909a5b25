import { z } from 'zod';

/** Building blocks reused by every feature's schemas. Objects are strict: unknown fields are errors. */
export const uuid = z.uuid();
export const idParams = z.strictObject({ id: z.uuid() });
export const isoDate = z.iso.date();
export const isoDateTime = z.iso.datetime({ offset: true });

/** Trimmed single-line text with a length cap; empty after trimming counts as missing. */
export const text = (max: number) => z.string().trim().min(1).max(max);
export const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((v) => (v === '' ? null : v))
    .nullable()
    .optional();

export const okResponse = z.object({ ok: z.literal(true) });
