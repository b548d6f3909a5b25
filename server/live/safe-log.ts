/**
 * What may be logged about an error in the live layer. Database errors carry `detail` (for a
 * constraint violation: "Failing row contains (…)", i.e. ballot content) and `where`; neither ever
 * reaches a log. Only the error's class, SQLSTATE and constraint name do.
 */
export function safeError(err: unknown): { name: string; code?: string; constraint?: string } {
  if (!(err instanceof Error)) return { name: typeof err };
  const e = err as Error & { code?: unknown; constraint?: unknown };
  return {
    name: e.name,
    ...(typeof e.code === 'string' ? { code: e.code } : {}),
    ...(typeof e.constraint === 'string' ? { constraint: e.constraint } : {}),
  };
}
