import type { Route } from '../core/router.ts';

/**
 * The live meeting: joining by QR or code, the member's phone, the projector (both full screen and
 * reachable without an account — they authenticate on the socket), and the host console.
 */
export const liveRoutes: Route[] = [
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
