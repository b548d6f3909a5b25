import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import QRCode from 'qrcode';
import { okResponse } from '../../shared/schemas/common.ts';
import {
  claimCodesBody,
  convertBody,
  convertResponse,
  createdResponse,
  createRoundBody,
  issuedCode,
  issuedCodesResponse,
  itemParams,
  liveSessionResponse,
  liveStateResponse,
  markAttendanceBody,
  meetingParams,
  memberParams,
  moderateBody,
  observerCodesBody,
  oralSummaryBody,
  passesResponse,
  phaseBody,
  projectorLinkResponse,
  rebindBody,
  revealItemsBody,
  roundParams,
  subjectParams,
  timerBody,
} from '../../shared/schemas/live-http.ts';
import { memberIdsIn, type Principal } from '../access/principal.ts';
import { type AuditEntry, type AuditInTransaction, actorOf, appendAudit } from '../audit/audit-log.ts';
import { requirePrincipal } from '../auth/plugin.ts';
import { conflict } from '../http/errors.ts';
import { authorizeMeeting } from '../meetings/access.ts';
import { markAttendanceIn } from '../meetings/attendance.ts';
import type { LiveContext } from './context.ts';
import {
  convertItem,
  convertSelfExamination,
  moderate,
  recordOralSelfExamination,
  revealItems,
  setPhase,
} from './criticism.ts';
import { recordEvent } from './events.ts';
import { issueClaimCodes, issueObserverCodes, listPasses, rebind } from './passes.ts';
import { closeRound, createRound, deleteRound, openRound, revealRound } from './rounds.ts';
import { closeSession, issueProjectorToken, openSession, setTimer } from './sessions.ts';
import { loadMeetingInfo, type MeetingInfo } from './views.ts';

/** The address people reach this server at: PUBLIC_URL, or what the host's browser used. */
export function publicBase(request: FastifyRequest, publicUrl: string | undefined): string {
  return (publicUrl ?? `${request.protocol}://${request.host}`).replace(/\/$/, '');
}

/**
 * The host's commands (live.host on the meeting's organization), as HTTP: each validates its input,
 * changes the database in one transaction with its event, and then tells the hub, which fans the
 * change out to every screen. The recorder may also record oral self-examinations and turn items
 * into problems.
 */
export const hostRoutes: FastifyPluginAsyncZod<{ ctx: LiveContext; publicUrl?: string }> = async (
  app,
  { ctx, publicUrl },
) => {
  const tags = ['live'];
  const { hub } = ctx;
  const announce = (meetingId: string, seq: number | null) => {
    if (seq !== null) hub.noteEvent(meetingId, seq);
  };
  const ok = { ok: true as const };

  /**
   * The host's action for the audit trail, appended in the action's own transaction: ids and codes
   * only — never a round's questions, an item's text or a rebind's reason.
   */
  const audited =
    (
      principal: Principal,
      meeting: MeetingInfo,
      action: string,
      details?: AuditEntry['details'],
    ): AuditInTransaction =>
    (trx, known) =>
      appendAudit(trx, {
        ...actorOf(principal),
        action,
        organizationId: meeting.organizationId,
        meetingId: meeting.id,
        details: { ...known, ...details },
      });

  async function asHost(
    request: FastifyRequest,
    meetingId: string,
  ): Promise<{ principal: Principal; meeting: MeetingInfo }> {
    const principal = requirePrincipal(request);
    await authorizeMeeting(app.db, principal, 'live.host', meetingId);
    return { principal, meeting: (await loadMeetingInfo(app.db, meetingId))! };
  }

  /** The host, or the meeting's recorder (记录人) for what recording involves. */
  async function asHostOrRecorder(request: FastifyRequest, meetingId: string) {
    try {
      return await asHost(request, meetingId);
    } catch (err) {
      const principal = requirePrincipal(request);
      const { meeting } = await authorizeMeeting(app.db, principal, 'meetings.view', meetingId);
      if (
        !meeting.recorder_member_id ||
        !memberIdsIn(principal, meeting.organization_id).includes(meeting.recorder_member_id)
      )
        throw err;
      return { principal, meeting: (await loadMeetingInfo(app.db, meetingId))! };
    }
  }

  async function sessionInfo(request: FastifyRequest, meetingId: string) {
    const session = await ctx.loader.session(app.db, meetingId);
    const code = session.open ? session.joinCode! : '';
    const joinUrl = code ? `${publicBase(request, publicUrl)}/j/${code}` : '';
    return {
      open: session.open,
      joinCode: code,
      joinUrl,
      qrSvg: joinUrl
        ? await QRCode.toString(joinUrl, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' })
        : '',
    };
  }

  app.get(
    '/api/meetings/:id/live',
    { schema: { tags, params: meetingParams, response: { 200: liveStateResponse } } },
    async (request) => {
      const { meeting } = await asHost(request, request.params.id);
      const snapshot = await app.db
        .transaction()
        .setIsolationLevel('repeatable read')
        .execute((trx) => ctx.loader.snapshot(trx, meeting, []));
      return { seq: snapshot.seq, state: snapshot.states.host };
    },
  );

  app.get(
    '/api/meetings/:id/live/session',
    { schema: { tags, params: meetingParams, response: { 200: liveSessionResponse } } },
    async (request) => {
      await asHost(request, request.params.id);
      return sessionInfo(request, request.params.id);
    },
  );

  app.post(
    '/api/meetings/:id/live/open',
    { schema: { tags, params: meetingParams, response: { 200: liveSessionResponse } } },
    async (request) => {
      const { principal, meeting } = await asHost(request, request.params.id);
      if (meeting.status === 'cancelled') throw conflict('live.meetingCancelled');
      const { seq } = await openSession(
        app.db,
        meeting.id,
        principal.accountId,
        audited(principal, meeting, 'live.opened'),
      );
      announce(meeting.id, seq);
      return sessionInfo(request, meeting.id);
    },
  );

  app.post(
    '/api/meetings/:id/live/close',
    { schema: { tags, params: meetingParams, response: { 200: liveSessionResponse } } },
    async (request) => {
      const { principal, meeting } = await asHost(request, request.params.id);
      announce(
        meeting.id,
        await closeSession(app.db, meeting.id, audited(principal, meeting, 'live.closed')),
      );
      return sessionInfo(request, meeting.id);
    },
  );

  app.post(
    '/api/meetings/:id/live/projector-link',
    { schema: { tags, params: meetingParams, response: { 200: projectorLinkResponse } } },
    async (request) => {
      const { principal, meeting } = await asHost(request, request.params.id);
      const token = await issueProjectorToken(
        app.db,
        meeting.id,
        audited(principal, meeting, 'live.projectorLinkIssued'),
      );
      // The previous link's screens are disconnected on every node.
      hub.noteCredentials(meeting.id);
      return { url: `${publicBase(request, publicUrl)}/live/${meeting.id}/projector#${token}` };
    },
  );

  app.get(
    '/api/meetings/:id/live/passes',
    { schema: { tags, params: meetingParams, response: { 200: passesResponse } } },
    async (request) => {
      const { meeting } = await asHost(request, request.params.id);
      return listPasses(app.db, meeting.id);
    },
  );

  app.post(
    '/api/meetings/:id/live/claim-codes',
    { schema: { tags, params: meetingParams, body: claimCodesBody, response: { 200: issuedCodesResponse } } },
    async (request) => {
      const { principal, meeting } = await asHost(request, request.params.id);
      return issueClaimCodes(
        app.db,
        meeting.id,
        request.body.memberIds,
        principal.accountId,
        audited(principal, meeting, 'live.claimCodesIssued'),
      );
    },
  );

  app.post(
    '/api/meetings/:id/live/observer-codes',
    {
      schema: {
        tags,
        params: meetingParams,
        body: observerCodesBody,
        response: { 200: issuedCodesResponse },
      },
    },
    async (request) => {
      const { principal, meeting } = await asHost(request, request.params.id);
      return issueObserverCodes(
        app.db,
        meeting.id,
        request.body.observerIds,
        principal.accountId,
        audited(principal, meeting, 'live.observerCodesIssued'),
      );
    },
  );

  app.post(
    '/api/meetings/:id/live/rebind',
    { schema: { tags, params: meetingParams, body: rebindBody, response: { 200: issuedCode } } },
    async (request) => {
      const { principal, meeting } = await asHost(request, request.params.id);
      const code = await rebind(
        app.db,
        meeting.id,
        request.body.memberId,
        request.body.reason,
        principal.accountId,
        audited(principal, meeting, 'live.passRebound', { memberId: request.body.memberId }),
      );
      hub.noteCredentials(meeting.id);
      return code;
    },
  );

  app.post(
    '/api/meetings/:id/live/rounds',
    { schema: { tags, params: meetingParams, body: createRoundBody, response: { 201: createdResponse } } },
    async (request, reply) => {
      const { principal, meeting } = await asHost(request, request.params.id);
      const { id, seq } = await createRound(
        app.db,
        meeting,
        request.body,
        principal.accountId,
        audited(principal, meeting, 'round.created', { kind: request.body.config.kind }),
      );
      announce(meeting.id, seq);
      return reply.status(201).send({ id });
    },
  );

  app.delete(
    '/api/meetings/:id/live/rounds/:roundId',
    { schema: { tags, params: roundParams, response: { 200: okResponse } } },
    async (request) => {
      const { principal, meeting } = await asHost(request, request.params.id);
      const { roundId } = request.params;
      announce(
        meeting.id,
        await deleteRound(
          app.db,
          meeting.id,
          roundId,
          audited(principal, meeting, 'round.deleted', { roundId }),
        ),
      );
      return ok;
    },
  );

  app.post(
    '/api/meetings/:id/live/rounds/:roundId/open',
    { schema: { tags, params: roundParams, response: { 200: okResponse } } },
    async (request) => {
      const { principal, meeting } = await asHost(request, request.params.id);
      const { roundId } = request.params;
      announce(
        meeting.id,
        await openRound(app.db, meeting, roundId, audited(principal, meeting, 'round.opened', { roundId })),
      );
      return ok;
    },
  );

  app.post(
    '/api/meetings/:id/live/rounds/:roundId/close',
    { schema: { tags, params: roundParams, response: { 200: okResponse } } },
    async (request) => {
      const { principal, meeting } = await asHost(request, request.params.id);
      const { roundId } = request.params;
      announce(
        meeting.id,
        await closeRound(
          app.db,
          meeting.id,
          roundId,
          audited(principal, meeting, 'round.closed', { roundId }),
        ),
      );
      return ok;
    },
  );

  app.post(
    '/api/meetings/:id/live/rounds/:roundId/reveal',
    { schema: { tags, params: roundParams, response: { 200: okResponse } } },
    async (request) => {
      const { principal, meeting } = await asHost(request, request.params.id);
      const { roundId } = request.params;
      announce(
        meeting.id,
        await revealRound(
          app.db,
          meeting.id,
          roundId,
          audited(principal, meeting, 'round.revealed', { roundId }),
        ),
      );
      return ok;
    },
  );

  app.post(
    '/api/meetings/:id/live/rounds/:roundId/subjects/:subjectId/phase',
    { schema: { tags, params: subjectParams, body: phaseBody, response: { 200: okResponse } } },
    async (request) => {
      const { principal, meeting } = await asHost(request, request.params.id);
      const { roundId, subjectId } = request.params;
      const { phase } = request.body;
      announce(
        meeting.id,
        await setPhase(
          app.db,
          meeting.id,
          roundId,
          subjectId,
          phase,
          audited(principal, meeting, 'criticism.phaseChanged', { roundId, subjectId, phase }),
        ),
      );
      return ok;
    },
  );

  app.post(
    '/api/meetings/:id/live/rounds/:roundId/subjects/:subjectId/self-examination',
    { schema: { tags, params: subjectParams, body: oralSummaryBody, response: { 200: okResponse } } },
    async (request) => {
      const { meeting } = await asHostOrRecorder(request, request.params.id);
      const { roundId, subjectId } = request.params;
      announce(
        meeting.id,
        await recordOralSelfExamination(app.db, meeting.id, roundId, subjectId, request.body.summary),
      );
      return ok;
    },
  );

  app.post(
    '/api/meetings/:id/live/rounds/:roundId/subjects/:subjectId/reveal',
    { schema: { tags, params: subjectParams, body: revealItemsBody, response: { 200: okResponse } } },
    async (request) => {
      const { principal, meeting } = await asHost(request, request.params.id);
      const { roundId, subjectId } = request.params;
      const { mode } = request.body;
      announce(
        meeting.id,
        await revealItems(
          app.db,
          meeting.id,
          roundId,
          subjectId,
          mode,
          audited(principal, meeting, 'criticism.revealed', { roundId, subjectId, mode }),
        ),
      );
      return ok;
    },
  );

  app.post(
    '/api/meetings/:id/live/rounds/:roundId/subjects/:subjectId/problem',
    { schema: { tags, params: subjectParams, body: convertBody, response: { 200: convertResponse } } },
    async (request) => {
      const { principal, meeting } = await asHostOrRecorder(request, request.params.id);
      const { roundId, subjectId } = request.params;
      return convertSelfExamination(app.db, meeting, roundId, subjectId, request.body, principal.accountId);
    },
  );

  app.post(
    '/api/meetings/:id/live/rounds/:roundId/items/:itemId/moderate',
    { schema: { tags, params: itemParams, body: moderateBody, response: { 200: okResponse } } },
    async (request) => {
      const { principal, meeting } = await asHost(request, request.params.id);
      const { roundId, itemId } = request.params;
      const { action } = request.body;
      announce(
        meeting.id,
        await moderate(
          app.db,
          meeting.id,
          roundId,
          itemId,
          action,
          audited(principal, meeting, 'criticism.moderated', { roundId, itemId, action }),
        ),
      );
      return ok;
    },
  );

  app.post(
    '/api/meetings/:id/live/rounds/:roundId/items/:itemId/problem',
    { schema: { tags, params: itemParams, body: convertBody, response: { 200: convertResponse } } },
    async (request) => {
      const { principal, meeting } = await asHostOrRecorder(request, request.params.id);
      const { roundId, itemId } = request.params;
      const { seq, ...ids } = await convertItem(
        app.db,
        meeting,
        roundId,
        itemId,
        request.body,
        principal.accountId,
      );
      announce(meeting.id, seq);
      return ids;
    },
  );

  app.put(
    '/api/meetings/:id/live/timer',
    { schema: { tags, params: meetingParams, body: timerBody, response: { 200: okResponse } } },
    async (request) => {
      const { meeting } = await asHost(request, request.params.id);
      announce(meeting.id, await setTimer(app.db, meeting.id, request.body));
      return ok;
    },
  );

  app.delete(
    '/api/meetings/:id/live/timer',
    { schema: { tags, params: meetingParams, response: { 200: okResponse } } },
    async (request) => {
      const { meeting } = await asHost(request, request.params.id);
      announce(meeting.id, await setTimer(app.db, meeting.id, null));
      return ok;
    },
  );

  app.put(
    '/api/meetings/:id/live/attendance/:memberId',
    { schema: { tags, params: memberParams, body: markAttendanceBody, response: { 200: okResponse } } },
    async (request) => {
      const { principal, meeting } = await asHost(request, request.params.id);
      const { status, note, reason } = request.body;
      // The same rules as the attendance sheet (cancelled meeting, the minutes lock and its reason,
      // the audit trail), plus the live event, in one transaction.
      const seq = await app.db.transaction().execute(async (trx) => {
        const row = await trx
          .selectFrom('meetings')
          .selectAll()
          .where('id', '=', meeting.id)
          .executeTakeFirstOrThrow();
        await markAttendanceIn(
          trx,
          row,
          { entries: [{ memberId: request.params.memberId, status, note }], reason },
          principal,
        );
        return recordEvent(trx, meeting.id, 'attendance');
      });
      announce(meeting.id, seq);
      return ok;
    },
  );
};
