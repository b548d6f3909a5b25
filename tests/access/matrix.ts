import type { Kysely } from 'kysely';
import type { DB } from '../../server/db/schema.ts';
import type { SeededCommittee } from '../support/fixtures.ts';

/**
 * The access-control matrix: for every route, what each kind of person gets in each place.
 *
 * Actors: the six kinds of people. Places, relative to the actor's home branch A under committee C:
 * `own` (branch A), `sibling` (branch B under C), `parent` (committee C), `unrelated` (another
 * committee's branch or the committee itself, depending on the route). Expected outcomes are written
 * by hand, row by row — deliberately not derived from server/access/permissions.ts, so a change of
 * permissions must be a change of this table too.
 */
export const actors = ['admin', 'viewer', 'secretary', 'member', 'observer', 'anonymous'] as const;
export type Actor = (typeof actors)[number];
/** Whom the matrix signs in as for each actor (tests/support/fixtures.ts seedCommittee, plus an observer). */
export const actorLogins: Record<Exclude<Actor, 'anonymous'>, string> = {
  admin: 'admin',
  viewer: 'viewer',
  secretary: 'secA',
  member: 'memberA1',
  observer: 'observerA',
};
export const places = ['own', 'sibling', 'parent', 'unrelated'] as const;
export type Place = (typeof places)[number];

/** 'ok' = any 2xx; otherwise the exact status. */
export type Outcome = 'ok' | 400 | 401 | 403 | 404 | 409;

export interface MatrixWorld extends SeededCommittee {
  db: Kysely<DB>;
  observerAccount: string;
}

export interface Target {
  url: string;
  body?: unknown;
  /** For bodies that are not JSON, e.g. a multipart upload's content type. */
  headers?: Record<string, string>;
}

export interface RouteAccess {
  /** `METHOD /path/:param` exactly as registered. */
  route: string;
  /**
   * Builds the request for one cell. `org` is the organization standing for the place (a branch
   * for own/sibling/unrelated, the committee for parent, unless the entry chooses otherwise).
   * Called afresh for every cell, so state-changing routes act on their own fresh resources.
   */
  target: (
    world: MatrixWorld,
    org: { id: string; ancestry: string[] },
    place: Place,
  ) => Promise<Target> | Target;
  /** Six rows (admin, viewer, secretary, member, observer, anonymous), four outcomes each. */
  expect: string;
  /** Which organization stands for each place; default branches and the committee. */
  placeOrgs?: 'branches' | 'committees';
}

/**
 * Grids several features share. Acting on a branch's records: its own committee (the secretary)
 * only — the operator and the committee above may see the record (403) but never change it.
 */
export const branchCommitteeOnly = `
      admin:     403 403 403 404
      viewer:    403 403 403 404
      secretary: ok  404 404 404
      member:    403 404 404 404
      observer:  403 404 404 404
      anonymous: 401 401 401 401`;

/** Seeing what belongs to a place: everyone with a role there (members, observers, the committee above). */
export const anyoneWithARole = `
      admin:     ok  ok  ok  404
      viewer:    ok  ok  ok  404
      secretary: ok  404 404 404
      member:    ok  404 404 404
      observer:  ok  404 404 404
      anonymous: 401 401 401 401`;

/** Parses the compact grid: one line per actor, outcomes in place order (`ok`, `401`, `403`, `404`…). */
export function parseGrid(grid: string): Record<Actor, Record<Place, Outcome>> {
  const lines = grid
    .trim()
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  if (lines.length !== actors.length) throw new Error(`grid needs ${actors.length} rows:\n${grid}`);
  const result = {} as Record<Actor, Record<Place, Outcome>>;
  for (const line of lines) {
    const [name, ...cells] = line.split(/\s+/);
    const actor = name!.replace(/:$/, '') as Actor;
    if (!actors.includes(actor)) throw new Error(`unknown actor ${name}`);
    if (cells.length !== places.length) throw new Error(`row ${actor} needs ${places.length} cells`);
    result[actor] = Object.fromEntries(
      places.map((p, i) => [p, cells[i] === 'ok' ? 'ok' : (Number(cells[i]) as Outcome)]),
    ) as Record<Place, Outcome>;
  }
  return result;
}

/** Routes anyone may call, signed in or not (sign-in itself, set-up, health, public joining…). */
export interface PublicRoute {
  route: string;
  why: string;
}

/** The organization standing for each place: branches by default, or committees for committee-level routes. */
export function placeOrganization(
  world: MatrixWorld,
  place: Place,
  kind: 'branches' | 'committees' = 'branches',
) {
  if (kind === 'committees') {
    return {
      own: world.committee,
      sibling: world.committee,
      parent: world.committee,
      unrelated: world.otherCommittee,
    }[place];
  }
  return {
    own: world.branchA,
    sibling: world.branchB,
    parent: world.committee,
    unrelated: world.otherBranch,
  }[place];
}
