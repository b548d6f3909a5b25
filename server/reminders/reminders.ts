import { sql } from 'kysely';
import { needsOwnerReminder } from '../../shared/domain/rectification.ts';
import type { BranchReminders, RemindersResponse } from '../../shared/schemas/reminders.ts';
import { can, type Principal } from '../access/principal.ts';
import type { Db } from '../db/schema.ts';
import { listOwnItems, overdueByOrganization } from '../rectification/queries.ts';

/** How many of a branch's overdue items the home page names; the rest are a count and a link. */
export const mostOverdueShown = 3;

/** Organizations (not archived) where the principal holds rectification.manage: their committee's. */
async function managedOrganizations(db: Db, principal: Principal) {
  const roots = [...new Set(principal.grants.map((g) => g.organizationId))];
  if (roots.length === 0) return [];
  const rows = await db
    .selectFrom('organizations')
    .select(['id', 'name', 'ancestry'])
    .where('archived_at', 'is', null)
    .where(sql<boolean>`ancestry && ${sql.val(roots)}::uuid[]`)
    .orderBy('name')
    .execute();
  return rows.filter((o) => can(principal, 'rectification.manage', o.ancestry));
}

/**
 * Leave requests (请假) still waiting for a decision, for meetings of these organizations that have
 * not started — after the start a decision no longer changes anything. The caller's own requests are
 * left out: nobody decides their own leave.
 */
async function pendingLeave(db: Db, organizationIds: readonly string[], principal: Principal, now: Date) {
  const ownMembers = principal.grants.flatMap((g) => (g.memberId ? [g.memberId] : []));
  let query = db
    .selectFrom('leave_requests as l')
    .innerJoin('meetings as m', 'm.id', 'l.meeting_id')
    .innerJoin('members as p', 'p.id', 'l.member_id')
    .select([
      'm.id',
      'm.organization_id',
      'm.title',
      'm.starts_at',
      'm.type',
      'p.id as memberId',
      'p.full_name',
    ])
    .where('l.status', '=', 'pending')
    .where('m.status', '=', 'scheduled')
    .where('m.starts_at', '>', now)
    .where('m.organization_id', 'in', organizationIds);
  if (ownMembers.length > 0) query = query.where('l.member_id', 'not in', ownMembers);
  const rows = await query.orderBy('m.starts_at').orderBy('m.id').orderBy('l.created_at').execute();
  const byOrganization = new Map<string, BranchReminders['pendingLeave']>();
  for (const r of rows) {
    const meetings = byOrganization.get(r.organization_id) ?? [];
    byOrganization.set(r.organization_id, meetings);
    let entry = meetings.at(-1);
    if (entry?.meeting.id !== r.id) {
      entry = {
        meeting: { id: r.id, title: r.title, startsAt: r.starts_at.toISOString(), type: r.type },
        members: [],
      };
      meetings.push(entry);
    }
    entry.members.push({ id: r.memberId, name: r.full_name });
  }
  return byOrganization;
}

/**
 * Everything the signed-in person should be reminded of: their own items that are overdue or due
 * soon, and, for each branch whose committee they sit on, its overdue items and the leave requests
 * awaiting a decision. Branches with nothing waiting are left out, so an empty answer means "all
 * clear".
 */
export async function remindersFor(
  db: Db,
  principal: Principal,
  now: Date,
  today: string,
): Promise<RemindersResponse> {
  const [own, managed] = await Promise.all([
    listOwnItems(db, principal.accountId, today),
    managedOrganizations(db, principal),
  ]);
  const ids = managed.map((o) => o.id);
  const [overdue, leave] = await Promise.all([
    overdueByOrganization(db, ids, today, mostOverdueShown),
    ids.length ? pendingLeave(db, ids, principal, now) : new Map<string, BranchReminders['pendingLeave']>(),
  ]);
  const branches = managed.flatMap((o): BranchReminders[] => {
    const late = overdue.get(o.id);
    const waiting = leave.get(o.id) ?? [];
    if (!late && waiting.length === 0) return [];
    return [
      {
        organization: { id: o.id, name: o.name },
        overdueCount: late?.count ?? 0,
        mostOverdue: late?.items ?? [],
        pendingLeave: waiting,
      },
    ];
  });
  return {
    today,
    ownItems: own.items.filter((item) => needsOwnerReminder(item, today)),
    branches,
  };
}
