import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyServerOptions } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { appraisalRoutes } from './appraisal/routes.ts';
import { auditRoutes } from './audit/routes.ts';
import { authPlugin } from './auth/plugin.ts';
import { authRoutes } from './auth/routes.ts';
import { dashboardRoutes } from './dashboards/routes.ts';
import type { DB } from './db/schema.ts';
import { registerErrorHandling, routerErrorHandler } from './http/error-handler.ts';
import { AppError } from './http/errors.ts';
import { securityPlugin } from './http/security.ts';
import { zodValidatorCompiler } from './http/validation.ts';
import type { LiveBus } from './live/bus.ts';
import { liveRoutes } from './live/routes.ts';
import { liveMeetingRoutes } from './live-meetings/routes.ts';
import { meetingRoutes } from './meetings/routes.ts';
import { memberRoutes } from './members/routes.ts';
import { minutesRoutes } from './minutes/routes.ts';
import { organizationRoutes } from './orgs/routes.ts';
import { qualityPlugin } from './quality/plugin.ts';
import type { QualityWorkerOptions } from './quality/worker.ts';
import { rectificationRoutes } from './rectification/routes.ts';
import { reminderRoutes } from './reminders/routes.ts';

declare module 'fastify' {
  interface FastifyInstance {
    db: Kysely<DB>;
  }
}

export interface AppOptions {
  db: Kysely<DB>;
  sessionSecret: string;
  publicUrl?: string;
  /** pino options, or false in tests that want silence. */
  logger?: FastifyServerOptions['logger'];
  trustProxy?: boolean;
  /** The built client (vite build output); served with an SPA fallback when present. */
  clientDir?: string;
  /** Live-event bus between app nodes; by default PgNotifyBus when databaseUrl is set, else in-process. */
  bus?: LiveBus;
  /** The PostgreSQL shared by several nodes (DATABASE_URL); unset for the embedded database. */
  databaseUrl?: string;
  /** The quality worker's pace (tests speed it up). */
  qualityWorker?: QualityWorkerOptions;
}

/** JSON bodies above this are refused with 413 before parsing; file uploads set their own limits. */
export const bodyLimitBytes = 1024 * 1024;

/**
 * Builds the whole application as a Fastify instance without listening (server/main.ts listens;
 * tests call inject()). Plugins first (framework, then ours), then one plugin per feature.
 */
export async function buildApp(options: AppOptions) {
  const app = Fastify({
    logger: options.logger ?? false,
    trustProxy: options.trustProxy ?? false,
    bodyLimit: bodyLimitBytes,
    frameworkErrors: routerErrorHandler,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w-]{8,64}$/.test(given) ? given : randomUUID();
    },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(zodValidatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('db', options.db);
  const serveClient = !!options.clientDir && existsSync(path.join(options.clientDir, 'index.html'));
  registerErrorHandling(app, serveClient);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  await app.register(cookie, { secret: options.sessionSecret });
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: () => new AppError('request.rateLimited', 429),
  });
  await app.register(securityPlugin, { publicUrl: options.publicUrl });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Mingjing API',
        description: '明镜 — democratic review for Party branches',
        version: '1',
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, {
    routePrefix: '/api/docs',
    staticCSP: true,
    // Same reason as in security.ts: plain-http LAN deployments must keep working.
    transformStaticCSP: (header) => header.replace(/upgrade-insecure-requests;?/, ''),
  });
  await app.register(authPlugin);

  app.get('/healthz', { schema: { hide: true } }, async (_request, reply) => {
    try {
      await sql`select 1`.execute(options.db);
      return { status: 'ok', database: 'ok' };
    } catch {
      return reply.status(503).send({ status: 'degraded', database: 'unreachable' });
    }
  });

  await app.register(authRoutes);
  await app.register(organizationRoutes);
  await app.register(auditRoutes);
  await app.register(rectificationRoutes);
  await app.register(meetingRoutes);
  await app.register(minutesRoutes);
  await app.register(memberRoutes, { publicUrl: options.publicUrl });
  await app.register(reminderRoutes);
  await app.register(appraisalRoutes);
  await app.register(liveRoutes, {
    publicUrl: options.publicUrl,
    bus: options.bus,
    databaseUrl: options.databaseUrl,
  });
  await app.register(liveMeetingRoutes);
  await app.register(dashboardRoutes);
  await app.register(qualityPlugin, { worker: options.qualityWorker });

  if (serveClient) {
    await app.register(fastifyStatic, {
      root: path.resolve(options.clientDir!),
      wildcard: false,
      index: false,
    });
  }

  return app;
}

export type App = Awaited<ReturnType<typeof buildApp>>;
