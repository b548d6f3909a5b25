import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isResponseSerializationError } from 'fastify-type-provider-zod';
import type { ErrorResponse } from '../../shared/errors.ts';
import { translate } from '../../shared/i18n/index.ts';
import { AppError } from './errors.ts';
import { requestLocale } from './locale.ts';
import { loggableError } from './logging.ts';

/** Fastify's own error codes for malformed requests, mapped onto ours. */
const frameworkErrors: Record<string, { code: string; status: number }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'request.tooLarge', status: 413 },
  FST_REQ_FILE_TOO_LARGE: { code: 'request.tooLarge', status: 413 },
  FST_PARTS_LIMIT: { code: 'request.tooLarge', status: 413 },
  FST_FILES_LIMIT: { code: 'request.tooLarge', status: 413 },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'request.unsupportedMediaType', status: 415 },
  FST_INVALID_MULTIPART_CONTENT_TYPE: { code: 'request.unsupportedMediaType', status: 415 },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'request.invalid', status: 400 },
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'request.invalid', status: 400 },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: 'request.invalid', status: 400 },
  FST_ERR_BAD_URL: { code: 'request.invalid', status: 400 },
  FST_ERR_MAX_PARAM_LENGTH: { code: 'request.invalid', status: 414 },
};

export function sendError(request: FastifyRequest, reply: FastifyReply, error: AppError) {
  const body: ErrorResponse = {
    code: error.code,
    message: translate(requestLocale(request), `error.${error.code}`),
    requestId: request.id,
  };
  if (error.fields && Object.keys(error.fields).length > 0) body.fields = error.fields;
  return reply.status(error.statusCode).type('application/json').send(body);
}

/**
 * Errors the router raises before any hook or route runs: a URL that does not decode, a path
 * parameter over 100 characters. Fastify would answer them in its own shape, with its own code,
 * echoing the path and without the headers our hooks add; they get ours instead.
 */
export function routerErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  reply.header('x-content-type-options', 'nosniff');
  reply.header('content-security-policy', "default-src 'none'; frame-ancestors 'none'");
  const known = frameworkErrors[error.code];
  if (known) return sendError(request, reply, new AppError(known.code, known.status));
  request.log.error({ err: loggableError(error) }, 'router failed');
  return sendError(request, reply, new AppError('internal', 500));
}

/**
 * @param serveSinglePageApp when the built client is served, any other GET outside /api is a
 *   client-side route and gets index.html (through @fastify/static's sendFile).
 */
export function registerErrorHandling(app: FastifyInstance, serveSinglePageApp: boolean) {
  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    if (error instanceof AppError) {
      if (error.statusCode >= 500) request.log.error({ err: loggableError(error) }, 'request failed');
      return sendError(request, reply, error);
    }
    const known = error.code ? frameworkErrors[error.code] : undefined;
    if (known) return sendError(request, reply, new AppError(known.code, known.status));
    if (error.statusCode === 429) return sendError(request, reply, new AppError('request.rateLimited', 429));
    if (isResponseSerializationError(error)) {
      // Our response schema disagrees with our handler: a bug, logged without the payload.
      request.log.error(
        { issues: error.cause.issues.map((i) => ({ path: i.path, code: i.code })) },
        'bad response',
      );
      return sendError(request, reply, new AppError('internal', 500));
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return sendError(request, reply, new AppError('request.invalid', error.statusCode));
    }
    // Never leak SQL or stack traces: log them with the request id, answer with a generic code.
    request.log.error({ err: loggableError(error) }, 'unexpected error');
    return sendError(request, reply, new AppError('internal', 500));
  });

  app.setNotFoundHandler((request, reply) => {
    if (serveSinglePageApp && request.method === 'GET' && !request.url.startsWith('/api/')) {
      return reply.type('text/html').sendFile('index.html');
    }
    return sendError(request, reply, new AppError('resource.notFound', 404));
  });
}
