import type { Selectable } from 'kysely';
import type { MeetingType } from '../../shared/domain/enums.ts';
import { appraisalResults, pollResults, surveyResults } from '../../shared/domain/live-tallies.ts';
import { effectiveK } from '../../shared/quality/suppression.ts';
import type {
  AttendanceView,
  CriticismItemStatus,
  LiveRole,
  LiveState,
  RoundView,
} from '../../shared/schemas/live.ts';
import type { Db } from '../db/schema.ts';
import type { CriticismSubjectsTable, RoundsTable } from '../db/tables/live.ts';
import { type AttendanceSummary, attendanceSummary } from '../meetings/attendance-summary.ts';
import { effectiveRubric } from '../quality/rubrics.ts';
import { type Instrument, instrumentById } from './instruments.ts';
import {
  ballotRoundCounts,
  gradedMembers,
  loadPresence,
  type Presence,
  type RoundCounts,
} from './presence.ts';
import type { ResultsCache, Tally } from './results.ts';

/**
 * Everything a screen is shown, built from the database per audience. There are two audiences:
 * `host` (the branch committee's console: attendees, who has not answered, the moderation queue,
 * results after close including appraisal tallies and comments) and `public` (phones, observers,
 * the projector: counts, revealed items, and survey/poll results only after the host reveals them).
 * Nothing here ever reads a ballot of an open round.
 */
export type Audience = 'host' | 'public';
export const audiences: readonly Audience[] = ['host', 'public'];
export const audienceOf = (role: LiveRole): Audience => (role === 'host' ? 'host' : 'public');

export interface MeetingInfo {
  id: string;
  organizationId: string;
  ancestry: string[];
  type: MeetingType;
  title: string;
  organizationName: string;
  status: string;
  recorderMemberId: string | null;
  /** The branch's small-group threshold. */
  k: number;
}

export async function loadMeetingInfo(db: Db, meetingId: string): Promise<MeetingInfo | undefined> {
  const row = await db
    .selectFrom('meetings as m')
    .innerJoin('organizations as o', 'o.id', 'm.organization_id')
    .select([
      'm.id',
      'm.organization_id',
      'o.ancestry',
      'm.type',
      'm.title',
      'o.name',
      'm.status',
      'm.recorder_member_id',
    ])
    .where('m.id', '=', meetingId)
    .executeTakeFirst();
  if (!row) return undefined;
  // k is part of the quality rubric the committee publishes (QUALITY-INDEX.md), never below 3.
  const { rubric } = await effectiveRubric(db, row.ancestry);
  return {
    id: row.id,
    organizationId: row.organization_id,
    ancestry: row.ancestry,
    type: row.type,
    title: row.title,
    organizationName: row.name,
    status: row.status,
    recorderMemberId: row.recorder_member_id,
    k: effectiveK(rubric.suppression.branchK, 'branch'),
  };
}

type RoundRow = Selectable<RoundsTable>;

interface LoadedItem {
  id: string;
  text: string;
  concrete: boolean;
  status: CriticismItemStatus;
  released: boolean;
  revealPosition: number | null;
  authorName: string | null;
  problemId: string | null;
}

interface LoadedSubject {
  row: Selectable<CriticismSubjectsTable>;
  name: string;
  items: LoadedItem[];
}

export interface LoadedRound {
  row: RoundRow;
  counts: RoundCounts;
  instrument?: Instrument;
  graded?: Array<{ memberId: string; name: string }>;
  subjects?: LoadedSubject[];
  tally?: Tally;
}

export interface LoadedAttendance {
  summary: AttendanceSummary;
  observers: Array<{ observerId: string; name: string; joined: boolean }>;
}

export interface SessionRow {
  open: boolean;
  joinCode: string | null;
  seq: number;
  timerEndsAt: Date | null;
  timerLabel: string;
}

export class ViewLoader {
  constructor(
    private readonly results: ResultsCache,
    private readonly publicUrl: string | undefined,
  ) {}

  async session(db: Db, meetingId: string): Promise<SessionRow> {
    const row = await db
      .selectFrom('live_sessions')
      .select(['open', 'join_code', 'seq', 'timer_ends_at', 'timer_label'])
      .where('meeting_id', '=', meetingId)
      .executeTakeFirst();
    return {
      open: row?.open ?? false,
      joinCode: row?.join_code ?? null,
      seq: row?.seq ?? 0,
      timerEndsAt: row?.timer_ends_at ?? null,
      timerLabel: row?.timer_label ?? '',
    };
  }

  /**
   * The address in the QR code. Absolute when PUBLIC_URL is configured; otherwise a path the
   * page resolves against its own origin (the address the host's laptop used is what phones on
   * the same network can reach).
   */
  joinUrl(code: string | null): string {
    if (!code) return '';
    return `${this.publicUrl?.replace(/\/$/, '') ?? ''}/j/${code}`;
  }

  meetingView(meeting: MeetingInfo, session: SessionRow): LiveState['meeting'] {
    const code = session.open ? (session.joinCode ?? '') : '';
    return {
      id: meeting.id,
      title: meeting.title,
      type: meeting.type,
      organizationName: meeting.organizationName,
      joinCode: code,
      joinUrl: this.joinUrl(code || null),
      open: session.open,
    };
  }

  timerView(session: SessionRow): LiveState['timer'] {
    if (!session.timerEndsAt && !session.timerLabel) return null;
    return { endsAt: session.timerEndsAt?.toISOString() ?? null, label: session.timerLabel };
  }

  async attendance(db: Db, meetingId: string): Promise<LoadedAttendance> {
    const [summary, observers] = await Promise.all([
      attendanceSummary(db, meetingId),
      db
        .selectFrom('meeting_observers as o')
        .leftJoin('live_passes as p', (j) =>
          j
            .onRef('p.observer_id', '=', 'o.id')
            .on('p.revoked_at', 'is', null)
            .on('p.claimed_at', 'is not', null),
        )
        .select(['o.id', 'o.name', 'p.id as passId'])
        .where('o.meeting_id', '=', meetingId)
        .orderBy('o.name')
        .execute(),
    ]);
    return {
      summary,
      observers: observers.map((o) => ({ observerId: o.id, name: o.name, joined: o.passId !== null })),
    };
  }

  /** Rounds of a meeting (all, or the given ids) with everything their views need. */
  async rounds(db: Db, meeting: MeetingInfo, roundIds?: readonly string[]): Promise<LoadedRound[]> {
    if (roundIds && roundIds.length === 0) return [];
    let query = db.selectFrom('rounds').selectAll().where('meeting_id', '=', meeting.id);
    if (roundIds) query = query.where('id', 'in', [...roundIds]);
    const rows = await query.orderBy('position').execute();
    if (rows.length === 0) return [];

    const presence: Presence = await loadPresence(db, meeting.id);
    const counts = await ballotRoundCounts(db, rows, presence);
    const loaded: LoadedRound[] = rows.map((row) => ({
      row,
      counts: counts.get(row.id) ?? { answered: 0, eligible: 0, notAnswered: null },
    }));

    const criticismRounds = loaded.filter((r) => r.row.kind === 'criticism');
    if (criticismRounds.length > 0) await this.loadCriticism(db, criticismRounds);

    const appraisals = loaded.filter((r) => r.row.kind === 'appraisal');
    if (appraisals.length > 0) {
      // A draft shows who would be graded now; an opened round shows the list frozen at opening.
      const current = appraisals.some((r) => !r.row.config.graded) ? await gradedMembers(db, meeting.id) : [];
      const ids = new Set([...current, ...appraisals.flatMap((r) => r.row.config.graded ?? [])]);
      const names = await memberNames(db, [...ids]);
      for (const round of appraisals)
        round.graded = (round.row.config.graded ?? current).map((memberId) => ({
          memberId,
          name: names.get(memberId) ?? '',
        }));
    }

    for (const round of loaded) {
      if (round.row.instrument_id) round.instrument = await instrumentById(db, round.row.instrument_id);
      if (round.row.state === 'closed' && round.row.kind !== 'criticism')
        round.tally = await this.results.tally(
          db,
          { ...round.row, kind: round.row.kind },
          round.instrument?.definition,
        );
    }
    return loaded;
  }

  private async loadCriticism(db: Db, rounds: LoadedRound[]) {
    const roundIds = rounds.map((r) => r.row.id);
    const [subjects, items] = await Promise.all([
      db
        .selectFrom('criticism_subjects as s')
        .innerJoin('members as m', 'm.id', 's.member_id')
        .selectAll('s')
        .select('m.full_name')
        .where('s.round_id', 'in', roundIds)
        .orderBy('s.position')
        .execute(),
      db
        .selectFrom('criticism_items as i')
        .leftJoin('members as am', 'am.id', 'i.author_member_id')
        .leftJoin('meeting_observers as ao', 'ao.id', 'i.author_observer_id')
        .select([
          'i.id',
          'i.subject_id',
          'i.text',
          'i.concrete',
          'i.status',
          'i.released',
          'i.reveal_position',
          'am.full_name as authorMember',
          'ao.name as authorObserver',
        ])
        .where('i.round_id', 'in', roundIds)
        // Random ids: the queue's order says nothing about who wrote first.
        .orderBy('i.id')
        .execute(),
    ]);
    const problems =
      items.length === 0
        ? []
        : await db
            .selectFrom('problems')
            .select(['id', 'origin_id'])
            .where('origin_kind', '=', 'criticismItem')
            .where(
              'origin_id',
              'in',
              items.map((i) => i.id),
            )
            .execute();
    const problemOf = new Map(problems.map((p) => [p.origin_id, p.id]));
    const itemsBySubject = new Map<string, LoadedItem[]>();
    for (const item of items) {
      const list = itemsBySubject.get(item.subject_id) ?? [];
      itemsBySubject.set(item.subject_id, list);
      list.push({
        id: item.id,
        text: item.text,
        concrete: item.concrete,
        status: item.status,
        released: item.released,
        revealPosition: item.reveal_position,
        authorName: item.authorMember ?? item.authorObserver ?? null,
        problemId: problemOf.get(item.id) ?? null,
      });
    }
    for (const round of rounds) {
      round.subjects = subjects
        .filter((s) => s.round_id === round.row.id)
        .map(({ full_name, ...row }) => ({ row, name: full_name, items: itemsBySubject.get(row.id) ?? [] }));
      const done = round.subjects.filter((s) => s.row.phase === 'done').length;
      round.counts = { answered: done, eligible: round.subjects.length, notAnswered: null };
    }
  }

  /**
   * The whole state for each audience, plus which rounds each given participant has answered. Call
   * it inside a REPEATABLE READ transaction: every read then sees the same moment, so the state
   * matches the sequence number it is sent with.
   */
  async snapshot(
    db: Db,
    meeting: MeetingInfo,
    participants: ReadonlyArray<{ kind: string; id: string }>,
  ): Promise<{ seq: number; states: Record<Audience, LiveState>; answered: Map<string, string[]> }> {
    const session = await this.session(db, meeting.id);
    const [attendance, rounds] = [await this.attendance(db, meeting.id), await this.rounds(db, meeting)];
    const answered = new Map<string, string[]>();
    if (participants.length > 0 && rounds.length > 0) {
      const rows = await db
        .selectFrom('round_participations')
        .select(['round_id', 'participant_kind', 'participant_id'])
        .where(
          'round_id',
          'in',
          rounds.map((r) => r.row.id),
        )
        .where(
          'participant_id',
          'in',
          participants.map((p) => p.id),
        )
        .execute();
      for (const row of rows) {
        const key = `${row.participant_kind}:${row.participant_id}`;
        answered.set(key, [...(answered.get(key) ?? []), row.round_id]);
      }
    }
    const stateFor = (audience: Audience): LiveState => ({
      meeting: this.meetingView(meeting, session),
      attendance: attendanceView(attendance, audience),
      rounds: rounds.map((r) => roundView(r, audience, meeting.k)),
      timer: this.timerView(session),
    });
    return { seq: session.seq, states: { host: stateFor('host'), public: stateFor('public') }, answered };
  }
}

async function memberNames(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('members')
    .select(['id', 'full_name'])
    .where('id', 'in', [...ids])
    .execute();
  return new Map(rows.map((r) => [r.id, r.full_name]));
}

export function attendanceView(attendance: LoadedAttendance, audience: Audience): AttendanceView {
  const { counts, quorum, attendees } = attendance.summary;
  const view: AttendanceView = {
    expected: counts.expected,
    present: counts.present,
    excused: counts.excused,
    exempt: counts.exempt,
    absent: counts.absent,
    quorum: { rule: quorum.rule, required: quorum.required, present: quorum.present, met: quorum.met },
  };
  if (audience === 'host') {
    view.attendees = attendees.map((a) => ({
      memberId: a.memberId,
      name: a.name,
      attendance: a.attendance,
      checkedIn: a.checkedInAt !== null,
    }));
    view.observers = attendance.observers;
  }
  return view;
}

/** One round as an audience may see it. */
export function roundView(round: LoadedRound, audience: Audience, k: number): RoundView {
  const { row } = round;
  const host = audience === 'host';
  const view: RoundView = {
    id: row.id,
    kind: row.kind,
    title: row.title,
    position: row.position,
    state: row.state,
    anonymous: row.anonymous,
    answered: round.counts.answered,
    eligible: round.counts.eligible,
    revealed: row.revealed_at !== null,
  };
  if (host && round.counts.notAnswered) view.notAnswered = round.counts.notAnswered;
  // Phones and the wall learn what a round asks only when it opens.
  const detailed = host || row.state !== 'draft';
  if (detailed) {
    const config = row.config;
    if (round.instrument)
      view.instrument = {
        ...round.instrument.definition,
        id: round.instrument.id,
        version: round.instrument.version,
      };
    if (round.graded) view.graded = round.graded;
    if (config.kind === 'poll')
      view.poll = { question: config.question, mode: config.mode, options: config.options };
    if (config.kind === 'criticism' && round.subjects)
      view.criticism = { named: config.named, subjects: round.subjects.map((s) => subjectView(s, host)) };
  }
  const results = resultsFor(round, audience, k);
  if (results) view.results = results;
  return view;
}

function resultsFor(round: LoadedRound, audience: Audience, k: number): RoundView['results'] {
  const { tally, row } = round;
  if (!tally || row.state !== 'closed') return undefined;
  const host = audience === 'host';
  // Survey and poll results reach the room only when the host reveals them.
  const shown = host || row.revealed_at !== null;
  switch (tally.kind) {
    case 'survey':
      return shown ? surveyResults(tally.tally, k, host) : undefined;
    case 'poll':
      return shown ? pollResults(tally.tally, k) : undefined;
    case 'appraisal':
      // Per-member tallies are for the branch committee alone, never the wall or the phones.
      return host
        ? appraisalResults(tally.tally, k, new Map((round.graded ?? []).map((g) => [g.memberId, g.name])))
        : undefined;
  }
}

function subjectView(subject: LoadedSubject, host: boolean) {
  const { row } = subject;
  const itemView = (item: LoadedItem) => ({
    id: item.id,
    text: item.text,
    concrete: item.concrete,
    ...(item.authorName ? { authorName: item.authorName } : {}),
    ...(host ? { status: item.status } : {}),
    ...(host && item.problemId ? { problemId: item.problemId } : {}),
  });
  const visible = subject.items.filter((i) => i.released && i.status !== 'withdrawn');
  return {
    id: row.id,
    memberId: row.member_id,
    name: subject.name,
    position: row.position,
    phase: row.phase,
    selfExamination:
      row.self_examination_mode && row.self_examination !== null
        ? { mode: row.self_examination_mode, text: row.self_examination }
        : null,
    response: row.response,
    itemCount: visible.length,
    revealed: subject.items
      .filter((i) => i.revealPosition !== null)
      .sort((a, b) => a.revealPosition! - b.revealPosition!)
      .map(itemView),
    ...(host ? { queue: visible.filter((i) => i.revealPosition === null).map(itemView) } : {}),
  };
}
