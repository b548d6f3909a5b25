import type { Kysely } from 'kysely';
import { hashPassword } from '../../server/auth/secrets.ts';
import type { DB } from '../../server/db/schema.ts';
import type { Locale, MemberStatus, OrganizationKind, Role } from '../../shared/domain/enums.ts';
import { testPassword } from './test-app.ts';

/**
 * Direct-to-database builders for test preconditions. They write rows the way the services do;
 * anything a test is *about* goes through the API instead.
 */
let passwordHash: Promise<string> | undefined;
const sharedPasswordHash = () => (passwordHash ??= hashPassword(testPassword));

export async function insertAccount(db: Kysely<DB>, login: string, displayName = login): Promise<string> {
  const row = await db
    .insertInto('accounts')
    .values({
      login,
      display_name: displayName,
      password_hash: await sharedPasswordHash(),
      password_changed_at: new Date(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function insertOrganization(
  db: Kysely<DB>,
  name: string,
  kind: OrganizationKind,
  parent?: { id: string; ancestry: string[] },
): Promise<{ id: string; ancestry: string[] }> {
  const id = crypto.randomUUID();
  const ancestry = [...(parent?.ancestry ?? []), id];
  await db
    .insertInto('organizations')
    .values({ id, name, kind, parent_id: parent?.id ?? null, ancestry })
    .execute();
  return { id, ancestry };
}

export async function grant(db: Kysely<DB>, accountId: string, organizationId: string, role: Role) {
  await db
    .insertInto('role_grants')
    .values({ account_id: accountId, organization_id: organizationId, role })
    .execute();
}

export interface SeededMember {
  memberId: string;
  accountId: string | null;
  login: string | null;
  name: string;
  status: MemberStatus;
}

export async function insertMember(
  db: Kysely<DB>,
  branchId: string,
  name: string,
  options: {
    status?: MemberStatus;
    committeeRole?: 'secretary' | 'organization' | 'committeeMember' | null;
    login?: string | null;
  } = {},
): Promise<SeededMember> {
  const login = options.login === undefined ? null : options.login;
  const accountId = login ? await insertAccount(db, login, name) : null;
  const status = options.status ?? 'fullMember';
  const row = await db
    .insertInto('members')
    .values({
      organization_id: branchId,
      full_name: name,
      status,
      committee_role: options.committeeRole ?? null,
      account_id: accountId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { memberId: row.id, accountId, login, name, status };
}

export interface SeededCommittee {
  committee: { id: string; ancestry: string[] };
  branchA: { id: string; ancestry: string[] };
  branchB: { id: string; ancestry: string[] };
  otherCommittee: { id: string; ancestry: string[] };
  otherBranch: { id: string; ancestry: string[] };
  admin: string;
  viewer: string;
  otherViewer: string;
  secretaryA: SeededMember;
  secretaryB: SeededMember;
  membersA: SeededMember[];
  probationaryA: SeededMember;
  memberB: SeededMember;
}

/**
 * The standard world for scoping tests: a committee with branches A and B (siblings), an unrelated
 * committee with its own branch; an admin, a committee viewer on each committee, a secretary and
 * members in A (one probationary), a secretary and a member in B. Everyone's password is testPassword.
 */
export async function seedCommittee(db: Kysely<DB>, membersInA = 5): Promise<SeededCommittee> {
  const committee = await insertOrganization(db, '测试党委', 'primaryCommittee');
  const branchA = await insertOrganization(db, '第一党支部', 'partyBranch', committee);
  const branchB = await insertOrganization(db, '第二党支部', 'partyBranch', committee);
  const otherCommittee = await insertOrganization(db, '其他党委', 'primaryCommittee');
  const otherBranch = await insertOrganization(db, '其他党支部', 'partyBranch', otherCommittee);

  const admin = await insertAccount(db, 'admin', '管理员');
  await grant(db, admin, committee.id, 'admin');
  const viewer = await insertAccount(db, 'viewer', '党委组织部');
  await grant(db, viewer, committee.id, 'committeeViewer');
  const otherViewer = await insertAccount(db, 'otherviewer', '其他党委组织部');
  await grant(db, otherViewer, otherCommittee.id, 'committeeViewer');

  const secretaryA = await insertMember(db, branchA.id, '张书记', {
    committeeRole: 'secretary',
    login: 'secA',
  });
  const membersA: SeededMember[] = [];
  for (let i = 1; i <= membersInA; i++) {
    membersA.push(await insertMember(db, branchA.id, `党员甲${i}`, { login: `memberA${i}` }));
  }
  const probationaryA = await insertMember(db, branchA.id, '预备党员甲', {
    status: 'probationaryMember',
    login: 'probA',
  });
  const secretaryB = await insertMember(db, branchB.id, '李书记', {
    committeeRole: 'secretary',
    login: 'secB',
  });
  const memberB = await insertMember(db, branchB.id, '党员乙', { login: 'memberB' });
  return {
    committee,
    branchA,
    branchB,
    otherCommittee,
    otherBranch,
    admin,
    viewer,
    otherViewer,
    secretaryA,
    secretaryB,
    membersA,
    probationaryA,
    memberB,
  };
}

/** Saves a language on accounts, as choosing it in the app bar while signed in does. */
export async function setAccountLocale(db: Kysely<DB>, accountIds: readonly string[], locale: Locale) {
  await db.updateTable('accounts').set({ locale }).where('id', 'in', accountIds).execute();
}
