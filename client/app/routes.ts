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
  { pattern: '/j', tag: 'mj-join-page', load: () => import('../live/mj-join-page.ts'), public: true },
  { pattern: '/j/:code', tag: 'mj-join-page', load: () => import('../live/mj-join-page.ts'), public: true },
  {
    pattern: '/live/:meetingId',
    tag: 'mj-live-phone',
    load: () => import('../live/mj-live-phone.ts'),
    public: true,
    bare: true,
  },
  {
    pattern: '/live/:meetingId/projector',
    tag: 'mj-projector',
    load: () => import('../live/mj-projector.ts'),
    public: true,
    bare: true,
  },
  { pattern: '/meetings/:id/live', tag: 'mj-live-console', load: () => import('../live/mj-live-console.ts') },
  {
    pattern: '/orgs/:orgId/live',
    tag: 'mj-live-meetings',
    load: () => import('../live/mj-live-meetings.ts'),
  },
];
