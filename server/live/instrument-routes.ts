import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { idParams } from '../../shared/schemas/common.ts';
import { instrumentResponse, publishInstrumentBody } from '../../shared/schemas/live-http.ts';
import { authorize } from '../access/principal.ts';
import { requirePrincipal } from '../auth/plugin.ts';
import { effectiveInstrument, publishInstrument } from './instruments.ts';

/**
 * The satisfaction survey's questions as data: any organization's effective version, and a new
 * version published by a committee (rubric.manage) for its subtree. Earlier versions stay, so every
 * survey round keeps the questions its ballots answered.
 */
export const instrumentRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['live'];

  app.get(
    '/api/organizations/:id/survey-instrument',
    { schema: { tags, params: idParams, response: { 200: instrumentResponse } } },
    async (request) => {
      const scope = await authorize(app.db, requirePrincipal(request), 'org.view', request.params.id);
      return effectiveInstrument(app.db, scope.ancestry);
    },
  );

  app.post(
    '/api/organizations/:id/survey-instruments',
    {
      schema: { tags, params: idParams, body: publishInstrumentBody, response: { 201: instrumentResponse } },
    },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      const scope = await authorize(app.db, principal, 'rubric.manage', request.params.id);
      const instrument = await app.db
        .transaction()
        .execute((trx) => publishInstrument(trx, scope.id, request.body, principal.accountId));
      return reply.status(201).send(instrument);
    },
  );
};
