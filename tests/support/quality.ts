import type { Kysely } from 'kysely';
import type { DB } from '../../server/db/schema.ts';
import type { Rubric } from '../../shared/quality/rubric.ts';
import type { RubricPageView } from '../../shared/schemas/quality.ts';
import type { TestClient, TestResponse } from './test-app.ts';

/**
 * Publishes an edit of the rubric in force at an organization through the API, as the rubric
 * editor does: read it, change what `edit` changes, send it back with the id it started from.
 */
export async function publishRubricEdit(
  client: TestClient,
  organizationId: string,
  edit: (rubric: Rubric) => void,
  note?: string,
): Promise<TestResponse> {
  const page = await client.get<RubricPageView>(`/api/organizations/${organizationId}/quality-rubric`);
  if (page.status !== 200) throw new Error(`rubric page: ${page.status} ${page.raw}`);
  const { version: _version, ...rubric } = structuredClone(page.body.inForce.rubric);
  edit(rubric as Rubric);
  return client.post(`/api/organizations/${organizationId}/quality-rubrics`, {
    baseRubricId: page.body.inForce.id,
    rubric,
    ...(note ? { note } : {}),
  });
}

/**
 * A criticism round that closed at an earlier meeting, as a precondition (the live protocol that
 * records one is exercised elsewhere): subjects with their self-examinations and approved items.
 */
export async function insertClosedCriticism(
  db: Kysely<DB>,
  meetingId: string,
  subjects: ReadonlyArray<{ memberId: string; selfExamination?: string; items?: readonly string[] }>,
): Promise<void> {
  const round = await db
    .insertInto('rounds')
    .values({
      meeting_id: meetingId,
      kind: 'criticism',
      title: '批评与自我批评',
      position: 1,
      anonymous: true,
      state: 'closed',
      config: JSON.stringify({
        kind: 'criticism',
        subjectMemberIds: subjects.map((s) => s.memberId),
        named: false,
      }),
      closed_at: new Date(),
      sealed_at: new Date(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const [i, subject] of subjects.entries()) {
    const row = await db
      .insertInto('criticism_subjects')
      .values({
        round_id: round.id,
        member_id: subject.memberId,
        position: i + 1,
        phase: 'done',
        self_examination_mode: subject.selfExamination ? 'written' : null,
        self_examination: subject.selfExamination ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const text of subject.items ?? [])
      await db
        .insertInto('criticism_items')
        .values({
          round_id: round.id,
          subject_id: row.id,
          text,
          concrete: true,
          status: 'approved',
          released: true,
        })
        .execute();
  }
}
