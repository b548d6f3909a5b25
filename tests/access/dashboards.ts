import type { RouteAccess } from './matrix.ts';

/** A branch's figures: its own committee and the committees above it; a committee is no branch (400). */
const branchFigures = `
      admin:     ok  ok  400 404
      viewer:    ok  ok  400 404
      secretary: ok  404 404 404
      member:    403 404 404 404
      observer:  403 404 404 404
      anonymous: 401 401 401 401`;

/** A committee's figures (places are committees): its own staff only. */
const committeeFigures = `
      admin:     ok  ok  ok  404
      viewer:    ok  ok  ok  404
      secretary: 404 404 404 404
      member:    404 404 404 404
      observer:  404 404 404 404
      anonymous: 401 401 401 401`;

export const dashboardAccess: RouteAccess[] = [
  {
    route: 'GET /api/organizations/:id/dashboard',
    target: (_w, org) => ({ url: `/api/organizations/${org.id}/dashboard` }),
    expect: branchFigures,
  },
  {
    route: 'GET /api/organizations/:id/exports/ledger',
    target: (_w, org) => ({ url: `/api/organizations/${org.id}/exports/ledger` }),
    expect: branchFigures,
  },
  {
    route: 'GET /api/organizations/:id/exports/aggregates',
    // A branch exports its trend, a committee its table of branches.
    target: (_w, org) => ({ url: `/api/organizations/${org.id}/exports/aggregates` }),
    expect: `
      admin:     ok  ok  ok  404
      viewer:    ok  ok  ok  404
      secretary: ok  404 404 404
      member:    403 404 404 404
      observer:  403 404 404 404
      anonymous: 401 401 401 401`,
  },
  {
    route: 'GET /api/organizations/:id/committee-dashboard',
    target: (_w, org) => ({ url: `/api/organizations/${org.id}/committee-dashboard` }),
    placeOrgs: 'committees',
    expect: committeeFigures,
  },
  {
    route: 'GET /api/organizations/:id/quarterly-report',
    target: (_w, org) => ({ url: `/api/organizations/${org.id}/quarterly-report` }),
    placeOrgs: 'committees',
    expect: committeeFigures,
  },
  {
    route: 'GET /api/organizations/:id/dashboard-access-log',
    target: (_w, org) => ({ url: `/api/organizations/${org.id}/dashboard-access-log` }),
    placeOrgs: 'committees',
    expect: committeeFigures,
  },
];
