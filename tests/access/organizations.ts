import { insertAccount, insertOrganization } from '../support/fixtures.ts';
import type { PublicRoute, RouteAccess } from './matrix.ts';

export const publicRoutes: PublicRoute[] = [
  { route: 'GET /healthz', why: 'load-balancer health check' },
  { route: 'GET /api/setup/status', why: 'the sign-in page asks whether set-up is pending' },
  { route: 'POST /api/setup', why: 'protected by the one-time token printed on the console' },
  { route: 'POST /api/auth/login', why: 'signing in' },
  { route: 'POST /api/auth/logout', why: 'harmless without a session' },
  { route: 'PUT /api/locale', why: 'language choice works before signing in' },
  { route: 'POST /api/invitations/preview', why: 'the holder of a printed slip has no account yet' },
  {
    route: 'POST /api/invitations/accept',
    why: "creates the slip holder's account; the code is the credential",
  },
  {
    route: 'POST /api/live/join',
    why: 'looks up a join code: the meeting title and branch, nothing about people',
  },
  {
    route: 'POST /api/live/claim',
    why: "binds a phone to a member; the host's one-time claim code is the credential",
  },
  {
    route: 'POST /api/live/observe',
    why: "binds a phone to an observer; the host's one-time code is the credential",
  },
  { route: 'GET /api/live/qr/:code', why: 'renders a join address as a QR code, no lookup' },
];

/** Account-level routes: the same for every place, so each row repeats one outcome. */
export const accountAccess: RouteAccess[] = [
  {
    route: 'GET /api/auth/me',
    target: () => ({ url: '/api/auth/me' }),
    expect: `
      admin:     ok  ok  ok  ok
      viewer:    ok  ok  ok  ok
      secretary: ok  ok  ok  ok
      member:    ok  ok  ok  ok
      observer:  ok  ok  ok  ok
      anonymous: 401 401 401 401`,
  },
  {
    route: 'POST /api/auth/password',
    // A wrong current password is refused with 400 for everyone signed in; what matters here is 401.
    target: () => ({
      url: '/api/auth/password',
      body: { currentPassword: 'wrong-password', newPassword: 'whatever-long' },
    }),
    expect: `
      admin:     400 400 400 400
      viewer:    400 400 400 400
      secretary: 400 400 400 400
      member:    400 400 400 400
      observer:  400 400 400 400
      anonymous: 401 401 401 401`,
  },
  {
    route: 'GET /api/organizations',
    target: () => ({ url: '/api/organizations' }),
    expect: `
      admin:     ok  ok  ok  ok
      viewer:    ok  ok  ok  ok
      secretary: ok  ok  ok  ok
      member:    ok  ok  ok  ok
      observer:  ok  ok  ok  ok
      anonymous: 401 401 401 401`,
  },
];

/** Administration of the tree: administrators of the place's committee, nobody else. */
const administratorsOnly = `
      admin:     ok  ok  ok  404
      viewer:    403 403 403 404
      secretary: 403 404 404 404
      member:    403 404 404 404
      observer:  403 404 404 404
      anonymous: 401 401 401 401`;

export const organizationAccess: RouteAccess[] = [
  {
    route: 'GET /api/organizations/:id',
    target: (_w, org) => ({ url: `/api/organizations/${org.id}` }),
    expect: `
      admin:     ok  ok  ok  404
      viewer:    ok  ok  ok  404
      secretary: ok  404 404 404
      member:    ok  404 404 404
      observer:  ok  404 404 404
      anonymous: 401 401 401 401`,
  },
  {
    route: 'POST /api/organizations',
    target: (_w, org) => ({
      url: '/api/organizations',
      body: { parentId: org.id, kind: 'partyGroup', name: '新党小组' },
    }),
    expect: `
      admin:     ok  ok  400 404
      viewer:    403 403 403 404
      secretary: 403 404 404 404
      member:    403 404 404 404
      observer:  403 404 404 404
      anonymous: 401 401 401 401`,
  },
  {
    route: 'PATCH /api/organizations/:id',
    target: (_w, org) => ({ url: `/api/organizations/${org.id}`, body: { name: '改名' } }),
    expect: administratorsOnly,
  },
  {
    route: 'DELETE /api/organizations/:id',
    // A fresh, empty party group (or branch under a committee) in the place, so archiving can succeed.
    target: async (w, org, place) => {
      const child = await insertOrganization(
        w.db,
        '待撤销',
        place === 'parent' ? 'partyBranch' : 'partyGroup',
        org,
      );
      return { url: `/api/organizations/${child.id}` };
    },
    expect: administratorsOnly,
  },
  {
    route: 'GET /api/organizations/:id/grants',
    target: (_w, org) => ({ url: `/api/organizations/${org.id}/grants` }),
    expect: administratorsOnly,
  },
  {
    route: 'POST /api/organizations/:id/grants',
    // A throwaway account as grantee: a granted role must not change what the actors may do later.
    target: async (w, org) => {
      const login = `grantee-${crypto.randomUUID().slice(0, 8)}`;
      await insertAccount(w.db, login);
      return { url: `/api/organizations/${org.id}/grants`, body: { login, role: 'observer' } };
    },
    expect: administratorsOnly,
  },
  {
    route: 'DELETE /api/grants/:id',
    target: async (w, org) => {
      const grantee = await insertAccount(w.db, `grantee-${crypto.randomUUID().slice(0, 8)}`);
      const row = await w.db
        .insertInto('role_grants')
        .values({ account_id: grantee, organization_id: org.id, role: 'observer' })
        .returning('id')
        .executeTakeFirstOrThrow();
      return { url: `/api/grants/${row.id}` };
    },
    expect: administratorsOnly,
  },
  {
    route: 'POST /api/organizations/:id/accounts',
    target: (_w, org) => ({
      url: `/api/organizations/${org.id}/accounts`,
      body: {
        login: `staff-${crypto.randomUUID().slice(0, 8)}`,
        displayName: '工作人员',
        password: 'a long password',
      },
    }),
    expect: administratorsOnly,
  },
  {
    route: 'GET /api/organizations/:id/audit',
    target: (_w, org) => ({ url: `/api/organizations/${org.id}/audit` }),
    expect: administratorsOnly,
  },
];
