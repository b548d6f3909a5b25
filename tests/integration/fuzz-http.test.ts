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
import { startTestApp, type TestApp, type TestClient } from '../support/test-app.ts';

/**
 * Every state-changing route, fuzzed. The list comes from the app's own OpenAPI document, so a new
 * route is fuzzed without anyone adding it here. Each gets bodies derived from its request schema
 * and broken one part at a time (wrong types, missing and extra fields, `__proto__` keys, huge
 * strings, deep nesting), bodies that are not JSON, and wrong content types, sent by a signed-in
 * administrator. The property: never a 5xx; every refusal carries a code with a translation; a
 * refused request leaves every row of every table as it was; nothing pollutes Object.prototype.
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

interface Target {
  route: string;
  method: string;
  path: string;
  body?: JsonSchema;
}

// Routing and validation do not differ between PostgreSQL installations; one variant bounds the time.
const variant = dbVariantsFromEnv()[0]!;

describe(`${variant}: fuzzing every HTTP body`, () => {
  let t: TestApp;
  let admin: TestClient;
  let targets: Target[];
  let writes: () => Promise<Record<string, string>>;
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
      paths: Record<
        string,
        Record<string, { requestBody?: { content: Record<string, { schema: JsonSchema }> } }>
      >;
    };
    targets = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.entries(operations)
        .filter(([method]) => ['post', 'put', 'patch', 'delete'].includes(method))
        .map(([method, operation]) => ({
          route: `${method.toUpperCase()} ${path}`,
          method: method.toUpperCase(),
          path,
          body: operation.requestBody?.content['application/json']?.schema,
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

  it('never fails, always explains, and changes nothing it refuses', async () => {
    console.info(`fuzz-http: seed ${fuzzSeed} (FUZZ_SEED), runs per route ${fuzzRuns(16)} (FUZZ_RUNS)`);
    expect(targets.length).toBeGreaterThan(50);
    // The detector sees a refused request that writes: a wrong password is refused and counted.
    const baseline = await writes();
    expect(
      (await t.client().post('/api/auth/login', { login: 'secB', password: 'wrong-password' })).status,
    ).toBe(401);
    expect(changedTables(baseline, await writes())).toEqual(['accounts']);

    const counts: Record<string, { sent: number; accepted: number }> = {};
    const failures: string[] = [];

    for (const target of targets) {
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
      let written = await writes();
      const result = await fc.check(
        fc.asyncProperty(bodies, contentTypes, async (body, contentType) => {
          count.sent++;
          const response = await admin.request(target.method as 'POST', url, body, {
            'content-type': contentType,
          });
          if (prototypePolluted()) throw new Error('Object.prototype polluted');
          if (response.status >= 500) throw new Error(`${response.status} ${response.raw.slice(0, 200)}`);
          const before = written;
          written = await writes();
          // Accepted as valid: whatever it changed is the new baseline.
          if (response.status < 300) return void count.accepted++;
          const explained = untranslated(response.body?.code, response.body?.fields);
          if (explained) throw new Error(`${response.status}: ${explained}`);
          const changed = changedTables(before, written);
          if (changed.length > 0)
            throw new Error(`${response.status} ${response.body.code} yet wrote to ${changed.join(', ')}`);
        }),
        { seed: fuzzSeed, numRuns: fuzzRuns(16) },
      );
      if (result.failed) {
        failures.push(
          `${target.route}: ${String(result.errorInstance)} — input ${JSON.stringify(result.counterexample).slice(0, 300)} (seed ${fuzzSeed}, path ${result.counterexamplePath})`,
        );
      } else if (count.accepted === 0) {
        // Every input of the batch was refused: not one row anywhere may differ.
        const changed = changedTables(fingerprint, await databaseFingerprint(t.db));
        if (changed.length > 0)
          failures.push(`${target.route}: refused everything yet changed ${changed.join(', ')}`);
      }
    }

    const sent = Object.values(counts).reduce((n, c) => n + c.sent, 0);
    const accepted = Object.values(counts).reduce((n, c) => n + c.accepted, 0);
    console.info(
      `fuzz-http: ${targets.length} routes, ${sent} inputs, ${accepted} accepted as valid\n${Object.entries(
        counts,
      )
        .map(([route, c]) => `  ${route}: ${c.sent} sent, ${c.accepted} accepted`)
        .join('\n')}`,
    );
    expect(failures).toEqual([]);
  }, 300_000);
});
