import { AppError } from '../http/errors.ts';

/**
 * An error sent to a socket as an `error` frame (stable code, translated message). The status
 * is meaningless on a socket; the same AppError class lets services serve both HTTP and socket.
 */
export const wsError = (code: string, fields?: Record<string, string>) => new AppError(code, 400, fields);
