import { z } from 'zod';

/**
 * Every error the API or the live protocol returns has this shape. `code` is stable and meant for
 * programs (the client translates it via the `error.<code>` catalog key); `message` is the server's
 * translation for humans; `fields` maps a dotted input path to a field-level code
 * (`validation.<code>` in the catalog).
 */
export const errorResponseSchema = z.object({
  code: z.string(),
  message: z.string(),
  fields: z.record(z.string(), z.string()).optional(),
  requestId: z.string().optional(),
});
export type ErrorResponse = z.infer<typeof errorResponseSchema>;

/** Error codes shared by every feature; features add their own under their own prefix. */
export const commonErrorCodes = [
  'request.invalid',
  'request.tooLarge',
  'request.unsupportedMediaType',
  'request.rateLimited',
  'request.originRejected',
  'resource.notFound',
  'resource.conflict',
  'auth.required',
  'auth.forbidden',
  'internal',
] as const;

/** Field-level validation codes (the values of `fields`). */
export const fieldErrorCodes = [
  'required',
  'invalidType',
  'tooShort',
  'tooLong',
  'tooSmall',
  'tooLarge',
  'invalidFormat',
  'invalidOption',
  'unknownField',
  'invalid',
] as const;
export type FieldErrorCode = (typeof fieldErrorCodes)[number];

/**
 * Turns zod issues into `{ path: fieldCode }`. A schema may put a specific field code into a
 * refinement's message (e.g. `'passwordMismatch'`); any other custom message becomes `invalid`.
 */
export function fieldErrorsFromZod(issues: readonly z.core.$ZodIssue[], prefix = ''): Record<string, string> {
  const fields: Record<string, string> = {};
  const at = (path: readonly PropertyKey[]) => [prefix, ...path.map(String)].filter(Boolean).join('.') || '_';
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) fields[at([...issue.path, key])] ??= 'unknownField';
      continue;
    }
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      // Report the branch that got furthest rather than a bare "invalid".
      const best = [...issue.errors].sort((a, b) => a.length - b.length)[0] ?? [];
      Object.assign(fields, fieldErrorsFromZod(best, at(issue.path) === '_' ? prefix : at(issue.path)));
      continue;
    }
    fields[at(issue.path)] ??= fieldCodeOf(issue);
  }
  return fields;
}

function fieldCodeOf(issue: z.core.$ZodIssue): FieldErrorCode | string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'required' : 'invalidType';
    case 'too_small':
      return issue.origin === 'string' || issue.origin === 'array' ? 'tooShort' : 'tooSmall';
    case 'too_big':
      return issue.origin === 'string' || issue.origin === 'array' ? 'tooLong' : 'tooLarge';
    case 'invalid_format':
      return 'invalidFormat';
    case 'invalid_value':
    case 'invalid_key':
      return 'invalidOption';
    case 'custom':
      return /^[a-z][A-Za-z]+$/.test(issue.message) ? issue.message : 'invalid';
    default:
      return 'invalid';
  }
}
