import type { Route } from '../core/router.ts';

/** The rectification pages: the branch's 整改清单, an item, and a member's own items. */
export const rectificationRoutes: Route[] = [
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
];
