import { sql } from 'kysely';
import type { Db } from '../db/schema.ts';
import { AppError, conflict } from '../http/errors.ts';
import { burnPasswordCheck, hashPassword, verifyPassword } from './secrets.ts';

/** After this many wrong passwords in a row the account is locked for `lockoutMs`. */
export const maxFailedLogins = 5;
export const lockoutMs = 15 * 60_000;

export async function createAccount(
  db: Db,
  input: { login: string; displayName: string; password: string; locale?: 'zh-CN' | 'en' },
): Promise<string> {
  const taken = await db
    .selectFrom('accounts')
    .select('id')
    .where(sql`lower(login)`, '=', input.login.toLowerCase())
    .executeTakeFirst();
  if (taken) throw conflict('auth.loginTaken', { login: 'loginTaken' });
  const row = await db
    .insertInto('accounts')
    .values({
      login: input.login,
      display_name: input.displayName,
      password_hash: await hashPassword(input.password),
      password_changed_at: new Date(),
      ...(input.locale ? { locale: input.locale } : {}),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Checks a login. Failed attempts count per account and lock it for 15 minutes after five in a
 * row; an unknown login costs the same time as a known one so the answer reveals nothing.
 */
export async function checkCredentials(db: Db, login: string, password: string): Promise<string> {
  const account = await db
    .selectFrom('accounts')
    .select(['id', 'password_hash', 'locked_until', 'disabled_at'])
    .where(sql`lower(login)`, '=', login.toLowerCase())
    .executeTakeFirst();
  if (!account?.password_hash || account.disabled_at) {
    await burnPasswordCheck(password);
    throw new AppError('auth.invalidCredentials', 401);
  }
  if (account.locked_until && account.locked_until > new Date()) {
    throw new AppError('auth.locked', 429);
  }
  if (!(await verifyPassword(account.password_hash, password))) {
    const updated = await db
      .updateTable('accounts')
      .set({ failed_login_count: sql`failed_login_count + 1` })
      .where('id', '=', account.id)
      .returning('failed_login_count')
      .executeTakeFirstOrThrow();
    if (updated.failed_login_count >= maxFailedLogins) {
      await db
        .updateTable('accounts')
        .set({ failed_login_count: 0, locked_until: new Date(Date.now() + lockoutMs) })
        .where('id', '=', account.id)
        .execute();
      throw new AppError('auth.locked', 429);
    }
    throw new AppError('auth.invalidCredentials', 401);
  }
  await db
    .updateTable('accounts')
    .set({ failed_login_count: 0, locked_until: null })
    .where('id', '=', account.id)
    .execute();
  return account.id;
}

export async function changePassword(
  db: Db,
  accountId: string,
  current: string,
  next: string,
): Promise<void> {
  const account = await db
    .selectFrom('accounts')
    .select('password_hash')
    .where('id', '=', accountId)
    .executeTakeFirstOrThrow();
  if (!account.password_hash || !(await verifyPassword(account.password_hash, current))) {
    throw new AppError('auth.wrongPassword', 400, { currentPassword: 'wrongPassword' });
  }
  await db
    .updateTable('accounts')
    .set({ password_hash: await hashPassword(next), password_changed_at: new Date() })
    .where('id', '=', accountId)
    .execute();
}
