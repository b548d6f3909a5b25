import type { Selectable } from 'kysely';
import type { Permission } from '../access/permissions.ts';
import { authorize, type OrganizationScope, type Principal } from '../access/principal.ts';
import type { Db } from '../db/schema.ts';
import type { MeetingsTable } from '../db/tables/meetings.ts';
import { notFound } from '../http/errors.ts';

export type MeetingRow = Selectable<MeetingsTable>;

/**
 * Loads a meeting and checks a permission on its organization: 404 for people with no role there
 * (and for unknown ids, indistinguishably), 403 for people who can see it but not do this.
 */
export async function authorizeMeeting(
  db: Db,
  principal: Principal,
  permission: Permission,
  meetingId: string,
): Promise<{ meeting: MeetingRow; scope: OrganizationScope }> {
  const meeting = await db.selectFrom('meetings').selectAll().where('id', '=', meetingId).executeTakeFirst();
  if (!meeting) throw notFound();
  const scope = await authorize(db, principal, permission, meeting.organization_id);
  return { meeting, scope };
}
