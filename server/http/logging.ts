import type { FastifyServerOptions } from 'fastify';

/**
 * The server's log configuration. Cookies carry sessions, and URLs may carry one-time tokens
 * (`/setup?token=…`): neither belongs in a log, so headers are redacted and a request is logged as
 * its method, path without the query, and id. Bodies are never logged.
 */
export function loggerOptions(level: string): Exclude<FastifyServerOptions['logger'], boolean | undefined> {
  return {
    level,
    redact: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'],
    serializers: {
      req: (req: { method: string; url: string; id: string }) => ({
        method: req.method,
        url: req.url.split('?')[0],
        id: req.id,
      }),
    },
  };
}

const sqlState = /^[0-9A-Z]{5}$/;

/**
 * What may be logged of an unexpected error. A PostgreSQL error carries `detail` (for a constraint
 * violation "Failing row contains (…)", i.e. the submitted content) and `where`, and its message may
 * quote an input value ('invalid input syntax for type uuid: "…"'): of those only the class,
 * SQLSTATE, constraint, table and column are kept, with the stack's frames. Other errors are our
 * own bugs, whose messages come from code: kept whole.
 */
export function loggableError(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { type: typeof err };
  const e = err as Error & Record<string, unknown>;
  const frames = e.stack
    ?.split('\n')
    .filter((line) => /^\s+at /.test(line))
    .join('\n');
  if (typeof e.code === 'string' && sqlState.test(e.code)) {
    const kept: Record<string, unknown> = { type: e.name, code: e.code, stack: frames };
    for (const key of ['constraint', 'table', 'column', 'routine'] as const)
      if (typeof e[key] === 'string') kept[key] = e[key];
    return kept;
  }
  return {
    type: e.name,
    message: e.message,
    stack: e.stack,
    ...(typeof e.code === 'string' ? { code: e.code } : {}),
  };
}
