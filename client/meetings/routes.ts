import type { Route } from '../core/router.ts';

/** Meetings and their minutes, including the printable A4 minutes. */
export const meetingRoutes: Route[] = [
  {
    pattern: '/orgs/:orgId/meetings',
    tag: 'mj-meeting-list',
    load: () => import('../meetings/mj-meeting-list.ts'),
  },
  {
    pattern: '/orgs/:orgId/meetings/new',
    tag: 'mj-meeting-form',
    load: () => import('../meetings/mj-meeting-form.ts'),
  },
  { pattern: '/meetings/:id', tag: 'mj-meeting-page', load: () => import('../meetings/mj-meeting-page.ts') },
  {
    pattern: '/meetings/:id/edit',
    tag: 'mj-meeting-form',
    load: () => import('../meetings/mj-meeting-form.ts'),
  },
  {
    pattern: '/meetings/:id/attendance',
    tag: 'mj-attendance-page',
    load: () => import('../meetings/mj-attendance-page.ts'),
  },
  {
    pattern: '/meetings/:id/minutes',
    tag: 'mj-minutes-page',
    load: () => import('../minutes/mj-minutes-page.ts'),
  },
  {
    pattern: '/meetings/:id/minutes/print',
    tag: 'mj-minutes-print',
    load: () => import('../minutes/mj-minutes-print.ts'),
    bare: true,
  },
];
