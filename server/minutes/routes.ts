import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { attachmentMaxBytes } from '../../shared/domain/meetings.ts';
import { fieldErrorsFromZod } from '../../shared/errors.ts';
import { idParams, okResponse } from '../../shared/schemas/common.ts';
import {
  attachmentCreated,
  attachmentDeleteQuery,
  attachmentParams,
  attachmentUploadFields,
  minutesView as minutesViewSchema,
  saveMinutesBody,
  signMinutesBody,
} from '../../shared/schemas/minutes.ts';
import type { Principal } from '../access/principal.ts';
import { requirePrincipal } from '../auth/plugin.ts';
import { RequestValidationError } from '../http/errors.ts';
import { loadMeeting } from '../meetings/access.ts';
import { addAttachment, contentDisposition, readAttachment, removeAttachment } from './attachments.ts';
import { minutesView, saveMinutes, signMinutes } from './service.ts';

/** The minutes (会议记录): reading, writing, sign-off, amendments and attachments. */
export const minutesRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['minutes'];
  // Registered in this scope only: no other route accepts multipart bodies.
  await app.register(multipart, {
    limits: { fileSize: attachmentMaxBytes, files: 1, fields: 4, parts: 5, fieldSize: 4096 },
  });

  async function viewFor(principal: Principal, meetingId: string) {
    const { meeting, scope, capabilities } = await loadMeeting(app.db, principal, meetingId, 'canViewRecord');
    return minutesView(app.db, meeting, scope.name, capabilities);
  }

  app.get(
    '/api/meetings/:id/minutes',
    { schema: { tags, params: idParams, response: { 200: minutesViewSchema } } },
    async (request) => viewFor(requirePrincipal(request), request.params.id),
  );

  app.put(
    '/api/meetings/:id/minutes',
    { schema: { tags, params: idParams, body: saveMinutesBody, response: { 200: minutesViewSchema } } },
    async (request) => {
      const principal = requirePrincipal(request);
      const { meeting } = await loadMeeting(app.db, principal, request.params.id, 'canRecord');
      await saveMinutes(app.db, meeting, request.body, principal);
      return viewFor(principal, request.params.id);
    },
  );

  app.post(
    '/api/meetings/:id/minutes/sign',
    { schema: { tags, params: idParams, body: signMinutesBody, response: { 200: minutesViewSchema } } },
    async (request) => {
      const principal = requirePrincipal(request);
      await loadMeeting(app.db, principal, request.params.id);
      await signMinutes(app.db, principal, request.params.id, request.body.as);
      return viewFor(principal, request.params.id);
    },
  );

  /**
   * One file per request (multipart field `file`, ≤ 10 MB), optionally preceded by a `reason` field,
   * which locked minutes require. The body is read only after the caller is authorized.
   */
  app.post(
    '/api/meetings/:id/minutes/attachments',
    {
      schema: {
        tags,
        params: idParams,
        consumes: ['multipart/form-data'],
        response: { 201: attachmentCreated },
      },
    },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      const { meeting } = await loadMeeting(app.db, principal, request.params.id, 'canRecord');
      const fields: Record<string, string> = {};
      let file: { fileName: string; data: Buffer } | undefined;
      const unknownFiles: Record<string, string> = {};
      for await (const part of request.parts()) {
        if (part.type === 'field') {
          fields[part.fieldname] = String(part.value);
          continue;
        }
        // Every file part is read to its end (the parser waits for it), even one we refuse.
        const data = await part.toBuffer();
        if (part.fieldname === 'file') file = { fileName: part.filename, data };
        else unknownFiles[part.fieldname] = 'unknownField';
      }
      if (Object.keys(unknownFiles).length) throw new RequestValidationError(unknownFiles);
      const parsed = attachmentUploadFields.safeParse(fields);
      if (!parsed.success) throw new RequestValidationError(fieldErrorsFromZod(parsed.error.issues));
      if (!file) throw new RequestValidationError({ file: 'required' });
      const id = await addAttachment(app.db, meeting, file, parsed.data.reason, principal);
      return reply.status(201).send({ id });
    },
  );

  /** The file itself, as an attachment, with the type we recognised on upload. */
  app.get(
    '/api/meetings/:id/minutes/attachments/:attachmentId',
    { schema: { tags, params: attachmentParams } },
    async (request, reply) => {
      await loadMeeting(app.db, requirePrincipal(request), request.params.id, 'canViewRecord');
      const file = await readAttachment(app.db, request.params.id, request.params.attachmentId);
      return reply
        .type(file.content_type)
        .header('content-disposition', contentDisposition(file.file_name))
        .header('cache-control', 'private, no-store')
        .send(file.data);
    },
  );

  app.delete(
    '/api/meetings/:id/minutes/attachments/:attachmentId',
    {
      schema: {
        tags,
        params: attachmentParams,
        querystring: attachmentDeleteQuery,
        response: { 200: okResponse },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      const { meeting } = await loadMeeting(app.db, principal, request.params.id, 'canRecord');
      await removeAttachment(app.db, meeting, request.params.attachmentId, request.query.reason, principal);
      return { ok: true as const };
    },
  );
};
