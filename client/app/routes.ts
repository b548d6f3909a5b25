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
    pattern: '/orgs/:orgId/members',
    tag: 'mj-roster-page',
    load: () => import('../members/mj-roster-page.ts'),
  },
  {
    pattern: '/orgs/:orgId/members/new',
    tag: 'mj-member-new',
    load: () => import('../members/mj-member-new.ts'),
  },
  { pattern: '/members/:id', tag: 'mj-member-page', load: () => import('../members/mj-member-page.ts') },
  {
    pattern: '/orgs/:orgId/members/import',
    tag: 'mj-roster-import',
    load: () => import('../members/mj-roster-import.ts'),
  },
  {
    pattern: '/orgs/:orgId/invitations/print',
    tag: 'mj-invitation-slips',
    load: () => import('../members/mj-invitation-slips.ts'),
    bare: true,
  },
  { pattern: '/invite', tag: 'mj-invite', load: () => import('../members/mj-invite.ts'), public: true },
];
