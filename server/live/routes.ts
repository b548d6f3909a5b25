import websocket from '@fastify/websocket';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { maxFrameBytes } from '../../shared/schemas/live.ts';
import { sendError } from '../http/error-handler.ts';
import { AppError } from '../http/errors.ts';
import { isSameOrigin } from '../http/security.ts';
import { BallotWriter } from './ballots.ts';
import { InProcessBus, type LiveBus, PgNotifyBus } from './bus.ts';
import { LiveConnection } from './connection.ts';
import type { LiveContext } from './context.ts';
import { hostRoutes } from './host-routes.ts';
import { LiveHub } from './hub.ts';
import { instrumentRoutes } from './instrument-routes.ts';
import { publicRoutes } from './public-routes.ts';
import { ResultsCache } from './results.ts';
import { CheckInWriter } from './sessions.ts';
import { ViewLoader } from './views.ts';

export interface LiveOptions {
  publicUrl?: string;
  /** Injected bus (tests, another engine); otherwise PgNotifyBus when databaseUrl is set, else in-process. */
  bus?: LiveBus;
  /** The shared PostgreSQL of several nodes; unset for the embedded single node. */
  databaseUrl?: string;
}

/** Dead sockets (a phone that left the Wi-Fi) are found by ping and dropped. */
const heartbeatMs = 30_000;

/**
 * Live meetings: the websocket endpoint /api/live/ws (docs/protocol.md), the host's commands under
 * /api/meetings/:id/live, the public join/claim routes and the survey instruments.
 */
export const liveRoutes: FastifyPluginAsyncZod<LiveOptions> = async (app, options) => {
  const bus =
    options.bus ?? (options.databaseUrl ? new PgNotifyBus(options.databaseUrl, app.log) : new InProcessBus());
  const loader = new ViewLoader(new ResultsCache(), options.publicUrl);
  const hub = new LiveHub(app.db, bus, loader, app.log);
  const writer = new BallotWriter(
    app.db,
    (meetingIds) => {
      for (const id of meetingIds) hub.noteProgress(id);
    },
    app.log,
  );
  const checkIns = new CheckInWriter(app.db, (meetingId, seq) => hub.noteEvent(meetingId, seq));
  const ctx: LiveContext = { db: app.db, hub, writer, checkIns, loader, log: app.log };
  const connections = new Set<LiveConnection>();

  await app.register(websocket, {
    options: { maxPayload: maxFrameBytes, perMessageDeflate: false },
    // Graceful shutdown: every socket learns the server is going away (1001) and reconnects elsewhere.
    preClose: (done) => {
      for (const conn of connections) conn.close(1001, 'server shutting down');
      for (const client of app.websocketServer.clients) client.close(1001, 'server shutting down');
      done();
    },
  });
  await hub.start();
  const heartbeat = setInterval(() => {
    for (const conn of connections) conn.heartbeat();
  }, heartbeatMs);
  heartbeat.unref();
  app.addHook('onClose', async () => {
    clearInterval(heartbeat);
    await writer.drain();
    await checkIns.drain();
    await hub.stop();
  });

  const allowedOrigin = options.publicUrl ? new URL(options.publicUrl).origin : undefined;
  app.get(
    '/api/live/ws',
    {
      websocket: true,
      // Browsers send Origin on every websocket; a page elsewhere must not ride on the member's cookie.
      onRequest: async (request, reply) => {
        const origin = request.headers.origin;
        if (origin && !isSameOrigin(origin, request.headers.host, allowedOrigin))
          return sendError(request, reply, new AppError('request.originRejected', 403));
      },
    },
    (socket, request) => {
      const conn = new LiveConnection(ctx, socket, request, (gone) => connections.delete(gone));
      connections.add(conn);
    },
  );

  await app.register(hostRoutes, { ctx, publicUrl: options.publicUrl });
  await app.register(publicRoutes, { ctx, publicUrl: options.publicUrl });
  await app.register(instrumentRoutes);
};
