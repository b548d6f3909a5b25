import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { sendError } from './error-handler.ts';
import { AppError } from './errors.ts';

const stateChanging = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** 180 days, without includeSubDomains: other hosts of the same domain may still be plain http. */
export const hstsMaxAgeSeconds = 180 * 24 * 3600;

/**
 * Security headers with a strict Content-Security-Policy, and an Origin check on every
 * state-changing API request: a browser always sends Origin on cross-site POSTs, so a mismatch
 * is a forged request even before SameSite cookies are considered.
 */
export const securityPlugin = fp(async (app: FastifyInstance, options: { publicUrl?: string }) => {
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // Lit uses constructable stylesheets; ECharts and our components set style attributes.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    // Branches often run Mingjing on plain http inside a LAN; HSTS there would lock them out. It is
    // sent below, only on responses that travel over HTTPS (where a browser heeds it).
    strictTransportSecurity: false,
    crossOriginEmbedderPolicy: false,
  });
  app.addHook('onRequest', async (request, reply) => {
    // request.protocol believes X-Forwarded-Proto only with TRUST_PROXY, so a client cannot ask for it.
    if (request.protocol === 'https')
      reply.header('strict-transport-security', `max-age=${hstsMaxAgeSeconds}`);
  });

  const allowedOrigin = options.publicUrl ? new URL(options.publicUrl).origin : undefined;
  app.addHook('onRequest', async (request, reply) => {
    if (!stateChanging.has(request.method) || !request.url.startsWith('/api/')) return;
    const origin = request.headers.origin;
    if (!origin) return; // not a browser (curl, tests, another server): cookies are not ambient there
    if (!isSameOrigin(origin, request.headers.host, allowedOrigin)) {
      return sendError(request, reply, new AppError('request.originRejected', 403));
    }
  });
});

export function isSameOrigin(origin: string, host: string | undefined, allowedOrigin?: string): boolean {
  if (allowedOrigin && origin === allowedOrigin) return true;
  if (!host) return false;
  try {
    // Through URL on both sides, so `example.org:80` (a Host header may name the default port)
    // and `http://example.org` (an Origin never does) are the same place.
    const from = new URL(origin);
    return from.host === new URL(`${from.protocol}//${host}`).host;
  } catch {
    return false;
  }
}
