import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../db/schema.ts';
import { hashToken, newToken } from './secrets.ts';

export const sessionCookie = 'mj_session';

/** Sessions end after 30 days regardless, and after 14 days without use. */
const absoluteLifetimeMs = 30 * 24 * 3600_000;
const idleLifetimeMs = 14 * 24 * 3600_000;
/** Refreshing last_seen on every request would turn every read into a write. */
const touchIntervalMs = 5 * 60_000;

export async function createSession(db: Db, accountId: string): Promise<string> {
  const token = newToken();
  await db
    .insertInto('sessions')
    .values({
      token_hash: hashToken(token),
      account_id: accountId,
      expires_at: new Date(Date.now() + absoluteLifetimeMs),
    })
    .execute();
  return token;
}

export interface SessionAccount {
  accountId: string;
  login: string;
  displayName: string;
  locale: 'zh-CN' | 'en';
}

export async function findSessionAccount(db: Db, token: string): Promise<SessionAccount | undefined> {
  const tokenHash = hashToken(token);
  const row = await db
    .selectFrom('sessions')
    .innerJoin('accounts', 'accounts.id', 'sessions.account_id')
    .select([
      'accounts.id',
      'accounts.login',
      'accounts.display_name',
      'accounts.locale',
      'sessions.last_seen_at',
    ])
    .where('sessions.token_hash', '=', tokenHash)
    .where('sessions.expires_at', '>', new Date())
    .where('sessions.last_seen_at', '>', new Date(Date.now() - idleLifetimeMs))
    .where('accounts.disabled_at', 'is', null)
    .executeTakeFirst();
  if (!row) return undefined;
  if (Date.now() - row.last_seen_at.getTime() > touchIntervalMs) {
    await db
      .updateTable('sessions')
      .set({ last_seen_at: new Date() })
      .where('token_hash', '=', tokenHash)
      .execute();
  }
  return { accountId: row.id, login: row.login, displayName: row.display_name, locale: row.locale };
}

export async function destroySession(db: Db, token: string): Promise<void> {
  await db.deleteFrom('sessions').where('token_hash', '=', hashToken(token)).execute();
}

/** Signs out everywhere else, e.g. after a password change. */
export async function destroyOtherSessions(db: Db, accountId: string, keepToken: string): Promise<void> {
  await db
    .deleteFrom('sessions')
    .where('account_id', '=', accountId)
    .where('token_hash', '!=', hashToken(keepToken))
    .execute();
}

export function setSessionCookie(reply: FastifyReply, token: string) {
  reply.setCookie(sessionCookie, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    // `auto`: Secure whenever the request arrived over HTTPS (directly or via a trusted proxy).
    secure: 'auto',
    signed: true,
    maxAge: absoluteLifetimeMs / 1000,
  });
}

export function clearSessionCookie(reply: FastifyReply) {
  reply.clearCookie(sessionCookie, { path: '/' });
}

/** The raw session token from the signed cookie, or undefined when absent or tampered with. */
export function sessionTokenOf(request: FastifyRequest): string | undefined {
  const raw = request.cookies[sessionCookie];
  if (!raw) return undefined;
  const unsigned = request.unsignCookie(raw);
  return unsigned.valid && unsigned.value ? unsigned.value : undefined;
}
