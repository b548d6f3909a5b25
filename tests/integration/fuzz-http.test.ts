import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbVariantsFromEnv } from '../support/db-variants.ts';
import { seedCommittee } from '../support/fixtures.ts';
import {
  brokenJson,
  changedTables,
  countWrites,
  databaseFingerprint,
  exampleOf,
  fuzzRuns,
  fuzzSeed,
  type JsonSchema,
  mutatedJson,
  prototypePolluted,
  untranslated,
} from '../support/fuzz.ts';
import { insertMeeting } from '../support/live-fixtures.ts';
import { startTestApp, type TestApp, type TestClient, type TestResponse } from '../support/test-app.ts';

/**
 * Every route, fuzzed. The list comes from the app's own OpenAPI document, so a new route is
 * fuzzed without anyone adding it here. Every state-changing route gets bodies derived from its
 * request schema and broken one part at a time (wrong types, missing and extra fields, `__proto__`
 * keys, huge strings, deep nesting), bodies that are not JSON, and wrong content types; every route
 * with path parameters or a query gets hostile values there. All sent by a signed-in administrator.
 * The property: never a 5xx; every refusal carries a code with a translation; a refused request
 * leaves every row of every table as it was; nothing pollutes Object.prototype.
 */

/** Signing out is what this route is for; fuzzing it would only sign the fuzzer out. */
const notFuzzed = new Set(['POST /api/auth/logout']);
const contentTypes = fc.oneof(
  { weight: 12, arbitrary: fc.constant('application/json') },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=fuzz',
      'application/json; charset=latin1',
      'application/xml',
    ),
  },
);

/** Values a path parameter or a query field must not choke on (dates and periods at the edges too). */
const hostileParameter = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.uuid().map((u) => u.toUpperCase()),
  fc.constantFrom(
    '',
    ' ',
    '..',
    '%00',
    'null',
    '-1',
    '0',
    '1e309',
    '9007199254740993',
    "' or 1=1 --",
    '0000',
    '0000-Q1',
    '9999-Q4',
    '0001-01',
    '0000-01-01T00:00:00Z',
    '9999-12-31T23:59:59.999Z',
    'x'.repeat(3000),
  ),
);

interface Target {
  route: string;
  method: string;
  path: string;
  body?: JsonSchema;
  query: Array<{ name: string; schema: JsonSchema }>;
}

interface Count {
  sent: number;
  accepted: number;
}

interface OpenApiOperation {
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
  parameters?: Array<{ in: string; name: string; schema: JsonSchema }>;
}

// Routing and validation do not differ between PostgreSQL installations; one variant bounds the time.
const variant = dbVariantsFromEnv()[0]!;

describe(`${variant}: fuzzing every HTTP body, parameter and query`, () => {
  let t: TestApp;
  let admin: TestClient;
  let targets: Target[];
  let writes: () => Promise<Record<string, string>>;
  let written: Record<string, string>;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    // The quality worker scores in the background; left ticking it would change rows between requests.
    t = await startTestApp(variant, { qualityWorker: { intervalMs: 2 ** 30 } });
    const world = await seedCommittee(t.db, 3);
    const { meetingId } = await insertMeeting(t.db, world.branchA.id, {
      inviteeIds: [world.secretaryA.memberId, ...world.membersA.map((m) => m.memberId)],
    });
    Object.assign(ids, {
      organization: world.branchA.id,
      meeting: meetingId,
      member: world.membersA[0]!.memberId,
    });
    admin = await t.client().signIn('admin');
    const document = (await admin.get('/api/docs/json')).body as {
      paths: Record<string, Record<string, OpenApiOperation>>;
    };
    targets = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.entries(operations)
        .filter(([method]) => method !== 'head')
        .map(([method, operation]) => ({
          route: `${method.toUpperCase()} ${path}`,
          method: method.toUpperCase(),
          path,
          body: operation.requestBody?.content['application/json']?.schema,
          query: (operation.parameters ?? [])
            .filter((p) => p.in === 'query')
            .map(({ name, schema }) => ({ name, schema })),
        }))
        .filter((target) => !notFuzzed.has(target.route)),
    );
    await t.app.qualityWorker.drain();
    writes = await countWrites(t.db);
  });
  afterAll(() => t?.close());

  /**
   * Real records where a body is validated, so inputs the schema accepts go on into the domain
   * rules; random ids elsewhere, so a body-less action (archive, delete, open) can only be refused.
   */
  function urlOf(target: Target): string {
    return target.path.replace(/\{(\w+)\}/g, (_whole, name: string, offset: number) => {
      if (!target.body) return randomUUID();
      const before = target.path.slice(0, offset);
      if (name === 'memberId') return ids.member!;
      if (name === 'id' && before === '/api/organizations/') return ids.organization!;
      if (name === 'id' && before === '/api/meetings/') return ids.meeting!;
      return randomUUID();
    });
  }

  /**
   * The property, for one request: no 5xx; a refusal explains itself in translated codes and
   * wrote nothing; an accepted request's writes become the new baseline.
   */
  async function expectSafe(response: TestResponse, count: Count) {
    count.sent++;
    if (prototypePolluted()) throw new Error('Object.prototype polluted');
    if (response.status >= 500) throw new Error(`${response.status} ${response.raw.slice(0, 200)}`);
    const before = written;
    written = await writes();
    if (response.status < 400) return void count.accepted++;
    const explained = untranslated(response.body?.code, response.body?.fields);
    if (explained) throw new Error(`${response.status}: ${explained}`);
    const changed = changedTables(before, written);
    if (changed.length > 0)
      throw new Error(`${response.status} ${response.body.code} yet wrote to ${changed.join(', ')}`);
  }

  const failure = <T>(route: string, result: fc.RunDetails<T>) =>
    `${route}: ${String(result.errorInstance)} — input ${JSON.stringify(result.counterexample)?.slice(0, 300)} (seed ${fuzzSeed}, path ${result.counterexamplePath})`;

  function report(what: string, counts: Record<string, Count>) {
    const all = Object.values(counts);
    console.info(
      `fuzz-http ${what}: ${all.length} routes, ${all.reduce((n, c) => n + c.sent, 0)} inputs, ${all.reduce((n, c) => n + c.accepted, 0)} accepted as valid\n${Object.entries(
        counts,
      )
        .map(([route, c]) => `  ${route}: ${c.sent} sent, ${c.accepted} accepted`)
        .join('\n')}`,
    );
  }

  it('bodies: never fails, always explains, and changes nothing it refuses', async () => {
    console.info(`fuzz-http: seed ${fuzzSeed} (FUZZ_SEED), runs per route ${fuzzRuns(16)} (FUZZ_RUNS)`);
    const stateChanging = targets.filter((target) => target.method !== 'GET');
    expect(stateChanging.length).toBeGreaterThan(50);
    // The detector sees a refused request that writes: a wrong password is refused and counted.
    const baseline = await writes();
    expect(
      (await t.client().post('/api/auth/login', { login: 'secB', password: 'wrong-password' })).status,
    ).toBe(401);
    expect(changedTables(baseline, await writes())).toEqual(['accounts']);

    const counts: Record<string, Count> = {};
    const failures: string[] = [];
    for (const target of stateChanging) {
      const url = urlOf(target);
      const count = { sent: 0, accepted: 0 };
      counts[target.route] = count;
      const bodies = target.body
        ? fc.oneof(
            { weight: 6, arbitrary: mutatedJson(exampleOf(target.body)) },
            { weight: 1, arbitrary: brokenJson },
          )
        : fc.oneof(mutatedJson({}), brokenJson);
      const fingerprint = await databaseFingerprint(t.db);
      written = await writes();
      const result = await fc.check(
        fc.asyncProperty(bodies, contentTypes, async (body, contentType) =>
          expectSafe(
            await admin.request(target.method as 'POST', url, body, { 'content-type': contentType }),
            count,
          ),
        ),
        // An empty object first, on every route: `{}` once made PATCH /api/organizations/:id fail.
        { seed: fuzzSeed, numRuns: fuzzRuns(16), examples: [['{}', 'application/json']] },
      );
      if (result.failed) failures.push(failure(target.route, result));
      else if (count.accepted === 0) {
        // Every input of the batch was refused: not one row anywhere may differ.
        const changed = changedTables(fingerprint, await databaseFingerprint(t.db));
        if (changed.length > 0)
          failures.push(`${target.route}: refused everything yet changed ${changed.join(', ')}`);
      }
    }
    report('bodies', counts);
    expect(failures).toEqual([]);
  }, 300_000);

  it('parameters and queries: takes any value without failing', async () => {
    const counts: Record<string, Count> = {};
    const failures: string[] = [];
    for (const target of targets.filter((t) => t.path.includes('{') || t.query.length > 0)) {
      const count = { sent: 0, accepted: 0 };
      counts[target.route] = count;
      const names = [...target.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
      // Each path segment: one of this world's real ids, anything at all (encoded), or an escape that
      // does not decode.
      const parameter = fc.oneof(
        fc.constantFrom(...Object.values(ids)),
        hostileParameter.map(encodeURIComponent),
        fc.constantFrom('%E0%A4%A', '%zz', '%'),
      );
      const fields = target.query.map((q) => q.name);
      const query = fc.array(
        fc.tuple(
          fc.oneof(fc.constantFrom(...fields, 'extra'), fc.string({ maxLength: 8 })),
          fc.oneof(
            fc.constantFrom(...target.query.map((q) => String(exampleOf(q.schema))), 'x'),
            hostileParameter,
          ),
        ),
        { maxLength: fields.length + 1 },
      );
      const body = target.body ? JSON.stringify(exampleOf(target.body)) : undefined;
      written = await writes();
      const result = await fc.check(
        fc.asyncProperty(
          fc.array(parameter, { minLength: names.length, maxLength: names.length }),
          query,
          async (values, pairs) => {
            let i = 0;
            const path = target.path.replace(/\{\w+\}/g, () => values[i++]!);
            const search = new URLSearchParams(pairs).toString();
            const headers: Record<string, string> = body ? { 'content-type': 'application/json' } : {};
            await expectSafe(
              await admin.request(
                target.method as 'GET',
                `${path}${search ? `?${search}` : ''}`,
                body,
                headers,
              ),
              count,
            );
          },
        ),
        { seed: fuzzSeed, numRuns: Math.ceil(fuzzRuns(16) / 2) },
      );
      if (result.failed) failures.push(failure(target.route, result));
    }
    report('parameters and queries', counts);
    expect(failures).toEqual([]);
  }, 300_000);
});
