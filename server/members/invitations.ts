import { sql } from 'kysely';
import QRCode from 'qrcode';
import type { Locale } from '../../shared/domain/enums.ts';
import type { InvitationSlip } from '../../shared/schemas/members.ts';
import { createAccount } from '../auth/accounts.ts';
import { hashHumanCode, newHumanCode } from '../auth/secrets.ts';
import type { Db } from '../db/schema.ts';
import { AppError, conflict, notFound } from '../http/errors.ts';
import { auditRoster, type RosterActor } from './audit.ts';

/** A printed slip stays valid for two weeks: long enough to hand out at the next meeting. */
export const invitationLifetimeMs = 14 * 24 * 3600_000;

const invalid = () => new AppError('auth.invitationInvalid', 400, { code: 'invalid' });

/** Ends every unused code of these members now (a new code supersedes them; leaving voids them). */
export async function expireUnusedInvitations(db: Db, memberIds: readonly string[]) {
  if (memberIds.length === 0) return;
  const now = new Date();
  await db
    .updateTable('invitations')
    .set({ expires_at: now })
    .where('member_id', 'in', memberIds)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .execute();
}

/** The link printed on a slip; the code travels in the page's query string, never in an API path. */
export function invitationUrl(publicUrl: string, code: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/invite?code=${encodeURIComponent(code)}`;
}

export interface IssuedInvitation {
  memberId: string;
  memberName: string;
  code: string;
  expiresAt: Date;
}

/**
 * Issues one fresh code per member of the branch who has no account — the given ones, or all of
 * them. Codes are returned once: only their hashes are stored, and the audit entry names the
 * members, never the codes. Run inside a transaction so superseding the old codes, storing the new
 * ones and auditing go together.
 */
export async function issueInvitations(
  db: Db,
  input: { branchId: string; memberIds?: readonly string[] },
  actor: RosterActor,
): Promise<IssuedInvitation[]> {
  let query = db
    .selectFrom('members')
    .select(['id', 'full_name', 'account_id'])
    .where('organization_id', '=', input.branchId)
    .where('left_at', 'is', null)
    .orderBy(sql`convert_to(full_name, 'GB18030')`);
  const wanted = input.memberIds ? [...new Set(input.memberIds)] : undefined;
  query = wanted ? query.where('id', 'in', wanted) : query.where('account_id', 'is', null);
  const members = await query.execute();
  // Someone else's member (or one who left) is as unknown here as a made-up id.
  if (wanted && members.length !== wanted.length) throw notFound();
  if (members.some((m) => m.account_id !== null))
    throw conflict('auth.alreadyHasAccount', { memberIds: 'alreadyHasAccount' });
  if (members.length === 0) return [];

  await expireUnusedInvitations(
    db,
    members.map((m) => m.id),
  );
  const expiresAt = new Date(Date.now() + invitationLifetimeMs);
  const issued = members.map((m) => ({
    memberId: m.id,
    memberName: m.full_name,
    code: newHumanCode(),
    expiresAt,
  }));
  await db
    .insertInto('invitations')
    .values(
      issued.map((i) => ({
        member_id: i.memberId,
        code_hash: hashHumanCode(i.code),
        created_by: actor.accountId,
        expires_at: expiresAt,
      })),
    )
    .execute();
  await auditRoster(db, actor, 'invitations.issued', input.branchId, {
    count: issued.length,
    memberIds: issued.map((i) => i.memberId).join(','),
  });
  return issued;
}

/** The printable slips: each code with its link and the link as a QR code (after the transaction). */
export function invitationSlips(
  issued: readonly IssuedInvitation[],
  publicUrl: string,
): Promise<InvitationSlip[]> {
  return Promise.all(
    issued.map(async (i) => {
      const url = invitationUrl(publicUrl, i.code);
      return {
        ...i,
        url,
        qrSvg: await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 }),
      };
    }),
  );
}

/** A code that can still be used: unused, unexpired, for a current member without an account. */
function usableInvitation(db: Db, code: string) {
  return db
    .selectFrom('invitations as i')
    .innerJoin('members as m', 'm.id', 'i.member_id')
    .innerJoin('organizations as o', 'o.id', 'm.organization_id')
    .select([
      'i.id',
      'm.id as memberId',
      'm.full_name as memberName',
      'o.id as organizationId',
      'o.name as organizationName',
    ])
    .where('i.code_hash', '=', hashHumanCode(code))
    .where('i.used_at', 'is', null)
    .where('i.expires_at', '>', new Date())
    .where('m.left_at', 'is', null)
    .where('m.account_id', 'is', null)
    .where('o.archived_at', 'is', null);
}

/** Who a code is for, so the person can check it is theirs before choosing a password. */
export async function previewInvitation(db: Db, code: string) {
  const found = await usableInvitation(db, code).executeTakeFirst();
  if (!found) throw invalid();
  return { memberName: found.memberName, organizationName: found.organizationName };
}

/**
 * Redeems a code: creates the account with the chosen login and password and links it to the
 * roster entry, audited as done by the new account. Run in one transaction: a taken login leaves
 * the code unused, and two people racing with the same code cannot both succeed (the row lock on
 * the invitation serialises them).
 */
export async function acceptInvitation(
  db: Db,
  input: { code: string; login: string; password: string; locale: Locale },
): Promise<string> {
  const found = await usableInvitation(db, input.code).forUpdate('i').executeTakeFirst();
  if (!found) throw invalid();
  const claimed = await db
    .updateTable('invitations')
    .set({ used_at: new Date() })
    .where('id', '=', found.id)
    .where('used_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  if (!claimed) throw invalid();
  const accountId = await createAccount(db, {
    login: input.login,
    displayName: found.memberName,
    password: input.password,
    locale: input.locale,
  });
  const linked = await db
    .updateTable('members')
    .set({ account_id: accountId, updated_at: new Date() })
    .where('id', '=', found.memberId)
    .where('account_id', 'is', null)
    .returning('id')
    .executeTakeFirst();
  if (!linked) throw invalid();
  await auditRoster(
    db,
    { accountId, displayName: found.memberName },
    'invitation.accepted',
    found.organizationId,
    { memberId: found.memberId, accountId, invitationId: found.id },
  );
  return accountId;
}
