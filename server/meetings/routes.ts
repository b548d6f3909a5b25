import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { meetingTypesFor } from '../../shared/domain/meetings.ts';
import { idParams, okResponse } from '../../shared/schemas/common.ts';
import {
  attendanceBody,
  attendanceView as attendanceViewSchema,
  cancelMeetingBody,
  createMeetingBody,
  leaveDecisionBody,
  leaveRequestBody,
  leaveRequestView,
  meetingDetail as meetingDetailSchema,
  meetingListItem,
  meetingListQuery,
  meetingRosterResponse,
  meetingStatusBody,
  updateMeetingBody,
} from '../../shared/schemas/meetings.ts';
import { authorize, type Principal } from '../access/principal.ts';
import { requirePrincipal } from '../auth/plugin.ts';
import { loadMeeting } from './access.ts';
import { attendanceView, markAttendance } from './attendance.ts';
import { decideLeave, requestLeave, withdrawLeave } from './leave.ts';
import { observerCandidatesOf, rosterOf } from './roster.ts';
import {
  listMeetings,
  meetingDetail,
  meetingOrganization,
  moveMeeting,
  scheduleMeeting,
  updateMeeting,
} from './service.ts';

/** Scheduling, leave and attendance. Minutes live in server/minutes. */
export const meetingRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['meetings'];

  async function detailFor(principal: Principal, meetingId: string) {
    const { scope, capabilities } = await loadMeeting(app.db, principal, meetingId);
    return meetingDetail(app.db, meetingId, scope, capabilities, principal);
  }

  app.get(
    '/api/organizations/:id/meetings',
    {
      schema: {
        tags,
        params: idParams,
        querystring: meetingListQuery,
        response: { 200: z.array(meetingListItem) },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      const scope = await authorize(app.db, principal, 'meetings.view', request.params.id);
      return listMeetings(app.db, scope.id, request.query, principal);
    },
  );

  /** The people a schedule form chooses from, and the meeting types this organization may hold. */
  app.get(
    '/api/organizations/:id/meeting-roster',
    { schema: { tags, params: idParams, response: { 200: meetingRosterResponse } } },
    async (request) => {
      const scope = await authorize(app.db, requirePrincipal(request), 'meetings.manage', request.params.id);
      const org = await meetingOrganization(app.db, scope);
      const [members, observerCandidates] = await Promise.all([
        rosterOf(app.db, org),
        observerCandidatesOf(app.db, org),
      ]);
      return { members, observerCandidates, allowedTypes: meetingTypesFor(org) };
    },
  );

  app.post(
    '/api/organizations/:id/meetings',
    {
      schema: {
        tags,
        params: idParams,
        body: createMeetingBody,
        response: { 201: z.object({ id: z.uuid() }) },
      },
    },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      const scope = await authorize(app.db, principal, 'meetings.manage', request.params.id);
      const org = await meetingOrganization(app.db, scope);
      const id = await scheduleMeeting(app.db, org, request.body, principal);
      return reply.status(201).send({ id });
    },
  );

  app.get(
    '/api/meetings/:id',
    { schema: { tags, params: idParams, response: { 200: meetingDetailSchema } } },
    async (request) => detailFor(requirePrincipal(request), request.params.id),
  );

  app.patch(
    '/api/meetings/:id',
    { schema: { tags, params: idParams, body: updateMeetingBody, response: { 200: meetingDetailSchema } } },
    async (request) => {
      const principal = requirePrincipal(request);
      const { scope } = await loadMeeting(app.db, principal, request.params.id, 'canManage');
      const org = await meetingOrganization(app.db, scope);
      await updateMeeting(app.db, org, request.params.id, request.body, principal);
      return detailFor(principal, request.params.id);
    },
  );

  app.post(
    '/api/meetings/:id/cancel',
    { schema: { tags, params: idParams, body: cancelMeetingBody, response: { 200: meetingDetailSchema } } },
    async (request) => {
      const principal = requirePrincipal(request);
      await loadMeeting(app.db, principal, request.params.id, 'canManage');
      await moveMeeting(app.db, principal, request.params.id, 'cancelled', request.body.reason);
      return detailFor(principal, request.params.id);
    },
  );

  app.post(
    '/api/meetings/:id/status',
    { schema: { tags, params: idParams, body: meetingStatusBody, response: { 200: meetingDetailSchema } } },
    async (request) => {
      const principal = requirePrincipal(request);
      await loadMeeting(app.db, principal, request.params.id, 'canManage');
      await moveMeeting(app.db, principal, request.params.id, request.body.status);
      return detailFor(principal, request.params.id);
    },
  );

  app.post(
    '/api/meetings/:id/leave',
    { schema: { tags, params: idParams, body: leaveRequestBody, response: { 201: leaveRequestView } } },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      const { meeting } = await loadMeeting(app.db, principal, request.params.id);
      await authorize(app.db, principal, 'leave.request', meeting.organization_id);
      return reply.status(201).send(await requestLeave(app.db, principal, meeting, request.body));
    },
  );

  app.delete(
    '/api/leave-requests/:id',
    { schema: { tags, params: idParams, response: { 200: okResponse } } },
    async (request) => {
      await withdrawLeave(app.db, requirePrincipal(request), request.params.id);
      return { ok: true as const };
    },
  );

  app.post(
    '/api/leave-requests/:id/decision',
    { schema: { tags, params: idParams, body: leaveDecisionBody, response: { 200: leaveRequestView } } },
    async (request) => decideLeave(app.db, requirePrincipal(request), request.params.id, request.body),
  );

  app.get(
    '/api/meetings/:id/attendance',
    { schema: { tags, params: idParams, response: { 200: attendanceViewSchema } } },
    async (request) => {
      const { meeting, capabilities } = await loadMeeting(
        app.db,
        requirePrincipal(request),
        request.params.id,
        'canViewRecord',
      );
      return attendanceView(app.db, meeting, capabilities);
    },
  );

  app.put(
    '/api/meetings/:id/attendance',
    { schema: { tags, params: idParams, body: attendanceBody, response: { 200: attendanceViewSchema } } },
    async (request) => {
      const principal = requirePrincipal(request);
      const { meeting, capabilities } = await loadMeeting(app.db, principal, request.params.id, 'canRecord');
      await markAttendance(app.db, meeting, request.body, principal);
      return attendanceView(app.db, meeting, capabilities);
    },
  );
};
