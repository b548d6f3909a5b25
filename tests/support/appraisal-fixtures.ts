import type { Kysely } from 'kysely';
import type { DB } from '../../server/db/schema.ts';
import { shanghaiDate } from '../../shared/domain/calendar.ts';
import type { AppraisalGrade, AttendanceStatus, MeetingType } from '../../shared/domain/enums.ts';
import { newReceipt } from '../../shared/domain/live-client.ts';
import type { LiveClient } from './live-client.ts';
import {
  claimDevices,
  command,
  createRound,
  insertMeeting,
  type ListeningApp,
  tokenSocket,
} from './live-fixtures.ts';
import type { TestClient } from './test-app.ts';

/**
 * Preconditions for the appraisal workflow: meetings with invitees and marked attendance, and
 * sealed appraisal ballots — either cast through the real live protocol (runAppraisalBallot) or
 * written as sealing leaves them (insertSealedBallot), for tests that are about what comes after.
 */

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000);

/** A held meeting of the branch with these invitees marked as given (default: everyone present). */
export async function insertHeldMeeting(
  db: Kysely<DB>,
  organizationId: string,
  inviteeIds: string[],
  options: {
    type?: MeetingType;
    title?: string;
    daysAgo?: number;
    attendance?: Record<string, AttendanceStatus>;
  } = {},
): Promise<string> {
  const { meetingId } = await insertMeeting(db, organizationId, {
    inviteeIds,
    type: options.type ?? 'memberAppraisal',
    title: options.title ?? '2026年度民主评议党员大会',
  });
  await db
    .updateTable('meetings')
    .set({ status: 'held', starts_at: daysAgo(options.daysAgo ?? 2) })
    .where('id', '=', meetingId)
    .execute();
  if (inviteeIds.length > 0)
    await db
      .insertInto('attendance')
      .values(
        inviteeIds.map((memberId) => ({
          meeting_id: meetingId,
          member_id: memberId,
          status: options.attendance?.[memberId] ?? 'present',
        })),
      )
      .execute();
  return meetingId;
}

/** A closed, sealed appraisal round grading `graded`, holding these ballots (one per voter). */
export async function insertSealedBallot(
  db: Kysely<DB>,
  meetingId: string,
  graded: string[],
  ballots: Array<Record<string, AppraisalGrade>>,
): Promise<string> {
  const now = new Date();
  const round = await db
    .insertInto('rounds')
    .values({
      meeting_id: meetingId,
      kind: 'appraisal',
      title: '民主测评',
      position: 1,
      anonymous: true,
      state: 'closed',
      config: JSON.stringify({ kind: 'appraisal', graded }),
      opened_at: now,
      closed_at: now,
      sealed_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (ballots.length > 0)
    await db
      .insertInto('ballots')
      .values(
        ballots.map((grades) => ({
          round_id: round.id,
          content: JSON.stringify({ kind: 'appraisal', grades }) as never,
          receipt: newReceipt(),
        })),
      )
      .execute();
  return round.id;
}

/**
 * Runs an appraisal ballot through the live protocol: the host opens the session and a round,
 * each voter claims a phone and checks in, votes `gradeOf(voterIndex, memberId)` on every graded
 * member, and the host closes (and so seals) the round. Returns the graded list and the round id.
 */
export async function runAppraisalBallot(
  app: ListeningApp,
  host: TestClient,
  meetingId: string,
  voterIds: string[],
  gradeOf: (voter: number, memberId: string) => AppraisalGrade,
): Promise<{ roundId: string; graded: string[] }> {
  const url = (path: string) => `/api/meetings/${meetingId}/live${path}`;
  await command(host, 'POST', url('/open'));
  const tokens = await claimDevices(host, app.client(), meetingId, voterIds);
  const phones: LiveClient[] = [];
  try {
    for (const id of voterIds) phones.push(await tokenSocket(app, meetingId, 'device', tokens.get(id)!));
    const roundId = await createRound(host, meetingId, '民主测评', { kind: 'appraisal' });
    await command(host, 'POST', url(`/rounds/${roundId}/open`));
    const opened = await phones[0]!.waitForState(
      (st) => st.rounds.some((r) => r.id === roundId && r.state === 'open'),
      'the appraisal round open',
    );
    const graded = opened.rounds.find((r) => r.id === roundId)!.graded!.map((g) => g.memberId);
    const acks = await Promise.all(
      phones.map(async (phone, v) => {
        await phone.waitForState((st) => st.rounds.some((r) => r.id === roundId && r.state === 'open'));
        return phone.ballot(roundId, {
          kind: 'appraisal',
          grades: Object.fromEntries(graded.map((memberId) => [memberId, gradeOf(v, memberId)])),
        });
      }),
    );
    const refused = acks.filter((a) => a.type !== 'ack');
    if (refused.length > 0) throw new Error(`ballots refused: ${JSON.stringify(refused)}`);
    await command(host, 'POST', url(`/rounds/${roundId}/close`));
    return { roundId, graded };
  } finally {
    for (const phone of phones) phone.close();
  }
}

export interface SeededAppraisal {
  meetingId: string;
  memberId: string;
  recordId: string;
  determinationId: string | null;
  feedbackId: string | null;
}

/**
 * An appraisal meeting held two days ago in `organizationId`, grading one full member (the given
 * one, or a new one), with the committee's determination and feedback as asked.
 */
export async function insertAppraisal(
  db: Kysely<DB>,
  organizationId: string,
  options: { memberId?: string; grade?: AppraisalGrade; feedback?: boolean } = {},
): Promise<SeededAppraisal> {
  const memberId =
    options.memberId ??
    (
      await db
        .insertInto('members')
        .values({ organization_id: organizationId, full_name: '被评议党员', status: 'fullMember' })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const meetingId = await insertHeldMeeting(db, organizationId, [memberId]);
  const record = await db
    .insertInto('appraisal_records')
    .values({ meeting_id: meetingId, organization_id: organizationId })
    .returning('id')
    .executeTakeFirstOrThrow();
  const seeded: SeededAppraisal = {
    meetingId,
    memberId,
    recordId: record.id,
    determinationId: null,
    feedbackId: null,
  };
  if (!options.grade) return seeded;
  const determination = await db
    .insertInto('appraisal_determinations')
    .values({ record_id: record.id, member_id: memberId, grade: options.grade })
    .returning('id')
    .executeTakeFirstOrThrow();
  seeded.determinationId = determination.id;
  if (!options.feedback) return seeded;
  const feedback = await db
    .insertInto('appraisal_feedback')
    .values({
      record_id: record.id,
      member_id: memberId,
      determination_id: determination.id,
      given_on: new Date().toISOString().slice(0, 10),
      method: 'talk',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  seeded.feedbackId = feedback.id;
  return seeded;
}

/**
 * A 不合格 determination with its disposition in `organizationId`, and a held general meeting a day
 * later where every invitee was present. `stage` says how far the disposition has come.
 */
export async function insertDisposition(
  db: Kysely<DB>,
  organizationId: string,
  stage: 'opened' | 'educated' | 'awaitingApproval' | 'approvedRemoval',
): Promise<{ dispositionId: string; generalMeetingId: string; stepId: string | null }> {
  const appraisal = await insertAppraisal(db, organizationId, { grade: 'unqualified' });
  const meeting = await db
    .selectFrom('meetings')
    .select('starts_at')
    .where('id', '=', appraisal.meetingId)
    .executeTakeFirstOrThrow();
  const generalMeetingId = await insertHeldMeeting(db, organizationId, [appraisal.memberId], {
    type: 'branchGeneralMeeting',
    daysAgo: 1,
  });
  const disposition = await db
    .insertInto('appraisal_dispositions')
    .values({
      record_id: appraisal.recordId,
      member_id: appraisal.memberId,
      ...(stage === 'opened'
        ? {}
        : { education_started_on: shanghaiDate(meeting.starts_at), education_measures: '谈心谈话' }),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (stage === 'opened' || stage === 'educated')
    return { dispositionId: disposition.id, generalMeetingId, stepId: null };
  const step = await db
    .insertInto('appraisal_disposition_steps')
    .values({
      disposition_id: disposition.id,
      kind: 'removal',
      meeting_id: generalMeetingId,
      votes_yes: 1,
      votes_no: 0,
      votes_abstain: 0,
      voting_expected: 1,
      voting_present: 1,
      quorum_met: true,
      passed: true,
      ...(stage === 'approvedRemoval'
        ? {
            approval_decision: 'approved' as const,
            approver_organization: '上级党委',
            approver_name: '组织部',
            approved_on: shanghaiDate(new Date(Date.now() - 86_400_000)),
          }
        : {}),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { dispositionId: disposition.id, generalMeetingId, stepId: step.id };
}
