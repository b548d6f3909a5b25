import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { loadGrants, type Principal } from '../access/principal.ts';
import { unauthorized } from '../http/errors.ts';
import { findSessionAccount, sessionTokenOf } from './sessions.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in account with its grants; null for anonymous requests. Resolved for /api only. */
    principal: Principal | null;
  }
}

/** Resolves the session cookie into a principal before any /api handler runs. */
export const authPlugin = fp(async (app: FastifyInstance) => {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/api/')) return;
    const token = sessionTokenOf(request);
    if (!token) return;
    const account = await findSessionAccount(app.db, token);
    if (!account) return;
    request.principal = { ...account, grants: await loadGrants(app.db, account.accountId) };
  });
});

export function requirePrincipal(request: FastifyRequest): Principal {
  if (!request.principal) throw unauthorized();
  return request.principal;
}
