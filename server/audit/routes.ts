import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { auditPage, auditQuery } from '../../shared/schemas/audit.ts';
import { idParams } from '../../shared/schemas/common.ts';
import { authorize } from '../access/principal.ts';
import { requirePrincipal } from '../auth/plugin.ts';
import { verifyAuditChain } from './audit-log.ts';

/** Administrators read the audit trail of their subtree, with the chain's integrity alongside. */
export const auditRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/organizations/:id/audit',
    { schema: { tags: ['audit'], params: idParams, querystring: auditQuery, response: { 200: auditPage } } },
    async (request) => {
      const scope = await authorize(app.db, requirePrincipal(request), 'accounts.manage', request.params.id);
      let query = app.db
        .selectFrom('audit_log')
        .selectAll()
        .where(
          'organization_id',
          'in',
          app.db
            .selectFrom('organizations')
            .select('id')
            .where(sql<boolean>`ancestry @> array[${scope.id}]::uuid[]`),
        )
        .orderBy('seq', 'desc')
        .limit(request.query.limit);
      if (request.query.beforeSeq) query = query.where('seq', '<', request.query.beforeSeq);
      const [rows, chain] = await Promise.all([query.execute(), verifyAuditChain(app.db)]);
      return {
        entries: rows.map((r) => ({
          seq: r.seq,
          at: r.at,
          actorLabel: r.actor_label,
          action: r.action,
          organizationId: r.organization_id,
          meetingId: r.meeting_id,
          details: r.details,
          hash: r.hash,
        })),
        chain,
      };
    },
  );
};
