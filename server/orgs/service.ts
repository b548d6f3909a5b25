import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { allowedParentKinds, type OrganizationKind } from '../../shared/domain/enums.ts';
import { type Principal, rolesAt } from '../access/principal.ts';
import type { Db } from '../db/schema.ts';
import { badRequest, conflict } from '../http/errors.ts';

/** Organizations in the subtrees the principal holds any role on, with the roles effective at each. */
export async function listVisibleOrganizations(db: Db, principal: Principal) {
  const roots = [...new Set(principal.grants.map((g) => g.organizationId))];
  if (roots.length === 0) return [];
  const rows = await db
    .selectFrom('organizations')
    .select(['id', 'parent_id', 'kind', 'name', 'is_leadership_group', 'ancestry'])
    .where('archived_at', 'is', null)
    .where(sql<boolean>`ancestry && ${sql.val(roots)}::uuid[]`)
    .orderBy(sql`array_length(ancestry, 1)`)
    .orderBy('name')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    parentId: row.parent_id,
    kind: row.kind,
    name: row.name,
    isLeadershipGroup: row.is_leadership_group,
    myRoles: [...rolesAt(principal, row.ancestry)],
  }));
}

export async function createOrganization(
  db: Db,
  input: { parentId: string; kind: OrganizationKind; name: string; isLeadershipGroup?: boolean },
) {
  const parent = await db
    .selectFrom('organizations')
    .select(['id', 'kind', 'ancestry'])
    .where('id', '=', input.parentId)
    .executeTakeFirstOrThrow();
  if (!allowedParentKinds[input.kind].includes(parent.kind)) {
    throw badRequest('organization.kindNotAllowedHere', { kind: 'kindNotAllowedHere' });
  }
  const id = randomUUID();
  await db
    .insertInto('organizations')
    .values({
      id,
      parent_id: parent.id,
      kind: input.kind,
      name: input.name,
      ancestry: [...parent.ancestry, id],
      is_leadership_group: input.isLeadershipGroup ?? false,
    })
    .execute();
  return id;
}

export async function archiveOrganization(db: Db, id: string) {
  const [child, member] = await Promise.all([
    db
      .selectFrom('organizations')
      .select('id')
      .where('parent_id', '=', id)
      .where('archived_at', 'is', null)
      .executeTakeFirst(),
    db
      .selectFrom('members')
      .select('id')
      .where('organization_id', '=', id)
      .where('left_at', 'is', null)
      .executeTakeFirst(),
  ]);
  if (child || member) throw conflict('organization.notEmpty');
  await db.updateTable('organizations').set({ archived_at: new Date() }).where('id', '=', id).execute();
}
