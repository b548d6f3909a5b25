import { setPhase, submitCriticism } from '../../server/live/criticism.ts';
import { closeRound, createRound, openRound } from '../../server/live/rounds.ts';
import { checkIn, openSession } from '../../server/live/sessions.ts';
import { loadMeetingInfo } from '../../server/live/views.ts';
import { newReceipt } from '../../shared/domain/live-client.ts';
import type { ClientMessage, CriticismPhase } from '../../shared/schemas/live.ts';
import type { RoundConfig } from '../../shared/schemas/rounds.ts';
import { insertMember } from '../support/fixtures.ts';
import { insertMeeting } from '../support/live-fixtures.ts';
import { type Actor, actors, type MatrixWorld, type Place, places } from './matrix.ts';

/**
 * The websocket half of the access-control matrix: every message a client may send, for each kind
 * of person, about a meeting in each place.
 *
 * A socket belongs to the one meeting its hello admitted it to. So each cell opens a socket for the
 * actor on their *home* meeting — the place's own meeting when the place is their branch, else a
 * meeting of their branch A — and sends the message about the *place's* meeting (its round, its
 * criticism item). Outcomes are what the client sees: `ok` (acknowledged, or answered in kind),
 * the error code, or for `checkItems` how many items came back. A refused hello ends the socket,
 * so for people who cannot join, every message's cell is the hello's refusal.
 */

/** The message's fixture in the place, built afresh for each cell by the server's own functions. */
export interface SocketFixture {
  meetingId: string;
  message: ClientMessage;
}

export interface MessageAccess {
  /** The client message type (the discriminant of shared/schemas/live.ts clientMessage). */
  type: ClientMessage['type'];
  /** `actorMemberId`: the member the matrix's member actor is, invited to meetings in branch A. */
  fixture: (
    world: MatrixWorld,
    org: { id: string; ancestry: string[] },
    place: Place,
  ) => Promise<SocketFixture>;
  expect: string;
}

type Org = { id: string; ancestry: string[] };

/**
 * A meeting in the place with an open session. In branch A the matrix's member is invited and
 * checked in (they take part); everywhere a fresh member of the place is too, to be the subject or
 * the author of what the message is about.
 */
export async function openMeetingIn(w: MatrixWorld, org: Org) {
  const local = (await insertMember(w.db, org.id, '本支部党员', { login: null })).memberId;
  const actorMember = org.id === w.branchA.id ? w.membersA[0]!.memberId : null;
  const invitees = [local, ...(actorMember ? [actorMember] : [])];
  const { meetingId } = await insertMeeting(w.db, org.id, { inviteeIds: invitees });
  await openSession(w.db, meetingId, w.admin);
  await checkIn(w.db, meetingId, invitees);
  return { meetingId, meeting: (await loadMeetingInfo(w.db, meetingId))!, local, actorMember };
}

async function roundIn(w: MatrixWorld, org: Org, config: RoundConfig, stage: 'open' | 'closed' = 'open') {
  const live = await openMeetingIn(w, org);
  const { id: roundId } = await createRound(w.db, live.meeting, { title: '矩阵轮次', config }, w.admin);
  await openRound(w.db, live.meeting, roundId);
  if (stage === 'closed') await closeRound(w.db, live.meetingId, roundId);
  return { ...live, roundId };
}

/**
 * A criticism round in the given phase. `subject`: whose turn it is — the actor themself where they
 * are invited (their own self-examination and response), otherwise the place's member.
 */
async function criticismIn(w: MatrixWorld, org: Org, phase: CriticismPhase, subject: 'actor' | 'local') {
  const live = await openMeetingIn(w, org);
  const subjectMember = subject === 'actor' && live.actorMember ? live.actorMember : live.local;
  const { id: roundId } = await createRound(
    w.db,
    live.meeting,
    {
      title: '批评与自我批评',
      config: { kind: 'criticism', subjectMemberIds: [subjectMember], named: false },
    },
    w.admin,
  );
  await openRound(w.db, live.meeting, roundId);
  const { id: subjectId } = await w.db
    .selectFrom('criticism_subjects')
    .select('id')
    .where('round_id', '=', roundId)
    .executeTakeFirstOrThrow();
  if (phase !== 'waiting') await setPhase(w.db, live.meetingId, roundId, subjectId, phase);
  return { ...live, roundId, subjectId };
}

/** A criticism already written (by the actor where they take part) with the author's key. */
async function criticismItemIn(w: MatrixWorld, org: Org) {
  const round = await criticismIn(w, org, 'criticism', 'local');
  const authorKey = crypto.randomUUID();
  const author =
    round.actorMember ?? (await insertMember(w.db, org.id, '另一党员', { login: null })).memberId;
  if (!round.actorMember) {
    await w.db
      .insertInto('meeting_invitees')
      .values({ meeting_id: round.meetingId, member_id: author })
      .execute();
    await checkIn(w.db, round.meetingId, [author]);
  }
  const { itemId } = await submitCriticism(
    w.db,
    round.meetingId,
    { kind: 'member', id: author },
    {
      clientId: crypto.randomUUID(),
      roundId: round.roundId,
      subjectId: round.subjectId,
      text: '组织生活参加不够积极',
      concrete: false,
      authorKey,
    },
  );
  return { ...round, itemId: itemId!, authorKey };
}

const clientId = () => crypto.randomUUID();
const surveyAnswers = {
  kind: 'survey' as const,
  likert: { themeFocus: 4, preparation: 4, candour: 5, problemSolving: 3, conduct: 4 },
  overall: 'satisfied' as const,
};

/**
 * Submissions about the meeting: only participants (members present, observers who joined) of that
 * very meeting. The host console submits nothing; a round or item of another meeting does not
 * exist for this socket. The operator, the committee and observer accounts cannot join by session.
 */
const participantsOfTheMeeting = `
      admin:     live.notInvited   live.notInvited       live.notInvited       live.notInvited
      viewer:    live.notInvited   live.notInvited       live.notInvited       live.notInvited
      secretary: live.notParticipant live.notParticipant live.notParticipant live.notParticipant
      member:    ok                round.notFound        round.notFound        round.notFound
      observer:  live.notInvited   live.notInvited       live.notInvited       live.notInvited
      anonymous: auth.required     auth.required         auth.required         auth.required`;

/**
 * Editing or withdrawing one's criticism: the author's key is proof, but only within the meeting;
 * another meeting's item gets the same answer as a wrong key (nothing confirms it exists).
 */
const authorOfTheItem = `
      admin:     live.notInvited     live.notInvited     live.notInvited     live.notInvited
      viewer:    live.notInvited     live.notInvited     live.notInvited     live.notInvited
      secretary: live.notParticipant live.notParticipant live.notParticipant live.notParticipant
      member:    ok                  criticism.notYours  criticism.notYours  criticism.notYours
      observer:  live.notInvited     live.notInvited     live.notInvited     live.notInvited
      anonymous: auth.required       auth.required       auth.required       auth.required`;

/** Reading a closed round's receipts: anyone admitted to that meeting (the host too), no one else. */
const admittedToTheMeeting = `
      admin:     live.notInvited live.notInvited live.notInvited live.notInvited
      viewer:    live.notInvited live.notInvited live.notInvited live.notInvited
      secretary: ok              round.notFound  round.notFound  round.notFound
      member:    ok              round.notFound  round.notFound  round.notFound
      observer:  live.notInvited live.notInvited live.notInvited live.notInvited
      anonymous: auth.required   auth.required   auth.required   auth.required`;

/** What concerns only the socket itself: anyone admitted to a meeting, wherever the question points. */
const anyoneAdmitted = `
      admin:     live.notInvited live.notInvited live.notInvited live.notInvited
      viewer:    live.notInvited live.notInvited live.notInvited live.notInvited
      secretary: ok              ok              ok              ok
      member:    ok              ok              ok              ok
      observer:  live.notInvited live.notInvited live.notInvited live.notInvited
      anonymous: auth.required   auth.required   auth.required   auth.required`;

export const socketAccess: MessageAccess[] = [
  {
    // The hello itself: its cell is the role the welcome grants.
    type: 'hello',
    fixture: async (w, org) => {
      const { meetingId } = await openMeetingIn(w, org);
      return { meetingId, message: { type: 'ping' } };
    },
    expect: `
      admin:     live.notInvited live.notInvited live.notInvited live.notInvited
      viewer:    live.notInvited live.notInvited live.notInvited live.notInvited
      secretary: host            live.notInvited live.notInvited live.notInvited
      member:    member          live.notInvited live.notInvited live.notInvited
      observer:  live.notInvited live.notInvited live.notInvited live.notInvited
      anonymous: auth.required   auth.required   auth.required   auth.required`,
  },
  {
    type: 'ping',
    fixture: async (w, org) => ({
      meetingId: (await openMeetingIn(w, org)).meetingId,
      message: { type: 'ping' },
    }),
    expect: anyoneAdmitted,
  },
  {
    type: 'resync',
    // A resync answers with the home meeting's snapshot: nothing of the place's meeting travels.
    fixture: async (w, org) => ({
      meetingId: (await openMeetingIn(w, org)).meetingId,
      message: { type: 'resync' },
    }),
    expect: anyoneAdmitted,
  },
  {
    type: 'submitBallot',
    fixture: async (w, org) => {
      const { meetingId, roundId } = await roundIn(w, org, { kind: 'survey' });
      return {
        meetingId,
        message: {
          type: 'submitBallot',
          clientId: clientId(),
          roundId,
          receipt: newReceipt(),
          answers: surveyAnswers,
        },
      };
    },
    expect: participantsOfTheMeeting,
  },
  {
    type: 'submitSelfExamination',
    fixture: async (w, org) => {
      const { meetingId, roundId, subjectId } = await criticismIn(w, org, 'selfExamination', 'actor');
      return {
        meetingId,
        message: {
          type: 'submitSelfExamination',
          clientId: clientId(),
          roundId,
          subjectId,
          text: '对照检查：学习不深入',
        },
      };
    },
    expect: participantsOfTheMeeting,
  },
  {
    type: 'submitCriticism',
    fixture: async (w, org) => {
      const { meetingId, roundId, subjectId } = await criticismIn(w, org, 'criticism', 'local');
      return {
        meetingId,
        message: {
          type: 'submitCriticism',
          clientId: clientId(),
          roundId,
          subjectId,
          text: '工作作风有待改进',
          concrete: false,
          authorKey: crypto.randomUUID(),
        },
      };
    },
    expect: participantsOfTheMeeting,
  },
  {
    type: 'submitResponse',
    fixture: async (w, org) => {
      const { meetingId, roundId, subjectId } = await criticismIn(w, org, 'response', 'actor');
      return {
        meetingId,
        message: {
          type: 'submitResponse',
          clientId: clientId(),
          roundId,
          subjectId,
          text: '诚恳接受，认真整改',
        },
      };
    },
    expect: participantsOfTheMeeting,
  },
  {
    type: 'editCriticism',
    fixture: async (w, org) => {
      const { meetingId, itemId, authorKey } = await criticismItemIn(w, org);
      return {
        meetingId,
        message: {
          type: 'editCriticism',
          clientId: clientId(),
          itemId,
          authorKey,
          text: '改写：作风需改进',
          concrete: true,
        },
      };
    },
    expect: authorOfTheItem,
  },
  {
    type: 'withdrawCriticism',
    fixture: async (w, org) => {
      const { meetingId, itemId, authorKey } = await criticismItemIn(w, org);
      return { meetingId, message: { type: 'withdrawCriticism', clientId: clientId(), itemId, authorKey } };
    },
    expect: authorOfTheItem,
  },
  {
    type: 'getBulletin',
    fixture: async (w, org) => {
      const { meetingId, roundId } = await roundIn(w, org, { kind: 'survey' }, 'closed');
      return { meetingId, message: { type: 'getBulletin', roundId } };
    },
    expect: admittedToTheMeeting,
  },
  {
    type: 'checkItems',
    // The key proves authorship of an item of this meeting only: elsewhere nothing comes back.
    fixture: async (w, org) => {
      const { meetingId, itemId, authorKey } = await criticismItemIn(w, org);
      return { meetingId, message: { type: 'checkItems', items: [{ itemId, authorKey }] } };
    },
    expect: `
      admin:     live.notInvited live.notInvited live.notInvited live.notInvited
      viewer:    live.notInvited live.notInvited live.notInvited live.notInvited
      secretary: items:1         items:0         items:0         items:0
      member:    items:1         items:0         items:0         items:0
      observer:  live.notInvited live.notInvited live.notInvited live.notInvited
      anonymous: auth.required   auth.required   auth.required   auth.required`,
  },
];

/** Parses a grid of outcome words (one line per actor, one word per place). */
export function parseSocketGrid(grid: string): Record<Actor, Record<Place, string>> {
  const rows = grid
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/));
  const result = {} as Record<Actor, Record<Place, string>>;
  for (const [name, ...cells] of rows) {
    const actor = name!.replace(/:$/, '') as Actor;
    if (!actors.includes(actor) || cells.length !== places.length) throw new Error(`bad grid row: ${name}`);
    result[actor] = Object.fromEntries(places.map((p, i) => [p, cells[i]!])) as Record<Place, string>;
  }
  if (Object.keys(result).length !== actors.length) throw new Error(`grid needs ${actors.length} rows`);
  return result;
}
