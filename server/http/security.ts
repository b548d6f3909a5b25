import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { sendError } from './error-handler.ts';
import { AppError } from './errors.ts';

const stateChanging = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

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
    // Branches often run Mingjing on plain http inside a LAN; HSTS there would lock them out.
    strictTransportSecurity: false,
    crossOriginEmbedderPolicy: false,
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
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}
