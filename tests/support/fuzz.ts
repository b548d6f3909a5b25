import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { type Kysely, sql } from 'kysely';
import type { DB } from '../../server/db/schema.ts';
import { hasTranslation } from '../../shared/i18n/index.ts';

/**
 * Property-based fuzzing of the boundaries (tests/integration/fuzz-*.test.ts). One fixed seed, printed,
 * so a failure replays with FUZZ_SEED=<seed>; FUZZ_RUNS raises the inputs per target for a longer hunt.
 */
export const fuzzSeed = Number(process.env.FUZZ_SEED ?? 20261126);
export const fuzzRuns = (fallback: number) => Number(process.env.FUZZ_RUNS ?? fallback);

/** A JSON Schema as the OpenAPI document carries it (generated from our zod schemas). */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  enum?: unknown[];
  const?: unknown;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  format?: string;
  minLength?: number;
  minimum?: number;
  exclusiveMinimum?: number;
  default?: unknown;
}

/**
 * A plausible value for a schema: every property present, the first option of a union, the least
 * a bound allows. Valid often enough that mutating one part of it probes one rule at a time.
 */
export function exampleOf(schema: JsonSchema): unknown {
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  const option = schema.oneOf?.[0] ?? schema.anyOf?.find((s) => s.type !== 'null') ?? schema.anyOf?.[0];
  if (option) return exampleOf(option);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object':
      return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([k, v]) => [k, exampleOf(v)]));
    case 'array':
      return Array.from({ length: Math.max(1, schema.minItems ?? 0) }, () => exampleOf(schema.items ?? {}));
    case 'string':
      if (schema.format === 'uuid') return randomUUID();
      if (schema.format === 'date') return '2026-11-26';
      if (schema.format === 'date-time') return '2026-11-26T08:00:00.000Z';
      return '测'.repeat(Math.max(1, schema.minLength ?? 1));
    case 'integer':
    case 'number':
      return schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : 1);
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return schema.default ?? 'x';
  }
}

type Path = Array<string | number>;

function pathsOf(value: unknown, at: Path = []): Path[] {
  const here = at.length > 0 ? [at] : [];
  if (Array.isArray(value)) return [...here, ...value.flatMap((v, i) => pathsOf(v, [...at, i]))];
  if (value && typeof value === 'object')
    return [...here, ...Object.entries(value).flatMap(([k, v]) => pathsOf(v, [...at, k]))];
  return here;
}

/** A copy of `value` with the part at `path` replaced (or removed, for `remove`). */
function setAt(value: unknown, path: Path, replacement: unknown, remove = false): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path;
  if (Array.isArray(value)) {
    const copy = [...value];
    if (remove && rest.length === 0) copy.splice(head as number, 1);
    else copy[head as number] = setAt(copy[head as number], rest, replacement, remove);
    return copy;
  }
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  if (remove && rest.length === 0) delete copy[head as string];
  else defineOwn(copy, head as string, setAt(copy[head as string], rest, replacement, remove));
  return copy;
}

/** An own, enumerable property even for `__proto__`, so JSON.stringify sends it as a key. */
function defineOwn(object: Record<string, unknown>, key: string, value: unknown) {
  Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
}

const wrongTypes = [null, 0, -1, 1.5, 2 ** 53, '', 'x', true, [], {}, ['x'], { x: 1 }];
const hostileKeys = ['__proto__', 'constructor', 'prototype', 'admin', 'isAdmin', 'organizationId', ''];

function nested(depth: number): unknown {
  let value: unknown = 'deep';
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  return value;
}

/**
 * Inputs derived from a plausible one: a field dropped, given the wrong type or any value, an
 * extra or hostile key (`__proto__`, `constructor`…), a huge string, deep nesting; and some inputs
 * that owe nothing to it. Returns JSON text, because `__proto__` only survives as text.
 */
export function mutatedJson(base: unknown): fc.Arbitrary<string> {
  const paths = pathsOf(base);
  const objects: Path[] = [[], ...paths].filter((p) => {
    const v = p.reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k as string], base);
    return !!v && typeof v === 'object' && !Array.isArray(v);
  });
  const anyPath = paths.length > 0 ? fc.constantFrom(...paths) : fc.constant<Path>([]);
  const options: fc.Arbitrary<unknown>[] = [
    fc.tuple(anyPath, fc.constantFrom(...wrongTypes)).map(([p, v]) => setAt(base, p, v)),
    fc.tuple(anyPath, fc.anything({ maxDepth: 2 })).map(([p, v]) => setAt(base, p, v)),
    anyPath.map((p) => setAt(base, p, undefined, true)),
    fc
      .tuple(
        fc.constantFrom(...objects),
        fc.oneof(fc.constantFrom(...hostileKeys), fc.string()),
        fc.oneof(fc.constant({ polluted: true }), fc.jsonValue({ maxDepth: 1 })),
      )
      .map(([p, key, v]) => {
        const target = p.reduce<unknown>((o, k) => (o as Record<string, unknown>)[k as string], base);
        const copy = { ...(target as Record<string, unknown>) };
        defineOwn(copy, key, v);
        return setAt(base, p, copy);
      }),
    fc
      .tuple(anyPath, fc.constantFrom('字'.repeat(100_000), 'a'.repeat(300_000)))
      .map(([p, v]) => setAt(base, p, v)),
    fc.tuple(anyPath, fc.integer({ min: 100, max: 3000 })).map(([p, d]) => setAt(base, p, nested(d))),
    fc.anything({ maxDepth: 3 }),
  ];
  return fc.oneof(...options).map((v) => JSON.stringify(v) ?? '');
}

/** Text that is not JSON at all, or JSON cut short: what a broken client or a probe sends. */
export const brokenJson: fc.Arbitrary<string> = fc.oneof(
  fc.string(),
  fc.jsonValue().map((v) => JSON.stringify(v).slice(0, -1)),
  fc.constantFrom('{', '{"a":', '[1,2', 'nul', '\u0000', '{"__proto__":{"polluted":true}}'),
);

/** Why an error code or one of its field codes could not be shown to a person, if so. */
export function untranslated(code: unknown, fields?: Record<string, unknown>): string | undefined {
  if (typeof code !== 'string') return `no code: ${JSON.stringify(code)}`;
  if (!hasTranslation(`error.${code}`)) return `untranslated error.${code}`;
  for (const [field, fieldCode] of Object.entries(fields ?? {}))
    if (typeof fieldCode !== 'string' || !hasTranslation(`validation.${fieldCode}`))
      return `untranslated validation.${String(fieldCode)} (${field})`;
  return undefined;
}

/** Whether anything polluted Object.prototype in this process (a hostile key that got through). */
export const prototypePolluted = () => 'polluted' in Object.prototype;

/**
 * Columns any signed-in request may update as bookkeeping: a session's last use, refreshed every
 * five minutes. Not a change the request made, so neither the write counters nor the fingerprint
 * look at them (a long fuzzing run outlasts five minutes).
 */
const bookkeeping: Record<string, string[]> = { sessions: ['last_seen_at'] };

/** Every table, with the columns that count as its content. */
async function tablesOf(db: Kysely<DB>): Promise<Array<{ name: string; columns: string[] }>> {
  const rows = await sql<{ name: string; columns: string[] }>`
    select table_name as name, array_agg(column_name::text order by ordinal_position) as columns
    from information_schema.columns
    where table_schema = current_schema()
      and table_name in (select table_name from information_schema.tables
                         where table_schema = current_schema() and table_type = 'BASE TABLE')
    group by table_name order by table_name
  `.execute(db);
  return rows.rows
    .filter((t) => t.name !== 'fuzz_writes')
    .map((t) => ({ name: t.name, columns: t.columns.filter((c) => !bookkeeping[t.name]?.includes(c)) }));
}

/**
 * A fingerprint of every row of every table: md5 over each table's rows in a stable order. Two
 * equal fingerprints mean nothing was inserted, changed or deleted anywhere.
 */
export async function databaseFingerprint(db: Kysely<DB>): Promise<Record<string, string>> {
  const selects = (await tablesOf(db)).map(({ name, columns }) => {
    const row = sql`row(${sql.join(columns.map((c) => sql.ref(`t.${c}`)))})::text`;
    return sql`select ${name} as name, coalesce(md5(string_agg(${row}, ',' order by ${row})), '') as hash from ${sql.table(name)} t`;
  });
  const result = await sql<{ name: string; hash: string }>`${sql.join(selects, sql` union all `)}`.execute(
    db,
  );
  return Object.fromEntries(result.rows.map((r) => [r.name, r.hash]));
}

/**
 * Counts committed row writes per table, for a test database only: an AFTER ROW trigger on every
 * table adds to a counter row in the same transaction, so a write that is rolled back counts for
 * nothing. Reading the counters after each request is one small query where a fingerprint of every
 * table is dozens; the fingerprint still brackets each batch as a cross-check.
 */
export async function countWrites(db: Kysely<DB>): Promise<() => Promise<Record<string, string>>> {
  await sql`create table fuzz_writes (table_name text primary key, n bigint not null)`.execute(db);
  await sql`
    create function fuzz_count_write() returns trigger language plpgsql as $$
    begin
      insert into fuzz_writes values (TG_TABLE_NAME, 1)
        on conflict (table_name) do update set n = fuzz_writes.n + 1;
      return null;
    end $$
  `.execute(db);
  for (const { name, columns } of await tablesOf(db)) {
    const updates = bookkeeping[name]
      ? sql`update of ${sql.join(columns.map((c) => sql.ref(c)))}`
      : sql`update`;
    await sql`create trigger fuzz_count after insert or ${updates} or delete on ${sql.table(name)}
      for each row execute function fuzz_count_write()`.execute(db);
  }
  return async () => {
    const rows = await sql<{ table_name: string; n: string }>`select table_name, n from fuzz_writes`.execute(
      db,
    );
    return Object.fromEntries(rows.rows.map((r) => [r.table_name, r.n]));
  };
}

/** The tables whose rows differ between two fingerprints (or write counts). */
export function changedTables(before: Record<string, string>, after: Record<string, string>): string[] {
  return Object.keys({ ...before, ...after }).filter((t) => before[t] !== after[t]);
}
