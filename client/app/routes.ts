import type { Route } from '../core/router.ts';

/**
 * Every page of the app. Elements load on first visit, so a member's phone downloads the meeting
 * view without the committee's charts.
 */
export const routes: Route[] = [
  { pattern: '/', tag: 'mj-home', load: () => import('../orgs/mj-home.ts') },
  { pattern: '/sign-in', tag: 'mj-sign-in', load: () => import('../auth/mj-sign-in.ts'), public: true },
  { pattern: '/setup', tag: 'mj-setup', load: () => import('../auth/mj-setup.ts'), public: true },
  { pattern: '/account', tag: 'mj-account', load: () => import('../auth/mj-account.ts') },
  { pattern: '/orgs/:orgId', tag: 'mj-org-page', load: () => import('../orgs/mj-org-page.ts') },
  {
    pattern: '/orgs/:orgId/rectification',
    tag: 'mj-rectification-list',
    load: () => import('../rectification/mj-rectification-list.ts'),
  },
  {
    pattern: '/rectification/:id',
    tag: 'mj-rectification-item',
    load: () => import('../rectification/mj-rectification-item.ts'),
  },
  {
    pattern: '/me/rectification',
    tag: 'mj-my-rectification',
    load: () => import('../rectification/mj-my-rectification.ts'),
  },
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
