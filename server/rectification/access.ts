import type { Selectable } from 'kysely';
import { type Actor, allowedActions, isClosed } from '../../shared/domain/rectification.ts';
import { authorize, can, type OrganizationScope, type Principal } from '../access/principal.ts';
import type { Db } from '../db/schema.ts';
import type { ProblemsTable, RectificationItemsTable } from '../db/tables/rectification.ts';
import { forbidden, notFound } from '../http/errors.ts';

export type ItemRow = Selectable<RectificationItemsTable>;
export type ProblemRow = Selectable<ProblemsTable>;

/** An item with what the caller may do with it. */
export interface ItemAccess {
  item: ItemRow;
  organizationId: string;
  /** Holds rectification.manage in the item's branch (the branch committee, 支委). */
  manages: boolean;
  /** Holds rectification.view there: may open the branch's whole list. */
  views: boolean;
  /**
   * The item's owner member is the caller's account. Decides both the owner's own rights and the
   * bar on verifying or cancelling one's own item, whatever other role the caller holds.
   */
  isOwner: boolean;
}

/**
 * Loads an item for a caller who may see it: anyone with rectification.view in its branch, and the
 * owner (a plain member sees their own items and nobody else's). Others get the usual answers:
 * 404 with no role in the branch, 403 with a role but no right.
 */
export async function authorizeItem(db: Db, principal: Principal, itemId: string): Promise<ItemAccess> {
  const row = await db
    .selectFrom('rectification_items as i')
    .innerJoin('organizations as o', 'o.id', 'i.organization_id')
    .leftJoin('members as owner', 'owner.id', 'i.owner_member_id')
    .selectAll('i')
    .select(['o.ancestry', 'o.archived_at as orgArchivedAt', 'owner.account_id as ownerAccountId'])
    .where('i.id', '=', itemId)
    .executeTakeFirst();
  if (!row || row.orgArchivedAt) throw notFound();
  const { ancestry, orgArchivedAt: _, ownerAccountId, ...item } = row;
  const isOwner = ownerAccountId !== null && ownerAccountId === principal.accountId;
  // A current roster entry is what makes someone the owner in practice; one who has left the
  // branch keeps the bar on judging their own item but loses the owner's access.
  const ownerIsCurrent = isOwner && principal.grants.some((g) => g.memberId === item.owner_member_id);
  if (!ownerIsCurrent) await authorize(db, principal, 'rectification.view', item.organization_id);
  return {
    item,
    organizationId: item.organization_id,
    manages: can(principal, 'rectification.manage', ancestry),
    views: can(principal, 'rectification.view', ancestry),
    isOwner,
  };
}

export function actorOf(access: ItemAccess): Actor {
  return { manages: access.manages, isOwner: access.isOwner };
}

/** The caller's rights on the item as the detail page shows them. */
export function itemRights(access: ItemAccess) {
  const closed = isClosed(access.item.status);
  return {
    actions: allowedActions(access.item.status, actorOf(access)),
    edit: access.manages && !closed,
    addEvidence: (access.manages || access.isOwner) && !closed,
    publish: access.manages,
    review: access.manages,
    isOwner: access.isOwner,
    viewList: access.views,
  };
}

/** Edits, publication and 回头看 belong to the branch committee. */
export function requireManage(access: { manages: boolean }) {
  if (!access.manages) throw forbidden();
}

/** Evidence is the owner's account of the work, or the committee's own check of it. */
export function requireEvidenceRights(access: ItemAccess) {
  if (!access.manages && !access.isOwner) throw forbidden();
}

/** Loads a problem and checks a permission in its branch (404 outside it, 403 without the right). */
export async function authorizeProblem(
  db: Db,
  principal: Principal,
  permission: 'rectification.view' | 'rectification.manage',
  problemId: string,
): Promise<{ problem: ProblemRow; scope: OrganizationScope }> {
  const problem = await db.selectFrom('problems').selectAll().where('id', '=', problemId).executeTakeFirst();
  if (!problem) throw notFound();
  const scope = await authorize(db, principal, permission, problem.organization_id);
  return { problem, scope };
}
