import type { FastifySchemaCompiler } from 'fastify';
import type { ZodType } from 'zod';
import { fieldErrorsFromZod } from '../../shared/errors.ts';
import { RequestValidationError } from './errors.ts';

/**
 * Validates bodies, queries and params with the route's zod schema. We use our own compiler rather
 * than the type provider's so the error keeps zod's issues and becomes per-field codes
 * (`{ "fields": { "title": "tooLong" } }`) that the client can translate.
 */
export const zodValidatorCompiler: FastifySchemaCompiler<ZodType> =
  ({ schema, httpPart }) =>
  (data) => {
    // reportInput lets zod tell a missing field (`required`) from one of the wrong type; the
    // inputs stay inside the issues used to compute field codes and are never logged or returned.
    const result = schema.safeParse(data, { reportInput: true });
    if (result.success) return { value: result.data };
    const prefix = httpPart === 'body' ? '' : String(httpPart);
    return { error: new RequestValidationError(fieldErrorsFromZod(result.error.issues, prefix)) };
  };
