import type { FastifyRequest } from 'fastify';
import type { AttendanceStatus, Locale } from '../../shared/domain/enums.ts';
import type { ClientMessage, LiveRole } from '../../shared/schemas/live.ts';
import { authorize } from '../access/principal.ts';
import { hashToken } from '../auth/secrets.ts';
import { AppError } from '../http/errors.ts';
import { requestLocale } from '../http/locale.ts';
import type { LiveContext } from './context.ts';
import { wsError } from './errors.ts';
import { passByToken } from './passes.ts';
import type { ParticipantRef } from './presence.ts';
import { loadMeetingInfo, type MeetingInfo } from './views.ts';

type Hello = Extract<ClientMessage, { type: 'hello' }>;

export interface Identity {
  meeting: MeetingInfo;
  role: LiveRole;
  participant: (ParticipantRef & { name: string }) | null;
  passId: string | null;
  projectorTokenHash: string | null;
  locale: Locale;
  /** A member's attendance after the check-in (a host's excused or absent stands). */
  attendance?: AttendanceStatus;
}

/** Thrown for a device binding or projector link the host revoked: the socket closes with 4003. */
export class RevokedError extends AppError {
  constructor() {
    super('live.revoked', 403);
  }
}

/**
 * Hellos arriving together share one read of the meeting (and its rubric's k): a plenary fills in
 * seconds, and thousands of identical reads would queue for the pool. Only reads in flight are
 * shared; the next hello after one completes reads again.
 */
const meetingReads = new WeakMap<object, Map<string, Promise<MeetingInfo | undefined>>>();
function sharedMeetingInfo(ctx: LiveContext, meetingId: string): Promise<MeetingInfo | undefined> {
  const reads = meetingReads.get(ctx.db) ?? new Map<string, Promise<MeetingInfo | undefined>>();
  meetingReads.set(ctx.db, reads);
  let read = reads.get(meetingId);
  if (!read) {
    read = loadMeetingInfo(ctx.db, meetingId).finally(() => reads.delete(meetingId));
    reads.set(meetingId, read);
  }
  return read;
}

/**
 * Who is on the other end of a socket, from its hello: a signed-in member invited to the meeting, a
 * host (live.host on the meeting's organization), a phone holding a claimed device token, an
 * observer, or the projector. Members and observers join only an open session; a member's first
 * hello checks them in.
 */
export async function authenticate(
  ctx: LiveContext,
  request: FastifyRequest,
  hello: Hello,
): Promise<Identity> {
  const meeting = await sharedMeetingInfo(ctx, hello.meetingId);
  if (!meeting) throw wsError('resource.notFound');
  const principal = request.principal;
  const locale = hello.locale ?? principal?.locale ?? requestLocale(request);
  const base = { meeting, passId: null, projectorTokenHash: null, locale };
  const auth = hello.auth;
  let identity: Identity;
  switch (auth.kind) {
    case 'session': {
      if (!principal) throw wsError('auth.required');
      const member =
        auth.as === 'host'
          ? undefined
          : await ctx.db
              .selectFrom('members as m')
              .innerJoin('meeting_invitees as i', 'i.member_id', 'm.id')
              .select(['m.id', 'm.full_name'])
              .where('i.meeting_id', '=', meeting.id)
              .where('m.account_id', '=', principal.accountId)
              .where('m.left_at', 'is', null)
              .executeTakeFirst();
      if (member) {
        identity = {
          ...base,
          role: 'member',
          participant: { kind: 'member', id: member.id, name: member.full_name },
        };
        break;
      }
      try {
        await authorize(ctx.db, principal, 'live.host', meeting.organizationId);
      } catch (err) {
        if (auth.as === 'host') throw err;
        throw wsError('live.notInvited');
      }
      identity = { ...base, role: 'host', participant: null };
      break;
    }
    case 'device':
    case 'observer': {
      const kind = auth.kind === 'device' ? 'member' : 'observer';
      const pass = await passByToken(ctx.db, meeting.id, auth.token, kind);
      if (!pass) throw wsError('live.tokenInvalid');
      if (pass.revoked) throw new RevokedError();
      if (kind === 'member') {
        const invited = await ctx.db
          .selectFrom('meeting_invitees')
          .select('member_id')
          .where('meeting_id', '=', meeting.id)
          .where('member_id', '=', pass.id)
          .executeTakeFirst();
        if (!invited) throw wsError('live.notInvited');
      }
      identity = {
        ...base,
        role: kind,
        participant: { kind, id: pass.id, name: pass.name },
        passId: pass.passId,
      };
      break;
    }
    case 'projector': {
      const session = await ctx.db
        .selectFrom('live_sessions')
        .select('projector_token_hash')
        .where('meeting_id', '=', meeting.id)
        .executeTakeFirst();
      const tokenHash = hashToken(auth.token);
      if (!session || session.projector_token_hash !== tokenHash) throw wsError('live.tokenInvalid');
      identity = { ...base, role: 'projector', participant: null, projectorTokenHash: tokenHash };
      break;
    }
  }
  if (identity.participant) {
    const session = await ctx.loader.session(ctx.db, meeting.id);
    if (!session.open) throw wsError('live.notOpen');
    if (identity.participant.kind === 'member') {
      identity.attendance = await ctx.checkIns.checkIn(meeting.id, identity.participant.id);
    }
  }
  return identity;
}
