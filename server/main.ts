import path from 'node:path';
import closeWithGrace from 'close-with-grace';
import { buildApp } from './app.ts';
import { issueSetupTokenIfNeeded } from './auth/setup.ts';
import { ConfigError, loadConfig } from './config/config.ts';
import { loadOrCreateSecrets } from './config/secrets.ts';
import { migrateToLatest, openDatabase } from './db/connect.ts';
import { type RunningEmbeddedPostgres, startEmbeddedPostgres } from './db/embedded-postgres.ts';
import { loggableError, loggerOptions } from './http/logging.ts';

/**
 * Starts Mingjing: configuration, database (embedded PostgreSQL under DATA_DIR unless DATABASE_URL
 * is set), migrations, the HTTP/websocket server, and an orderly shutdown on SIGINT/SIGTERM.
 */
async function main() {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const dataDir = path.resolve(config.DATA_DIR);
  const secrets = await loadOrCreateSecrets(dataDir);
  const publicUrl = config.PUBLIC_URL ?? `http://localhost:${config.PORT || 3000}`;

  const logger = loggerOptions(config.LOG_LEVEL);

  let embedded: RunningEmbeddedPostgres | undefined;
  let databaseUrl = config.DATABASE_URL;
  if (!databaseUrl) {
    embedded = await startEmbeddedPostgres({
      dataDir,
      password: secrets.embeddedDbPassword,
      port: config.EMBEDDED_PG_PORT,
      log: (line) => process.stdout.write(`${line}\n`),
    });
    databaseUrl = embedded.url;
  }

  const database = openDatabase({ url: databaseUrl });
  const applied = await migrateToLatest(database.db);
  if (applied.length > 0) process.stdout.write(`migrations applied: ${applied.join(', ')}\n`);

  const app = await buildApp({
    db: database.db,
    sessionSecret: config.SESSION_SECRET ?? secrets.sessionSecret,
    publicUrl: config.PUBLIC_URL,
    logger,
    trustProxy: config.TRUST_PROXY,
    clientDir: path.resolve(import.meta.dirname, '..', 'dist', 'client'),
    databaseUrl: config.DATABASE_URL,
  });
  // Logged like any unexpected error: a pg error carries the client's connection settings and detail.
  database.pool.on('error', (err) =>
    app.log.warn({ err: loggableError(err) }, 'idle database connection failed'),
  );

  closeWithGrace({ delay: 15_000 }, async ({ signal, err }) => {
    if (err) app.log.error({ err: loggableError(err) }, 'shutting down after an error');
    else app.log.info({ signal }, 'shutting down');
    await app.close();
    await database.close();
    await embedded?.stop();
  });

  await app.listen({ port: config.PORT, host: config.HOST });
  const setupUrl = await issueSetupTokenIfNeeded(database.db, publicUrl);
  if (setupUrl) {
    process.stdout.write(
      `\n  明镜 Mingjing has no administrator yet. Open this one-time set-up link to create one:\n\n    ${setupUrl}\n\n`,
    );
  }
}

main().catch((err) => {
  process.stderr.write(
    `Mingjing failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
