import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import { idParams, okResponse } from '../../shared/schemas/common.ts';
import {
  accountRow,
  createAccountBody,
  createGrantBody,
  createOrganizationBody,
  grantRow,
  organizationDetail,
  organizationSummary,
  updateOrganizationBody,
} from '../../shared/schemas/organizations.ts';
import { authorize, rolesAt } from '../access/principal.ts';
import { actorOf, appendAudit } from '../audit/audit-log.ts';
import { createAccount } from '../auth/accounts.ts';
import { requirePrincipal } from '../auth/plugin.ts';
import { badRequest, conflict, notFound } from '../http/errors.ts';
import { archiveOrganization, createOrganization, listVisibleOrganizations } from './service.ts';

export const organizationRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['organizations'];

  app.get(
    '/api/organizations',
    { schema: { tags, response: { 200: z.array(organizationSummary) } } },
    async (request) => listVisibleOrganizations(app.db, requirePrincipal(request)),
  );

  app.post(
    '/api/organizations',
    { schema: { tags, body: createOrganizationBody, response: { 201: z.object({ id: z.uuid() }) } } },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      await authorize(app.db, principal, 'org.manage', request.body.parentId);
      const id = await app.db.transaction().execute(async (trx) => {
        const created = await createOrganization(trx, request.body);
        await appendAudit(trx, {
          ...actorOf(principal),
          action: 'organization.created',
          organizationId: created,
          details: { kind: request.body.kind, parentId: request.body.parentId },
        });
        return created;
      });
      return reply.status(201).send({ id });
    },
  );

  app.get(
    '/api/organizations/:id',
    { schema: { tags, params: idParams, response: { 200: organizationDetail } } },
    async (request) => {
      const principal = requirePrincipal(request);
      const scope = await authorize(app.db, principal, 'org.view', request.params.id);
      const [org, ancestors, members] = await Promise.all([
        app.db
          .selectFrom('organizations')
          .select(['id', 'parent_id', 'kind', 'name', 'is_leadership_group'])
          .where('id', '=', scope.id)
          .executeTakeFirstOrThrow(),
        app.db
          .selectFrom('organizations')
          .select(['id', 'name', 'kind'])
          .where('id', 'in', scope.ancestry)
          .execute(),
        app.db
          .selectFrom('members')
          .select((eb) => eb.fn.countAll<number>().as('count'))
          .where('organization_id', '=', scope.id)
          .where('left_at', 'is', null)
          .executeTakeFirstOrThrow(),
      ]);
      const byId = new Map(ancestors.map((a) => [a.id, a]));
      return {
        id: org.id,
        parentId: org.parent_id,
        kind: org.kind,
        name: org.name,
        isLeadershipGroup: org.is_leadership_group,
        myRoles: [...rolesAt(principal, scope.ancestry)],
        ancestry: scope.ancestry.map((id) => byId.get(id)!).filter(Boolean),
        memberCount: members.count,
      };
    },
  );

  app.patch(
    '/api/organizations/:id',
    { schema: { tags, params: idParams, body: updateOrganizationBody, response: { 200: okResponse } } },
    async (request) => {
      const principal = requirePrincipal(request);
      const { name, isLeadershipGroup } = request.body;
      await authorize(app.db, principal, 'org.manage', request.params.id);
      const changes = {
        ...(name ? { name } : {}),
        ...(isLeadershipGroup !== undefined ? { is_leadership_group: isLeadershipGroup } : {}),
      };
      // An empty PATCH changes nothing and records nothing (an UPDATE with no SET is not SQL).
      if (Object.keys(changes).length === 0) return { ok: true as const };
      await app.db.transaction().execute(async (trx) => {
        await trx.updateTable('organizations').set(changes).where('id', '=', request.params.id).execute();
        await appendAudit(trx, {
          ...actorOf(principal),
          action: 'organization.updated',
          organizationId: request.params.id,
          details: { fields: Object.keys(request.body).join(',') },
        });
      });
      return { ok: true as const };
    },
  );

  app.delete(
    '/api/organizations/:id',
    { schema: { tags, params: idParams, response: { 200: okResponse } } },
    async (request) => {
      const principal = requirePrincipal(request);
      const scope = await authorize(app.db, principal, 'org.manage', request.params.id);
      if (scope.ancestry.length === 1) throw badRequest('organization.cannotArchiveRoot');
      await app.db.transaction().execute(async (trx) => {
        await archiveOrganization(trx, scope.id);
        await appendAudit(trx, {
          ...actorOf(principal),
          action: 'organization.archived',
          organizationId: scope.id,
        });
      });
      return { ok: true as const };
    },
  );

  app.get(
    '/api/organizations/:id/grants',
    { schema: { tags, params: idParams, response: { 200: z.array(grantRow) } } },
    async (request) => {
      const scope = await authorize(app.db, requirePrincipal(request), 'accounts.manage', request.params.id);
      const rows = await app.db
        .selectFrom('role_grants')
        .innerJoin('accounts', 'accounts.id', 'role_grants.account_id')
        .select([
          'role_grants.id',
          'role_grants.role',
          'accounts.id as accountId',
          'accounts.login',
          'accounts.display_name',
          'role_grants.created_at',
        ])
        .where('role_grants.organization_id', '=', scope.id)
        .orderBy('role_grants.created_at')
        .execute();
      return rows.map((r) => ({
        id: r.id,
        role: r.role,
        accountId: r.accountId,
        login: r.login,
        displayName: r.display_name,
        createdAt: r.created_at,
      }));
    },
  );

  app.post(
    '/api/organizations/:id/grants',
    {
      schema: {
        tags,
        params: idParams,
        body: createGrantBody,
        response: { 201: z.object({ id: z.uuid() }) },
      },
    },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      const scope = await authorize(app.db, principal, 'accounts.manage', request.params.id);
      const account = await app.db
        .selectFrom('accounts')
        .select('id')
        .where(sql`lower(login)`, '=', request.body.login.toLowerCase())
        .executeTakeFirst();
      if (!account) throw badRequest('organization.unknownLogin', { login: 'unknownLogin' });
      const id = await app.db.transaction().execute(async (trx) => {
        const inserted = await trx
          .insertInto('role_grants')
          .values({
            account_id: account.id,
            organization_id: scope.id,
            role: request.body.role,
            granted_by: principal.accountId,
          })
          .onConflict((oc) => oc.doNothing())
          .returning('id')
          .executeTakeFirst();
        if (!inserted) throw conflict('organization.grantExists');
        await appendAudit(trx, {
          ...actorOf(principal),
          action: 'grant.created',
          organizationId: scope.id,
          details: { grantId: inserted.id, accountId: account.id, role: request.body.role },
        });
        return inserted.id;
      });
      return reply.status(201).send({ id });
    },
  );

  app.delete(
    '/api/grants/:id',
    { schema: { tags, params: idParams, response: { 200: okResponse } } },
    async (request) => {
      const principal = requirePrincipal(request);
      const grant = await app.db
        .selectFrom('role_grants')
        .select(['id', 'organization_id', 'account_id', 'role'])
        .where('id', '=', request.params.id)
        .executeTakeFirst();
      if (!grant) throw notFound();
      await authorize(app.db, principal, 'accounts.manage', grant.organization_id);
      if (grant.role === 'admin' && grant.account_id === principal.accountId) {
        throw badRequest('organization.cannotRevokeOwnAdmin');
      }
      await app.db.transaction().execute(async (trx) => {
        await trx.deleteFrom('role_grants').where('id', '=', grant.id).execute();
        await appendAudit(trx, {
          ...actorOf(principal),
          action: 'grant.revoked',
          organizationId: grant.organization_id,
          details: { grantId: grant.id, accountId: grant.account_id, role: grant.role },
        });
      });
      return { ok: true as const };
    },
  );

  /** Accounts that are not on a roster (committee staff, operators); members get theirs by invitation. */
  app.post(
    '/api/organizations/:id/accounts',
    { schema: { tags, params: idParams, body: createAccountBody, response: { 201: accountRow } } },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      await authorize(app.db, principal, 'accounts.manage', request.params.id);
      const id = await app.db.transaction().execute(async (trx) => {
        const created = await createAccount(trx, request.body);
        await appendAudit(trx, {
          ...actorOf(principal),
          action: 'account.created',
          organizationId: request.params.id,
          details: { accountId: created },
        });
        return created;
      });
      return reply.status(201).send({ id, login: request.body.login, displayName: request.body.displayName });
    },
  );
};
