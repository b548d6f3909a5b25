import type { Kysely, Transaction } from 'kysely';
import type { AuditInTransaction } from '../audit/audit-log.ts';
import { hashHumanCode, hashToken, newHumanCode, newToken } from '../auth/secrets.ts';
import type { DB } from '../db/schema.ts';
import type { ParticipantKind } from '../db/tables/live.ts';
import { badRequest } from '../http/errors.ts';
import { recordEvent } from './events.ts';

/**
 * Passes let people join without an account on this phone: the host prints one-time codes (a
 * member's roster entry, or an observer), the phone exchanges its code once for a device token.
 * Only hashes are stored. A lost phone is rebound: its pass is revoked (who, when, why) and a new
 * code issued.
 */
const codeLifetimeMs = 7 * 24 * 3600_000;
/** Why an unclaimed slip was replaced by a reprint (housekeeping, not a rebinding). */
const reissued = 'reissued';

export interface IssuedCode {
  memberId?: string;
  observerId?: string;
  name: string;
  code: string;
  expiresAt: Date;
}

interface Target {
  kind: ParticipantKind;
  id: string;
  name: string;
}

/** Replaces any unclaimed code of each target with a fresh one; claimed passes are left alone. */
async function issue(
  trx: Transaction<DB>,
  meetingId: string,
  targets: Target[],
  accountId: string,
  reason: string,
): Promise<{ codes: IssuedCode[]; alreadyClaimed: string[] }> {
  const column = (kind: ParticipantKind) => (kind === 'member' ? 'member_id' : 'observer_id');
  const active = await trx
    .selectFrom('live_passes')
    .select(['id', 'kind', 'member_id', 'observer_id', 'claimed_at'])
    .where('meeting_id', '=', meetingId)
    .where('revoked_at', 'is', null)
    .execute();
  const activeOf = new Map(active.map((p) => [`${p.kind}:${p.member_id ?? p.observer_id}`, p]));
  const codes: IssuedCode[] = [];
  const alreadyClaimed: string[] = [];
  for (const target of targets) {
    const current = activeOf.get(`${target.kind}:${target.id}`);
    if (current?.claimed_at) {
      alreadyClaimed.push(target.id);
      continue;
    }
    if (current)
      await trx
        .updateTable('live_passes')
        .set({ revoked_at: new Date(), revoked_by: accountId, revoke_reason: reason })
        .where('id', '=', current.id)
        .execute();
    const code = newHumanCode();
    const expiresAt = new Date(Date.now() + codeLifetimeMs);
    await trx
      .insertInto('live_passes')
      .values({
        meeting_id: meetingId,
        kind: target.kind,
        [column(target.kind)]: target.id,
        code_hash: hashHumanCode(code),
        code_expires_at: expiresAt,
        issued_by: accountId,
      })
      .execute();
    codes.push({
      [target.kind === 'member' ? 'memberId' : 'observerId']: target.id,
      name: target.name,
      code,
      expiresAt,
    });
  }
  return { codes, alreadyClaimed };
}

/** Claim codes for invitees; by default every invitee without an account. */
export async function issueClaimCodes(
  db: Kysely<DB>,
  meetingId: string,
  memberIds: string[] | undefined,
  accountId: string,
  audit?: AuditInTransaction,
) {
  return db.transaction().execute(async (trx) => {
    let query = trx
      .selectFrom('meeting_invitees as i')
      .innerJoin('members as m', 'm.id', 'i.member_id')
      .select(['m.id', 'm.full_name'])
      .where('i.meeting_id', '=', meetingId)
      .where('m.left_at', 'is', null);
    query = memberIds ? query.where('m.id', 'in', memberIds) : query.where('m.account_id', 'is', null);
    const invitees = await query.orderBy('m.full_name').execute();
    if (memberIds) assertAllFound(memberIds, invitees, 'memberIds', 'live.notInvitee');
    const issued = await issue(
      trx,
      meetingId,
      invitees.map((m) => ({ kind: 'member' as const, id: m.id, name: m.full_name })),
      accountId,
      reissued,
    );
    // Codes are credentials: who handed out how many is on the record (never the codes).
    await audit?.(trx, { count: issued.codes.length });
    return issued;
  });
}

export async function issueObserverCodes(
  db: Kysely<DB>,
  meetingId: string,
  observerIds: string[] | undefined,
  accountId: string,
  audit?: AuditInTransaction,
) {
  return db.transaction().execute(async (trx) => {
    let query = trx
      .selectFrom('meeting_observers')
      .select(['id', 'name'])
      .where('meeting_id', '=', meetingId);
    if (observerIds) query = query.where('id', 'in', observerIds);
    const observers = await query.orderBy('name').execute();
    if (observerIds) assertAllFound(observerIds, observers, 'observerIds', 'live.notObserver');
    const issued = await issue(
      trx,
      meetingId,
      observers.map((o) => ({ kind: 'observer' as const, id: o.id, name: o.name })),
      accountId,
      reissued,
    );
    await audit?.(trx, { count: issued.codes.length });
    return issued;
  });
}

function assertAllFound(wanted: string[], found: Array<{ id: string }>, field: string, code: string) {
  const ids = new Set(found.map((f) => f.id));
  const fields: Record<string, string> = {};
  wanted.forEach((id, i) => {
    if (!ids.has(id)) fields[`${field}.${i}`] = 'invalidOption';
  });
  if (Object.keys(fields).length > 0) throw badRequest(code, fields);
}

/**
 * A lost or replaced phone: revokes the member's current pass (claimed or not), recording who did
 * it and why, and issues a new claim code. The old phone's sockets are closed (4003).
 */
export async function rebind(
  db: Kysely<DB>,
  meetingId: string,
  memberId: string,
  reason: string,
  accountId: string,
  audit?: AuditInTransaction,
): Promise<IssuedCode> {
  return db.transaction().execute(async (trx) => {
    const member = await trx
      .selectFrom('meeting_invitees as i')
      .innerJoin('members as m', 'm.id', 'i.member_id')
      .select(['m.id', 'm.full_name'])
      .where('i.meeting_id', '=', meetingId)
      .where('m.id', '=', memberId)
      .executeTakeFirst();
    if (!member) throw badRequest('live.notInvitee', { memberId: 'invalidOption' });
    await trx
      .updateTable('live_passes')
      .set({ revoked_at: new Date(), revoked_by: accountId, revoke_reason: reason })
      .where('meeting_id', '=', meetingId)
      .where('member_id', '=', memberId)
      .where('revoked_at', 'is', null)
      .execute();
    const { codes } = await issue(
      trx,
      meetingId,
      [{ kind: 'member', id: member.id, name: member.full_name }],
      accountId,
      reason,
    );
    await audit?.(trx);
    return codes[0]!;
  });
}

/**
 * Exchanges a one-time code for a device token. Unknown, used, revoked and expired codes are one
 * error, so the answer reveals nothing about which codes exist. Observers joining change the host's
 * attendance view, so that records an event (returned).
 */
export async function claim(
  db: Kysely<DB>,
  code: string,
  kind: ParticipantKind,
): Promise<{ meetingId: string; token: string; name: string; seq: number | null } | undefined> {
  return db.transaction().execute(async (trx) => {
    const token = newToken();
    const pass = await trx
      .updateTable('live_passes')
      .set({ token_hash: hashToken(token), claimed_at: new Date() })
      .where('code_hash', '=', hashHumanCode(code))
      .where('kind', '=', kind)
      .where('revoked_at', 'is', null)
      .where('claimed_at', 'is', null)
      .where('code_expires_at', '>', new Date())
      .returning(['meeting_id', 'member_id', 'observer_id'])
      .executeTakeFirst();
    if (!pass) return undefined;
    const name = pass.member_id
      ? (
          await trx
            .selectFrom('members')
            .select('full_name as name')
            .where('id', '=', pass.member_id)
            .executeTakeFirstOrThrow()
        ).name
      : (
          await trx
            .selectFrom('meeting_observers')
            .select('name')
            .where('id', '=', pass.observer_id!)
            .executeTakeFirstOrThrow()
        ).name;
    const seq = kind === 'observer' ? await recordEvent(trx, pass.meeting_id, 'attendance') : null;
    return { meetingId: pass.meeting_id, token, name, seq };
  });
}

export interface PassHolder {
  passId: string;
  kind: ParticipantKind;
  id: string;
  name: string;
  revoked: boolean;
}

/** The pass a device token belongs to, for a given meeting (revoked ones too, to say so). */
export async function passByToken(
  db: Kysely<DB>,
  meetingId: string,
  token: string,
  kind: ParticipantKind,
): Promise<PassHolder | undefined> {
  const row = await db
    .selectFrom('live_passes as p')
    .leftJoin('members as m', 'm.id', 'p.member_id')
    .leftJoin('meeting_observers as o', 'o.id', 'p.observer_id')
    .select(['p.id', 'p.member_id', 'p.observer_id', 'p.revoked_at', 'm.full_name', 'o.name'])
    .where('p.token_hash', '=', hashToken(token))
    .where('p.meeting_id', '=', meetingId)
    .where('p.kind', '=', kind)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    passId: row.id,
    kind,
    id: (row.member_id ?? row.observer_id)!,
    name: (row.full_name ?? row.name)!,
    revoked: row.revoked_at !== null,
  };
}

/** Everyone who can hold a pass, with its state and the history of revoked bindings. */
export async function listPasses(db: Kysely<DB>, meetingId: string) {
  const [invitees, observers, passes] = await Promise.all([
    db
      .selectFrom('meeting_invitees as i')
      .innerJoin('members as m', 'm.id', 'i.member_id')
      .select(['m.id', 'm.full_name as name'])
      .where('i.meeting_id', '=', meetingId)
      .orderBy('m.full_name')
      .execute(),
    db
      .selectFrom('meeting_observers')
      .select(['id', 'name'])
      .where('meeting_id', '=', meetingId)
      .orderBy('name')
      .execute(),
    db
      .selectFrom('live_passes as p')
      .leftJoin('accounts as a', 'a.id', 'p.revoked_by')
      .select([
        'p.member_id',
        'p.observer_id',
        'p.claimed_at',
        'p.revoked_at',
        'p.revoke_reason',
        'a.display_name as revokedByName',
      ])
      .where('p.meeting_id', '=', meetingId)
      .orderBy('p.issued_at')
      .execute(),
  ]);
  const describe = (id: string, name: string, key: 'memberId' | 'observerId') => {
    const own = passes.filter((p) => (p.member_id ?? p.observer_id) === id);
    const active = own.find((p) => p.revoked_at === null);
    return {
      [key]: id,
      name,
      state: active ? (active.claimed_at ? ('claimed' as const) : ('issued' as const)) : ('none' as const),
      claimedAt: active?.claimed_at ?? null,
      // A reprinted unclaimed slip is housekeeping, not a rebinding worth listing.
      revoked: own
        .filter((p) => p.revoked_at !== null && (p.claimed_at !== null || p.revoke_reason !== reissued))
        .map((p) => ({ at: p.revoked_at!, byName: p.revokedByName, reason: p.revoke_reason ?? '' })),
    };
  };
  return {
    passes: [
      ...invitees.map((m) => describe(m.id, m.name, 'memberId')),
      ...observers.map((o) => describe(o.id, o.name, 'observerId')),
    ],
  };
}
