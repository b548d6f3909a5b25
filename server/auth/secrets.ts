import { createHash, randomBytes, randomInt } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

/**
 * Password hashing parameters: argon2id with 19 MiB of memory, 2 passes, 1 lane — the OWASP
 * Password Storage Cheat Sheet's first recommended configuration. About 30 ms per hash on the
 * project's 2-core machines, which also bounds what a login flood can cost us.
 */
// `algorithm: 2` is Algorithm.Argon2id (a const enum we cannot import under verbatimModuleSyntax).
export const argon2Parameters = { algorithm: 2 as const, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export function hashPassword(password: string): Promise<string> {
  return hash(password, argon2Parameters);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** A hash computed when the account does not exist, so "no such login" costs as long as "wrong password". */
let dummyHash: Promise<string> | undefined;
export async function burnPasswordCheck(password: string): Promise<void> {
  dummyHash ??= hashPassword('not-a-real-password-just-timing');
  await verifyPassword(await dummyHash, password);
}

/** A bearer secret for cookies and links; only its hash is ever stored. */
export function newToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

// Crockford's base32 without I, L, O, U: codes are read aloud and typed on phones by people of any age.
const codeAlphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A short human code such as `K7QF-2M9X-PA`, for printed invitation slips and roster claims.
 * 10 symbols = 50 bits: one-time, expiring and rate-limited, so guessing is hopeless.
 */
export function newHumanCode(symbols = 10, groupSize = 4): string {
  let code = '';
  for (let i = 0; i < symbols; i++) {
    if (i > 0 && i % groupSize === 0) code += '-';
    code += codeAlphabet[randomInt(codeAlphabet.length)];
  }
  return code;
}

/** Normalises what a person typed (lower case, spaces, O for 0…) back to the canonical code. */
export function normalizeHumanCode(typed: string): string {
  const cleaned = typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  return cleaned;
}

export function hashHumanCode(typed: string): string {
  return hashToken(normalizeHumanCode(typed));
}
