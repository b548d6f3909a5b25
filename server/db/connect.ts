import { Kysely, PostgresDialect } from 'kysely';
import { Migrator } from 'kysely/migration';
import pg from 'pg';
import { migrations } from '../../migrations/index.ts';
import type { DB } from './schema.ts';

// One parsing of PostgreSQL types for every mode, decided here so no query has to think about it:
// bigint counts become numbers (ids are uuids, counts stay far below 2^53), `date` stays the
// ISO string it is (pg would turn it into a local-midnight Date and shift it by the time zone),
// and numeric scores become numbers.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number(value));

export interface DatabaseHandle {
  db: Kysely<DB>;
  pool: pg.Pool;
  /** Connection string, also used by the LISTEN client of the live-event bus. */
  url: string;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  url: string;
  poolSize?: number;
  /** Called for pool-level errors (a backend killed under an idle client); never throws. */
  onPoolError?: (err: Error) => void;
}

export function openDatabase(options: OpenDatabaseOptions): DatabaseHandle {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    // A dead connection (pg_terminate_backend, a restarted server) must surface as an error on the
    // next query, never as a process crash: the pool emits 'error' for idle clients.
    idleTimeoutMillis: 30_000,
  });
  pool.on('error', (err) => options.onPoolError?.(err));
  // The pool listens for errors only on idle clients. A backend terminated while its client is
  // checked out but between statements (inside a transaction, say) would emit 'error' to nobody and
  // kill the process; with this listener the next statement fails instead, and the pool discards
  // the broken client when it is released.
  pool.on('connect', (client) => client.on('error', (err) => options.onPoolError?.(err)));
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    pool,
    url: options.url,
    close: () => db.destroy(),
  };
}

/**
 * Applies pending migrations. Kysely's PostgreSQL adapter holds a session advisory lock for the
 * duration, so several app nodes starting together against one database migrate exactly once.
 */
export async function migrateToLatest(db: Kysely<DB>): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'schema_migrations',
    migrationLockTableName: 'schema_migrations_lock',
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
