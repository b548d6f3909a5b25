/**
 * Errors are values with a stable code. Services throw these; one error handler turns them into
 * `{ code, message, fields? }` responses (and the live protocol into error frames), so no route
 * decides status codes or leaks internals by itself.
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly statusCode: number,
    readonly fields?: Record<string, string>,
    detail?: string,
  ) {
    super(detail ?? code);
    this.name = 'AppError';
  }
}

/** 404 also for "exists but belongs to another organization": never reveal existence. */
export const notFound = () => new AppError('resource.notFound', 404);

export const forbidden = (code = 'auth.forbidden') => new AppError(code, 403);

export const unauthorized = (code = 'auth.required') => new AppError(code, 401);

/** A request that is well-formed but breaks a domain rule; `fields` points at the culprit. */
export const badRequest = (code: string, fields?: Record<string, string>) => new AppError(code, 400, fields);

export const conflict = (code = 'resource.conflict', fields?: Record<string, string>) =>
  new AppError(code, 409, fields);

/** Invalid input caught by a zod schema at the boundary (also thrown by hand for multipart parts). */
export class RequestValidationError extends AppError {
  constructor(fields: Record<string, string>) {
    super('request.invalid', 400, fields);
  }
}
