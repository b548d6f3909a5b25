import multipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { translate } from '../../shared/i18n/index.ts';
import { acceptInvitationBody, invitationPreviewResponse } from '../../shared/schemas/auth.ts';
import { idParams, okResponse } from '../../shared/schemas/common.ts';
import {
  createdResponse,
  createExemptionBody,
  createMemberBody,
  importPreviewResponse,
  importRefusedResponse,
  importResultResponse,
  invitationCodeBody,
  issueInvitationsBody,
  issueInvitationsResponse,
  markLeftBody,
  memberResponse,
  rosterQuery,
  rosterResponse,
  templateQuery,
  updateMemberBody,
} from '../../shared/schemas/members.ts';
import { authorize } from '../access/principal.ts';
import { requirePrincipal } from '../auth/plugin.ts';
import { createSession, setSessionCookie } from '../auth/sessions.ts';
import { AppError, forbidden, RequestValidationError } from '../http/errors.ts';
import { requestLocale } from '../http/locale.ts';
import { markMemberLeft } from './departure.ts';
import { addExemption, findExemption, listExemptions, revokeExemption } from './exemptions.ts';
import { commitImport, previewImport, type Upload } from './import/service.ts';
import { rosterTemplateCsv, rosterTemplateXlsx } from './import/template.ts';
import { acceptInvitation, invitationSlips, issueInvitations, previewInvitation } from './invitations.ts';
import {
  authorizeBranch,
  authorizeMember,
  createMember,
  listPartyGroups,
  loadRosterRows,
  rosterAccess,
  rosterSummary,
  toRosterEntry,
  updateMember,
} from './roster.ts';

/** Roster files are small; 5 MB holds a few thousand rows of XLSX with room to spare. */
export const importFileLimitBytes = 5 * 1024 * 1024;

/**
 * The branch roster: members and their exemptions, invitations to create an account, and roster
 * import from the spreadsheets branches already keep.
 */
export const memberRoutes: FastifyPluginAsyncZod<{ publicUrl?: string }> = async (app, options) => {
  const tags = ['members'];
  await app.register(multipart, {
    limits: { fileSize: importFileLimitBytes, files: 1, fields: 5 },
  });

  app.get(
    '/api/organizations/:id/members',
    { schema: { tags, params: idParams, querystring: rosterQuery, response: { 200: rosterResponse } } },
    async (request) => {
      const principal = requirePrincipal(request);
      const branch = await authorizeBranch(app.db, principal, 'roster.view', request.params.id);
      const access = rosterAccess(principal, branch);
      const { status, partyGroupId } = request.query;
      const includeLeft = request.query.includeLeft === 'true';
      // Who left, and when, is part of the personal record.
      if (includeLeft && !access.details) throw forbidden();
      const [rows, partyGroups] = await Promise.all([
        loadRosterRows(app.db, { organizationId: branch.id, includeLeft }),
        listPartyGroups(app.db, branch.id),
      ]);
      const now = new Date();
      const entries = rows.map((row) => ({ row, entry: toRosterEntry(row, access.details, now) }));
      const current = entries.filter(({ row }) => row.left_at === null).map(({ entry }) => entry);
      return {
        organization: { id: branch.id, name: branch.name },
        access,
        partyGroups,
        summary: rosterSummary(current, access.details),
        members: entries
          .map(({ entry }) => entry)
          .filter(
            (e) => (!status || e.status === status) && (!partyGroupId || e.partyGroup?.id === partyGroupId),
          ),
      };
    },
  );

  app.post(
    '/api/organizations/:id/members',
    { schema: { tags, params: idParams, body: createMemberBody, response: { 201: createdResponse } } },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      const branch = await authorizeBranch(app.db, principal, 'members.manage', request.params.id);
      const id = await app.db
        .transaction()
        .execute((trx) => createMember(trx, branch.id, request.body, principal));
      return reply.status(201).send({ id });
    },
  );

  app.get(
    '/api/members/:id',
    { schema: { tags, params: idParams, response: { 200: memberResponse } } },
    async (request) => {
      const principal = requirePrincipal(request);
      const { member, scope } = await authorizeMember(app.db, principal, 'roster.view', request.params.id);
      const access = rosterAccess(principal, scope);
      // A plain member sees the current roster only, as in the list.
      if (member.left_at && !access.details) throw forbidden();
      const [row] = await loadRosterRows(app.db, {
        organizationId: scope.id,
        includeLeft: true,
        memberId: member.id,
      });
      return {
        ...toRosterEntry(row!, access.details, new Date()),
        organization: { id: scope.id, name: scope.name },
        access,
        ...(access.details ? { exemptions: await listExemptions(app.db, member.id) } : {}),
      };
    },
  );

  app.patch(
    '/api/members/:id',
    { schema: { tags, params: idParams, body: updateMemberBody, response: { 200: okResponse } } },
    async (request) => {
      const principal = requirePrincipal(request);
      const { member } = await authorizeMember(app.db, principal, 'members.manage', request.params.id);
      await app.db.transaction().execute((trx) => updateMember(trx, member, request.body, principal));
      return { ok: true as const };
    },
  );

  app.post(
    '/api/members/:id/departure',
    { schema: { tags, params: idParams, body: markLeftBody, response: { 200: okResponse } } },
    async (request) => {
      const principal = requirePrincipal(request);
      const { member } = await authorizeMember(app.db, principal, 'members.manage', request.params.id);
      await app.db.transaction().execute((trx) => markMemberLeft(trx, member, request.body, principal));
      return { ok: true as const };
    },
  );

  app.post(
    '/api/members/:id/exemptions',
    { schema: { tags, params: idParams, body: createExemptionBody, response: { 201: createdResponse } } },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      const { member } = await authorizeMember(app.db, principal, 'members.manage', request.params.id);
      const id = await app.db
        .transaction()
        .execute((trx) => addExemption(trx, member, request.body, principal));
      return reply.status(201).send({ id });
    },
  );

  app.post(
    '/api/exemptions/:id/revoke',
    { schema: { tags, params: idParams, response: { 200: okResponse } } },
    async (request) => {
      const principal = requirePrincipal(request);
      const exemption = await findExemption(app.db, request.params.id);
      await authorize(app.db, principal, 'members.manage', exemption.organization_id);
      await app.db.transaction().execute((trx) => revokeExemption(trx, exemption, principal));
      return { ok: true as const };
    },
  );

  app.post(
    '/api/organizations/:id/invitations',
    {
      schema: {
        tags,
        params: idParams,
        body: issueInvitationsBody,
        response: { 200: issueInvitationsResponse },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      const branch = await authorizeBranch(app.db, principal, 'members.manage', request.params.id);
      const issued = await app.db
        .transaction()
        .execute((trx) =>
          issueInvitations(trx, { branchId: branch.id, memberIds: request.body.memberIds }, principal),
        );
      const slips = await invitationSlips(
        issued,
        options.publicUrl ?? `${request.protocol}://${request.host}`,
      );
      return { organizationName: branch.name, slips };
    },
  );

  // Public: the person holding a slip has no account yet. Codes travel in bodies, never in paths.
  app.post(
    '/api/invitations/preview',
    {
      schema: { tags, body: invitationCodeBody, response: { 200: invitationPreviewResponse } },
      config: { rateLimit: { max: 30, timeWindow: '1 minute' } },
    },
    async (request) => previewInvitation(app.db, request.body.code),
  );

  app.post(
    '/api/invitations/accept',
    {
      schema: { tags, body: acceptInvitationBody, response: { 200: okResponse } },
      config: { rateLimit: { max: 10, timeWindow: '1 minute' } },
    },
    async (request, reply) => {
      const accountId = await app.db
        .transaction()
        .execute((trx) => acceptInvitation(trx, { ...request.body, locale: requestLocale(request) }));
      // Straight in: the person just proved they hold the slip and chose the password.
      setSessionCookie(reply, await createSession(app.db, accountId));
      return { ok: true as const };
    },
  );

  app.post(
    '/api/organizations/:id/members/import/preview',
    { schema: { tags, params: idParams, response: { 200: importPreviewResponse } } },
    async (request) => {
      const branch = await authorizeBranch(
        app.db,
        requirePrincipal(request),
        'members.manage',
        request.params.id,
      );
      return previewImport(app.db, branch.id, await readUpload(request));
    },
  );

  app.post(
    '/api/organizations/:id/members/import',
    {
      schema: { tags, params: idParams, response: { 200: importResultResponse, 400: importRefusedResponse } },
    },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      const branch = await authorizeBranch(app.db, principal, 'members.manage', request.params.id);
      const upload = await readUpload(request);
      const outcome = await app.db
        .transaction()
        .execute((trx) => commitImport(trx, branch.id, upload, principal));
      if (outcome.ok) return outcome.result;
      return reply.status(400).send({
        code: 'members.importInvalid',
        message: translate(requestLocale(request), 'error.members.importInvalid'),
        requestId: request.id,
        issues: outcome.issues,
      });
    },
  );

  app.get(
    '/api/members/import-template',
    { schema: { tags, querystring: templateQuery, produces: ['text/csv', 'application/octet-stream'] } },
    async (request, reply) => {
      requirePrincipal(request);
      const { format } = request.query;
      const locale = requestLocale(request);
      const body = format === 'csv' ? rosterTemplateCsv() : await rosterTemplateXlsx(locale);
      const name = translate(locale, 'members.template.fileName');
      return reply
        .type(
          format === 'csv'
            ? 'text/csv; charset=utf-8'
            : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        )
        .header(
          'content-disposition',
          `attachment; filename="roster-template.${format}"; filename*=UTF-8''${encodeURIComponent(`${name}.${format}`)}`,
        )
        .send(body);
    },
  );
};

/** The single file of a multipart upload; oversize files end in 413 through the error handler. */
async function readUpload(request: FastifyRequest): Promise<Upload> {
  if (!request.isMultipart()) throw new AppError('request.unsupportedMediaType', 415);
  const part = await request.file();
  if (!part) throw new RequestValidationError({ file: 'required' });
  return { fileName: part.filename, bytes: await part.toBuffer() };
}
