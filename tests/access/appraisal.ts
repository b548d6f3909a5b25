import { shanghaiDate } from '../../shared/domain/calendar.ts';
import { insertAppraisal, insertDisposition } from '../support/appraisal-fixtures.ts';
import { branchCommitteeOnly, type MatrixWorld, type Place, type RouteAccess } from './matrix.ts';

/**
 * The appraisal after the ballot. The sheet (with the ballot distributions), feedback and
 * dispositions belong to the branch committee alone — its superiors and the operator get 403, as
 * for anything they can see exists but may not touch. The report and the list of appraisals are
 * for the committee and the organizations above it. A member's own feedback answers to that member
 * only; to everyone else it does not exist. Every cell acts on fresh records in the place's
 * organization.
 */

const branchCommittee = branchCommitteeOnly;

/** The report upward: the branch committee and the superior organization's staff. */
const reportReaders = `
      admin:     403 403 403 404
      viewer:    ok  ok  ok  404
      secretary: ok  404 404 404
      member:    403 404 404 404
      observer:  403 404 404 404
      anonymous: 401 401 401 401`;

/** The member's own feedback: the `member` actor's in their own branch, nobody else's anywhere. */
const ownerOnly = `
      admin:     404 404 404 404
      viewer:    404 404 404 404
      secretary: 404 404 404 404
      member:    ok  404 404 404
      observer:  404 404 404 404
      anonymous: 401 401 401 401`;

const anyoneSignedIn = `
      admin:     ok  ok  ok  ok
      viewer:    ok  ok  ok  ok
      secretary: ok  ok  ok  ok
      member:    ok  ok  ok  ok
      observer:  ok  ok  ok  ok
      anonymous: 401 401 401 401`;

const today = () => shanghaiDate(new Date());

/** In the actor's own branch the graded member is memberA1 (the `member` actor); elsewhere a new one. */
const gradedIn = (world: MatrixWorld, place: Place) =>
  place === 'own' ? world.membersA[0]!.memberId : undefined;

const onAppraisal =
  (path: string, body?: unknown, options: { grade?: 'qualified'; feedback?: boolean } = {}) =>
  async (world: MatrixWorld, org: { id: string }, place: Place) => {
    const seeded = await insertAppraisal(world.db, org.id, { memberId: gradedIn(world, place), ...options });
    return {
      url: `/api/meetings/${seeded.meetingId}/appraisal${path.replace(':memberId', seeded.memberId)}`,
      ...(body === undefined ? {} : { body: typeof body === 'function' ? body(seeded.memberId) : body }),
    };
  };

const onDisposition =
  (
    stage: Parameters<typeof insertDisposition>[2],
    path: string,
    body?: (generalMeetingId: string) => unknown,
  ) =>
  async (world: MatrixWorld, org: { id: string }) => {
    const seeded = await insertDisposition(world.db, org.id, stage);
    return {
      url: `/api/appraisal/dispositions/${seeded.dispositionId}${path.replace(':stepId', seeded.stepId ?? '')}`,
      ...(body ? { body: body(seeded.generalMeetingId) } : {}),
    };
  };

const onOwnFeedback =
  (path: string, body?: unknown) => async (world: MatrixWorld, org: { id: string }, place: Place) => {
    const seeded = await insertAppraisal(world.db, org.id, {
      memberId:
        place === 'own'
          ? world.membersA[0]!.memberId
          : place === 'sibling'
            ? world.memberB.memberId
            : undefined,
      grade: 'qualified',
      feedback: true,
    });
    return {
      url: `/api/appraisal/feedback/${seeded.feedbackId}${path}`,
      ...(body === undefined ? {} : { body }),
    };
  };

export const appraisalAccess: RouteAccess[] = [
  {
    route: 'GET /api/organizations/:id/appraisals',
    target: (_w, org) => ({ url: `/api/organizations/${org.id}/appraisals` }),
    expect: reportReaders,
  },
  {
    route: 'GET /api/meetings/:id/appraisal',
    target: onAppraisal(''),
    expect: branchCommittee,
  },
  {
    route: 'PUT /api/meetings/:id/appraisal/determinations',
    target: onAppraisal('/determinations', (memberId: string) => ({
      determinations: [{ memberId, grade: 'qualified' }],
    })),
    expect: branchCommittee,
  },
  {
    route: 'PUT /api/meetings/:id/appraisal/members/:memberId/feedback',
    target: onAppraisal(
      '/members/:memberId/feedback',
      { givenOn: today(), method: 'talk' },
      { grade: 'qualified' },
    ),
    expect: branchCommittee,
  },
  {
    route: 'GET /api/meetings/:id/appraisal/report',
    target: onAppraisal('/report'),
    expect: reportReaders,
  },
  {
    route: 'POST /api/meetings/:id/appraisal/report',
    target: onAppraisal('/report', {}, { grade: 'qualified' }),
    expect: branchCommittee,
  },
  {
    route: 'GET /api/appraisal/dispositions/:id',
    target: onDisposition('opened', ''),
    expect: branchCommittee,
  },
  {
    route: 'PUT /api/appraisal/dispositions/:id/education',
    target: onDisposition('opened', '/education', () => ({ startedOn: today(), measures: '谈心谈话' })),
    expect: branchCommittee,
  },
  {
    route: 'POST /api/appraisal/dispositions/:id/steps',
    target: onDisposition('educated', '/steps', (meetingId) => ({
      kind: 'removal',
      meetingId,
      yes: 1,
      no: 0,
      abstain: 0,
    })),
    expect: branchCommittee,
  },
  {
    route: 'PUT /api/appraisal/dispositions/:id/steps/:stepId/approval',
    target: onDisposition('awaitingApproval', '/steps/:stepId/approval', () => ({
      decision: 'approved',
      approverOrganization: '上级党委',
      approverName: '组织部',
      decidedOn: today(),
    })),
    expect: branchCommittee,
  },
  {
    route: 'POST /api/appraisal/dispositions/:id/close',
    target: onDisposition('approvedRemoval', '/close', () => ({ outcome: 'removed', closedOn: today() })),
    expect: branchCommittee,
  },
  {
    route: 'GET /api/me/appraisals',
    target: () => ({ url: '/api/me/appraisals' }),
    expect: anyoneSignedIn,
  },
  {
    route: 'GET /api/appraisal/feedback/:id',
    target: onOwnFeedback(''),
    expect: ownerOnly,
  },
  {
    route: 'POST /api/appraisal/feedback/:id/responses',
    target: onOwnFeedback('/responses', { text: '我对评定结果没有异议。' }),
    expect: ownerOnly,
  },
];
