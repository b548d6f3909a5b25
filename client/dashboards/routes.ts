import type { Route } from '../core/router.ts';

/** Quality dashboards: a branch's page, a committee's desk, its printable quarterly report and access log. */
export const dashboardRoutes: Route[] = [
  {
    pattern: '/orgs/:orgId/dashboard',
    tag: 'mj-branch-dashboard',
    load: () => import('./mj-branch-dashboard.ts'),
  },
  {
    pattern: '/orgs/:orgId/committee-dashboard',
    tag: 'mj-committee-dashboard',
    load: () => import('./mj-committee-dashboard.ts'),
  },
  {
    pattern: '/orgs/:orgId/quarterly-report',
    tag: 'mj-quarterly-report',
    load: () => import('./mj-quarterly-report.ts'),
    bare: true,
  },
  {
    pattern: '/orgs/:orgId/dashboard-access-log',
    tag: 'mj-access-log',
    load: () => import('./mj-access-log.ts'),
  },
];
