import type { Route } from '../core/router.ts';

/**
 * The appraisal after the ballot: the committee's determination sheet, dispositions and the
 * printable report upward; the list of a branch's (or a committee's) appraisals; a member's own
 * results and responses.
 */
export const appraisalRoutes: Route[] = [
  {
    pattern: '/orgs/:orgId/appraisals',
    tag: 'mj-appraisal-list',
    load: () => import('../appraisal/mj-appraisal-list.ts'),
  },
  {
    pattern: '/meetings/:id/appraisal',
    tag: 'mj-appraisal-sheet',
    load: () => import('../appraisal/mj-appraisal-sheet.ts'),
  },
  {
    pattern: '/meetings/:id/appraisal/report',
    tag: 'mj-appraisal-report',
    load: () => import('../appraisal/mj-appraisal-report.ts'),
    bare: true,
  },
  {
    pattern: '/appraisal/dispositions/:id',
    tag: 'mj-disposition',
    load: () => import('../appraisal/mj-disposition.ts'),
  },
  {
    pattern: '/me/appraisal',
    tag: 'mj-my-appraisals',
    load: () => import('../appraisal/mj-my-appraisals.ts'),
  },
  {
    pattern: '/me/appraisal/:id',
    tag: 'mj-my-appraisal',
    load: () => import('../appraisal/mj-my-appraisal.ts'),
  },
];
