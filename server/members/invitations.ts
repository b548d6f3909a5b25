import { sql } from 'kysely';
import QRCode from 'qrcode';
import type { Locale } from '../../shared/domain/enums.ts';
import type { InvitationSlip } from '../../shared/schemas/members.ts';
import { createAccount } from '../auth/accounts.ts';
import { hashHumanCode, newHumanCode } from '../auth/secrets.ts';
import type { Db } from '../db/schema.ts';
import { AppError, conflict, notFound } from '../http/errors.ts';

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

/**
 * Issues one fresh code per member of the branch who has no account — the given ones, or all of
 * them — and returns the slips to print. Codes are shown once: only their hashes are stored.
 * Run inside a transaction so superseding the old codes and storing the new ones go together.
 */
export async function issueInvitations(
  db: Db,
  input: { branchId: string; memberIds?: readonly string[]; createdBy: string; publicUrl: string },
): Promise<InvitationSlip[]> {
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
  const issued = members.map((m) => ({ member: m, code: newHumanCode() }));
  await db
    .insertInto('invitations')
    .values(
      issued.map(({ member, code }) => ({
        member_id: member.id,
        code_hash: hashHumanCode(code),
        created_by: input.createdBy,
        expires_at: expiresAt,
      })),
    )
    .execute();
  return Promise.all(
    issued.map(async ({ member, code }) => {
      const url = invitationUrl(input.publicUrl, code);
      return {
        memberId: member.id,
        memberName: member.full_name,
        code,
        url,
        qrSvg: await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 }),
        expiresAt,
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
    .select(['i.id', 'm.id as memberId', 'm.full_name as memberName', 'o.name as organizationName'])
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
 * roster entry. Run in one transaction: a taken login leaves the code unused, and two people racing
 * with the same code cannot both succeed (the row lock on the invitation serialises them).
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
  return accountId;
}
