import { effectiveRubric } from '../../server/quality/rubrics.ts';
import { hoursFromNow } from '../support/meetings.ts';
import { insertMeeting } from '../support/rectification-fixtures.ts';
import type { MatrixWorld, RouteAccess } from './matrix.ts';

/**
 * The quality index: a meeting's score is read as its minutes are; the texts behind the
 * originality flags only by those who keep the record; the rubric is read wherever dashboards are
 * and published only by a committee's staff, at the committee.
 */

/** A fresh held 党课 in the place. */
const heldMeeting = (w: MatrixWorld, org: { id: string }) =>
  insertMeeting(w.db, org.id, '矩阵测试党课', new Date(hoursFromNow(-48)), { type: 'partyLecture' });

const readers = `
      admin:     ok  ok  ok  404
      viewer:    ok  ok  ok  404
      secretary: ok  404 404 404
      member:    403 404 404 404
      observer:  403 404 404 404
      anonymous: 401 401 401 401`;

export const qualityAccess: RouteAccess[] = [
  {
    route: 'GET /api/meetings/:id/quality',
    target: async (w, org) => ({ url: `/api/meetings/${await heldMeeting(w, org)}/quality` }),
    expect: readers,
  },
  {
    route: 'GET /api/meetings/:id/quality/originality',
    target: async (w, org) => ({ url: `/api/meetings/${await heldMeeting(w, org)}/quality/originality` }),
    expect: `
      admin:     403 403 403 404
      viewer:    403 403 403 404
      secretary: ok  404 404 404
      member:    403 404 404 404
      observer:  403 404 404 404
      anonymous: 401 401 401 401`,
  },
  {
    route: 'GET /api/organizations/:id/quality-rubric',
    target: (_w, org) => ({ url: `/api/organizations/${org.id}/quality-rubric` }),
    expect: readers,
  },
  {
    route: 'POST /api/organizations/:id/quality-rubrics',
    // An unchanged copy of the rubric in force, published as its next version.
    target: async (w, org) => {
      const inForce = await effectiveRubric(w.db, org.ancestry);
      const { version: _version, ...rubric } = inForce.rubric;
      return {
        url: `/api/organizations/${org.id}/quality-rubrics`,
        body: { baseRubricId: inForce.id, rubric },
      };
    },
    expect: `
      admin:     403 403 ok  404
      viewer:    403 403 ok  404
      secretary: 403 404 404 404
      member:    403 404 404 404
      observer:  403 404 404 404
      anonymous: 401 401 401 401`,
  },
];
