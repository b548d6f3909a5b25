import { insertMember } from '../support/fixtures.ts';
import { multipartFile } from '../support/uploads.ts';
import type { MatrixWorld, RouteAccess } from './matrix.ts';

const unique = () => crypto.randomUUID().slice(0, 8);

/** A fresh roster entry in the place, without an account, so a cell's action can never touch an actor. */
const freshMember = (w: MatrixWorld, org: { id: string }) => insertMember(w.db, org.id, `名册${unique()}`);

/** A one-row roster file with a new name, as the import wizard uploads it. */
const rosterFile = () => multipartFile('roster.csv', `姓名,人员类别\n导入${unique()},正式党员\n`, 'text/csv');

/*
 * The roster lives on branches: a committee (the parent place) has no roster, so branch-level routes
 * answer 400 there to those who may act on it. Entry-level routes act on an entry filed on the
 * place's organization; at the parent place that is an entry on the committee itself, which the API
 * never creates but which shows that a branch role does not reach upwards.
 */

/** Everyone in the branch reads the names; the committee above reads them too. Observers do not. */
const branchReaders = `
      admin:     ok  ok  400 404
      viewer:    ok  ok  400 404
      secretary: ok  404 404 404
      member:    ok  404 404 404
      observer:  403 404 404 404
      anonymous: 401 401 401 401`;

/** The branch's secretary and the administrators of its committee change the roster; nobody else. */
const branchManagers = `
      admin:     ok  ok  400 404
      viewer:    403 403 403 404
      secretary: ok  404 404 404
      member:    403 404 404 404
      observer:  403 404 404 404
      anonymous: 401 401 401 401`;

const entryReaders = `
      admin:     ok  ok  ok  404
      viewer:    ok  ok  ok  404
      secretary: ok  404 404 404
      member:    ok  404 404 404
      observer:  403 404 404 404
      anonymous: 401 401 401 401`;

const entryManagers = `
      admin:     ok  ok  ok  404
      viewer:    403 403 403 404
      secretary: ok  404 404 404
      member:    403 404 404 404
      observer:  403 404 404 404
      anonymous: 401 401 401 401`;

export const memberAccess: RouteAccess[] = [
  {
    route: 'GET /api/organizations/:id/members',
    target: (_w, org) => ({ url: `/api/organizations/${org.id}/members` }),
    expect: branchReaders,
  },
  {
    route: 'POST /api/organizations/:id/members',
    target: (_w, org) => ({
      url: `/api/organizations/${org.id}/members`,
      body: { fullName: `新党员${unique()}`, status: 'fullMember' },
    }),
    expect: branchManagers,
  },
  {
    route: 'GET /api/members/:id',
    target: async (w, org) => ({ url: `/api/members/${(await freshMember(w, org)).memberId}` }),
    expect: entryReaders,
  },
  {
    route: 'PATCH /api/members/:id',
    target: async (w, org) => ({
      url: `/api/members/${(await freshMember(w, org)).memberId}`,
      body: { phone: '13800000000' },
    }),
    expect: entryManagers,
  },
  {
    route: 'POST /api/members/:id/departure',
    target: async (w, org) => ({
      url: `/api/members/${(await freshMember(w, org)).memberId}/departure`,
      body: { reason: 'transferredOut', leftOn: '2026-01-01' },
    }),
    expect: entryManagers,
  },
  {
    route: 'POST /api/members/:id/exemptions',
    target: async (w, org) => ({
      url: `/api/members/${(await freshMember(w, org)).memberId}/exemptions`,
      body: { reason: 'illness', approvedBy: '支委会', approvedOn: '2026-01-01', startsOn: '2026-01-01' },
    }),
    expect: entryManagers,
  },
  {
    route: 'POST /api/exemptions/:id/revoke',
    target: async (w, org) => {
      const member = await freshMember(w, org);
      const exemption = await w.db
        .insertInto('member_exemptions')
        .values({
          member_id: member.memberId,
          reason: 'illness',
          approved_by: '支委会',
          approved_on: '2026-01-01',
          starts_on: '2026-01-01',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return { url: `/api/exemptions/${exemption.id}/revoke`, body: {} };
    },
    expect: entryManagers,
  },
  {
    route: 'POST /api/organizations/:id/invitations',
    target: async (w, org) => ({
      url: `/api/organizations/${org.id}/invitations`,
      body: { memberIds: [(await freshMember(w, org)).memberId] },
    }),
    expect: branchManagers,
  },
  {
    route: 'POST /api/organizations/:id/members/import/preview',
    target: (_w, org) => ({ url: `/api/organizations/${org.id}/members/import/preview`, ...rosterFile() }),
    expect: branchManagers,
  },
  {
    route: 'POST /api/organizations/:id/members/import',
    target: (_w, org) => ({ url: `/api/organizations/${org.id}/members/import`, ...rosterFile() }),
    expect: branchManagers,
  },
  {
    route: 'GET /api/members/import-template',
    // A blank spreadsheet: nothing of any branch in it, so anyone signed in may fetch it.
    target: () => ({ url: '/api/members/import-template?format=csv' }),
    expect: `
      admin:     ok  ok  ok  ok
      viewer:    ok  ok  ok  ok
      secretary: ok  ok  ok  ok
      member:    ok  ok  ok  ok
      observer:  ok  ok  ok  ok
      anonymous: 401 401 401 401`,
  },
];
