import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  appraisalList,
  appraisalSheet,
  approvalBody,
  closeBody,
  createdResponse,
  determinationsBody,
  dispositionView,
  educationBody,
  feedbackBody,
  memberParams,
  myAppraisal,
  myAppraisals,
  reportResponse as reportResponseSchema,
  responseBody,
  savedDeterminations,
  stepBody,
  stepParams,
} from '../../shared/schemas/appraisal.ts';
import { idParams, okResponse } from '../../shared/schemas/common.ts';
import { authorize } from '../access/principal.ts';
import { requirePrincipal } from '../auth/plugin.ts';
import { ResultsCache } from '../live/results.ts';
import { authorizeAppraisal, authorizeDisposition } from './access.ts';
import { saveDeterminations } from './determinations.ts';
import {
  addStep,
  closeDisposition,
  describeDisposition,
  recordApproval,
  recordEducation,
} from './dispositions.ts';
import { addResponse, listOwnAppraisals, ownAppraisal, recordFeedback } from './feedback.ts';
import { listAppraisals, reportResponse, submitReport } from './report.ts';
import { loadAppraisal } from './state.ts';
import { sheetView } from './views.ts';

/**
 * The appraisal after the ballot: the committee's determination sheet, feedback and responses,
 * dispositions of 不合格, and the report upward. Sealed ballots never change, so their tallies are
 * cached per node like the live console's.
 */
export const appraisalRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['appraisal'];
  const results = new ResultsCache();

  app.get(
    '/api/organizations/:id/appraisals',
    { schema: { tags, params: idParams, response: { 200: appraisalList } } },
    async (request) => {
      const principal = requirePrincipal(request);
      const scope = await authorize(app.db, principal, 'appraisal.report', request.params.id);
      return listAppraisals(app.db, principal, scope, results);
    },
  );

  app.get(
    '/api/meetings/:id/appraisal',
    { schema: { tags, params: idParams, response: { 200: appraisalSheet } } },
    async (request) => {
      const { meeting } = await authorizeAppraisal(
        app.db,
        requirePrincipal(request),
        'appraisal.manage',
        request.params.id,
      );
      return sheetView(await loadAppraisal(app.db, meeting, results));
    },
  );

  app.put(
    '/api/meetings/:id/appraisal/determinations',
    { schema: { tags, params: idParams, body: determinationsBody, response: { 200: savedDeterminations } } },
    async (request) => {
      const principal = requirePrincipal(request);
      const { meeting } = await authorizeAppraisal(app.db, principal, 'appraisal.manage', request.params.id);
      return { changed: await saveDeterminations(app.db, meeting, principal, request.body) };
    },
  );

  app.put(
    '/api/meetings/:id/appraisal/members/:memberId/feedback',
    { schema: { tags, params: memberParams, body: feedbackBody, response: { 200: okResponse } } },
    async (request) => {
      const principal = requirePrincipal(request);
      const { meeting } = await authorizeAppraisal(app.db, principal, 'appraisal.manage', request.params.id);
      await recordFeedback(app.db, meeting, request.params.memberId, request.body, principal);
      return { ok: true as const };
    },
  );

  app.get(
    '/api/meetings/:id/appraisal/report',
    { schema: { tags, params: idParams, response: { 200: reportResponseSchema } } },
    async (request) => {
      const principal = requirePrincipal(request);
      const { meeting, scope } = await authorizeAppraisal(
        app.db,
        principal,
        'appraisal.report',
        request.params.id,
      );
      return reportResponse(app.db, principal, meeting, scope, results);
    },
  );

  app.post(
    '/api/meetings/:id/appraisal/report',
    { schema: { tags, params: idParams, response: { 201: createdResponse } } },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      const { meeting } = await authorizeAppraisal(app.db, principal, 'appraisal.manage', request.params.id);
      return reply.status(201).send({ id: await submitReport(app.db, meeting, principal, results) });
    },
  );

  app.get(
    '/api/appraisal/dispositions/:id',
    { schema: { tags, params: idParams, response: { 200: dispositionView } } },
    async (request) => {
      const { disposition, meeting } = await authorizeDisposition(
        app.db,
        requirePrincipal(request),
        request.params.id,
      );
      return describeDisposition(app.db, disposition, meeting);
    },
  );

  app.put(
    '/api/appraisal/dispositions/:id/education',
    { schema: { tags, params: idParams, body: educationBody, response: { 200: okResponse } } },
    async (request) => {
      const principal = requirePrincipal(request);
      const { disposition, meeting } = await authorizeDisposition(app.db, principal, request.params.id);
      await recordEducation(app.db, disposition, meeting, request.body, principal);
      return { ok: true as const };
    },
  );

  app.post(
    '/api/appraisal/dispositions/:id/steps',
    { schema: { tags, params: idParams, body: stepBody, response: { 201: createdResponse } } },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      const { disposition, meeting } = await authorizeDisposition(app.db, principal, request.params.id);
      return reply
        .status(201)
        .send({ id: await addStep(app.db, disposition, meeting, request.body, principal) });
    },
  );

  app.put(
    '/api/appraisal/dispositions/:id/steps/:stepId/approval',
    { schema: { tags, params: stepParams, body: approvalBody, response: { 200: okResponse } } },
    async (request) => {
      const principal = requirePrincipal(request);
      const { disposition } = await authorizeDisposition(app.db, principal, request.params.id);
      await recordApproval(app.db, disposition, request.params.stepId, request.body, principal);
      return { ok: true as const };
    },
  );

  app.post(
    '/api/appraisal/dispositions/:id/close',
    { schema: { tags, params: idParams, body: closeBody, response: { 200: okResponse } } },
    async (request) => {
      const principal = requirePrincipal(request);
      const { disposition } = await authorizeDisposition(app.db, principal, request.params.id);
      await closeDisposition(app.db, disposition, request.body, principal);
      return { ok: true as const };
    },
  );

  /** The signed-in member's own appraisals, on their phone. */
  app.get('/api/me/appraisals', { schema: { tags, response: { 200: myAppraisals } } }, async (request) =>
    listOwnAppraisals(app.db, requirePrincipal(request)),
  );

  app.get(
    '/api/appraisal/feedback/:id',
    { schema: { tags, params: idParams, response: { 200: myAppraisal } } },
    async (request) => ownAppraisal(app.db, requirePrincipal(request), request.params.id),
  );

  app.post(
    '/api/appraisal/feedback/:id/responses',
    { schema: { tags, params: idParams, body: responseBody, response: { 201: createdResponse } } },
    async (request, reply) => {
      const id = await addResponse(app.db, requirePrincipal(request), request.params.id, request.body.text);
      return reply.status(201).send({ id });
    },
  );
};
