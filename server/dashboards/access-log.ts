import { sql } from 'kysely';
import type { AccessLogPage, DashboardView } from '../../shared/schemas/dashboards.ts';
import type { Db } from '../db/schema.ts';

/**
 * The committee's access log (issue: "committee views are recorded"): who looked at which
 * organization's figures, through which view, when. Only looks from above are written — a branch
 * reading its own dashboard is not being watched over.
 */
export async function recordView(db: Db, accountId: string, organizationId: string, view: DashboardView) {
  await db
    .insertInto('dashboard_access_log')
    .values({ account_id: accountId, organization_id: organizationId, view })
    .execute();
}

/** Microseconds kept, so a page boundary never falls between two looks in the same millisecond. */
const isoMicros = sql<string>`to_char(l.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** The log of an organization and everything below it, newest first, a page at a time. */
export async function listAccessLog(
  db: Db,
  organizationId: string,
  page: { before?: string; limit: number },
): Promise<AccessLogPage> {
  let query = db
    .selectFrom('dashboard_access_log as l')
    .innerJoin('organizations as o', 'o.id', 'l.organization_id')
    .innerJoin('accounts as a', 'a.id', 'l.account_id')
    .select([
      'l.id',
      isoMicros.as('at'),
      'l.view',
      'o.id as organizationId',
      'o.name as organizationName',
      'a.display_name',
      'a.login',
    ])
    .where(sql<boolean>`o.ancestry @> array[${organizationId}]::uuid[]`)
    .orderBy('l.at', 'desc')
    .orderBy('l.id', 'desc')
    .limit(page.limit + 1);
  if (page.before) query = query.where('l.at', '<', sql<Date>`${page.before}::timestamptz`);
  const rows = await query.execute();
  const shown = rows.slice(0, page.limit);
  return {
    entries: shown.map((r) => ({
      id: r.id,
      at: r.at,
      account: { displayName: r.display_name, login: r.login },
      organization: { id: r.organizationId, name: r.organizationName },
      view: r.view as DashboardView,
    })),
    nextBefore: rows.length > page.limit ? shown.at(-1)!.at : null,
  };
}
