import type { Kysely } from 'kysely';
import { diffFields } from '../../shared/domain/field-changes.ts';
import { completeContent, type MinutesContent, type SignerRole } from '../../shared/domain/meetings.ts';
import { voteOutcome } from '../../shared/domain/quorum.ts';
import type { MinutesView, SaveMinutesBody } from '../../shared/schemas/minutes.ts';
import type { Principal } from '../access/principal.ts';
import type { DB, Db } from '../db/schema.ts';
import { AppError, conflict, forbidden } from '../http/errors.ts';
import type { MeetingCapabilities, MeetingRow } from '../meetings/access.ts';
import { auditMeeting } from '../meetings/audit.ts';
import { rosterOf } from '../meetings/roster.ts';
import { markQualityDirty } from '../quality/queue.ts';
import { attachmentsOf } from './attachments.ts';
import {
  clearSignatures,
  deriveRecord,
  lockMinutes,
  memberNames,
  recordAmendment,
  requireReason,
} from './record.ts';

/** The minutes as a reader sees them: the frozen record once signed, the live derivation before. */
export async function minutesView(
  db: Db,
  meeting: MeetingRow,
  organizationName: string,
  capabilities: MeetingCapabilities,
): Promise<MinutesView> {
  const row = await db
    .selectFrom('minutes')
    .selectAll()
    .where('meeting_id', '=', meeting.id)
    .executeTakeFirst();
  const live = row?.snapshot ? undefined : await deriveRecord(db, meeting);
  const record = row?.snapshot ?? live!.record;
  const content = completeContent(row?.content ?? {});
  const voting = { expected: record.votingExpected ?? 0, present: record.votingPresent ?? 0 };
  const accountIds = [row?.host_signed_by, row?.recorder_signed_by, row?.updated_by].filter(
    (id): id is string => !!id,
  );
  const signerIds = [meeting.host_member_id, meeting.recorder_member_id].filter((id): id is string => !!id);
  const [accounts, custodian, signerAccounts, attachments, amendments] = await Promise.all([
    accountNames(db, accountIds),
    memberNames(db, row?.custodian_member_id ? [row.custodian_member_id] : []),
    signerIds.length
      ? db.selectFrom('members').select(['id', 'account_id']).where('id', 'in', signerIds).execute()
      : [],
    attachmentsOf(db, meeting.id),
    db
      .selectFrom('minutes_amendments as a')
      .innerJoin('accounts as ac', 'ac.id', 'a.amended_by')
      .select(['a.id', 'a.amended_at', 'ac.display_name', 'a.reason', 'a.changes'])
      .where('a.meeting_id', '=', meeting.id)
      .orderBy('a.amended_at')
      .orderBy('a.id')
      .execute(),
  ]);
  const hasAccount = (memberId: string | null) =>
    signerAccounts.some((m) => m.id === memberId && m.account_id !== null);
  const signature = (at: Date | null | undefined, by: string | null | undefined) =>
    at && by ? { signedAt: at.toISOString(), signedByName: accounts.get(by) ?? '' } : null;
  const locked = !!row?.locked_at;
  const open = !locked && meeting.status !== 'cancelled';
  return {
    meetingId: meeting.id,
    organizationName,
    meetingStatus: meeting.status,
    meetingAgenda: meeting.agenda.map((a) => a.title),
    record,
    frozen: !!row?.snapshot,
    unmarkedCount: live?.summary.counts.unmarked ?? 0,
    recordingMethod: row?.recording_method ?? 'summary',
    custodian: row?.custodian_member_id
      ? { memberId: row.custodian_member_id, name: custodian.get(row.custodian_member_id) ?? '' }
      : null,
    content,
    voteResults: content.votes.map((v) => ({ ...voteOutcome(v, voting), quorumMet: record.quorum.met })),
    signatures: {
      host: signature(row?.host_signed_at, row?.host_signed_by),
      recorder: signature(row?.recorder_signed_at, row?.recorder_signed_by),
    },
    lockedAt: row?.locked_at?.toISOString() ?? null,
    // The row also appears when attendance is first marked; it counts as written once someone saved it.
    updatedAt: row?.updated_by ? row.updated_at.toISOString() : null,
    updatedByName: row?.updated_by ? (accounts.get(row.updated_by) ?? null) : null,
    attachments,
    amendments: amendments.map((a) => ({
      id: a.id,
      amendedAt: a.amended_at.toISOString(),
      amendedByName: a.display_name,
      reason: a.reason,
      changes: a.changes,
    })),
    me: {
      canEdit: capabilities.canRecord && meeting.status !== 'cancelled',
      canSignAsHost: capabilities.isHost && open && !row?.host_signed_at,
      canSignAsRecorder: capabilities.isRecorder && open && !row?.recorder_signed_at,
    },
    signers: {
      hostHasAccount: hasAccount(meeting.host_member_id),
      recorderHasAccount: hasAccount(meeting.recorder_member_id),
    },
  };
}

async function accountNames(db: Db, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('accounts')
    .select(['id', 'display_name'])
    .where('id', 'in', ids)
    .execute();
  return new Map(rows.map((r) => [r.id, r.display_name]));
}

/** What an amendment compares: names rather than ids, so the history reads as the record does. */
function amendable(method: string, custodianName: string | null, content: Required<MinutesContent>) {
  return {
    recordingMethod: method,
    custodian: custodianName,
    ...content,
    speeches: content.speeches.map((s) => ({ speaker: s.speakerName ?? '', summary: s.summary })),
  };
}

/**
 * Saves the minutes the recorder writes. Speakers who are members must be invitees or observers of
 * this meeting (their name is taken from the roster); the custodian must be on the roster. Before
 * the lock a real change clears signatures already given; after it the change needs a reason and
 * is kept as an amendment, field by field, before → after.
 */
export async function saveMinutes(
  db: Kysely<DB>,
  meeting: MeetingRow,
  body: SaveMinutesBody,
  principal: Principal,
) {
  if (meeting.status === 'cancelled') throw conflict('meeting.cancelled');
  const org = await db
    .selectFrom('organizations')
    .select(['id', 'kind', 'ancestry'])
    .where('id', '=', meeting.organization_id)
    .executeTakeFirstOrThrow();
  const [roster, attendees] = await Promise.all([
    rosterOf(db, org),
    db
      .selectFrom('meeting_invitees as i')
      .innerJoin('members as m', 'm.id', 'i.member_id')
      .select(['m.id', 'm.full_name'])
      .where('i.meeting_id', '=', meeting.id)
      .union(
        db
          .selectFrom('meeting_observers as o')
          .innerJoin('members as m', 'm.id', 'o.member_id')
          .select(['m.id', 'm.full_name'])
          .where('o.meeting_id', '=', meeting.id),
      )
      .execute(),
  ]);
  const rosterNames = new Map(roster.map((m) => [m.id, m.name]));
  const attendeeNames = new Map(attendees.map((a) => [a.id, a.full_name]));
  const fields: Record<string, string> = {};
  const content: Required<MinutesContent> = {
    ...body.content,
    speeches: body.content.speeches.map((s, i) => {
      if (!s.speakerMemberId) return { speakerName: s.speakerName!, summary: s.summary };
      const name = attendeeNames.get(s.speakerMemberId);
      if (!name) fields[`content.speeches.${i}.speakerMemberId`] = 'notAttendee';
      return { speakerMemberId: s.speakerMemberId, speakerName: name ?? '', summary: s.summary };
    }),
  };

  await db.transaction().execute(async (trx) => {
    const row = await lockMinutes(trx, meeting.id);
    // A custodian kept from before stays valid even if they have since left the roster.
    if (
      body.custodianMemberId &&
      body.custodianMemberId !== row.custodian_member_id &&
      !rosterNames.has(body.custodianMemberId)
    )
      fields.custodianMemberId = 'notInRoster';
    if (Object.keys(fields).length) throw new AppError('minutes.invalidPerson', 400, fields);
    const custodianNames = await memberNames(
      trx,
      [row.custodian_member_id, body.custodianMemberId].filter((id): id is string => !!id),
    );
    const changes = diffFields(
      amendable(
        row.recording_method,
        nameOf(custodianNames, row.custodian_member_id),
        completeContent(row.content),
      ),
      amendable(body.recordingMethod, nameOf(custodianNames, body.custodianMemberId), content),
    );
    if (row.locked_at) {
      const reason = requireReason(body.reason);
      if (changes.length === 0) throw new AppError('minutes.nothingChanged', 400);
      const voting = {
        expected: row.snapshot!.votingExpected ?? 0,
        present: row.snapshot!.votingPresent ?? 0,
      };
      const wrongVotes = votesExceedingPresent(content, voting);
      if (Object.keys(wrongVotes).length) throw new AppError('minutes.votesExceedPresent', 400, wrongVotes);
      await recordAmendment(trx, meeting, principal, reason, changes);
    } else if (changes.length === 0) {
      return;
    } else {
      await clearSignatures(trx, meeting.id);
    }
    await trx
      .updateTable('minutes')
      .set({
        recording_method: body.recordingMethod,
        custodian_member_id: body.custodianMemberId,
        content: JSON.stringify(content),
        updated_by: principal.accountId,
        updated_at: new Date(),
      })
      .where('meeting_id', '=', meeting.id)
      .execute();
    await markQualityDirty(trx, meeting.id, row.locked_at ? 'minutesAmended' : 'minutesSaved');
  });
}

const nameOf = (names: Map<string, string>, id: string | null) => (id ? (names.get(id) ?? null) : null);

/** Field errors for votes with more ballots than voting members present. */
function votesExceedingPresent(
  content: Required<MinutesContent>,
  voting: { expected: number; present: number },
): Record<string, string> {
  return Object.fromEntries(
    content.votes.flatMap((v, i) =>
      voteOutcome(v, voting).exceedsPresent ? [[`content.votes.${i}.yes`, 'exceedsPresent']] : [],
    ),
  );
}

/**
 * Host or recorder signs the minutes with their own account (the one linked to that member). The
 * meeting must have been held, every invitee marked, and no vote may count more ballots than voters
 * present. When both have signed, the minutes lock and the derived record is frozen in the snapshot.
 */
export async function signMinutes(db: Kysely<DB>, principal: Principal, meetingId: string, as: SignerRole) {
  await db.transaction().execute(async (trx) => {
    const row = await lockMinutes(trx, meetingId);
    const meeting = await trx
      .selectFrom('meetings')
      .selectAll()
      .where('id', '=', meetingId)
      .executeTakeFirstOrThrow();
    const memberId = as === 'host' ? meeting.host_member_id : meeting.recorder_member_id;
    if (!memberId) throw conflict('minutes.signerNotSet');
    const signer = await trx
      .selectFrom('members')
      .select('account_id')
      .where('id', '=', memberId)
      .executeTakeFirstOrThrow();
    if (!signer.account_id) throw conflict('minutes.signerHasNoAccount');
    if (signer.account_id !== principal.accountId) throw forbidden('minutes.notSigner');
    if (row.locked_at) throw conflict('minutes.locked');
    if (meeting.status !== 'held') throw conflict('minutes.meetingNotHeld');
    if ((as === 'host' ? row.host_signed_at : row.recorder_signed_at) !== null)
      throw conflict('minutes.alreadySigned');
    const { record, summary } = await deriveRecord(trx, meeting);
    if (summary.counts.unmarked > 0) throw conflict('minutes.attendanceIncomplete');
    const voting = { expected: record.votingExpected ?? 0, present: record.votingPresent ?? 0 };
    if (Object.keys(votesExceedingPresent(completeContent(row.content), voting)).length)
      throw conflict('minutes.votesExceedPresent');
    const now = new Date();
    const otherSigned = (as === 'host' ? row.recorder_signed_at : row.host_signed_at) !== null;
    await trx
      .updateTable('minutes')
      .set({
        ...(as === 'host'
          ? { host_signed_at: now, host_signed_by: principal.accountId }
          : { recorder_signed_at: now, recorder_signed_by: principal.accountId }),
        ...(otherSigned ? { locked_at: now, snapshot: JSON.stringify(record) } : {}),
      })
      .where('meeting_id', '=', meetingId)
      .execute();
    await auditMeeting(trx, principal, meeting, 'minutes.signed', { as });
    if (otherSigned) await auditMeeting(trx, principal, meeting, 'minutes.locked');
    await markQualityDirty(trx, meetingId, 'minutesSigned');
  });
}
