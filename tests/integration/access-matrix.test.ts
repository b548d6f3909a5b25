import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appraisalAccess } from '../access/appraisal.ts';
import { dashboardAccess } from '../access/dashboards.ts';
import { liveAccess } from '../access/live.ts';
import {
  type Actor,
  actorLogins,
  actors,
  type MatrixWorld,
  parseGrid,
  placeOrganization,
  places,
  type RouteAccess,
} from '../access/matrix.ts';
import { meetingAccess } from '../access/meetings.ts';
import { memberAccess } from '../access/members.ts';
import { accountAccess, organizationAccess, publicRoutes } from '../access/organizations.ts';
import { qualityAccess } from '../access/quality.ts';
import { rectificationAccess } from '../access/rectification.ts';
import { dbVariantsFromEnv } from '../support/db-variants.ts';
import { grant, insertAccount, seedCommittee } from '../support/fixtures.ts';
import { startTestApp, type TestApp, type TestClient } from '../support/test-app.ts';

/** Every feature's entries; a route registered by the app but missing here fails the suite. */
const matrix: RouteAccess[] = [
  ...accountAccess,
  ...organizationAccess,
  ...rectificationAccess,
  ...memberAccess,
  ...meetingAccess,
  ...dashboardAccess,
  ...appraisalAccess,
  ...qualityAccess,
  ...liveAccess,
];

// The matrix runs against one database variant: it exercises routing and authorization, which do
// not differ between PostgreSQL installations, and it is the longest table in the suite.
const variant = dbVariantsFromEnv()[0]!;

describe(`${variant}: access-control matrix`, () => {
  let t: TestApp;
  let world: MatrixWorld;
  const clients = new Map<Actor, TestClient>();
  const registered: string[] = [];

  beforeAll(async () => {
    t = await startTestApp(variant);
    const seeded = await seedCommittee(t.db, 2);
    const observerAccount = await insertAccount(t.db, 'observerA', '列席人员');
    await grant(t.db, observerAccount, seeded.branchA.id, 'observer');
    world = { ...seeded, db: t.db, observerAccount };
    for (const actor of actors) {
      const client = t.client();
      if (actor !== 'anonymous') await client.signIn(actorLogins[actor]);
      clients.set(actor, client);
    }
    registered.push(...(await documentedRoutes(clients.get('anonymous')!)));
  });
  afterAll(() => t?.close());

  it('has an entry for every route the application registers', () => {
    const covered = new Set([...matrix.map((r) => r.route), ...publicRoutes.map((r) => r.route)]);
    const missing = registered.filter((r) => !covered.has(r));
    expect(missing, 'routes without an access-matrix entry (add them to tests/access/*.ts)').toEqual([]);
    const stale = [...covered].filter((r) => !registered.includes(r));
    expect(stale, 'matrix entries for routes that no longer exist').toEqual([]);
  });

  for (const entry of matrix) {
    it(entry.route, async () => {
      const expected = parseGrid(entry.expect);
      const failures: string[] = [];
      for (const actor of actors) {
        for (const place of places) {
          const org = placeOrganization(world, place, entry.placeOrgs ?? 'branches');
          const target = await entry.target(world, org, place);
          const [method] = entry.route.split(' ');
          const response = await clients
            .get(actor)!
            .request(method as 'GET', target.url, target.body, target.headers);
          const got = response.status >= 200 && response.status < 300 ? 'ok' : response.status;
          if (got !== expected[actor][place]) {
            failures.push(
              `${actor} @ ${place}: expected ${expected[actor][place]}, got ${got} ${response.body?.code ?? ''}`,
            );
          }
        }
      }
      expect(failures).toEqual([]);
    });
  }
});

/**
 * The app's routes as `METHOD /path/:param`, from its generated OpenAPI document — every route is
 * documented there, so this is also the list a client author sees. /healthz is hidden from the
 * document and listed among the public routes by hand.
 */
async function documentedRoutes(client: TestClient): Promise<string[]> {
  const document = (await client.get('/api/docs/json')).body as {
    paths: Record<string, Record<string, unknown>>;
  };
  const routes = ['GET /healthz'];
  for (const [path, operations] of Object.entries(document.paths)) {
    for (const method of Object.keys(operations)) {
      if (method === 'head') continue;
      routes.push(`${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`);
    }
  }
  return routes;
}
