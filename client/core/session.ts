import type { Role } from '../../shared/domain/enums.ts';
import type { Me } from '../../shared/schemas/auth.ts';
import { ApiError, api } from './api.ts';
import { adoptLocale } from './i18n.ts';

/** Who is signed in, shared by every page. `undefined` until the first check completes. */
let me: Me | null | undefined;
const listeners = new Set<() => void>();

export function currentUser(): Me | null | undefined {
  return me;
}

export async function refreshSession(): Promise<Me | null> {
  try {
    me = await api.get<Me>('/api/auth/me');
    adoptLocale(me.locale);
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 401) throw err;
    me = null;
  }
  for (const l of listeners) l();
  return me;
}

export function setSignedIn(account: Me) {
  me = account;
  adoptLocale(account.locale);
  for (const l of listeners) l();
}

export function setSignedOut() {
  me = null;
  for (const l of listeners) l();
}

export function onSessionChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function hasRole(role: Role, organizationId?: string): boolean {
  return !!me?.grants.some(
    (g) => g.role === role && (!organizationId || g.organizationId === organizationId),
  );
}
