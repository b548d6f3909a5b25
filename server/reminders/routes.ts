import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { shanghaiDate } from '../../shared/domain/rectification.ts';
import { remindersResponse } from '../../shared/schemas/reminders.ts';
import { requirePrincipal } from '../auth/plugin.ts';
import { remindersFor } from './reminders.ts';

/** The home page's reminders (提醒), computed on every read so they are never stale. */
export const reminderRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/me/reminders',
    { schema: { tags: ['reminders'], response: { 200: remindersResponse } } },
    async (request) => {
      const now = new Date();
      return remindersFor(app.db, requirePrincipal(request), now, shanghaiDate(now));
    },
  );
};
