import {
  insertEvidenceFile,
  insertItem,
  insertMeeting,
  insertProblem,
  multipart,
} from '../support/rectification-fixtures.ts';
import { branchCommitteeOnly, type MatrixWorld, type Place, type RouteAccess } from './matrix.ts';

/**
 * Problems and rectification items. Items in the actor's own branch belong to the `member` actor
 * (memberA1), so that row shows what an owner may do; items in the sibling branch belong to its
 * member, and items elsewhere answer to a unit. Every cell acts on its own fresh problem or item.
 */

/** Reading the branch's records: its committee, and the superior organization's staff and operator. */
const branchReaders = `
      admin:     ok  ok  ok  404
      viewer:    ok  ok  ok  404
      secretary: ok  404 404 404
      member:    403 404 404 404
      observer:  403 404 404 404
      anonymous: 401 401 401 401`;

/** Changing the branch's records: only its own committee (支委); superiors read but never edit. */
const branchCommittee = branchCommitteeOnly;

/** One item: the readers above, plus its owner. */
const itemReaders = `
      admin:     ok  ok  ok  404
      viewer:    ok  ok  ok  404
      secretary: ok  404 404 404
      member:    ok  404 404 404
      observer:  403 404 404 404
      anonymous: 401 401 401 401`;

/** Moving an item forward and documenting it: the owner and the branch committee. */
const ownerOrCommittee = `
      admin:     403 403 403 404
      viewer:    403 403 403 404
      secretary: ok  404 404 404
      member:    ok  404 404 404
      observer:  403 404 404 404
      anonymous: 401 401 401 401`;

/** The signed-in person's own lists: the same for every place. */
const anyoneSignedIn = `
      admin:     ok  ok  ok  ok
      viewer:    ok  ok  ok  ok
      secretary: ok  ok  ok  ok
      member:    ok  ok  ok  ok
      observer:  ok  ok  ok  ok
      anonymous: 401 401 401 401`;

function ownerIn(world: MatrixWorld, place: Place): string | null {
  if (place === 'own') return world.membersA[0]!.memberId;
  if (place === 'sibling') return world.memberB.memberId;
  return null;
}

/** A fresh open item in the place's organization, owned as described above. */
const freshItem = (world: MatrixWorld, org: { id: string }, place: Place) =>
  insertItem(world.db, org.id, { ownerMemberId: ownerIn(world, place) });

/** A request to a fresh item: `/api/rectification/items/<id><path>`, with an optional JSON body. */
const onFreshItem =
  (path = '', body?: unknown) =>
  async (world: MatrixWorld, org: { id: string }, place: Place) => ({
    url: `/api/rectification/items/${await freshItem(world, org, place)}${path}`,
    ...(body === undefined ? {} : { body }),
  });

const branchProblem = { scope: 'branch', description: '组织生活不够严肃', source: 'self' };
const unitItem = { measures: '每月按时召开支委会', ownerUnit: '支部委员会' };

export const rectificationAccess: RouteAccess[] = [
  {
    route: 'GET /api/organizations/:id/problems',
    target: (_w, org) => ({ url: `/api/organizations/${org.id}/problems` }),
    expect: branchReaders,
  },
  {
    route: 'POST /api/organizations/:id/problems',
    target: (_w, org) => ({ url: `/api/organizations/${org.id}/problems`, body: branchProblem }),
    expect: branchCommittee,
  },
  {
    route: 'PUT /api/problems/:id',
    target: async (w, org) => ({
      url: `/api/problems/${await insertProblem(w.db, org.id)}`,
      body: branchProblem,
    }),
    expect: branchCommittee,
  },
  {
    route: 'DELETE /api/problems/:id',
    target: async (w, org) => ({ url: `/api/problems/${await insertProblem(w.db, org.id)}` }),
    expect: branchCommittee,
  },
  {
    route: 'POST /api/problems/:id/items',
    target: async (w, org) => ({
      url: `/api/problems/${await insertProblem(w.db, org.id)}/items`,
      body: unitItem,
    }),
    expect: branchCommittee,
  },
  {
    route: 'GET /api/organizations/:id/rectification/items',
    target: (_w, org) => ({ url: `/api/organizations/${org.id}/rectification/items` }),
    expect: branchReaders,
  },
  {
    route: 'GET /api/organizations/:id/rectification/options',
    target: (_w, org) => ({ url: `/api/organizations/${org.id}/rectification/options` }),
    expect: branchReaders,
  },
  {
    route: 'POST /api/organizations/:id/rectification/publish',
    target: async (w, org, place) => ({
      url: `/api/organizations/${org.id}/rectification/publish`,
      body: { itemIds: [await freshItem(w, org, place)], scope: 'branch' },
    }),
    expect: branchCommittee,
  },
  {
    route: 'GET /api/me/rectification',
    target: () => ({ url: '/api/me/rectification' }),
    expect: anyoneSignedIn,
  },
  {
    route: 'GET /api/me/reminders',
    target: () => ({ url: '/api/me/reminders' }),
    expect: anyoneSignedIn,
  },
  {
    route: 'GET /api/rectification/items/:id',
    target: onFreshItem(),
    expect: itemReaders,
  },
  {
    route: 'PUT /api/rectification/items/:id',
    target: onFreshItem('', unitItem),
    expect: branchCommittee,
  },
  {
    route: 'POST /api/rectification/items/:id/actions',
    target: onFreshItem('/actions', { action: 'start' }),
    expect: ownerOrCommittee,
  },
  {
    route: 'PUT /api/rectification/items/:id/review',
    // A later meeting of the same organization, so the 回头看 itself is valid wherever it is allowed.
    target: async (w, org, place) => {
      const itemId = await freshItem(w, org, place);
      const meetingId = await insertMeeting(w.db, org.id, '回头看', new Date(Date.now() + 86_400_000));
      return { url: `/api/rectification/items/${itemId}/review`, body: { meetingId } };
    },
    expect: branchCommittee,
  },
  {
    route: 'POST /api/rectification/items/:id/evidence',
    target: onFreshItem('/evidence', { description: '学习笔记' }),
    expect: ownerOrCommittee,
  },
  {
    route: 'POST /api/rectification/items/:id/evidence/file',
    target: async (w, org, place) => {
      const upload = multipart([
        { name: 'description', value: '整改报告' },
        { name: 'file', filename: 'report.txt', type: 'text/plain', data: Buffer.from('hello') },
      ]);
      return {
        ...(await onFreshItem('/evidence/file', upload.body)(w, org, place)),
        headers: upload.headers,
      };
    },
    expect: ownerOrCommittee,
  },
  {
    route: 'DELETE /api/rectification/items/:id/evidence/:evidenceId',
    target: async (w, org, place) => {
      const itemId = await freshItem(w, org, place);
      const { evidenceId } = await insertEvidenceFile(w.db, itemId);
      return { url: `/api/rectification/items/${itemId}/evidence/${evidenceId}` };
    },
    expect: ownerOrCommittee,
  },
  {
    route: 'GET /api/rectification/attachments/:id',
    target: async (w, org, place) => {
      const { attachmentId } = await insertEvidenceFile(w.db, await freshItem(w, org, place));
      return { url: `/api/rectification/attachments/${attachmentId}` };
    },
    expect: itemReaders,
  },
];
