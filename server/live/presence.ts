import { sql } from 'kysely';
import type { RoundKind, RoundState } from '../../shared/schemas/rounds.ts';
import type { Db } from '../db/schema.ts';
import type { ParticipantKind } from '../db/tables/live.ts';
import { attendanceSummary } from '../meetings/attendance-summary.ts';

/**
 * Who may take part right now, and who has: the eligibility rules of the live meeting in one place.
 * Appraisal ballots are for members present (full and probationary); surveys and polls also for
 * observers who joined; criticism is written by present members and joined observers.
 */
export interface ParticipantRef {
  kind: ParticipantKind;
  id: string;
}

export interface Presence {
  /** Invited members whose attendance is `present`, in roster order. */
  members: string[];
  /** Observers who claimed their code (and were not revoked). */
  observers: string[];
}

/**
 * Who is present: the whole roster, or — with `among` — only those of the given participants (a
 * batch of ballots checks its voters without reading thousands of rows).
 */
export async function loadPresence(
  db: Db,
  meetingId: string,
  among?: readonly ParticipantRef[],
): Promise<Presence> {
  const memberIds = among?.filter((p) => p.kind === 'member').map((p) => p.id);
  const observerIds = among?.filter((p) => p.kind === 'observer').map((p) => p.id);
  const [members, observers] = await Promise.all([
    memberIds?.length === 0
      ? []
      : db
          .selectFrom('meeting_invitees as i')
          .innerJoin('members as m', 'm.id', 'i.member_id')
          .innerJoin('attendance as a', (j) =>
            j.onRef('a.meeting_id', '=', 'i.meeting_id').onRef('a.member_id', '=', 'i.member_id'),
          )
          .select('m.id')
          .where('i.meeting_id', '=', meetingId)
          .where('a.status', '=', 'present')
          .$if(memberIds !== undefined, (q) => q.where('i.member_id', 'in', memberIds!))
          .orderBy(sql`m.committee_role is null`)
          .orderBy('m.full_name')
          .execute(),
    observerIds?.length === 0 ? [] : joinedObservers(db, meetingId, observerIds),
  ]);
  return { members: members.map((m) => m.id), observers };
}

async function joinedObservers(db: Db, meetingId: string, among?: readonly string[]): Promise<string[]> {
  const rows = await db
    .selectFrom('live_passes')
    .select('observer_id')
    .where('meeting_id', '=', meetingId)
    .$if(among !== undefined, (q) => q.where('observer_id', 'in', among!))
    .where('kind', '=', 'observer')
    .where('revoked_at', 'is', null)
    .where('claimed_at', 'is not', null)
    .execute();
  return rows.map((r) => r.observer_id!);
}

/** Whether a participant may cast a ballot in a round of this kind right now. */
export function mayVote(kind: RoundKind, participant: ParticipantRef, presence: Presence): boolean {
  if (participant.kind === 'observer')
    return kind !== 'appraisal' && presence.observers.includes(participant.id);
  return presence.members.includes(participant.id);
}

/** Whether a participant may write criticism (members present, observers who joined). */
export function mayCriticise(participant: ParticipantRef, presence: Presence): boolean {
  return participant.kind === 'observer'
    ? presence.observers.includes(participant.id)
    : presence.members.includes(participant.id);
}

export function eligibleFor(kind: RoundKind, presence: Presence): ParticipantRef[] {
  const members = presence.members.map((id) => ({ kind: 'member' as const, id }));
  if (kind === 'appraisal') return members;
  return [...members, ...presence.observers.map((id) => ({ kind: 'observer' as const, id }))];
}

export interface RoundCounts {
  answered: number;
  eligible: number;
  /** Open ballot rounds only. */
  notAnswered: string[] | null;
}

/**
 * Answered/eligible counts of ballot rounds (criticism rounds count their subjects elsewhere), with
 * who has not answered yet for open rounds. One query for every round of the meeting.
 */
export async function ballotRoundCounts(
  db: Db,
  rounds: ReadonlyArray<{
    id: string;
    kind: RoundKind;
    state: RoundState;
    eligible_at_close?: number | null;
  }>,
  presence: Presence,
): Promise<Map<string, RoundCounts>> {
  const counts = new Map<string, RoundCounts>();
  const ballotRounds = rounds.filter((r) => r.kind !== 'criticism');
  if (ballotRounds.length === 0) return counts;
  const rows = await db
    .selectFrom('round_participations')
    .select(['round_id', 'participant_kind', 'participant_id'])
    .where(
      'round_id',
      'in',
      ballotRounds.map((r) => r.id),
    )
    .execute();
  const byRound = new Map<string, Set<string>>();
  for (const row of rows) {
    const set = byRound.get(row.round_id) ?? new Set<string>();
    set.add(`${row.participant_kind}:${row.participant_id}`);
    byRound.set(row.round_id, set);
  }
  for (const round of ballotRounds) {
    const answered = byRound.get(round.id) ?? new Set<string>();
    const eligible = eligibleFor(round.kind, presence);
    counts.set(round.id, {
      answered: answered.size,
      // A closed round keeps the turnout of its closing moment, whatever attendance says later.
      eligible:
        round.state === 'closed' && round.eligible_at_close != null
          ? round.eligible_at_close
          : eligible.length,
      notAnswered:
        round.state === 'open'
          ? eligible.filter((p) => !answered.has(`${p.kind}:${p.id}`)).map((p) => p.id)
          : null,
    });
  }
  return counts;
}

/**
 * The members an appraisal ballot grades: invited full members who are not exempt. Probationary
 * members vote but are not graded (DOMAIN.md §4).
 */
export async function gradedMembers(db: Db, meetingId: string): Promise<string[]> {
  const summary = await attendanceSummary(db, meetingId);
  return summary.attendees
    .filter((a) => a.memberStatus === 'fullMember' && a.attendance !== 'exempt')
    .map((a) => a.memberId);
}
