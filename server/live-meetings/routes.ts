import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { idParams } from '../../shared/schemas/common.ts';
import { liveMeetingsQuery, liveMeetingsResponse } from '../../shared/schemas/live-meetings.ts';
import { authorize } from '../access/principal.ts';
import { requirePrincipal } from '../auth/plugin.ts';

/**
 * GET /api/organizations/:id/live-meetings — the branch's meetings a host (live.host) may run live:
 * upcoming ones and those of the last `days` days, cancelled ones left out, each with whether its
 * live session is open and how many of its rounds are open. Another branch's secretary gets 404.
 */
export const liveMeetingRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/organizations/:id/live-meetings',
    {
      schema: {
        tags: ['live'],
        params: idParams,
        querystring: liveMeetingsQuery,
        response: { 200: liveMeetingsResponse },
      },
    },
    async (request) => {
      const scope = await authorize(app.db, requirePrincipal(request), 'live.host', request.params.id);
      const since = new Date(Date.now() - request.query.days * 24 * 3600_000);
      const rows = await app.db
        .selectFrom('meetings as m')
        .leftJoin('live_sessions as s', 's.meeting_id', 'm.id')
        .select((eb) => [
          'm.id',
          'm.title',
          'm.type',
          'm.status',
          'm.starts_at',
          's.open',
          eb
            .selectFrom('rounds as r')
            .select((r) => r.fn.countAll<number>().as('n'))
            .whereRef('r.meeting_id', '=', 'm.id')
            .as('rounds'),
          eb
            .selectFrom('rounds as r')
            .select((r) => r.fn.countAll<number>().as('n'))
            .whereRef('r.meeting_id', '=', 'm.id')
            .where('r.state', '=', 'open')
            .as('openRounds'),
        ])
        .where('m.organization_id', '=', scope.id)
        .where('m.status', '!=', 'cancelled')
        .where('m.starts_at', '>=', since)
        // A running session first, then by distance from now: today's meeting comes next.
        .orderBy('s.open', (ob) => ob.desc().nullsLast())
        .orderBy(sql`abs(extract(epoch from (m.starts_at - now())))`)
        .limit(100)
        .execute();
      return {
        meetings: rows.map((row) => ({
          id: row.id,
          title: row.title,
          type: row.type,
          status: row.status,
          startsAt: row.starts_at,
          live: {
            open: row.open ?? false,
            rounds: Number(row.rounds ?? 0),
            openRounds: Number(row.openRounds ?? 0),
          },
        })),
      };
    },
  );
};
