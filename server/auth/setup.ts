import type { Db } from '../db/schema.ts';
import { hashToken, newToken } from './secrets.ts';

const setupTokenLifetimeMs = 24 * 3600_000;

export async function needsSetup(db: Db): Promise<boolean> {
  const admin = await db
    .selectFrom('role_grants')
    .select('id')
    .where('role', '=', 'admin')
    .executeTakeFirst();
  return !admin;
}

/**
 * On a start with no administrator yet, makes a one-time set-up token and returns the URL to print.
 * Each start makes a new one (the console that printed it is the proof of being the operator).
 */
export async function issueSetupTokenIfNeeded(db: Db, publicUrl: string): Promise<string | undefined> {
  if (!(await needsSetup(db))) return undefined;
  const token = newToken(24);
  await db
    .insertInto('setup_tokens')
    .values({ token_hash: hashToken(token), expires_at: new Date(Date.now() + setupTokenLifetimeMs) })
    .execute();
  return `${publicUrl.replace(/\/$/, '')}/setup?token=${token}`;
}

/** Marks a set-up token used; false when it is unknown, used or expired. */
export async function consumeSetupToken(db: Db, token: string): Promise<boolean> {
  const used = await db
    .updateTable('setup_tokens')
    .set({ used_at: new Date() })
    .where('token_hash', '=', hashToken(token))
    .where('used_at', 'is', null)
    .where('expires_at', '>', new Date())
    .returning('token_hash')
    .executeTakeFirst();
  return !!used;
}
