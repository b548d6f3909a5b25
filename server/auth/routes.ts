import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  changePasswordBody,
  localeBody,
  loginBody,
  meResponse,
  setupBody,
  setupStatusResponse,
} from '../../shared/schemas/auth.ts';
import { okResponse } from '../../shared/schemas/common.ts';
import { loadGrants } from '../access/principal.ts';
import { appendAudit } from '../audit/audit-log.ts';
import { AppError } from '../http/errors.ts';
import { localeCookie } from '../http/locale.ts';
import { changePassword, checkCredentials, createAccount } from './accounts.ts';
import { requirePrincipal } from './plugin.ts';
import {
  clearSessionCookie,
  createSession,
  destroyOtherSessions,
  destroySession,
  sessionTokenOf,
  setSessionCookie,
} from './sessions.ts';
import { consumeSetupToken, needsSetup } from './setup.ts';

export const authRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/setup/status',
    { schema: { tags: ['auth'], response: { 200: setupStatusResponse } } },
    async () => ({
      needsSetup: await needsSetup(app.db),
    }),
  );

  app.post(
    '/api/setup',
    {
      schema: { tags: ['auth'], body: setupBody, response: { 200: okResponse } },
      config: { rateLimit: { max: 10, timeWindow: '1 minute' } },
    },
    async (request) => {
      const body = request.body;
      await app.db.transaction().execute(async (trx) => {
        if (!(await needsSetup(trx))) throw new AppError('auth.setupAlreadyDone', 409);
        if (!(await consumeSetupToken(trx, body.token))) {
          throw new AppError('auth.setupTokenInvalid', 400, { token: 'invalid' });
        }
        const accountId = await createAccount(trx, body);
        const organization = await trx
          .insertInto('organizations')
          .values({ kind: body.organizationKind, name: body.organizationName, parent_id: null, ancestry: [] })
          .returning('id')
          .executeTakeFirstOrThrow();
        await trx
          .updateTable('organizations')
          .set({ ancestry: [organization.id] })
          .where('id', '=', organization.id)
          .execute();
        await trx
          .insertInto('role_grants')
          .values({
            account_id: accountId,
            organization_id: organization.id,
            role: 'admin',
            granted_by: accountId,
          })
          .execute();
        await appendAudit(trx, {
          actorAccountId: accountId,
          actorLabel: body.displayName,
          action: 'setup.completed',
          organizationId: organization.id,
          details: { accountId },
        });
      });
      return { ok: true as const };
    },
  );

  app.post(
    '/api/auth/login',
    {
      schema: { tags: ['auth'], body: loginBody, response: { 200: meResponse } },
      // Per client address, on top of the per-account lockout in checkCredentials.
      config: { rateLimit: { max: 20, timeWindow: '1 minute' } },
    },
    async (request, reply) => {
      const accountId = await checkCredentials(app.db, request.body.login, request.body.password);
      const token = await createSession(app.db, accountId);
      setSessionCookie(reply, token);
      return describeAccount(accountId);
    },
  );

  app.post(
    '/api/auth/logout',
    { schema: { tags: ['auth'], response: { 200: okResponse } } },
    async (request, reply) => {
      const token = sessionTokenOf(request);
      if (token) await destroySession(app.db, token);
      clearSessionCookie(reply);
      return { ok: true as const };
    },
  );

  app.get('/api/auth/me', { schema: { tags: ['auth'], response: { 200: meResponse } } }, async (request) => {
    const principal = requirePrincipal(request);
    return describeAccount(principal.accountId);
  });

  app.post(
    '/api/auth/password',
    {
      schema: { tags: ['auth'], body: changePasswordBody, response: { 200: okResponse } },
      // Per session rather than per address: a whole office may share one address.
      config: { rateLimit: { max: 10, timeWindow: '1 minute', keyGenerator: rateLimitKeyBySession } },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      await changePassword(
        app.db,
        principal.accountId,
        request.body.currentPassword,
        request.body.newPassword,
      );
      const token = sessionTokenOf(request);
      if (token) await destroyOtherSessions(app.db, principal.accountId, token);
      return { ok: true as const };
    },
  );

  /** Works signed in (remembered on the account) and signed out (a cookie only). */
  app.put(
    '/api/locale',
    { schema: { tags: ['auth'], body: localeBody, response: { 200: okResponse } } },
    async (request, reply) => {
      reply.setCookie(localeCookie, request.body.locale, {
        path: '/',
        sameSite: 'lax',
        maxAge: 365 * 24 * 3600,
      });
      if (request.principal) {
        await app.db
          .updateTable('accounts')
          .set({ locale: request.body.locale })
          .where('id', '=', request.principal.accountId)
          .execute();
      }
      return { ok: true as const };
    },
  );

  function rateLimitKeyBySession(request: FastifyRequest): string {
    return sessionTokenOf(request) ?? request.ip;
  }

  async function describeAccount(accountId: string) {
    const account = await app.db
      .selectFrom('accounts')
      .select(['id', 'login', 'display_name', 'locale'])
      .where('id', '=', accountId)
      .executeTakeFirstOrThrow();
    return {
      accountId: account.id,
      login: account.login,
      displayName: account.display_name,
      locale: account.locale,
      grants: await loadGrants(app.db, accountId),
    };
  }
};
