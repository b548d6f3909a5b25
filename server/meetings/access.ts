import type { Selectable } from 'kysely';
import type { Permission } from '../access/permissions.ts';
import { authorize, can, type OrganizationScope, type Principal } from '../access/principal.ts';
import type { Db } from '../db/schema.ts';
import type { MeetingsTable } from '../db/tables/meetings.ts';
import { forbidden, notFound } from '../http/errors.ts';

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

/** What the caller may do with one meeting's record, beyond what their role grants everywhere. */
export interface MeetingCapabilities {
  /** Schedule, edit, cancel, decide leave. */
  canManage: boolean;
  /** Mark attendance, write the minutes: a secretary, or the member appointed recorder. */
  canRecord: boolean;
  /** Read attendance and minutes: those with minutes.view, and the host and recorder themselves. */
  canViewRecord: boolean;
  /** The caller's account is linked to the host (recorder) member. */
  isHost: boolean;
  isRecorder: boolean;
}

export function meetingCapabilities(
  principal: Principal,
  meeting: Pick<MeetingRow, 'host_member_id' | 'recorder_member_id'>,
  scope: OrganizationScope,
): MeetingCapabilities {
  const myMembers = new Set(principal.grants.flatMap((g) => (g.memberId ? [g.memberId] : [])));
  const isHost = meeting.host_member_id !== null && myMembers.has(meeting.host_member_id);
  const isRecorder = meeting.recorder_member_id !== null && myMembers.has(meeting.recorder_member_id);
  return {
    canManage: can(principal, 'meetings.manage', scope.ancestry),
    canRecord: isRecorder || can(principal, 'minutes.edit', scope.ancestry),
    canViewRecord: isHost || isRecorder || can(principal, 'minutes.view', scope.ancestry),
    isHost,
    isRecorder,
  };
}

/**
 * A meeting the caller can see (meetings.view, else 404), with their capabilities on it; `need`
 * names a capability the action requires (403 without it).
 */
export async function loadMeeting(
  db: Db,
  principal: Principal,
  meetingId: string,
  need?: keyof Omit<MeetingCapabilities, 'isHost' | 'isRecorder'>,
) {
  const { meeting, scope } = await authorizeMeeting(db, principal, 'meetings.view', meetingId);
  const capabilities = meetingCapabilities(principal, meeting, scope);
  if (need && !capabilities[need]) throw forbidden();
  return { meeting, scope, capabilities };
}
