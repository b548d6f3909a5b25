import type { Route } from '../core/router.ts';

/** The roster: members, the import wizard, printable invitation slips and accepting an invitation. */
export const memberRoutes: Route[] = [
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
