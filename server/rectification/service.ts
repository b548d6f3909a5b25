import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { PublicationScope, RectificationStatus } from '../../shared/domain/enums.ts';
import {
  actionRules,
  type EditableItemField,
  type EvidenceItem,
  type FieldChange,
  isClosed,
  maxEvidencePerItem,
  type RectificationAction,
  type RectificationEventDetails,
  type RectificationEventKind,
} from '../../shared/domain/rectification.ts';
import type { QualityReason } from '../../shared/schemas/quality.ts';
import type { CreateProblemBody, ItemBody, ProblemBody } from '../../shared/schemas/rectification.ts';
import type { Principal } from '../access/principal.ts';
import { actorOf, appendAudit } from '../audit/audit-log.ts';
import type { Db } from '../db/schema.ts';
import { AppError, badRequest, conflict, forbidden, notFound } from '../http/errors.ts';
import { markQualityDirty } from '../quality/queue.ts';
import {
  type ItemAccess,
  type ItemRow,
  type ProblemRow,
  requireEvidenceRights,
  requireManage,
} from './access.ts';
import { assertMeetingOf, assertMemberOf, createProblem, createRectificationItem } from './records.ts';

/**
 * Changes to problems and rectification items. Each public function runs in one transaction, so a
 * refused request leaves nothing half-written, and every change to an item appends to its history.
 */

interface NewEvent {
  itemId: string;
  by: string | null;
  kind: RectificationEventKind;
  from: RectificationStatus | null;
  to: RectificationStatus;
  note?: string | null;
  details?: RectificationEventDetails;
}

async function recordEvent(db: Db, event: NewEvent) {
  await db
    .insertInto('rectification_events')
    .values({
      item_id: event.itemId,
      by_account: event.by,
      kind: event.kind,
      from_status: event.from,
      to_status: event.to,
      note: event.note ?? null,
      details: event.details ? JSON.stringify(event.details) : null,
    })
    .execute();
}

/** Re-reads the item under a row lock, so two people acting at once are applied one after the other. */
async function lockItem(db: Db, itemId: string): Promise<ItemRow> {
  return db
    .selectFrom('rectification_items')
    .selectAll()
    .where('id', '=', itemId)
    .forUpdate()
    .executeTakeFirstOrThrow();
}

function assertOpen(item: ItemRow) {
  if (isClosed(item.status)) throw conflict('rectification.itemClosed');
}

export async function createProblemWithItem(
  db: Db,
  organizationId: string,
  body: CreateProblemBody,
  accountId: string,
) {
  return db.transaction().execute(async (trx) => {
    const { item, ...problem } = body;
    const id = await createProblem(trx, { organizationId, ...problem, createdBy: accountId });
    const itemId = item
      ? await createRectificationItem(trx, { problemId: id, ...item, createdBy: accountId })
      : null;
    return { id, itemId };
  });
}

export async function addItemToProblem(db: Db, problemId: string, body: ItemBody, accountId: string) {
  return db
    .transaction()
    .execute((trx) => createRectificationItem(trx, { problemId, ...body, createdBy: accountId }));
}

/**
 * Rewrites a problem. Its items carry the problem's meeting, scope and subject, so they follow. A
 * problem with a verified item is a closed record and stays as it was verified.
 */
export async function updateProblem(db: Db, problem: ProblemRow, body: ProblemBody) {
  await db.transaction().execute(async (trx) => {
    const verified = await trx
      .selectFrom('rectification_items')
      .select('id')
      .where('problem_id', '=', problem.id)
      .where('status', '=', 'verified')
      .executeTakeFirst();
    if (verified) throw conflict('rectification.problemLocked');
    const subjectMemberId = body.scope === 'member' ? (body.subjectMemberId ?? null) : null;
    if (subjectMemberId && subjectMemberId !== problem.subject_member_id)
      await assertMemberOf(trx, subjectMemberId, problem.organization_id, 'subjectMemberId');
    const meetingId = body.meetingId ?? null;
    if (meetingId && meetingId !== problem.meeting_id)
      await assertMeetingOf(trx, meetingId, problem.organization_id, 'meetingId');
    await trx
      .updateTable('problems')
      .set({
        scope: body.scope,
        subject_member_id: subjectMemberId,
        description: body.description,
        source: body.source,
        category: body.category ?? null,
        meeting_id: meetingId,
      })
      .where('id', '=', problem.id)
      .execute();
    await trx
      .updateTable('rectification_items')
      .set({
        scope: body.scope,
        subject_member_id: subjectMemberId,
        meeting_id: meetingId,
        updated_at: new Date(),
      })
      .where('problem_id', '=', problem.id)
      .execute();
    await markQualityDirty(trx, [problem.meeting_id, meetingId], 'problemEdited');
  });
}

/** Only a problem nobody has started to rectify can go; otherwise its items would lose their cause. */
export async function deleteProblem(db: Db, problemId: string) {
  await db.transaction().execute(async (trx) => {
    await trx.selectFrom('problems').select('id').where('id', '=', problemId).forUpdate().execute();
    const item = await trx
      .selectFrom('rectification_items')
      .select('id')
      .where('problem_id', '=', problemId)
      .executeTakeFirst();
    if (item) throw conflict('rectification.problemHasItems');
    const deleted = await trx
      .deleteFrom('problems')
      .where('id', '=', problemId)
      .returning('meeting_id')
      .execute();
    await markQualityDirty(trx, deleted[0]?.meeting_id ?? null, 'problemDeleted');
  });
}

const columnOf: Record<EditableItemField, keyof ItemRow> = {
  measures: 'measures',
  ownerMemberId: 'owner_member_id',
  ownerUnit: 'owner_unit',
  dueOn: 'due_on',
  pledge: 'pledge',
  immediateFix: 'immediate_fix',
};

/** Edits an open item; the history lists each changed field with its old and new value. */
export async function updateItem(db: Db, itemId: string, body: ItemBody, accountId: string) {
  await db.transaction().execute(async (trx) => {
    const item = await lockItem(trx, itemId);
    assertOpen(item);
    const next = {
      measures: body.measures,
      ownerMemberId: body.ownerMemberId ?? null,
      ownerUnit: body.ownerUnit ?? null,
      dueOn: body.dueOn ?? null,
      pledge: body.pledge ?? null,
      immediateFix: body.immediateFix ?? false,
    } satisfies Record<EditableItemField, unknown>;
    if (next.ownerMemberId && next.ownerMemberId !== item.owner_member_id)
      await assertMemberOf(trx, next.ownerMemberId, item.organization_id, 'ownerMemberId');
    const changed = (Object.keys(next) as EditableItemField[]).filter((f) => next[f] !== item[columnOf[f]]);
    if (changed.length === 0) return;
    const names = await memberNames(trx, [item.owner_member_id, next.ownerMemberId]);
    const shown = (field: EditableItemField, value: string | boolean | null) =>
      field === 'ownerMemberId' && typeof value === 'string' ? (names.get(value) ?? null) : value;
    const changes: FieldChange[] = changed.map((field) => ({
      field,
      before: shown(field, item[columnOf[field]] as string | boolean | null),
      after: shown(field, next[field]),
    }));
    await trx
      .updateTable('rectification_items')
      .set({
        measures: next.measures,
        owner_member_id: next.ownerMemberId,
        owner_unit: next.ownerUnit,
        due_on: next.dueOn,
        pledge: next.pledge,
        immediate_fix: next.immediateFix,
        updated_at: new Date(),
      })
      .where('id', '=', itemId)
      .execute();
    await recordEvent(trx, {
      itemId,
      by: accountId,
      kind: 'edited',
      from: item.status,
      to: item.status,
      details: { changes },
    });
    await markQualityDirty(trx, item.meeting_id, 'rectificationEdited');
  });
}

async function memberNames(db: Db, ids: ReadonlyArray<string | null>) {
  const wanted = ids.filter((id): id is string => !!id);
  if (wanted.length === 0) return new Map<string, string>();
  const rows = await db.selectFrom('members').select(['id', 'full_name']).where('id', 'in', wanted).execute();
  return new Map(rows.map((r) => [r.id, r.full_name]));
}

/**
 * The committee's judgements on an item go to the audit log as well as the item's history; the
 * owner's own progress (start, complete) is theirs to report and stays in the history only.
 */
const auditedActions: Partial<Record<RectificationAction, string>> = {
  verify: 'rectification.verified',
  sendBack: 'rectification.sentBack',
  cancel: 'rectification.cancelled',
};

/** The actions that change what the quality index reads: R counts verified items, never cancelled ones. */
const rescoringActions: Partial<Record<RectificationAction, QualityReason>> = {
  verify: 'rectificationVerified',
  cancel: 'rectificationCancelled',
};

/**
 * Moves an item along its lifecycle (shared/domain/rectification.ts actionRules). The checks run
 * in the order a person would want the answer: "not on your own item" before "not allowed", before
 * "not from this status", before "write a note".
 */
export async function applyAction(
  db: Db,
  access: ItemAccess,
  principal: Principal,
  action: RectificationAction,
  note: string | null | undefined,
) {
  const rule = actionRules[action];
  if (access.isOwner && rule.notByOwner) throw new AppError('rectification.notOnOwnItem', 403);
  if (!access.manages && !(access.isOwner && rule.owner)) throw forbidden();
  await db.transaction().execute(async (trx) => {
    const item = await lockItem(trx, access.item.id);
    if (!rule.from.includes(item.status)) throw conflict('rectification.actionNotAllowed');
    if (rule.noteRequired && !note) throw badRequest('rectification.noteRequired', { note: 'required' });
    const now = new Date();
    const changes = {
      start: {},
      complete: { completion_note: note ?? null, completed_at: now },
      sendBack: { completion_note: null, completed_at: null },
      verify: { verified_by: principal.accountId, verified_at: now },
      cancel: { cancelled_reason: note ?? null },
    }[action];
    await trx
      .updateTable('rectification_items')
      .set({ ...changes, status: rule.to, updated_at: now })
      .where('id', '=', item.id)
      .execute();
    await recordEvent(trx, {
      itemId: item.id,
      by: principal.accountId,
      kind: 'transition',
      from: item.status,
      to: rule.to,
      note,
    });
    const rescore = rescoringActions[action];
    if (rescore) await markQualityDirty(trx, item.meeting_id, rescore);
    const audited = auditedActions[action];
    // Ids and codes only: the note may name people and stays in the item's own history.
    if (audited)
      await appendAudit(trx, {
        ...actorOf(principal),
        action: audited,
        organizationId: item.organization_id,
        details: { itemId: item.id, from: item.status, to: rule.to },
      });
  });
}

export interface NewEvidence {
  description: string;
  link?: string;
  file?: { name: string; contentType: string; data: Buffer };
}

/** Adds evidence (佐证材料) to an open item: the owner's or the committee's. */
export async function addEvidence(db: Db, access: ItemAccess, accountId: string, evidence: NewEvidence) {
  requireEvidenceRights(access);
  return db.transaction().execute(async (trx) => {
    const item = await lockItem(trx, access.item.id);
    assertOpen(item);
    if (item.evidence.length >= maxEvidencePerItem) throw conflict('rectification.tooMuchEvidence');
    let attachmentId: string | undefined;
    if (evidence.file) {
      const row = await trx
        .insertInto('rectification_attachments')
        .values({
          item_id: item.id,
          file_name: evidence.file.name,
          content_type: evidence.file.contentType,
          size_bytes: evidence.file.data.length,
          data: evidence.file.data,
          uploaded_by: accountId,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      attachmentId = row.id;
    }
    const entry: EvidenceItem = {
      id: randomUUID(),
      description: evidence.description,
      ...(evidence.link ? { link: evidence.link } : {}),
      ...(attachmentId ? { attachmentId } : {}),
      addedAt: new Date().toISOString(),
      addedBy: accountId,
    };
    await trx
      .updateTable('rectification_items')
      .set({ evidence: sql`evidence || ${JSON.stringify([entry])}::jsonb`, updated_at: new Date() })
      .where('id', '=', item.id)
      .execute();
    await recordEvent(trx, {
      itemId: item.id,
      by: accountId,
      kind: 'evidenceAdded',
      from: item.status,
      to: item.status,
      details: { description: evidence.description },
    });
    return entry.id;
  });
}

export async function removeEvidence(db: Db, access: ItemAccess, accountId: string, evidenceId: string) {
  requireEvidenceRights(access);
  await db.transaction().execute(async (trx) => {
    const item = await lockItem(trx, access.item.id);
    const entry = item.evidence.find((e) => e.id === evidenceId);
    if (!entry) throw notFound();
    assertOpen(item);
    await trx
      .updateTable('rectification_items')
      .set({
        evidence: JSON.stringify(item.evidence.filter((e) => e.id !== evidenceId)),
        updated_at: new Date(),
      })
      .where('id', '=', item.id)
      .execute();
    if (entry.attachmentId)
      await trx.deleteFrom('rectification_attachments').where('id', '=', entry.attachmentId).execute();
    await recordEvent(trx, {
      itemId: item.id,
      by: accountId,
      kind: 'evidenceRemoved',
      from: item.status,
      to: item.status,
      details: { description: entry.description },
    });
  });
}

/**
 * Publishes items (公示) within a scope, or withdraws the publication (null). All the ids must be
 * the branch's; items already published in that scope keep their original time.
 */
export async function publishItems(
  db: Db,
  organizationId: string,
  itemIds: string[],
  scope: PublicationScope | null,
  principal: Principal,
) {
  const ids = [...new Set(itemIds)];
  await db.transaction().execute(async (trx) => {
    const items = await trx
      .selectFrom('rectification_items')
      .select(['id', 'status', 'published_scope'])
      .where('id', 'in', ids)
      .where('organization_id', '=', organizationId)
      .forUpdate()
      .execute();
    if (items.length !== ids.length) throw notFound();
    const now = new Date();
    const changed: string[] = [];
    for (const item of items) {
      if (item.published_scope === scope) continue;
      changed.push(item.id);
      await trx
        .updateTable('rectification_items')
        .set({ published_scope: scope, published_at: scope ? now : null, updated_at: now })
        .where('id', '=', item.id)
        .execute();
      await recordEvent(trx, {
        itemId: item.id,
        by: principal.accountId,
        kind: 'published',
        from: item.status,
        to: item.status,
        details: { scope },
      });
    }
    if (changed.length > 0)
      await appendAudit(trx, {
        ...actorOf(principal),
        action: scope ? 'rectification.published' : 'rectification.unpublished',
        organizationId,
        details: { scope, count: changed.length, itemIds: changed.join(',') },
      });
  });
}

/**
 * Records the meeting that looked back at the item (回头看). It must be a meeting of the same
 * branch held after the one that produced the item (or, without one, after the item was opened);
 * a cancelled meeting reviewed nothing.
 */
export async function markReviewed(
  db: Db,
  access: ItemAccess,
  meetingId: string | null,
  principal: Principal,
) {
  requireManage(access);
  await db.transaction().execute(async (trx) => {
    const item = await lockItem(trx, access.item.id);
    if (meetingId) {
      const meeting = await assertMeetingOf(trx, meetingId, item.organization_id, 'meetingId');
      const origin = item.meeting_id
        ? (
            await trx
              .selectFrom('meetings')
              .select('starts_at')
              .where('id', '=', item.meeting_id)
              .executeTakeFirstOrThrow()
          ).starts_at
        : item.created_at;
      if (meeting.status === 'cancelled' || meeting.starts_at <= origin)
        throw badRequest('rectification.reviewMeetingNotLater', { meetingId: 'notLaterMeeting' });
    }
    if (item.reviewed_at_meeting_id === meetingId) return;
    await trx
      .updateTable('rectification_items')
      .set({ reviewed_at_meeting_id: meetingId, updated_at: new Date() })
      .where('id', '=', item.id)
      .execute();
    await recordEvent(trx, {
      itemId: item.id,
      by: principal.accountId,
      kind: 'reviewed',
      from: item.status,
      to: item.status,
      details: { meetingId },
    });
    await markQualityDirty(trx, [meetingId, item.reviewed_at_meeting_id], 'rectificationReviewed');
    await appendAudit(trx, {
      ...actorOf(principal),
      action: meetingId ? 'rectification.reviewed' : 'rectification.reviewCleared',
      organizationId: item.organization_id,
      meetingId: meetingId ?? item.reviewed_at_meeting_id,
      details: { itemId: item.id, meetingId, previousMeetingId: item.reviewed_at_meeting_id },
    });
  });
}
