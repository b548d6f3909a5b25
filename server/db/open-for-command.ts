import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config/config.ts';
import { loadOrCreateSecrets } from '../config/secrets.ts';
import { type DatabaseHandle, migrateToLatest, openDatabase } from './connect.ts';
import { startEmbeddedPostgres } from './embedded-postgres.ts';

/**
 * Opens the application's database for a command-line tool (demo seeding, audit verification):
 * DATABASE_URL if set; otherwise the embedded cluster under DATA_DIR — joining the running
 * server's PostgreSQL when the app is up (never stopping it), or starting one for the command.
 */
export async function openDatabaseForCommand(): Promise<DatabaseHandle> {
  const config = loadConfig();
  if (config.DATABASE_URL) return migrated(openDatabase({ url: config.DATABASE_URL, poolSize: 4 }));

  const dataDir = path.resolve(config.DATA_DIR);
  const secrets = await loadOrCreateSecrets(dataDir);
  const runningPort = runningPostmasterPort(path.join(dataDir, 'postgres'));
  if (runningPort) {
    const url = `postgres://postgres:${encodeURIComponent(secrets.embeddedDbPassword)}@127.0.0.1:${runningPort}/mingjing`;
    return migrated(openDatabase({ url, poolSize: 4 }));
  }
  const server = await startEmbeddedPostgres({ dataDir, password: secrets.embeddedDbPassword });
  const handle = openDatabase({ url: server.url, poolSize: 4 });
  return migrated({
    ...handle,
    close: async () => {
      await handle.close();
      await server.stop();
    },
  });
}

async function migrated(handle: DatabaseHandle): Promise<DatabaseHandle> {
  await migrateToLatest(handle.db);
  return handle;
}

/** The port of a live postmaster owning the cluster (line 4 of postmaster.pid), if any. */
function runningPostmasterPort(clusterDir: string): number | undefined {
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const lines = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  try {
    if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('postgres')) return undefined;
  } catch {
    return undefined;
  }
  const port = Number(lines[3]);
  return Number.isInteger(port) && port > 0 ? port : undefined;
}
