import type { Kysely } from 'kysely';
import type { DB } from '../../server/db/schema.ts';
import type { MeetingStatus, MeetingType } from '../../shared/domain/enums.ts';
import { shanghaiDate } from '../../shared/domain/rectification.ts';

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

/** Today in the branch's calendar, shifted by whole days: due dates in tests are relative to it. */
export function dayFromToday(days: number): string {
  const [y, m, d] = shanghaiDate(new Date()).split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}
