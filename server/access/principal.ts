import type { Role } from '../../shared/domain/enums.ts';
import type { Db } from '../db/schema.ts';
import { AppError, notFound } from '../http/errors.ts';
import { type Permission, rolePermissions } from './permissions.ts';

export interface Grant {
  role: Role;
  organizationId: string;
  /** Set when the grant comes from a roster entry rather than an explicit role grant. */
  memberId?: string;
}

/** The signed-in account and everything it may do, loaded once per request that needs it. */
export interface Principal {
  accountId: string;
  login: string;
  displayName: string;
  locale: 'zh-CN' | 'en';
  grants: Grant[];
}

/**
 * Explicit role grants plus the ones a roster entry implies: every current member of a branch is
 * a `member` there, and a member holding a committee post is also its `secretary`.
 */
export async function loadGrants(db: Db, accountId: string): Promise<Grant[]> {
  const [explicit, memberships] = await Promise.all([
    db
      .selectFrom('role_grants')
      .select(['role', 'organization_id'])
      .where('account_id', '=', accountId)
      .execute(),
    db
      .selectFrom('members')
      .select(['id', 'organization_id', 'committee_role'])
      .where('account_id', '=', accountId)
      .where('left_at', 'is', null)
      .execute(),
  ]);
  const grants: Grant[] = explicit.map((g) => ({ role: g.role, organizationId: g.organization_id }));
  for (const m of memberships) {
    grants.push({ role: 'member', organizationId: m.organization_id, memberId: m.id });
    if (m.committee_role)
      grants.push({ role: 'secretary', organizationId: m.organization_id, memberId: m.id });
  }
  return grants;
}

/** Roles the principal holds at an organization, given that organization's ancestry (root … self). */
export function rolesAt(principal: Principal, ancestry: readonly string[]): Set<Role> {
  const roles = new Set<Role>();
  for (const grant of principal.grants) if (ancestry.includes(grant.organizationId)) roles.add(grant.role);
  return roles;
}

export function can(principal: Principal, permission: Permission, ancestry: readonly string[]): boolean {
  for (const role of rolesAt(principal, ancestry))
    if (rolePermissions[role].includes(permission)) return true;
  return false;
}

export interface OrganizationScope {
  id: string;
  kind: string;
  name: string;
  ancestry: string[];
}

/**
 * Loads an organization and checks a permission on it. Someone with no role there at all gets 404
 * (we do not confirm that another branch's records exist); someone who can see the organization
 * but lacks this permission gets 403.
 */
export async function authorize(
  db: Db,
  principal: Principal,
  permission: Permission,
  organizationId: string,
): Promise<OrganizationScope> {
  const organization = await db
    .selectFrom('organizations')
    .select(['id', 'kind', 'name', 'ancestry'])
    .where('id', '=', organizationId)
    .where('archived_at', 'is', null)
    .executeTakeFirst();
  if (!organization || rolesAt(principal, organization.ancestry).size === 0) throw notFound();
  if (!can(principal, permission, organization.ancestry)) throw new AppError('auth.forbidden', 403);
  return organization;
}

/** The member ids the principal holds in a given branch (usually one). */
export function memberIdsIn(principal: Principal, organizationId: string): string[] {
  return principal.grants
    .filter((g) => g.role === 'member' && g.organizationId === organizationId && g.memberId)
    .map((g) => g.memberId!);
}
