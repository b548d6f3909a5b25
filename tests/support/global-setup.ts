import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { migrateToLatest, openDatabase } from '../../server/db/connect.ts';
import { startEmbeddedPostgres } from '../../server/db/embedded-postgres.ts';
import { type DbVariant, dbVariantsFromEnv, type PreparedDatabases } from './db-variants.ts';

/**
 * Prepares one migrated template database per variant (Kysely's DIALECTS pattern): `embedded`
 * starts our embedded PostgreSQL in a temporary folder, `url` uses TEST_DATABASE_URL (default: the
 * machine's PostgreSQL). Each test file then clones the template, which takes a fraction of a second.
 */
export default async function setup(project: TestProject) {
  const runId = randomBytes(4).toString('hex');
  const prepared: PreparedDatabases = {};
  const cleanups: Array<() => Promise<void>> = [];

  for (const variant of dbVariantsFromEnv()) {
    let adminUrl: string;
    if (variant === 'embedded') {
      const dataDir = path.join(tmpdir(), `mingjing-test-${runId}`);
      const server = await startEmbeddedPostgres({ dataDir, password: 'test', database: 'postgres' });
      adminUrl = server.url;
      cleanups.push(async () => {
        await server.stop();
        await rm(dataDir, { recursive: true, force: true });
      });
    } else {
      adminUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
    }
    const template = `mj_tpl_${runId}`;
    await adminQuery(adminUrl, `create database ${template}`);
    const handle = openDatabase({ url: withDatabase(adminUrl, template), poolSize: 2 });
    await migrateToLatest(handle.db);
    await handle.close();
    prepared[variant as DbVariant] = { adminUrl, template, prefix: `mj_t_${runId}_` };
    cleanups.unshift(async () => {
      const { rows } = await adminQuery(
        adminUrl,
        `select datname from pg_database where datname like 'mj\\_t\\_${runId}\\_%' or datname = '${template}'`,
      );
      for (const row of rows)
        await adminQuery(adminUrl, `drop database if exists "${row.datname}" with (force)`);
    });
  }

  project.provide('databases', prepared);
  return async () => {
    for (const cleanup of cleanups)
      await cleanup().catch((err) => console.error('test cleanup failed:', err));
  };
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export async function adminQuery(adminUrl: string, sql: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    databases: PreparedDatabases;
  }
}
