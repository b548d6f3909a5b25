import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Secrets the server generates for itself on first start and keeps in the data directory, so a
 * newcomer configures nothing and a restart keeps sessions valid. An operator can still supply
 * SESSION_SECRET explicitly (required when several nodes must share it).
 */
export interface LocalSecrets {
  sessionSecret: string;
  embeddedDbPassword: string;
}

export async function loadOrCreateSecrets(dataDir: string): Promise<LocalSecrets> {
  const file = path.join(dataDir, 'secrets.json');
  try {
    const stored = JSON.parse(await readFile(file, 'utf8')) as Partial<LocalSecrets>;
    if (stored.sessionSecret && stored.embeddedDbPassword) return stored as LocalSecrets;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const fresh: LocalSecrets = {
    sessionSecret: randomBytes(32).toString('base64url'),
    embeddedDbPassword: randomBytes(24).toString('base64url'),
  };
  await mkdir(dataDir, { recursive: true });
  await writeFile(file, JSON.stringify(fresh, null, 2), { mode: 0o600 });
  return fresh;
}
