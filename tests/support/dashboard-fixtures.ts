import type { Kysely } from 'kysely';
import type { DB } from '../../server/db/schema.ts';
import type { IssueSource, RectificationStatus } from '../../shared/domain/enums.ts';
import type { MeetingQuality } from '../../shared/quality/mqi.ts';
import { type InputsSketch, qualityInputs, storeScore } from './quality-fixtures.ts';
import { insertMeeting } from './rectification-fixtures.ts';

/** A held meeting on a calendar day (14:30 in the branch's calendar) with its computed score. */
export async function heldMeeting(
  db: Kysely<DB>,
  organizationId: string,
  title: string,
  day: string,
  sketch: InputsSketch,
): Promise<{ id: string; quality: MeetingQuality }> {
  const id = await insertMeeting(db, organizationId, title, new Date(`${day}T14:30:00+08:00`), {
    type: sketch.type,
  });
  return { id, quality: await storeScore(db, id, qualityInputs(sketch)) };
}

/** A problem with one rectification item in a given state, as the rectification feature stores them. */
export async function insertItem(
  db: Kysely<DB>,
  organizationId: string,
  item: {
    measures: string;
    dueOn: string | null;
    status?: RectificationStatus;
    completedOn?: string;
    verifiedOn?: string;
    source?: IssueSource;
    ownerMemberId?: string | null;
    /** Makes it an item about this member (scope `member`) rather than the branch. */
    subjectMemberId?: string;
  },
): Promise<string> {
  const problem = await db
    .insertInto('problems')
    .values({
      organization_id: organizationId,
      scope: item.subjectMemberId ? 'member' : 'branch',
      subject_member_id: item.subjectMemberId ?? null,
      description: `${item.measures}（问题）`,
      source: item.source ?? 'self',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const at = (day: string | undefined) => (day ? new Date(`${day}T18:00:00+08:00`) : null);
  const row = await db
    .insertInto('rectification_items')
    .values({
      organization_id: organizationId,
      problem_id: problem.id,
      scope: item.subjectMemberId ? 'member' : 'branch',
      subject_member_id: item.subjectMemberId ?? null,
      measures: item.measures,
      owner_member_id: item.ownerMemberId ?? null,
      due_on: item.dueOn,
      status: item.status ?? 'planned',
      completed_at: at(item.completedOn ?? item.verifiedOn),
      verified_at: at(item.verifiedOn),
      created_at: new Date('2024-12-20T02:00:00Z'),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
