import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { OrganizationKind } from '../../shared/domain/enums.ts';
import { idParams } from '../../shared/schemas/common.ts';
import {
  meetingQualityView as meetingQualitySchema,
  originalityView as originalitySchema,
  publishedRubric,
  publishRubricBody,
  rubricPageView,
} from '../../shared/schemas/quality.ts';
import { authorize, can } from '../access/principal.ts';
import { requirePrincipal } from '../auth/plugin.ts';
import { forbidden } from '../http/errors.ts';
import { requestLocale } from '../http/locale.ts';
import { loadMeeting } from '../meetings/access.ts';
import { effectiveRubric, publishRubric, rubricPublishers, rubricVersions } from './rubrics.ts';
import { mayReviewTexts, meetingQualityView, originalityView } from './view.ts';

/**
 * A meeting's quality score (for those who read its minutes), the originality flags behind it (for
 * its recorder, host and branch committee), and the rubric: read by whoever reads the dashboards,
 * published as a new version by a committee's staff (rubric.manage).
 */
export const qualityRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['quality'];

  app.get(
    '/api/meetings/:id/quality',
    { schema: { tags, params: idParams, response: { 200: meetingQualitySchema } } },
    async (request) => {
      const principal = requirePrincipal(request);
      const { meeting, scope, capabilities } = await loadMeeting(
        app.db,
        principal,
        request.params.id,
        'canViewRecord',
      );
      return meetingQualityView(app.db, meeting, scope, capabilities, requestLocale(request));
    },
  );

  app.get(
    '/api/meetings/:id/quality/originality',
    { schema: { tags, params: idParams, response: { 200: originalitySchema } } },
    async (request) => {
      const principal = requirePrincipal(request);
      const { meeting, scope, capabilities } = await loadMeeting(app.db, principal, request.params.id);
      if (!mayReviewTexts(capabilities)) throw forbidden();
      return originalityView(app.db, meeting, scope, requestLocale(request));
    },
  );

  app.get(
    '/api/organizations/:id/quality-rubric',
    { schema: { tags, params: idParams, response: { 200: rubricPageView } } },
    async (request) => {
      const principal = requirePrincipal(request);
      const scope = await authorize(app.db, principal, 'dashboard.view', request.params.id);
      const inForce = await effectiveRubric(app.db, scope.ancestry);
      const versions = await rubricVersions(app.db, scope.ancestry);
      return {
        organizationId: scope.id,
        organizationName: scope.name,
        organizationKind: scope.kind as OrganizationKind,
        inForce: versions.find((v) => v.id === inForce.id)!,
        versions,
        canPublish:
          rubricPublishers.includes(scope.kind as OrganizationKind) &&
          can(principal, 'rubric.manage', scope.ancestry),
      };
    },
  );

  app.post(
    '/api/organizations/:id/quality-rubrics',
    { schema: { tags, params: idParams, body: publishRubricBody, response: { 201: publishedRubric } } },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      const scope = await authorize(app.db, principal, 'rubric.manage', request.params.id);
      if (!rubricPublishers.includes(scope.kind as OrganizationKind))
        throw forbidden('rubric.committeesOnly');
      const published = await app.db
        .transaction()
        .execute((trx) => publishRubric(trx, scope, request.body, principal));
      return reply.status(201).send(published);
    },
  );
};
