import type { Kysely } from 'kysely';
import type { AttendanceStatus } from '../../shared/domain/enums.ts';
import type { AuditInTransaction } from '../audit/audit-log.ts';
import { hashToken, newHumanCode, newToken } from '../auth/secrets.ts';
import type { DB, Db } from '../db/schema.ts';
import { conflict } from '../http/errors.ts';
import { recordEvent } from './events.ts';
import { GroupCommit } from './group-commit.ts';

/**
 * The live session of a meeting: open/close with a short join code, the projector link, the timer
 * and attendance. Each change records its event in its own transaction; callers tell the hub after
 * commit (they get the new seq back).
 */

/** 6 symbols of the human-code alphabet: ~10⁹ codes, unique among open sessions, rate-limited lookups. */
export const newJoinCode = () => newHumanCode(6, 6);

export async function openSession(
  db: Kysely<DB>,
  meetingId: string,
  accountId: string,
  audit?: AuditInTransaction,
): Promise<{ seq: number | null; joinCode: string }> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.transaction().execute(async (trx) => {
        const current = await trx
          .selectFrom('live_sessions')
          .select(['open', 'join_code'])
          .where('meeting_id', '=', meetingId)
          .forUpdate()
          .executeTakeFirst();
        if (current?.open) return { seq: null, joinCode: current.join_code! };
        const joinCode = newJoinCode();
        await trx
          .insertInto('live_sessions')
          .values({
            meeting_id: meetingId,
            open: true,
            join_code: joinCode,
            opened_at: new Date(),
            opened_by: accountId,
          })
          .onConflict((oc) =>
            oc.column('meeting_id').doUpdateSet({
              open: true,
              join_code: joinCode,
              opened_at: new Date(),
              opened_by: accountId,
              closed_at: null,
            }),
          )
          .execute();
        await audit?.(trx);
        return { seq: await recordEvent(trx, meetingId, 'session'), joinCode };
      });
    } catch (err) {
      // Another open session drew the same code: draw again.
      if ((err as { code?: string }).code === '23505' && attempt < 5) continue;
      throw err;
    }
  }
}

/** Closing needs every round closed first: closing is what seals a round, and that is the host's call. */
export async function closeSession(
  db: Kysely<DB>,
  meetingId: string,
  audit?: AuditInTransaction,
): Promise<number | null> {
  return db.transaction().execute(async (trx) => {
    const session = await trx
      .selectFrom('live_sessions')
      .select('open')
      .where('meeting_id', '=', meetingId)
      .forUpdate()
      .executeTakeFirst();
    if (!session?.open) return null;
    const open = await trx
      .selectFrom('rounds')
      .select('id')
      .where('meeting_id', '=', meetingId)
      .where('state', '=', 'open')
      .executeTakeFirst();
    if (open) throw conflict('live.roundsStillOpen');
    await trx
      .updateTable('live_sessions')
      .set({ open: false, closed_at: new Date(), timer_ends_at: null, timer_label: '' })
      .where('meeting_id', '=', meetingId)
      .execute();
    await audit?.(trx);
    const seq = await recordEvent(trx, meetingId, 'session');
    // The event log is for connected screens to catch up; once the session ends it has served.
    await trx.deleteFrom('live_events').where('meeting_id', '=', meetingId).where('seq', '<', seq).execute();
    return seq;
  });
}

/** A new projector link; the previous one stops working (its screens are disconnected). */
export async function issueProjectorToken(
  db: Kysely<DB>,
  meetingId: string,
  audit?: AuditInTransaction,
): Promise<string> {
  const token = newToken();
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('live_sessions')
      .values({ meeting_id: meetingId, projector_token_hash: hashToken(token) })
      .onConflict((oc) => oc.column('meeting_id').doUpdateSet({ projector_token_hash: hashToken(token) }))
      .execute();
    await audit?.(trx);
  });
  return token;
}

export async function setTimer(
  db: Kysely<DB>,
  meetingId: string,
  timer: { seconds: number; label: string } | null,
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const seq = await recordEvent(trx, meetingId, 'timer');
    await trx
      .updateTable('live_sessions')
      .set({
        timer_ends_at: timer ? new Date(Date.now() + timer.seconds * 1000) : null,
        timer_label: timer?.label ?? '',
      })
      .where('meeting_id', '=', meetingId)
      .execute();
    return seq;
  });
}

/**
 * Check-in when a member joins the open session: present now, unless the recorder already marked
 * them otherwise (then nothing changes). Returns the event's seq, or null when nothing changed
 * (a reconnect).
 */
export async function checkIn(
  db: Db,
  meetingId: string,
  memberIds: readonly string[],
): Promise<number | null> {
  // Sorted and distinct: one row each, locked in the same order by every node's batches.
  const ids = [...new Set(memberIds)].sort();
  if (ids.length === 0) return null;
  const now = new Date();
  const changed = await db
    .insertInto('attendance')
    .values(
      ids.map((memberId) => ({
        meeting_id: meetingId,
        member_id: memberId,
        status: 'present' as const,
        checked_in_at: now,
        source: 'checkIn' as const,
      })),
    )
    .onConflict((oc) =>
      oc
        .columns(['meeting_id', 'member_id'])
        .doUpdateSet({ checked_in_at: now, updated_at: now })
        .where('attendance.status', '=', 'present')
        .where('attendance.checked_in_at', 'is', null),
    )
    .returning('member_id')
    .execute();
  // One attendance event for the whole group: events carry the whole new attendance anyway.
  return changed.length > 0 ? recordEvent(db, meetingId, 'attendance') : null;
}

/**
 * Check-ins of one node, in groups: the hellos arriving within a few milliseconds are written in
 * one transaction with one attendance event per meeting. One by one, every check-in would commit
 * separately and queue on the meeting's seq row, which caps how fast a plenary can fill.
 */
export class CheckInWriter {
  private readonly batches = new GroupCommit<{ meetingId: string; memberId: string }, AttendanceStatus>(
    (batch) => this.write(batch),
    { windowMs: 3, maxBatch: 500 },
  );

  constructor(
    private readonly db: Kysely<DB>,
    private readonly onEvent: (meetingId: string, seq: number) => void,
  ) {}

  /**
   * Resolves once the check-in is committed (and the hub told), with the member's attendance as
   * recorded: `present`, or what the host had recorded before (a check-in never overrides it).
   */
  checkIn(meetingId: string, memberId: string): Promise<AttendanceStatus> {
    return this.batches.submit({ meetingId, memberId });
  }

  drain() {
    return this.batches.drain();
  }

  private async write(batch: Array<{ meetingId: string; memberId: string }>): Promise<AttendanceStatus[]> {
    const byMeeting = new Map<string, string[]>();
    for (const { meetingId, memberId } of batch)
      byMeeting.set(meetingId, [...(byMeeting.get(meetingId) ?? []), memberId]);
    const meetings = [...byMeeting.keys()].sort();
    const status = new Map<string, AttendanceStatus>();
    const seqs = await this.db.transaction().execute(async (trx) => {
      const out: Array<[string, number | null]> = [];
      for (const meetingId of meetings) {
        const memberIds = byMeeting.get(meetingId)!;
        out.push([meetingId, await checkIn(trx, meetingId, memberIds)]);
        // One read per meeting and batch, not one per hello: what each phone's welcome reports.
        const rows = await trx
          .selectFrom('attendance')
          .select(['member_id', 'status'])
          .where('meeting_id', '=', meetingId)
          .where('member_id', 'in', memberIds)
          .execute();
        for (const row of rows) status.set(`${meetingId}:${row.member_id}`, row.status);
      }
      return out;
    });
    for (const [meetingId, seq] of seqs) if (seq !== null) this.onEvent(meetingId, seq);
    return batch.map(({ meetingId, memberId }) => status.get(`${meetingId}:${memberId}`)!);
  }
}
