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
