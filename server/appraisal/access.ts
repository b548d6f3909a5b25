import type { Selectable } from 'kysely';
import type { Permission } from '../access/permissions.ts';
import { authorize, type OrganizationScope, type Principal } from '../access/principal.ts';
import type { Db } from '../db/schema.ts';
import type { AppraisalDispositionsTable, AppraisalFeedbackTable } from '../db/tables/appraisal.ts';
import { notFound } from '../http/errors.ts';
import { authorizeMeeting, type MeetingRow } from '../meetings/access.ts';
import { requireAppraisalMeeting } from './state.ts';

/**
 * Who may reach what: the branch committee (appraisal.manage) works on the sheet and dispositions;
 * it and the organizations above (appraisal.report) read the report; a member reaches only their
 * own feedback, and everyone else is told it does not exist.
 */

/** A meeting that held an appraisal, with the permission checked on its branch (404 / 403 as usual). */
export async function authorizeAppraisal(
  db: Db,
  principal: Principal,
  permission: Permission,
  meetingId: string,
): Promise<{ meeting: MeetingRow; scope: OrganizationScope }> {
  const access = await authorizeMeeting(db, principal, permission, meetingId);
  await requireAppraisalMeeting(db, access.meeting);
  return access;
}

export type DispositionRecordRow = Selectable<AppraisalDispositionsTable> & {
  meeting_id: string;
  organization_id: string;
};

export async function authorizeDisposition(
  db: Db,
  principal: Principal,
  dispositionId: string,
): Promise<{ disposition: DispositionRecordRow; meeting: MeetingRow; scope: OrganizationScope }> {
  const disposition = await db
    .selectFrom('appraisal_dispositions as d')
    .innerJoin('appraisal_records as r', 'r.id', 'd.record_id')
    .selectAll('d')
    .select(['r.meeting_id', 'r.organization_id'])
    .where('d.id', '=', dispositionId)
    .executeTakeFirst();
  if (!disposition) throw notFound();
  const scope = await authorize(db, principal, 'appraisal.manage', disposition.organization_id);
  const meeting = await db
    .selectFrom('meetings')
    .selectAll()
    .where('id', '=', disposition.meeting_id)
    .executeTakeFirstOrThrow();
  return { disposition, meeting, scope };
}

/** The member ids the signed-in person holds in any branch. */
export function ownMemberIds(principal: Principal): string[] {
  return principal.grants.flatMap((g) => (g.role === 'member' && g.memberId ? [g.memberId] : []));
}

/**
 * Feedback addressed to the signed-in member. Anyone else — another member, the secretary, a
 * superior — gets 404: a person's appraisal is between them and their branch committee, which
 * reads it on the sheet.
 */
export async function ownFeedback(
  db: Db,
  principal: Principal,
  feedbackId: string,
): Promise<Selectable<AppraisalFeedbackTable>> {
  const members = ownMemberIds(principal);
  if (members.length === 0) throw notFound();
  const feedback = await db
    .selectFrom('appraisal_feedback')
    .selectAll()
    .where('id', '=', feedbackId)
    .where('member_id', 'in', members)
    .executeTakeFirst();
  if (!feedback) throw notFound();
  return feedback;
}
