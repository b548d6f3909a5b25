import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/schema.ts';
import type { AuditLogTable } from '../db/tables/audit.ts';

/**
 * What gets audited: host and administrative actions (round opened/closed/revealed, moderation,
 * minutes sign-off, appraisal determinations, role changes…). Never a participant's submission,
 * never ballot or comment content: details carry ids and codes only.
 */
export interface AuditEntry {
  actorAccountId: string | null;
  /** A readable name for the actor at the time (accounts can be renamed later). */
  actorLabel: string;
  /** Dotted action code, e.g. `round.closed`, `grant.created`, `minutes.signed`. */
  action: string;
  organizationId?: string | null;
  meetingId?: string | null;
  details?: Record<string, string | number | boolean | null>;
}

/**
 * An audit append that a service runs inside its own transaction, at the point where it knows the
 * action changed something (a repeated "open" that changes nothing records nothing). The service
 * may add ids only it knows, such as the id of the row it just created.
 */
export type AuditInTransaction = (trx: Db, known?: AuditEntry['details']) => Promise<void>;

export const genesisHash = '0'.repeat(64);
/** One lock id for the whole chain: appends from every node are serialized so the chain stays linear. */
const chainLockId = 0x6d6a_6175; // "mjau"

/**
 * Appends an entry inside the caller's transaction (pass the transaction so the entry commits or
 * rolls back with the action it records). Takes a transaction-scoped advisory lock: appends are
 * rare (human actions), so serializing them costs nothing noticeable.
 */
export async function appendAudit(db: Db, entry: AuditEntry): Promise<void> {
  await sql`select pg_advisory_xact_lock(${chainLockId})`.execute(db);
  const last = await db
    .selectFrom('audit_log')
    .select(['seq', 'hash'])
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  const row = {
    seq: (last?.seq ?? 0) + 1,
    at: new Date(),
    actor_account_id: entry.actorAccountId,
    actor_label: entry.actorLabel,
    action: entry.action,
    organization_id: entry.organizationId ?? null,
    meeting_id: entry.meetingId ?? null,
    details: entry.details ?? {},
    prev_hash: last?.hash ?? genesisHash,
  };
  await db
    .insertInto('audit_log')
    .values({ ...row, details: JSON.stringify(row.details) as never, hash: chainHash(row) })
    .execute();
}

type HashedFields = Omit<AuditLogTable, 'hash'>;

/** sha256 over the previous hash and a canonical JSON of the row (keys sorted at every level). */
export function chainHash(row: HashedFields): string {
  const canonical = canonicalJson({
    seq: row.seq,
    at: row.at.toISOString(),
    actor: row.actor_account_id,
    label: row.actor_label,
    action: row.action,
    organization: row.organization_id,
    meeting: row.meeting_id,
    details: row.details,
  });
  return createHash('sha256').update(row.prev_hash).update(canonical).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export interface ChainVerification {
  ok: boolean;
  entries: number;
  /** The first sequence number whose link or content does not check out. */
  brokenAt?: number;
  reason?: 'gap' | 'prevHash' | 'hash';
  /**
   * The last entry of an intact chain. Removing entries from the end leaves a chain that verifies:
   * a head recorded elsewhere earlier (a later seq, or the same seq with another hash) shows it.
   */
  head?: { seq: number; hash: string };
}

/** Walks the whole chain in order; streaming in pages keeps memory flat for long histories. */
export async function verifyAuditChain(db: Db, pageSize = 1000): Promise<ChainVerification> {
  let previousHash = genesisHash;
  let expectedSeq = 1;
  let entries = 0;
  for (;;) {
    const page = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '>=', expectedSeq)
      .orderBy('seq')
      .limit(pageSize)
      .execute();
    for (const row of page) {
      if (row.seq !== expectedSeq) return { ok: false, entries, brokenAt: expectedSeq, reason: 'gap' };
      if (row.prev_hash !== previousHash)
        return { ok: false, entries, brokenAt: row.seq, reason: 'prevHash' };
      if (chainHash(row) !== row.hash) return { ok: false, entries, brokenAt: row.seq, reason: 'hash' };
      previousHash = row.hash;
      expectedSeq++;
      entries++;
    }
    if (page.length < pageSize)
      return {
        ok: true,
        entries,
        ...(entries > 0 ? { head: { seq: expectedSeq - 1, hash: previousHash } } : {}),
      };
  }
}

/** The actor fields of an entry, from the signed-in principal. */
export function actorOf(principal: { accountId: string; displayName: string }) {
  return { actorAccountId: principal.accountId, actorLabel: principal.displayName };
}
