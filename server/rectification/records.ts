import type { IssueSource, ProblemCategory, ProblemOrigin, SubjectScope } from '../../shared/domain/enums.ts';
import type { Db } from '../db/schema.ts';
import { badRequest } from '../http/errors.ts';
import { markQualityDirty } from '../quality/queue.ts';

export interface NewProblem {
  organizationId: string;
  meetingId?: string | null;
  scope: SubjectScope;
  subjectMemberId?: string | null;
  description: string;
  source: IssueSource;
  category?: ProblemCategory | null;
  originKind?: ProblemOrigin;
  originId?: string | null;
  createdBy: string | null;
}

/**
 * Records a problem (查摆问题). Used by the rectification pages and by the live criticism round when
 * the host turns an item into a problem. A member-scoped problem must name a member of the branch,
 * and a linked meeting must be one of the branch's own.
 */
export async function createProblem(db: Db, input: NewProblem): Promise<string> {
  if ((input.scope === 'member') !== !!input.subjectMemberId) {
    throw badRequest('rectification.subjectMismatch', { subjectMemberId: 'invalid' });
  }
  if (input.subjectMemberId)
    await assertMemberOf(db, input.subjectMemberId, input.organizationId, 'subjectMemberId');
  if (input.meetingId) await assertMeetingOf(db, input.meetingId, input.organizationId, 'meetingId');
  const row = await db
    .insertInto('problems')
    .values({
      organization_id: input.organizationId,
      meeting_id: input.meetingId ?? null,
      scope: input.scope,
      subject_member_id: input.subjectMemberId ?? null,
      description: input.description,
      source: input.source,
      category: input.category ?? null,
      origin_kind: input.originKind ?? 'manual',
      origin_id: input.originId ?? null,
      created_by: input.createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await markQualityDirty(db, input.meetingId ?? null, 'problemRecorded');
  return row.id;
}

export interface NewRectificationItem {
  problemId: string;
  measures: string;
  ownerMemberId?: string | null;
  ownerUnit?: string | null;
  dueOn?: string | null;
  pledge?: string | null;
  immediateFix?: boolean;
  createdBy: string | null;
}

/** Opens a rectification item (整改事项) for a problem; it inherits the problem's branch, meeting and subject. */
export async function createRectificationItem(db: Db, input: NewRectificationItem): Promise<string> {
  const problem = await db
    .selectFrom('problems')
    .select(['organization_id', 'meeting_id', 'scope', 'subject_member_id'])
    .where('id', '=', input.problemId)
    .executeTakeFirstOrThrow();
  if (input.ownerMemberId)
    await assertMemberOf(db, input.ownerMemberId, problem.organization_id, 'ownerMemberId');
  const row = await db
    .insertInto('rectification_items')
    .values({
      organization_id: problem.organization_id,
      problem_id: input.problemId,
      meeting_id: problem.meeting_id,
      scope: problem.scope,
      subject_member_id: problem.subject_member_id,
      measures: input.measures,
      owner_member_id: input.ownerMemberId ?? null,
      owner_unit: input.ownerUnit ?? null,
      due_on: input.dueOn ?? null,
      pledge: input.pledge ?? null,
      immediate_fix: input.immediateFix ?? false,
      created_by: input.createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('rectification_events')
    .values({ item_id: row.id, by_account: input.createdBy, from_status: null, to_status: 'planned' })
    .execute();
  await markQualityDirty(db, problem.meeting_id, 'rectificationCreated');
  return row.id;
}

/** Someone on the branch's current roster (a member who has left can no longer be given work). */
export async function assertMemberOf(db: Db, memberId: string, organizationId: string, field: string) {
  const member = await db
    .selectFrom('members')
    .select('id')
    .where('id', '=', memberId)
    .where('organization_id', '=', organizationId)
    .where('left_at', 'is', null)
    .executeTakeFirst();
  if (!member) throw badRequest('rectification.memberNotInBranch', { [field]: 'invalidOption' });
}

/** A meeting of this branch; answers like an unknown id otherwise, so other branches' meetings stay unseen. */
export async function assertMeetingOf(db: Db, meetingId: string, organizationId: string, field: string) {
  const meeting = await db
    .selectFrom('meetings')
    .select(['id', 'starts_at', 'status'])
    .where('id', '=', meetingId)
    .where('organization_id', '=', organizationId)
    .executeTakeFirst();
  if (!meeting) throw badRequest('rectification.meetingNotInBranch', { [field]: 'invalidOption' });
  return meeting;
}
