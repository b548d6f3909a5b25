import multipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  evidenceContentTypes,
  inlineEvidenceTypes,
  maxEvidenceFileBytes,
  shanghaiDate,
} from '../../shared/domain/rectification.ts';
import { fieldErrorsFromZod } from '../../shared/errors.ts';
import { idParams, okResponse } from '../../shared/schemas/common.ts';
import {
  actionBody,
  createdProblemResponse,
  createdResponse,
  createProblemBody,
  evidenceBody,
  evidenceParams,
  itemBody,
  itemDetail,
  itemListResponse,
  itemQuery,
  myItemsResponse,
  problemBody,
  problemQuery,
  problemRow,
  publishBody,
  rectificationOptions,
  reviewBody,
} from '../../shared/schemas/rectification.ts';
import { authorize, can } from '../access/principal.ts';
import { requirePrincipal } from '../auth/plugin.ts';
import type { Db } from '../db/schema.ts';
import { AppError, badRequest, notFound, RequestValidationError } from '../http/errors.ts';
import {
  authorizeItem,
  authorizeProblem,
  type ItemAccess,
  itemRights,
  requireEvidenceRights,
  requireManage,
} from './access.ts';
import {
  itemEvidence,
  itemHistory,
  itemSummary,
  listItems,
  listOwnItems,
  listProblems,
  rectificationChoices,
  verifierName,
} from './queries.ts';
import {
  addEvidence,
  addItemToProblem,
  applyAction,
  createProblemWithItem,
  deleteProblem,
  markReviewed,
  type NewEvidence,
  publishItems,
  removeEvidence,
  updateItem,
  updateProblem,
} from './service.ts';

/** Today in the branch's calendar; overdue is judged against it on every read. */
const today = () => shanghaiDate(new Date());

async function describeItem(db: Db, access: ItemAccess) {
  const day = today();
  const [summary, evidence, events, verifiedBy] = await Promise.all([
    itemSummary(db, access.item.id, day),
    itemEvidence(db, access.item.id, access.item.evidence),
    itemHistory(db, access.item.id),
    verifierName(db, access.item.verified_by),
  ]);
  return {
    ...summary,
    ownerMemberId: access.item.owner_member_id,
    completionNote: access.item.completion_note,
    cancelledReason: access.item.cancelled_reason,
    verifiedBy,
    evidence,
    events,
    today: day,
    rights: itemRights(access),
  };
}

/** Problems (查摆问题), rectification items (整改事项) and their evidence, history and 公示. */
export const rectificationRoutes: FastifyPluginAsyncZod = async (app) => {
  // Scoped to this plugin: only the evidence upload below accepts multipart bodies.
  await app.register(multipart, {
    limits: { fileSize: maxEvidenceFileBytes, files: 1, fields: 4, parts: 5 },
  });
  const tags = ['rectification'];

  app.get(
    '/api/organizations/:id/problems',
    { schema: { tags, params: idParams, querystring: problemQuery, response: { 200: z.array(problemRow) } } },
    async (request) => {
      const scope = await authorize(
        app.db,
        requirePrincipal(request),
        'rectification.view',
        request.params.id,
      );
      return listProblems(app.db, scope.id, request.query, today());
    },
  );

  app.post(
    '/api/organizations/:id/problems',
    {
      schema: { tags, params: idParams, body: createProblemBody, response: { 201: createdProblemResponse } },
    },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      const scope = await authorize(app.db, principal, 'rectification.manage', request.params.id);
      const created = await createProblemWithItem(app.db, scope.id, request.body, principal.accountId);
      return reply.status(201).send(created);
    },
  );

  app.put(
    '/api/problems/:id',
    { schema: { tags, params: idParams, body: problemBody, response: { 200: okResponse } } },
    async (request) => {
      const { problem } = await authorizeProblem(
        app.db,
        requirePrincipal(request),
        'rectification.manage',
        request.params.id,
      );
      await updateProblem(app.db, problem, request.body);
      return { ok: true as const };
    },
  );

  app.delete(
    '/api/problems/:id',
    { schema: { tags, params: idParams, response: { 200: okResponse } } },
    async (request) => {
      const { problem } = await authorizeProblem(
        app.db,
        requirePrincipal(request),
        'rectification.manage',
        request.params.id,
      );
      await deleteProblem(app.db, problem.id);
      return { ok: true as const };
    },
  );

  app.post(
    '/api/problems/:id/items',
    { schema: { tags, params: idParams, body: itemBody, response: { 201: createdResponse } } },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      const { problem } = await authorizeProblem(
        app.db,
        principal,
        'rectification.manage',
        request.params.id,
      );
      const id = await addItemToProblem(app.db, problem.id, request.body, principal.accountId);
      return reply.status(201).send({ id });
    },
  );

  app.get(
    '/api/organizations/:id/rectification/items',
    { schema: { tags, params: idParams, querystring: itemQuery, response: { 200: itemListResponse } } },
    async (request) => {
      const scope = await authorize(
        app.db,
        requirePrincipal(request),
        'rectification.view',
        request.params.id,
      );
      return listItems(app.db, scope.id, request.query, today());
    },
  );

  app.get(
    '/api/organizations/:id/rectification/options',
    { schema: { tags, params: idParams, response: { 200: rectificationOptions } } },
    async (request) => {
      const principal = requirePrincipal(request);
      const scope = await authorize(app.db, principal, 'rectification.view', request.params.id);
      return {
        ...(await rectificationChoices(app.db, scope.id)),
        canManage: can(principal, 'rectification.manage', scope.ancestry),
      };
    },
  );

  app.post(
    '/api/organizations/:id/rectification/publish',
    { schema: { tags, params: idParams, body: publishBody, response: { 200: okResponse } } },
    async (request) => {
      const principal = requirePrincipal(request);
      const scope = await authorize(app.db, principal, 'rectification.manage', request.params.id);
      await publishItems(app.db, scope.id, request.body.itemIds, request.body.scope, principal);
      return { ok: true as const };
    },
  );

  /** The signed-in member's own items across their branches: their phone's to-do list. */
  app.get(
    '/api/me/rectification',
    { schema: { tags, response: { 200: myItemsResponse } } },
    async (request) => listOwnItems(app.db, requirePrincipal(request).accountId, today()),
  );

  app.get(
    '/api/rectification/items/:id',
    { schema: { tags, params: idParams, response: { 200: itemDetail } } },
    async (request) =>
      describeItem(app.db, await authorizeItem(app.db, requirePrincipal(request), request.params.id)),
  );

  app.put(
    '/api/rectification/items/:id',
    { schema: { tags, params: idParams, body: itemBody, response: { 200: okResponse } } },
    async (request) => {
      const principal = requirePrincipal(request);
      const access = await authorizeItem(app.db, principal, request.params.id);
      requireManage(access);
      await updateItem(app.db, access.item.id, request.body, principal.accountId);
      return { ok: true as const };
    },
  );

  /** Start, complete, send back, verify or cancel; answers with the item as it now stands. */
  app.post(
    '/api/rectification/items/:id/actions',
    { schema: { tags, params: idParams, body: actionBody, response: { 200: itemDetail } } },
    async (request) => {
      const principal = requirePrincipal(request);
      const access = await authorizeItem(app.db, principal, request.params.id);
      await applyAction(app.db, access, principal, request.body.action, request.body.note);
      return describeItem(app.db, await authorizeItem(app.db, principal, request.params.id));
    },
  );

  app.put(
    '/api/rectification/items/:id/review',
    { schema: { tags, params: idParams, body: reviewBody, response: { 200: okResponse } } },
    async (request) => {
      const principal = requirePrincipal(request);
      const access = await authorizeItem(app.db, principal, request.params.id);
      await markReviewed(app.db, access, request.body.meetingId, principal);
      return { ok: true as const };
    },
  );

  app.post(
    '/api/rectification/items/:id/evidence',
    { schema: { tags, params: idParams, body: evidenceBody, response: { 201: createdResponse } } },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      const access = await authorizeItem(app.db, principal, request.params.id);
      const id = await addEvidence(app.db, access, principal.accountId, request.body);
      return reply.status(201).send({ id });
    },
  );

  /** A file with its description, as multipart/form-data: fields `description`, `link` (optional) and `file`. */
  app.post(
    '/api/rectification/items/:id/evidence/file',
    {
      schema: {
        tags,
        params: idParams,
        consumes: ['multipart/form-data'],
        response: { 201: createdResponse },
      },
    },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      const access = await authorizeItem(app.db, principal, request.params.id);
      // Refuse before reading: someone without the right should not get to stream 10 MB at us.
      requireEvidenceRights(access);
      const evidence = await readEvidenceUpload(request);
      const id = await addEvidence(app.db, access, principal.accountId, evidence);
      return reply.status(201).send({ id });
    },
  );

  app.delete(
    '/api/rectification/items/:id/evidence/:evidenceId',
    { schema: { tags, params: evidenceParams, response: { 200: okResponse } } },
    async (request) => {
      const principal = requirePrincipal(request);
      const access = await authorizeItem(app.db, principal, request.params.id);
      await removeEvidence(app.db, access, principal.accountId, request.params.evidenceId);
      return { ok: true as const };
    },
  );

  app.get(
    '/api/rectification/attachments/:id',
    { schema: { tags, params: idParams } },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      const file = await app.db
        .selectFrom('rectification_attachments')
        .select(['item_id', 'file_name', 'content_type', 'data'])
        .where('id', '=', request.params.id)
        .executeTakeFirst();
      if (!file) throw notFound();
      await authorizeItem(app.db, principal, file.item_id);
      const disposition = inlineEvidenceTypes.includes(file.content_type) ? 'inline' : 'attachment';
      return reply
        .type(file.content_type)
        .header('content-disposition', contentDisposition(disposition, file.file_name))
        .header('cache-control', 'private, no-store')
        .send(file.data);
    },
  );
};

/** Reads the upload's parts in whatever order the browser sent them, validating like a JSON body. */
async function readEvidenceUpload(request: FastifyRequest): Promise<NewEvidence> {
  if (!request.isMultipart()) throw new RequestValidationError({ file: 'required' });
  const fields: Record<string, string> = {};
  let file: NewEvidence['file'];
  for await (const part of request.parts()) {
    if (part.type === 'file') {
      const data = await part.toBuffer().catch((err: { code?: string }) => {
        // Point at the field, so the form can say which input was too big.
        if (err.code === 'FST_REQ_FILE_TOO_LARGE')
          throw new AppError('request.tooLarge', 413, { file: 'fileTooLarge' });
        throw err;
      });
      if (part.fieldname !== 'file') throw new RequestValidationError({ [part.fieldname]: 'unknownField' });
      file = { name: cleanFileName(part.filename), contentType: part.mimetype, data };
    } else {
      fields[part.fieldname] = String(part.value);
    }
  }
  const parsed = evidenceBody.safeParse(fields);
  if (!parsed.success) throw new RequestValidationError(fieldErrorsFromZod(parsed.error.issues));
  if (!file || file.data.length === 0) throw new RequestValidationError({ file: 'required' });
  if (!(evidenceContentTypes as readonly string[]).includes(file.contentType))
    throw badRequest('rectification.fileTypeNotAllowed', { file: 'fileType' });
  return { ...parsed.data, file };
}

/** The last path segment, without control characters, at most 200 characters. */
function cleanFileName(name: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  const base = (name.split(/[\\/]/).pop() ?? '').replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return base.slice(-200) || 'file';
}

/** RFC 6266: an ASCII fallback for old clients and the exact UTF-8 name (Chinese file names) for the rest. */
function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
