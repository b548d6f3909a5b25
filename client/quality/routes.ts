import type { Route } from '../core/router.ts';

/** A meeting's quality score with its explanation, and the committee's rubric editor. */
export const qualityRoutes: Route[] = [
  {
    pattern: '/meetings/:id/quality',
    tag: 'mj-meeting-quality',
    load: () => import('../quality/mj-meeting-quality.ts'),
  },
  {
    pattern: '/orgs/:orgId/quality-rubric',
    tag: 'mj-rubric-editor',
    load: () => import('../quality/mj-rubric-editor.ts'),
  },
];
