import type { SuppressionScope } from '../../shared/quality/suppression.ts';
import { authorize, type OrganizationScope, type Principal } from '../access/principal.ts';
import type { Db } from '../db/schema.ts';
import { badRequest } from '../http/errors.ts';

/**
 * Who may read which dashboard, and with which k. A branch's dashboard is read by its committee
 * (secretary, 支委) and by the committees above it; a committee's by its own staff. Anyone with no
 * role on the organization gets 404, a member without dashboard.view 403 (authorize).
 */

export async function authorizeBranchDashboard(
  db: Db,
  principal: Principal,
  organizationId: string,
): Promise<OrganizationScope> {
  const scope = await authorize(db, principal, 'dashboard.view', organizationId);
  if (scope.kind !== 'partyBranch') throw badRequest('dashboard.notABranch');
  return scope;
}

export async function authorizeCommitteeDashboard(
  db: Db,
  principal: Principal,
  organizationId: string,
): Promise<OrganizationScope> {
  const scope = await authorize(db, principal, 'dashboard.view', organizationId);
  if (scope.kind !== 'primaryCommittee' && scope.kind !== 'generalBranch') {
    throw badRequest('dashboard.notACommittee');
  }
  return scope;
}

/**
 * Whether the principal reads a branch's figures from inside it (a role granted on the branch
 * itself, e.g. its secretary) or from a committee above it. Inside, the branch's k applies; from
 * above, the committee's, and the look is written to the access log.
 */
export function viewerScope(principal: Principal, branchId: string): SuppressionScope {
  return principal.grants.some((g) => g.organizationId === branchId) ? 'branch' : 'committee';
}
