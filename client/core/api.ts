import type { ErrorResponse } from '../../shared/errors.ts';
import { t } from './i18n.ts';

/** An API failure with the server's stable code and per-field codes, ready to show. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly fields: Record<string, string> = {},
  ) {
    super(code);
  }

  /** The translated, human message for this error. */
  get text(): string {
    return t(`error.${this.code}`);
  }

  /** The translated message for one field, if the server flagged it. */
  fieldText(field: string): string | undefined {
    const code = this.fields[field];
    return code ? t(`validation.${code}`) : undefined;
  }
}

const unauthorizedListeners = new Set<() => void>();
/** Called when any request comes back 401, so the shell can send the person to sign-in. */
export function onUnauthorized(listener: () => void) {
  unauthorizedListeners.add(listener);
}

async function request<T>(method: string, url: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      credentials: 'same-origin',
      headers: body === undefined || body instanceof FormData ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : body instanceof FormData ? body : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network');
  }
  if (response.status === 401 && !url.startsWith('/api/auth/login'))
    for (const l of unauthorizedListeners) l();
  const isJson = response.headers.get('content-type')?.includes('json');
  const payload = isJson ? await response.json() : undefined;
  if (!response.ok) {
    const error = (payload ?? {}) as Partial<ErrorResponse>;
    throw new ApiError(response.status, error.code ?? 'internal', error.fields ?? {});
  }
  return payload as T;
}

export const api = {
  get: <T>(url: string) => request<T>('GET', url),
  post: <T>(url: string, body: unknown = {}) => request<T>('POST', url, body),
  put: <T>(url: string, body: unknown = {}) => request<T>('PUT', url, body),
  patch: <T>(url: string, body: unknown = {}) => request<T>('PATCH', url, body),
  delete: <T>(url: string) => request<T>('DELETE', url),
};

/** Builds a query string from defined values only. */
export function query(params: Record<string, string | number | boolean | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== null && v !== '') search.set(k, String(v));
  const s = search.toString();
  return s ? `?${s}` : '';
}
