import { z } from 'zod';
import { appraisalGrades, attendanceStatuses, meetingTypes } from '../domain/enums.ts';
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

const clientId = z.uuid();
/** A random value the device keeps; only its hash is stored (edit/withdraw rights of an anonymous item). */
const authorKey = z.string().regex(/^[A-Za-z0-9_-]{22,64}$/);
/** The voter's receipt: 16 random bytes, base64url — stored in the ballot row, published after close. */
export const receipt = z.string().regex(/^[A-Za-z0-9_-]{22}$/);

export const liveAuth = z.discriminatedUnion('kind', [
  /** Signed in (the session cookie rides on the upgrade request). */
  z.strictObject({ kind: z.literal('session') }),
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
    /** Moderated comments, shuffled; only on the host console (branch committee). */
    comments: z.array(z.string()).optional(),
  }),
]);

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

export const pollResults = z.union([
  suppressed,
  z.strictObject({
    suppressed: z.literal(false),
    n: z.number().int(),
    counts: z.array(z.number().int()),
    words: z.array(z.strictObject({ word: z.string(), count: z.number().int() })),
  }),
]);

export const criticismItemView = z.strictObject({
  id: z.uuid(),
  text: z.string(),
  concrete: z.boolean(),
  /** Only in named rounds. */
  authorName: z.string().optional(),
  /** Host console only: pending | approved | returned | rejected. */
  status: z.enum(['pending', 'approved', 'returned', 'rejected', 'withdrawn']).optional(),
});

export const criticismPhases = [
  'waiting',
  'selfExamination',
  'criticism',
  'reveal',
  'response',
  'done',
] as const;

export const criticismSubjectView = z.strictObject({
  id: z.uuid(),
  memberId: z.uuid(),
  name: z.string(),
  position: z.number().int(),
  phase: z.enum(criticismPhases),
  selfExamination: z.strictObject({ mode: z.enum(['written', 'oral']), text: z.string() }).nullable(),
  response: z.string().nullable(),
  /** How many criticisms were received (not withdrawn). */
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
  answered: z.number().int(),
  eligible: z.number().int(),
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
});

export const liveState = z.strictObject({
  meeting: z.strictObject({
    id: z.uuid(),
    title: z.string(),
    type: z.enum(meetingTypes),
    joinCode: z.string(),
    open: z.boolean(),
  }),
  attendance: attendanceView.optional(),
  rounds: z.array(roundView),
  timer: z.strictObject({ endsAt: z.string().nullable(), label: z.string() }).nullable(),
  /** Member/observer views: which rounds this participant has already answered. */
  answeredRoundIds: z.array(z.uuid()).optional(),
});
export type LiveState = z.infer<typeof liveState>;

export const liveEvent = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('round'), round: roundView }),
  z.strictObject({ kind: z.literal('roundRemoved'), roundId: z.uuid() }),
  z.strictObject({ kind: z.literal('attendance'), attendance: attendanceView }),
  z.strictObject({ kind: z.literal('timer'), timer: liveState.shape.timer }),
  z.strictObject({ kind: z.literal('session'), open: z.boolean() }),
]);
export type LiveEvent = z.infer<typeof liveEvent>;

export const serverMessage = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('welcome'),
    v: z.literal(protocolVersion),
    role: z.enum(liveRoles),
    participant: z.strictObject({ memberId: z.uuid().optional(), name: z.string() }).nullable(),
    serverTime: z.string(),
  }),
  z.strictObject({ type: z.literal('snapshot'), seq: z.number().int(), state: liveState }),
  z.strictObject({ type: z.literal('event'), seq: z.number().int(), event: liveEvent }),
  z.strictObject({
    type: z.literal('progress'),
    roundId: z.uuid(),
    answered: z.number().int(),
    eligible: z.number().int(),
    /** Host console only: who has not answered yet (to remind them), never who answered what. */
    notAnswered: z.array(z.uuid()).optional(),
  }),
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
  }),
  z.strictObject({ type: z.literal('bulletin'), roundId: z.uuid(), receipts: z.array(receipt) }),
  z.strictObject({ type: z.literal('pong'), t: z.number().optional() }),
]);
export type ServerMessage = z.infer<typeof serverMessage>;
export type ServerMessageType = ServerMessage['type'];
