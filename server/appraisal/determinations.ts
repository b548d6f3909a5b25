import type { Kysely, Transaction } from 'kysely';
import type { AppraisalGrade } from '../../shared/domain/enums.ts';
import { checkExcellentShare } from '../../shared/quality/appraisal-rules.ts';
import type { DeterminationsBody } from '../../shared/schemas/appraisal.ts';
import type { Principal } from '../access/principal.ts';
import { actorOf, appendAudit } from '../audit/audit-log.ts';
import type { DB } from '../db/schema.ts';
import { AppError, badRequest, conflict } from '../http/errors.ts';
import type { MeetingRow } from '../meetings/access.ts';
import { markQualityDirty } from '../quality/queue.ts';
import {
  type AppraisalRecord,
  currentOf,
  determinationBlocker,
  determinationHistory,
  dispositionsOf,
  sheetPeople,
} from './state.ts';

/** The meeting's appraisal record, created on first use and locked for the rest of the transaction. */
export async function lockRecord(trx: Transaction<DB>, meeting: MeetingRow): Promise<AppraisalRecord> {
  await trx
    .insertInto('appraisal_records')
    .values({ meeting_id: meeting.id, organization_id: meeting.organization_id })
    .onConflict((oc) => oc.column('meeting_id').doNothing())
    .execute();
  return trx
    .selectFrom('appraisal_records')
    .select(['id', 'excellent_override_reason'])
    .where('meeting_id', '=', meeting.id)
    .forUpdate()
    .executeTakeFirstOrThrow();
}

const notGradedCode = {
  probationary: { field: 'probationaryNotGraded', error: 'appraisal.probationaryGraded' },
  exempt: { field: 'exemptNotGraded', error: 'appraisal.exemptGraded' },
} as const;

/**
 * Enters or changes the committee's determinations (组织评定). Nothing here looks at the ballot:
 * every grade is one the committee chose. In one transaction, under the record's lock:
 * probationary and exempt members are refused a grade; more 优秀 than ⅓ of the full members needs
 * a recorded reason; a 不合格 whose disposition has begun cannot be changed; each change supersedes
 * the current row (history kept) and is audited with ids and grades only. A new 不合格 opens a
 * disposition record; withdrawing one removes its disposition while nothing has been recorded on it.
 *
 * @returns how many determinations changed
 */
export async function saveDeterminations(
  db: Kysely<DB>,
  meeting: MeetingRow,
  principal: Principal,
  body: DeterminationsBody,
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const blocked = await determinationBlocker(trx, meeting);
    if (blocked) throw conflict(blocked);
    const record = await lockRecord(trx, meeting);
    const [people, history, dispositions] = await Promise.all([
      sheetPeople(trx, meeting.id),
      determinationHistory(trx, record.id),
      dispositionsOf(trx, record.id),
    ]);
    const current = currentOf(history);
    const byId = new Map(people.map((p) => [p.memberId, p]));

    const fields: Record<string, string> = {};
    let code = 'request.invalid';
    body.determinations.forEach((entry, i) => {
      const person = byId.get(entry.memberId);
      if (!person) fields[`determinations.${i}.memberId`] = 'notOnSheet';
      else if (person.notGraded && entry.grade !== null) {
        fields[`determinations.${i}.grade`] = notGradedCode[person.notGraded].field;
        code = notGradedCode[person.notGraded].error;
      }
    });
    if (Object.keys(fields).length > 0) throw new AppError(code, 400, fields);

    const next = new Map<string, AppraisalGrade | null>(
      people.map((p) => [p.memberId, current.get(p.memberId)?.grade ?? null]),
    );
    for (const entry of body.determinations) next.set(entry.memberId, entry.grade);
    const reason =
      body.excellentOverrideReason === undefined
        ? record.excellent_override_reason
        : body.excellentOverrideReason;
    const graded = people.filter((p) => p.notGraded === null);
    const share = checkExcellentShare({
      fullMembers: graded.length,
      excellent: graded.filter((p) => next.get(p.memberId) === 'excellent').length,
      overrideReason: reason,
    });
    if (share.status === 'reasonRequired')
      throw badRequest('appraisal.excellentOverCap', { excellentOverrideReason: 'excellentOverCap' });

    const changes = body.determinations.filter((entry) => {
      const before = current.get(entry.memberId);
      // Withdrawing what was never entered changes nothing, whatever note comes with it.
      if ((before?.grade ?? null) === null && entry.grade === null) return false;
      return before?.grade !== entry.grade || (before?.note ?? null) !== (entry.note ?? null);
    });
    const started: Record<string, string> = {};
    for (const entry of changes) {
      const disposition = dispositions.get(entry.memberId);
      if (disposition?.hasProgress && entry.grade !== 'unqualified')
        started[`determinations.${body.determinations.indexOf(entry)}.grade`] = 'dispositionStarted';
    }
    if (Object.keys(started).length > 0) throw conflict('appraisal.dispositionStarted', started);

    const now = new Date();
    const actor = actorOf(principal);
    const audit = (action: string, details: Record<string, string | boolean | null>) =>
      appendAudit(trx, {
        ...actor,
        action,
        organizationId: meeting.organization_id,
        meetingId: meeting.id,
        details,
      });
    for (const entry of changes) {
      const before = current.get(entry.memberId);
      if (before)
        await trx
          .updateTable('appraisal_determinations')
          .set({ superseded_at: now })
          .where('id', '=', before.id)
          .execute();
      await trx
        .insertInto('appraisal_determinations')
        .values({
          record_id: record.id,
          member_id: entry.memberId,
          grade: entry.grade,
          note: entry.note ?? null,
          decided_by: principal.accountId,
          decided_at: now,
        })
        .execute();
      await audit('appraisal.determined', {
        memberId: entry.memberId,
        grade: entry.grade,
        previousGrade: before?.grade ?? null,
      });
      await followDisposition(
        trx,
        record.id,
        entry.memberId,
        entry.grade,
        dispositions.get(entry.memberId),
        audit,
      );
    }
    if (reason !== record.excellent_override_reason) {
      await trx
        .updateTable('appraisal_records')
        .set({ excellent_override_reason: reason })
        .where('id', '=', record.id)
        .execute();
      await audit('appraisal.excellentOverride', { reasonRecorded: !!reason });
    }
    if (changes.length > 0) await markQualityDirty(trx, meeting.id, 'appraisalDetermination');
    return changes.length;
  });
}

/** 不合格 opens a disposition record; an untouched one goes away when the determination changes. */
async function followDisposition(
  trx: Transaction<DB>,
  recordId: string,
  memberId: string,
  grade: AppraisalGrade | null,
  disposition: { id: string; hasProgress: boolean } | undefined,
  audit: (action: string, details: Record<string, string | boolean | null>) => Promise<void>,
) {
  if (grade === 'unqualified' && !disposition) {
    const opened = await trx
      .insertInto('appraisal_dispositions')
      .values({ record_id: recordId, member_id: memberId })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit('appraisal.dispositionOpened', { memberId, dispositionId: opened.id });
  } else if (grade !== 'unqualified' && disposition && !disposition.hasProgress) {
    await trx.deleteFrom('appraisal_dispositions').where('id', '=', disposition.id).execute();
    await audit('appraisal.dispositionWithdrawn', { memberId, dispositionId: disposition.id });
  }
}
