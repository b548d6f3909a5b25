import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import QRCode from 'qrcode';
import { claimResponse, codeBody, joinQrParams, joinResolution } from '../../shared/schemas/live-http.ts';
import { normalizeHumanCode } from '../auth/secrets.ts';
import { AppError } from '../http/errors.ts';
import type { LiveContext } from './context.ts';
import { publicBase } from './host-routes.ts';
import { claim } from './passes.ts';

/**
 * What a phone may do before it is anyone: look up a join code (meeting title and branch, nothing
 * about people), exchange a one-time code for a device token. Codes travel in POST bodies (never
 * in URLs, which end up in logs) and lookups are rate-limited per address.
 */
export const publicRoutes: FastifyPluginAsyncZod<{ ctx: LiveContext; publicUrl?: string }> = async (
  app,
  { ctx, publicUrl },
) => {
  const tags = ['live'];
  // Per address, and a whole venue's phones often share one (NAT): a plenary of thousands on the
  // hall's Wi-Fi must get in within minutes, while guessing stays hopeless — claim codes have 50
  // bits and expire, so at this rate finding one of 5,000 issued codes takes a century per address;
  // a join code only names a meeting shown on the wall.
  const claimLimit = { rateLimit: { max: 3000, timeWindow: '1 minute' } };
  const joinLimit = { rateLimit: { max: 6000, timeWindow: '1 minute' } };

  app.post(
    '/api/live/join',
    { schema: { tags, body: codeBody, response: { 200: joinResolution } }, config: joinLimit },
    async (request) => {
      const meeting = await app.db
        .selectFrom('live_sessions as s')
        .innerJoin('meetings as m', 'm.id', 's.meeting_id')
        .innerJoin('organizations as o', 'o.id', 'm.organization_id')
        .select(['m.id', 'm.title', 'o.name', 's.open'])
        .where('s.open', '=', true)
        .where('s.join_code', '=', normalizeHumanCode(request.body.code))
        .executeTakeFirst();
      if (!meeting) throw new AppError('live.codeInvalid', 404);
      return {
        meetingId: meeting.id,
        title: meeting.title,
        organizationName: meeting.name,
        open: meeting.open,
      };
    },
  );

  for (const [path, kind] of [
    ['/api/live/claim', 'member'],
    ['/api/live/observe', 'observer'],
  ] as const) {
    app.post(
      path,
      { schema: { tags, body: codeBody, response: { 200: claimResponse } }, config: claimLimit },
      async (request) => {
        const claimed = await claim(app.db, request.body.code, kind);
        if (!claimed) throw new AppError('live.codeInvalid', 404);
        if (claimed.seq !== null) ctx.hub.noteEvent(claimed.meetingId, claimed.seq);
        return { meetingId: claimed.meetingId, token: claimed.token, name: claimed.name };
      },
    );
  }

  /** The QR code of a join address. Pure rendering, no lookup: it tells nobody whether a code exists. */
  app.get('/api/live/qr/:code', { schema: { tags, params: joinQrParams } }, async (request, reply) => {
    const svg = await QRCode.toString(`${publicBase(request, publicUrl)}/j/${request.params.code}`, {
      type: 'svg',
      margin: 1,
      errorCorrectionLevel: 'M',
    });
    return reply.type('image/svg+xml').header('cache-control', 'public, max-age=3600').send(svg);
  });
};
