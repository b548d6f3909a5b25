import { appraisalRoutes } from '../appraisal/routes.ts';
import type { Route } from '../core/router.ts';
import { dashboardRoutes } from '../dashboards/routes.ts';
import { liveRoutes } from '../live/routes.ts';
import { meetingRoutes } from '../meetings/routes.ts';
import { memberRoutes } from '../members/routes.ts';
import { qualityRoutes } from '../quality/routes.ts';
import { rectificationRoutes } from '../rectification/routes.ts';

/**
 * Every page of the app: the shell's own pages here, each feature's in its folder's routes.ts.
 * Elements load on first visit, so a member's phone downloads the meeting view without the
 * committee's charts.
 */
const shellRoutes: Route[] = [
  { pattern: '/', tag: 'mj-home', load: () => import('../orgs/mj-home.ts') },
  { pattern: '/sign-in', tag: 'mj-sign-in', load: () => import('../auth/mj-sign-in.ts'), public: true },
  { pattern: '/setup', tag: 'mj-setup', load: () => import('../auth/mj-setup.ts'), public: true },
  { pattern: '/account', tag: 'mj-account', load: () => import('../auth/mj-account.ts') },
  { pattern: '/orgs/:orgId', tag: 'mj-org-page', load: () => import('../orgs/mj-org-page.ts') },
];

export const routes: Route[] = [
  ...shellRoutes,
  ...memberRoutes,
  ...meetingRoutes,
  ...rectificationRoutes,
  ...liveRoutes,
  ...dashboardRoutes,
  ...appraisalRoutes,
  ...qualityRoutes,
];
