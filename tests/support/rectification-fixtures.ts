import type { Kysely } from 'kysely';
import type { DB } from '../../server/db/schema.ts';
import type { MeetingStatus, MeetingType, RectificationStatus } from '../../shared/domain/enums.ts';
import { addDays, type EvidenceItem, shanghaiDate } from '../../shared/domain/rectification.ts';
import type { TestClient } from './test-app.ts';

/** A meeting row as a precondition (the meetings feature owns creating them through its API). */
export async function insertMeeting(
  db: Kysely<DB>,
  organizationId: string,
  title: string,
  startsAt: Date,
  options: { type?: MeetingType; status?: MeetingStatus } = {},
): Promise<string> {
  const row = await db
    .insertInto('meetings')
    .values({
      organization_id: organizationId,
      title,
      type: options.type ?? 'orgLifeMeeting',
      starts_at: startsAt,
      status: options.status ?? 'held',
      agenda: '[]',
      preparation: '{}',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A branch (班子) problem, as a precondition for items. */
export async function insertProblem(db: Kysely<DB>, organizationId: string, description = '查摆出的问题') {
  const row = await db
    .insertInto('problems')
    .values({
      organization_id: organizationId,
      meeting_id: null,
      scope: 'branch',
      subject_member_id: null,
      description,
      source: 'self',
      category: null,
      origin_id: null,
      created_by: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface ItemFacts {
  problemId?: string;
  measures?: string;
  ownerMemberId?: string | null;
  dueOn?: string | null;
  status?: RectificationStatus;
  evidence?: EvidenceItem[];
}

/**
 * A rectification item in any state, written directly (the API would need a walk through the
 * lifecycle to get there). Without an owner member it answers to the branch committee as a unit.
 */
export async function insertItem(db: Kysely<DB>, organizationId: string, facts: ItemFacts = {}) {
  const problemId = facts.problemId ?? (await insertProblem(db, organizationId));
  const row = await db
    .insertInto('rectification_items')
    .values({
      organization_id: organizationId,
      problem_id: problemId,
      meeting_id: null,
      scope: 'branch',
      subject_member_id: null,
      measures: facts.measures ?? '整改措施',
      owner_member_id: facts.ownerMemberId ?? null,
      owner_unit: facts.ownerMemberId ? null : '支部委员会',
      due_on: facts.dueOn ?? null,
      pledge: null,
      status: facts.status ?? 'planned',
      completion_note: null,
      evidence: JSON.stringify(facts.evidence ?? []),
      completed_at: null,
      verified_by: null,
      verified_at: null,
      published_scope: null,
      published_at: null,
      reviewed_at_meeting_id: null,
      cancelled_reason: null,
      created_by: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** An uploaded evidence file and the evidence entry that lists it. */
export async function insertEvidenceFile(db: Kysely<DB>, itemId: string) {
  const attachment = await db
    .insertInto('rectification_attachments')
    .values({
      item_id: itemId,
      file_name: '整改报告.txt',
      content_type: 'text/plain',
      size_bytes: 5,
      data: Buffer.from('hello'),
      uploaded_by: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const entry: EvidenceItem = {
    id: crypto.randomUUID(),
    description: '整改报告',
    attachmentId: attachment.id,
    addedAt: new Date().toISOString(),
  };
  await db
    .updateTable('rectification_items')
    .set({ evidence: JSON.stringify([entry]) })
    .where('id', '=', itemId)
    .execute();
  return { attachmentId: attachment.id, evidenceId: entry.id };
}

/** Today in the branch's calendar, shifted by whole days: due dates in tests are relative to it. */
export function dayFromToday(days: number): string {
  return addDays(shanghaiDate(new Date()), days);
}

export type FormPart =
  | { name: string; value: string }
  | { name: string; filename: string; type: string; data: Buffer };

/** A multipart/form-data body as a browser sends it, parts in the given order. */
export function multipart(parts: FormPart[]): { body: Buffer; headers: Record<string, string> } {
  const boundary = '----mingjing-test-boundary';
  const chunks = parts.flatMap((part) =>
    'value' in part
      ? [
          Buffer.from(
            `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"\r\n\r\n${part.value}\r\n`,
          ),
        ]
      : [
          Buffer.from(
            `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"; filename="${part.filename}"\r\n` +
              `Content-Type: ${part.type}\r\n\r\n`,
          ),
          part.data,
          Buffer.from('\r\n'),
        ],
  );
  return {
    body: Buffer.concat([...chunks, Buffer.from(`--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

/** Posts evidence the way the item page's form does: multipart/form-data, parts in the given order. */
export function postEvidenceForm(client: TestClient, itemId: string, parts: FormPart[]) {
  const { body, headers } = multipart(parts);
  return client.request('POST', `/api/rectification/items/${itemId}/evidence/file`, body, headers);
}
