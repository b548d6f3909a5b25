import path from 'node:path';
import type { Kysely } from 'kysely';
import type { attachmentExtensions } from '../../shared/domain/meetings.ts';
import type { Principal } from '../access/principal.ts';
import type { DB, Db } from '../db/schema.ts';
import { badRequest, conflict, notFound } from '../http/errors.ts';
import type { MeetingRow } from '../meetings/access.ts';
import { lockMinutes, recordAmendment, requireReason } from './record.ts';

type Extension = (typeof attachmentExtensions)[number];

const zip = [0x50, 0x4b, 0x03, 0x04];
const ole = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

/**
 * Each accepted kind with the type we serve it as and the bytes it must start with. The type is
 * never taken from the uploader: a file named .pdf that is not a PDF is refused, so nothing
 * unexpected is ever served back to another member's browser.
 */
const kinds: Record<Extension, { contentType: string; magic: number[] }> = {
  pdf: { contentType: 'application/pdf', magic: [0x25, 0x50, 0x44, 0x46, 0x2d] },
  jpg: { contentType: 'image/jpeg', magic: [0xff, 0xd8, 0xff] },
  jpeg: { contentType: 'image/jpeg', magic: [0xff, 0xd8, 0xff] },
  png: { contentType: 'image/png', magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  docx: {
    contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    magic: zip,
  },
  xlsx: { contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', magic: zip },
  doc: { contentType: 'application/msword', magic: ole },
  xls: { contentType: 'application/vnd.ms-excel', magic: ole },
};

/** A minutes folder should stay a folder of records, not a file store. */
export const maxAttachmentsPerMeeting = 30;

/** The content type for an allowed file whose bytes match its extension; undefined otherwise. */
export function attachmentKind(fileName: string, data: Buffer): string | undefined {
  const extension = path.extname(fileName).slice(1).toLowerCase();
  const kind = (kinds as Record<string, (typeof kinds)[Extension] | undefined>)[extension];
  if (!kind || data.length < kind.magic.length) return undefined;
  return kind.magic.every((byte, i) => data[i] === byte) ? kind.contentType : undefined;
}

/** The last path segment without control characters, at most 200 characters, keeping the extension. */
export function cleanFileName(raw: string): string {
  const base = raw
    .split(/[\\/]/)
    .pop()!
    .replace(/\p{Cc}/gu, '')
    .trim();
  if (base.length <= 200) return base;
  const extension = path.extname(base);
  return base.slice(0, 200 - extension.length) + extension;
}

export async function attachmentsOf(db: Db, meetingId: string) {
  const rows = await db
    .selectFrom('minutes_attachments as f')
    .leftJoin('accounts as a', 'a.id', 'f.uploaded_by')
    .select(['f.id', 'f.file_name', 'f.content_type', 'f.size_bytes', 'f.uploaded_at', 'a.display_name'])
    .where('f.meeting_id', '=', meetingId)
    .orderBy('f.uploaded_at')
    .orderBy('f.id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    fileName: r.file_name,
    contentType: r.content_type,
    sizeBytes: r.size_bytes,
    uploadedAt: r.uploaded_at.toISOString(),
    uploadedByName: r.display_name,
  }));
}

/**
 * Files an attachment (sign-in sheet, photos, materials) with the minutes. After the lock it needs
 * a reason and is kept as an amendment like any other change.
 */
export async function addAttachment(
  db: Kysely<DB>,
  meeting: MeetingRow,
  file: { fileName: string; data: Buffer },
  reason: string | null | undefined,
  principal: Principal,
): Promise<string> {
  if (meeting.status === 'cancelled') throw conflict('meeting.cancelled');
  const fileName = cleanFileName(file.fileName);
  if (!fileName || file.data.length === 0)
    throw badRequest('minutes.attachmentMissing', { file: 'required' });
  const contentType = attachmentKind(fileName, file.data);
  if (!contentType) throw badRequest('minutes.attachmentType', { file: 'fileType' });
  return db.transaction().execute(async (trx) => {
    const minutes = await lockMinutes(trx, meeting.id);
    const { count } = await trx
      .selectFrom('minutes_attachments')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('meeting_id', '=', meeting.id)
      .executeTakeFirstOrThrow();
    if (count >= maxAttachmentsPerMeeting) throw conflict('minutes.tooManyAttachments');
    if (minutes.locked_at)
      await recordAmendment(trx, meeting, principal, requireReason(reason), [
        { field: 'attachments', before: null, after: fileName },
      ]);
    const row = await trx
      .insertInto('minutes_attachments')
      .values({
        meeting_id: meeting.id,
        file_name: fileName,
        content_type: contentType,
        size_bytes: file.data.length,
        data: file.data,
        uploaded_by: principal.accountId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  });
}

export async function readAttachment(db: Db, meetingId: string, attachmentId: string) {
  const file = await db
    .selectFrom('minutes_attachments')
    .select(['file_name', 'content_type', 'data'])
    .where('id', '=', attachmentId)
    .where('meeting_id', '=', meetingId)
    .executeTakeFirst();
  if (!file) throw notFound();
  return file;
}

export async function removeAttachment(
  db: Kysely<DB>,
  meeting: MeetingRow,
  attachmentId: string,
  reason: string | null | undefined,
  principal: Principal,
) {
  if (meeting.status === 'cancelled') throw conflict('meeting.cancelled');
  await db.transaction().execute(async (trx) => {
    const minutes = await lockMinutes(trx, meeting.id);
    const file = await trx
      .selectFrom('minutes_attachments')
      .select(['id', 'file_name'])
      .where('id', '=', attachmentId)
      .where('meeting_id', '=', meeting.id)
      .executeTakeFirst();
    if (!file) throw notFound();
    if (minutes.locked_at)
      await recordAmendment(trx, meeting, principal, requireReason(reason), [
        { field: 'attachments', before: file.file_name, after: null },
      ]);
    await trx.deleteFrom('minutes_attachments').where('id', '=', file.id).execute();
  });
}

/** An attachment header that keeps a Chinese file name (RFC 6266/5987) with an ASCII fallback. */
export function contentDisposition(fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
