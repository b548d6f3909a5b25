import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { qualityRoutes } from './routes.ts';
import { QualityWorker, type QualityWorkerOptions } from './worker.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Scores queued meetings in the background; `drain()` scores what is queued now. */
    qualityWorker: QualityWorker;
  }
}

/**
 * The Meeting Quality Index on this node: its routes, and the worker that keeps stored scores up
 * to date, started when the app is ready and stopped (after its work in hand) when it closes.
 */
export const qualityPlugin = fp(async (app: FastifyInstance, options: { worker?: QualityWorkerOptions }) => {
  const worker = new QualityWorker(app.db, app.log, options.worker);
  app.decorate('qualityWorker', worker);
  app.addHook('onReady', async () => worker.start());
  app.addHook('onClose', async () => worker.stop());
  await app.register(qualityRoutes);
});
