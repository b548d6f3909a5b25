import { z } from 'zod';
import { appraisalGrades, attendanceStatuses, locales, meetingTypes } from '../domain/enums.ts';
import { ballotAnswers, roundKinds, roundStates, surveyInstrument } from './rounds.ts';

/**
 * The live-meeting websocket protocol (endpoint /api/live/ws), version 1. Every frame in either
 * direction is JSON matching one member of these discriminated unions; docs/protocol.md documents
 * each one and a test fails if a type is missing there. Host *commands* (open/close rounds,
 * moderation, reveal) are HTTP routes; the socket carries participants' submissions, which need
 * acknowledgements and at-most-once acceptance, and the stream of state to every screen.
 */
export const protocolVersion = 1;

/** Largest frame the server accepts; bigger ones close the socket with 1009. */
export const maxFrameBytes = 16 * 1024;

/** Close codes besides the standard ones (1000 normal, 1001 going away, 1009 too big). */
export const closeCodes = {
  /** hello missing, malformed or not first; or authentication failed. */
  unauthenticated: 4001,
  /** The device binding or projector link was revoked by the host. */
  revoked: 4003,
  /** The client kept flooding after being rate-limited. */
  flooding: 4008,
  /** The server could not keep up with this socket (slow consumer, send buffer over its bound). */
  tooSlow: 4009,
} as const;

/** Per-connection token bucket: this many frames per second on average, bursts up to `burst`. */
export const rateLimit = { perSecond: 20, burst: 40 } as const;

const clientId = z.uuid();
/** A random value the device keeps; only its hash is stored (edit/withdraw rights of an anonymous item). */
const authorKey = z.string().regex(/^[A-Za-z0-9_-]{22,64}$/);
/** The voter's receipt: 16 random bytes, base64url — stored in the ballot row, published after close. */
export const receipt = z.string().regex(/^[A-Za-z0-9_-]{22}$/);

export const liveAuth = z.discriminatedUnion('kind', [
  /**
   * Signed in (the session cookie rides on the upgrade request). `as` picks the role when one
   * account is both an invited member and a host: `member` (the default when invited) or `host`.
   */
  z.strictObject({ kind: z.literal('session'), as: z.enum(['member', 'host']).optional() }),
  /** A phone that claimed its roster entry with a one-time code. */
  z.strictObject({ kind: z.literal('device'), token: z.string().min(20).max(100) }),
  /** An invited observer (列席). */
  z.strictObject({ kind: z.literal('observer'), token: z.string().min(20).max(100) }),
  /** The projector view, from a host-issued link. */
  z.strictObject({ kind: z.literal('projector'), token: z.string().min(20).max(100) }),
]);
export type LiveAuth = z.infer<typeof liveAuth>;

export const clientMessage = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('hello'),
    v: z.literal(protocolVersion),
    meetingId: z.uuid(),
    auth: liveAuth,
    /** The last sequence number this client applied, if reconnecting. */
    lastSeq: z.number().int().min(0).optional(),
    /** Language of error messages; defaults to the account's or the browser's. */
    locale: z.enum(locales).optional(),
  }),
  z.strictObject({ type: z.literal('resync') }),
  z.strictObject({ type: z.literal('ping'), t: z.number().optional() }),
  z.strictObject({
    type: z.literal('submitBallot'),
    clientId,
    roundId: z.uuid(),
    receipt,
    answers: ballotAnswers,
  }),
  z.strictObject({
    type: z.literal('submitSelfExamination'),
    clientId,
    roundId: z.uuid(),
    subjectId: z.uuid(),
    text: z.string().trim().min(1).max(5000),
  }),
  z.strictObject({
    type: z.literal('submitCriticism'),
    clientId,
    roundId: z.uuid(),
    subjectId: z.uuid(),
    text: z.string().trim().min(1).max(2000),
    /** The critic's own "具体事例" tick: the item names a concrete person and event. */
    concrete: z.boolean(),
    authorKey,
  }),
  z.strictObject({
    type: z.literal('editCriticism'),
    clientId,
    itemId: z.uuid(),
    authorKey,
    text: z.string().trim().min(1).max(2000),
    concrete: z.boolean(),
  }),
  z.strictObject({ type: z.literal('withdrawCriticism'), clientId, itemId: z.uuid(), authorKey }),
  z.strictObject({
    type: z.literal('submitResponse'),
    clientId,
    roundId: z.uuid(),
    subjectId: z.uuid(),
    text: z.string().trim().min(1).max(5000),
  }),
  /** Asks for a closed round's receipts so the device can confirm its ballot was counted. */
  z.strictObject({ type: z.literal('getBulletin'), roundId: z.uuid() }),
  /**
   * The author's device asks how its own anonymous items stand (returned for rewrite? revealed?),
   * proving authorship with each item's authorKey; items it cannot prove are left out.
   */
  z.strictObject({
    type: z.literal('checkItems'),
    items: z
      .array(z.strictObject({ itemId: z.uuid(), authorKey }))
      .min(1)
      .max(50),
  }),
]);
export type ClientMessage = z.infer<typeof clientMessage>;
export type ClientMessageType = ClientMessage['type'];

// ---------------------------------------------------------------------------------------------
// Server → client

export const liveRoles = ['host', 'member', 'observer', 'projector'] as const;
export type LiveRole = (typeof liveRoles)[number];

const suppressed = z.strictObject({
  suppressed: z.literal(true),
  /** How many responses there were (below the threshold k). */
  n: z.number().int(),
  k: z.number().int(),
});

export const surveyResults = z.union([
  suppressed,
  z.strictObject({
    suppressed: z.literal(false),
    n: z.number().int(),
    likert: z.array(
      z.strictObject({
        key: z.string(),
        mean: z.number(),
        distribution: z.array(z.number().int()).length(5),
      }),
    ),
    overall: z
      .strictObject({
        satisfied: z.number().int(),
        basicallySatisfied: z.number().int(),
        dissatisfied: z.number().int(),
      })
      .nullable(),
    /** Survey comments in shuffled order; only on the host console (branch committee). */
    comments: z.array(z.string()).optional(),
  }),
]);
export type SurveyResults = z.infer<typeof surveyResults>;

export const appraisalResults = z.union([
  suppressed,
  z.strictObject({
    suppressed: z.literal(false),
    n: z.number().int(),
    /** Per-member distributions: the branch committee (host console) only, never the projector. */
    perMember: z
      .array(
        z.strictObject({
          memberId: z.uuid(),
          name: z.string(),
          counts: z.strictObject(
            Object.fromEntries(appraisalGrades.map((g) => [g, z.number().int()])) as Record<
              (typeof appraisalGrades)[number],
              z.ZodNumber
            >,
          ),
        }),
      )
      .optional(),
  }),
]);
export type AppraisalResults = z.infer<typeof appraisalResults>;

export const pollResults = z.union([
  suppressed,
  z.strictObject({
    suppressed: z.literal(false),
    n: z.number().int(),
    counts: z.array(z.number().int()),
    words: z.array(z.strictObject({ word: z.string(), count: z.number().int() })),
  }),
]);
export type PollResults = z.infer<typeof pollResults>;

export const criticismItemStatuses = ['pending', 'approved', 'returned', 'rejected', 'withdrawn'] as const;
export type CriticismItemStatus = (typeof criticismItemStatuses)[number];

export const criticismItemView = z.strictObject({
  id: z.uuid(),
  text: z.string(),
  concrete: z.boolean(),
  /** Only in named rounds. */
  authorName: z.string().optional(),
  /** Host console only. */
  status: z.enum(criticismItemStatuses).optional(),
  /** Host console only: the problem (查摆问题) this item was turned into. */
  problemId: z.uuid().optional(),
});

export const criticismPhases = [
  'waiting',
  'selfExamination',
  'criticism',
  'reveal',
  'response',
  'done',
] as const;
export type CriticismPhase = (typeof criticismPhases)[number];

export const criticismSubjectView = z.strictObject({
  id: z.uuid(),
  memberId: z.uuid(),
  name: z.string(),
  position: z.number().int(),
  phase: z.enum(criticismPhases),
  selfExamination: z.strictObject({ mode: z.enum(['written', 'oral']), text: z.string() }).nullable(),
  response: z.string().nullable(),
  /** How many criticisms reached the moderation queue (released in batches; withdrawn ones excluded). */
  itemCount: z.number().int(),
  /** Revealed items in their shuffled reveal order. */
  revealed: z.array(criticismItemView),
  /** Host console only: the moderation queue, released in shuffled batches (never one by one). */
  queue: z.array(criticismItemView).optional(),
});

export const roundView = z.strictObject({
  id: z.uuid(),
  kind: z.enum(roundKinds),
  title: z.string(),
  position: z.number().int(),
  state: z.enum(roundStates),
  anonymous: z.boolean(),
  /**
   * Ballot rounds: how many have answered / may answer. Criticism rounds: subjects done / subjects.
   */
  answered: z.number().int(),
  eligible: z.number().int(),
  /** Host console, open ballot rounds: who may answer and has not yet (member or observer ids). */
  notAnswered: z.array(z.uuid()).optional(),
  /** Survey rounds: the instrument with its version. */
  instrument: surveyInstrument.extend({ id: z.uuid(), version: z.number().int() }).optional(),
  /** Appraisal rounds: the members to grade (full members; probationary members are not graded). */
  graded: z.array(z.strictObject({ memberId: z.uuid(), name: z.string() })).optional(),
  /** Poll rounds. */
  poll: z
    .strictObject({
      question: z.string(),
      mode: z.enum(['single', 'multiple', 'wordCloud']),
      options: z.array(z.string()),
    })
    .optional(),
  criticism: z.strictObject({ named: z.boolean(), subjects: z.array(criticismSubjectView) }).optional(),
  /** Only after close (and reveal, for the projector), only for audiences allowed to see them. */
  results: z.union([surveyResults, appraisalResults, pollResults]).optional(),
  revealed: z.boolean(),
});
export type RoundView = z.infer<typeof roundView>;

export const attendanceView = z.strictObject({
  expected: z.number().int(),
  present: z.number().int(),
  excused: z.number().int(),
  exempt: z.number().int(),
  absent: z.number().int(),
  quorum: z.strictObject({
    rule: z.string(),
    required: z.number().int(),
    present: z.number().int(),
    met: z.boolean().nullable(),
  }),
  /** Host console only. */
  attendees: z
    .array(
      z.strictObject({
        memberId: z.uuid(),
        name: z.string(),
        attendance: z.enum(attendanceStatuses).nullable(),
        checkedIn: z.boolean(),
      }),
    )
    .optional(),
  /** Host console only: invited observers and whether they have joined. */
  observers: z
    .array(z.strictObject({ observerId: z.uuid(), name: z.string(), joined: z.boolean() }))
    .optional(),
});
export type AttendanceView = z.infer<typeof attendanceView>;

export const meetingView = z.strictObject({
  id: z.uuid(),
  title: z.string(),
  type: z.enum(meetingTypes),
  organizationName: z.string(),
  /** The short code people type, and the address its QR code encodes; empty while not open. */
  joinCode: z.string(),
  joinUrl: z.string(),
  open: z.boolean(),
});

export const timerView = z.strictObject({ endsAt: z.string().nullable(), label: z.string() }).nullable();

export const liveState = z.strictObject({
  meeting: meetingView,
  attendance: attendanceView.optional(),
  rounds: z.array(roundView),
  timer: timerView,
  /** Member/observer views: which rounds this participant has already answered. */
  answeredRoundIds: z.array(z.uuid()).optional(),
});
export type LiveState = z.infer<typeof liveState>;

/** A state change. Every event carries the whole new state of what changed, so applying it twice is harmless. */
export const liveEvent = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('round'), round: roundView }),
  z.strictObject({ kind: z.literal('roundRemoved'), roundId: z.uuid() }),
  z.strictObject({ kind: z.literal('attendance'), attendance: attendanceView }),
  z.strictObject({ kind: z.literal('timer'), timer: timerView }),
  z.strictObject({ kind: z.literal('session'), meeting: meetingView }),
]);
export type LiveEvent = z.infer<typeof liveEvent>;
export type LiveEventKind = LiveEvent['kind'];

export const roundProgress = z.strictObject({
  roundId: z.uuid(),
  answered: z.number().int(),
  eligible: z.number().int(),
  /** Host console only: who has not answered yet (to remind them), never who answered what. */
  notAnswered: z.array(z.uuid()).optional(),
});

/** The author's view of one of its own criticism items (answer to checkItems). */
export const ownItemView = z.strictObject({
  id: z.uuid(),
  roundId: z.uuid(),
  subjectId: z.uuid(),
  text: z.string(),
  concrete: z.boolean(),
  status: z.enum(criticismItemStatuses),
  revealed: z.boolean(),
  /** Whether it may still be edited or withdrawn (round open, subject not yet at reveal). */
  editable: z.boolean(),
});

export const serverMessage = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('welcome'),
    v: z.literal(protocolVersion),
    role: z.enum(liveRoles),
    participant: z
      .strictObject({ memberId: z.uuid().optional(), observerId: z.uuid().optional(), name: z.string() })
      .nullable(),
    /**
     * A member's attendance as recorded once this hello has checked them in: anything but
     * `present` (the host marked them excused or absent) means their answers will be refused until
     * the host marks them present, and the phone says so instead of showing them checked in.
     */
    attendance: z.enum(attendanceStatuses).optional(),
    serverTime: z.string(),
  }),
  z.strictObject({ type: z.literal('snapshot'), seq: z.number().int(), state: liveState }),
  /**
   * One or more state changes. `after` is the seq the client must hold for these to apply; `seq`
   * is the seq it holds afterwards. A client holding anything else sends resync.
   */
  z.strictObject({
    type: z.literal('event'),
    after: z.number().int(),
    seq: z.number().int(),
    events: z.array(liveEvent).min(1),
  }),
  /** Answered/eligible counts of open rounds, coalesced (at most a few per second). */
  z.strictObject({ type: z.literal('progress'), rounds: z.array(roundProgress) }),
  z.strictObject({
    type: z.literal('ack'),
    clientId,
    /** True when this clientId had already been accepted (a resend after a lost ack). */
    duplicate: z.boolean(),
    /** For submitCriticism: the new item's id, which the author's device keeps. */
    itemId: z.uuid().optional(),
  }),
  z.strictObject({
    type: z.literal('error'),
    clientId: clientId.optional(),
    code: z.string(),
    message: z.string(),
    fields: z.record(z.string(), z.string()).optional(),
    /** True when the same frame may be sent again later unchanged (overload, rate limit). */
    retry: z.boolean().optional(),
  }),
  z.strictObject({ type: z.literal('bulletin'), roundId: z.uuid(), receipts: z.array(receipt) }),
  z.strictObject({ type: z.literal('items'), items: z.array(ownItemView) }),
  z.strictObject({ type: z.literal('pong'), t: z.number().optional() }),
]);
export type ServerMessage = z.infer<typeof serverMessage>;
export type ServerMessageType = ServerMessage['type'];
