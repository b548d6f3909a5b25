import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { MeetingStatus, OrganizationKind } from '../../shared/domain/enums.ts';
import { diffFields } from '../../shared/domain/field-changes.ts';
import {
  type AgendaItem,
  canMoveTo,
  defaultInviteeIds,
  type MeetingPreparation,
  meetingTypesFor,
  typesWithPreparation,
} from '../../shared/domain/meetings.ts';
import type {
  CreateMeetingBody,
  MeetingDetail,
  MeetingListItem,
  MeetingListQuery,
  UpdateMeetingBody,
} from '../../shared/schemas/meetings.ts';
import type { OrganizationScope, Principal } from '../access/principal.ts';
import type { DB, Db } from '../db/schema.ts';
import { AppError, conflict } from '../http/errors.ts';
import { clearSignatures, lockMinutes, memberNames, personRef } from '../minutes/record.ts';
import { markQualityDirty } from '../quality/queue.ts';
import type { MeetingCapabilities, MeetingRow } from './access.ts';
import { auditMeeting, changedFieldNames } from './audit.ts';
import { committeeFirst, observerCandidatesOf, type RosterMember, rosterOf } from './roster.ts';

export interface MeetingOrganization extends OrganizationScope {
  kind: OrganizationKind;
  isLeadershipGroup: boolean;
}

/** The organization facts the scheduling rules need, for an authorized scope. */
export async function meetingOrganization(db: Db, scope: OrganizationScope): Promise<MeetingOrganization> {
  const row = await db
    .selectFrom('organizations')
    .select(['kind', 'is_leadership_group'])
    .where('id', '=', scope.id)
    .executeTakeFirstOrThrow();
  return { ...scope, kind: row.kind, isLeadershipGroup: row.is_leadership_group };
}

type ObserverInput = NonNullable<CreateMeetingBody['observers']>[number];

/** A meeting as the scheduling rules see it: a new one, or an edit merged onto the stored one. */
interface MeetingState {
  type: MeetingRow['type'];
  title: string;
  sessionNo: number | null;
  theme: string;
  startsAt: Date;
  endsAt: Date | null;
  location: string;
  mode: MeetingRow['mode'];
  hostMemberId: string | null;
  recorderMemberId: string | null;
  agenda: AgendaItem[];
  includesAppraisal: boolean;
  preparation: MeetingPreparation;
  inviteeMemberIds: string[];
  observers: Array<{ name: string; affiliation: string; memberId: string | null }>;
}

/** Field errors collected across every rule, reported together under the first rule's code. */
class RuleErrors {
  private code?: string;
  readonly fields: Record<string, string> = {};
  add(code: string, field: string, fieldCode: string) {
    this.code ??= code;
    this.fields[field] ??= fieldCode;
  }
  throwIfAny() {
    if (this.code) throw new AppError(this.code, 400, this.fields);
  }
}

/**
 * The scheduling rules (DOMAIN.md §2): the type must suit the organization (民主生活会 for
 * leadership groups only, 党小组会 in party groups), the end comes after the start, host, recorder
 * and invitees are on the roster (host and recorder two different people), observers who are
 * members are not also invitees, and only meetings with a preparation stage record one.
 */
function checkRules(
  org: MeetingOrganization,
  roster: readonly RosterMember[],
  observerCandidates: readonly RosterMember[],
  state: MeetingState,
  before?: MeetingState,
) {
  const errors = new RuleErrors();
  // People already on the meeting stay valid when it is edited, even if they have left the roster since.
  const kept = before
    ? [before.hostMemberId, before.recorderMemberId, ...before.inviteeMemberIds].filter(
        (id): id is string => !!id,
      )
    : [];
  const keptObservers = before?.observers.flatMap((o) => (o.memberId ? [o.memberId] : [])) ?? [];
  if (!meetingTypesFor(org).includes(state.type)) {
    if (state.type === 'leadershipLifeMeeting')
      errors.add('meeting.leadershipGroupOnly', 'type', 'leadershipGroupOnly');
    else errors.add('meeting.typeNotAllowedHere', 'type', 'typeNotAllowedHere');
  }
  if (state.endsAt && state.endsAt <= state.startsAt)
    errors.add('meeting.endBeforeStart', 'endsAt', 'endBeforeStart');
  const onRoster = new Set([...roster.map((m) => m.id), ...kept]);
  if (state.hostMemberId && !onRoster.has(state.hostMemberId))
    errors.add('meeting.notInRoster', 'hostMemberId', 'notInRoster');
  if (state.recorderMemberId && !onRoster.has(state.recorderMemberId))
    errors.add('meeting.notInRoster', 'recorderMemberId', 'notInRoster');
  if (state.hostMemberId && state.hostMemberId === state.recorderMemberId)
    errors.add('meeting.hostIsRecorder', 'recorderMemberId', 'sameAsHost');
  if (state.inviteeMemberIds.length === 0) errors.add('meeting.noInvitees', 'inviteeMemberIds', 'required');
  state.inviteeMemberIds.forEach((id, i) => {
    if (!onRoster.has(id)) errors.add('meeting.notInRoster', `inviteeMemberIds.${i}`, 'notInRoster');
  });
  const invited = new Set(state.inviteeMemberIds);
  const mayObserve = new Set([...onRoster, ...observerCandidates.map((m) => m.id), ...keptObservers]);
  state.observers.forEach((o, i) => {
    if (!o.memberId) return;
    if (!mayObserve.has(o.memberId))
      errors.add('meeting.notInRoster', `observers.${i}.memberId`, 'notInRoster');
    else if (invited.has(o.memberId))
      errors.add('meeting.observerInvited', `observers.${i}.memberId`, 'alreadyInvited');
  });
  const preparationGiven = Object.values(state.preparation).some((v) => v !== undefined && v !== false);
  if (preparationGiven && !typesWithPreparation.includes(state.type))
    errors.add('meeting.preparationNotApplicable', 'preparation', 'notForThisType');
  errors.throwIfAny();
}

function preparationOf(input: CreateMeetingBody['preparation']): MeetingPreparation {
  if (!input) return {};
  const { notes, ...flags } = input;
  return { ...flags, ...(notes ? { notes } : {}) };
}

function agendaOf(input: NonNullable<CreateMeetingBody['agenda']>): AgendaItem[] {
  return input.map((a) => ({ title: a.title, ...(a.notes ? { notes: a.notes } : {}) }));
}

function observersOf(input: ObserverInput[]): MeetingState['observers'] {
  return input.map((o) => ({ name: o.name, affiliation: o.affiliation ?? '', memberId: o.memberId ?? null }));
}

/** Schedules a meeting with its invitees (the default ones unless given) and observers. */
export async function scheduleMeeting(
  db: Kysely<DB>,
  org: MeetingOrganization,
  body: CreateMeetingBody,
  principal: Principal,
): Promise<string> {
  const [roster, observerCandidates] = await Promise.all([rosterOf(db, org), observerCandidatesOf(db, org)]);
  const state: MeetingState = {
    type: body.type,
    title: body.title,
    sessionNo: body.sessionNo ?? null,
    theme: body.theme ?? '',
    startsAt: new Date(body.startsAt),
    endsAt: body.endsAt ? new Date(body.endsAt) : null,
    location: body.location ?? '',
    mode: body.mode ?? 'inPerson',
    hostMemberId: body.hostMemberId ?? null,
    recorderMemberId: body.recorderMemberId ?? null,
    agenda: agendaOf(body.agenda ?? []),
    // A 民主评议党员 session is an appraisal by definition.
    includesAppraisal: body.type === 'memberAppraisal' || (body.includesAppraisal ?? false),
    preparation: preparationOf(body.preparation),
    inviteeMemberIds: body.inviteeMemberIds ?? defaultInviteeIds(body.type, roster),
    observers: observersOf(body.observers ?? []),
  };
  checkRules(org, roster, observerCandidates, state);
  return db.transaction().execute(async (trx) => {
    const { id } = await trx
      .insertInto('meetings')
      .values({ organization_id: org.id, ...meetingColumns(state), created_by: principal.accountId })
      .returning('id')
      .executeTakeFirstOrThrow();
    await replaceInvitees(trx, id, state.inviteeMemberIds);
    await replaceObservers(trx, id, state.observers);
    await auditMeeting(trx, principal, { id, organization_id: org.id }, 'meeting.scheduled', {
      type: state.type,
    });
    return id;
  });
}

function meetingColumns(state: MeetingState) {
  return {
    type: state.type,
    title: state.title,
    session_no: state.sessionNo,
    theme: state.theme,
    starts_at: state.startsAt,
    ends_at: state.endsAt,
    location: state.location,
    mode: state.mode,
    host_member_id: state.hostMemberId,
    recorder_member_id: state.recorderMemberId,
    agenda: JSON.stringify(state.agenda),
    includes_appraisal: state.includesAppraisal,
    preparation: JSON.stringify(state.preparation),
  };
}

async function replaceInvitees(db: Db, meetingId: string, memberIds: readonly string[]) {
  await db.deleteFrom('meeting_invitees').where('meeting_id', '=', meetingId).execute();
  if (memberIds.length)
    await db
      .insertInto('meeting_invitees')
      .values(memberIds.map((member_id) => ({ meeting_id: meetingId, member_id })))
      .execute();
}

async function replaceObservers(db: Db, meetingId: string, observers: MeetingState['observers']) {
  await db.deleteFrom('meeting_observers').where('meeting_id', '=', meetingId).execute();
  if (observers.length)
    await db
      .insertInto('meeting_observers')
      .values(
        observers.map((o) => ({
          meeting_id: meetingId,
          name: o.name,
          affiliation: o.affiliation,
          member_id: o.memberId,
        })),
      )
      .execute();
}

/**
 * Edits a meeting until its minutes are locked (the header is then part of a signed record). Lists
 * sent replace the stored ones. A real change clears signatures already given.
 */
export async function updateMeeting(
  db: Kysely<DB>,
  org: MeetingOrganization,
  meetingId: string,
  patch: UpdateMeetingBody,
  principal: Principal,
) {
  const [roster, observerCandidates] = await Promise.all([rosterOf(db, org), observerCandidatesOf(db, org)]);
  await db.transaction().execute(async (trx) => {
    const minutes = await lockMinutes(trx, meetingId);
    const meeting = await trx
      .selectFrom('meetings')
      .selectAll()
      .where('id', '=', meetingId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (meeting.status === 'cancelled') throw conflict('meeting.cancelled');
    if (minutes.locked_at) throw conflict('meeting.minutesLocked');
    const before = await storedState(trx, meeting);
    const type = patch.type ?? before.type;
    const after: MeetingState = {
      type,
      title: patch.title ?? before.title,
      sessionNo: patch.sessionNo !== undefined ? patch.sessionNo : before.sessionNo,
      theme: patch.theme !== undefined ? (patch.theme ?? '') : before.theme,
      startsAt: patch.startsAt ? new Date(patch.startsAt) : before.startsAt,
      endsAt: patch.endsAt !== undefined ? (patch.endsAt ? new Date(patch.endsAt) : null) : before.endsAt,
      location: patch.location !== undefined ? (patch.location ?? '') : before.location,
      mode: patch.mode ?? before.mode,
      hostMemberId: patch.hostMemberId !== undefined ? patch.hostMemberId : before.hostMemberId,
      recorderMemberId:
        patch.recorderMemberId !== undefined ? patch.recorderMemberId : before.recorderMemberId,
      agenda: patch.agenda ? agendaOf(patch.agenda) : before.agenda,
      includesAppraisal: type === 'memberAppraisal' || (patch.includesAppraisal ?? before.includesAppraisal),
      // Preparation belongs to the types that have one; switching away from them drops it.
      preparation: patch.preparation
        ? preparationOf(patch.preparation)
        : typesWithPreparation.includes(type)
          ? before.preparation
          : {},
      inviteeMemberIds: patch.inviteeMemberIds ?? before.inviteeMemberIds,
      observers: patch.observers ? observersOf(patch.observers) : before.observers,
    };
    checkRules(org, roster, observerCandidates, after, before);
    const changes = diffFields(comparable(before), comparable(after));
    if (changes.length === 0) return;
    await trx
      .updateTable('meetings')
      .set({ ...meetingColumns(after), updated_at: new Date() })
      .where('id', '=', meetingId)
      .execute();
    if (patch.inviteeMemberIds) await replaceInvitees(trx, meetingId, after.inviteeMemberIds);
    if (patch.observers) await replaceObservers(trx, meetingId, after.observers);
    await clearSignatures(trx, meetingId);
    await auditMeeting(trx, principal, meeting, 'meeting.updated', { fields: changedFieldNames(changes) });
    await markQualityDirty(trx, meetingId, 'meetingEdited');
  });
}

/** Invitees and observers are sets: their order is not a change. */
function comparable(state: MeetingState) {
  return {
    ...state,
    inviteeMemberIds: [...state.inviteeMemberIds].sort(),
    observers: [...state.observers].sort((a, b) =>
      `${a.name}\u0000${a.memberId}`.localeCompare(`${b.name}\u0000${b.memberId}`),
    ),
  };
}

async function storedState(db: Db, meeting: MeetingRow): Promise<MeetingState> {
  const [invitees, observers] = await Promise.all([
    db
      .selectFrom('meeting_invitees')
      .select('member_id')
      .where('meeting_id', '=', meeting.id)
      .orderBy('member_id')
      .execute(),
    db
      .selectFrom('meeting_observers')
      .select(['name', 'affiliation', 'member_id'])
      .where('meeting_id', '=', meeting.id)
      .orderBy('name')
      .execute(),
  ]);
  return {
    type: meeting.type,
    title: meeting.title,
    sessionNo: meeting.session_no,
    theme: meeting.theme,
    startsAt: meeting.starts_at,
    endsAt: meeting.ends_at,
    location: meeting.location,
    mode: meeting.mode,
    hostMemberId: meeting.host_member_id,
    recorderMemberId: meeting.recorder_member_id,
    agenda: meeting.agenda,
    includesAppraisal: meeting.includes_appraisal,
    preparation: meeting.preparation,
    inviteeMemberIds: invitees.map((i) => i.member_id),
    observers: observers.map((o) => ({ name: o.name, affiliation: o.affiliation, memberId: o.member_id })),
  };
}

/**
 * Moves a meeting along scheduled → inProgress → held, or cancels it (with a reason) before it
 * starts. The audit trail keeps the move, not the reason's text.
 */
export async function moveMeeting(
  db: Kysely<DB>,
  principal: Principal,
  meetingId: string,
  to: MeetingStatus,
  reason?: string,
) {
  await db.transaction().execute(async (trx) => {
    const meeting = await trx
      .selectFrom('meetings')
      .select(['id', 'organization_id', 'status'])
      .where('id', '=', meetingId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (!canMoveTo(meeting.status, to)) {
      throw conflict(
        meeting.status === 'cancelled'
          ? 'meeting.cancelled'
          : to === 'cancelled'
            ? 'meeting.cannotCancel'
            : 'meeting.invalidTransition',
      );
    }
    await trx
      .updateTable('meetings')
      .set({
        status: to,
        updated_at: new Date(),
        ...(to === 'cancelled' ? { cancelled_reason: reason } : {}),
      })
      .where('id', '=', meetingId)
      .execute();
    await auditMeeting(
      trx,
      principal,
      meeting,
      to === 'cancelled' ? 'meeting.cancelled' : 'meeting.statusChanged',
      { from: meeting.status, to },
    );
    if (to === 'held') await markQualityDirty(trx, meetingId, 'meetingHeld');
  });
}

const myMemberIds = (principal: Principal) =>
  principal.grants.flatMap((g) => (g.role === 'member' && g.memberId ? [g.memberId] : []));

/**
 * An organization's meetings and those of the party groups under it (a branch's record includes
 * its groups' meetings): upcoming ones (not yet held) soonest first, past ones (held or cancelled)
 * latest first; by type and by a period of start times. Archived groups are left out, as their
 * meetings can no longer be opened.
 */
export async function listMeetings(
  db: Db,
  organizationId: string,
  query: MeetingListQuery,
  principal: Principal,
): Promise<MeetingListItem[]> {
  const mine = myMemberIds(principal);
  let q = db
    .selectFrom('meetings as m')
    .innerJoin('organizations as o', 'o.id', 'm.organization_id')
    .leftJoin('minutes as n', 'n.meeting_id', 'm.id')
    .selectAll('m')
    .select((eb) => [
      'n.locked_at',
      'o.name as organizationName',
      eb
        .selectFrom('meeting_invitees as i')
        .select(eb.fn.countAll<number>().as('c'))
        .whereRef('i.meeting_id', '=', 'm.id')
        .as('inviteeCount'),
      mine.length
        ? eb
            .selectFrom('leave_requests as l')
            .select('l.status')
            .whereRef('l.meeting_id', '=', 'm.id')
            .where('l.member_id', 'in', mine)
            .limit(1)
            .as('myLeave')
        : sql<null>`null`.as('myLeave'),
    ])
    .where((eb) =>
      eb.or([
        eb('m.organization_id', '=', organizationId),
        eb.and([
          eb('o.parent_id', '=', organizationId),
          eb('o.kind', '=', 'partyGroup'),
          eb('o.archived_at', 'is', null),
        ]),
      ]),
    );
  if (query.when === 'upcoming') q = q.where('m.status', 'in', ['scheduled', 'inProgress']);
  if (query.when === 'past') q = q.where('m.status', 'in', ['held', 'cancelled']);
  if (query.type) q = q.where('m.type', '=', query.type);
  if (query.from) q = q.where('m.starts_at', '>=', new Date(query.from));
  if (query.to) q = q.where('m.starts_at', '<', new Date(query.to));
  const rows = await q
    .orderBy('m.starts_at', query.when === 'upcoming' ? 'asc' : 'desc')
    .orderBy('m.id')
    .limit(500)
    .execute();
  return rows.map((r) => ({
    ...summaryOf(r),
    inviteeCount: r.inviteeCount ?? 0,
    minutesLocked: r.locked_at !== null,
    myLeave: r.myLeave ?? null,
    partyGroupName: r.organization_id === organizationId ? null : r.organizationName,
  }));
}

function summaryOf(m: MeetingRow) {
  return {
    id: m.id,
    type: m.type,
    title: m.title,
    sessionNo: m.session_no,
    theme: m.theme,
    startsAt: m.starts_at.toISOString(),
    endsAt: m.ends_at?.toISOString() ?? null,
    location: m.location,
    mode: m.mode,
    status: m.status,
    includesAppraisal: m.includes_appraisal,
  };
}

/** Everything the meeting page shows, shaped for the caller (leave requests: all, or their own). */
export async function meetingDetail(
  db: Db,
  meetingId: string,
  scope: OrganizationScope,
  capabilities: MeetingCapabilities,
  principal: Principal,
): Promise<MeetingDetail> {
  const meeting = await db
    .selectFrom('meetings')
    .selectAll()
    .where('id', '=', meetingId)
    .executeTakeFirstOrThrow();
  const mine = myMemberIds(principal);
  const seesAllLeave = capabilities.canManage || capabilities.canViewRecord;
  const [invitees, observers, leave, minutes, people] = await Promise.all([
    db
      .selectFrom('meeting_invitees as i')
      .innerJoin('members as m', 'm.id', 'i.member_id')
      .select(['m.id', 'm.full_name', 'm.status', 'm.committee_role'])
      .where('i.meeting_id', '=', meeting.id)
      .orderBy(committeeFirst('m.committee_role'))
      .orderBy('m.full_name')
      .execute(),
    db
      .selectFrom('meeting_observers')
      .select(['id', 'name', 'affiliation', 'member_id'])
      .where('meeting_id', '=', meeting.id)
      .orderBy('name')
      .execute(),
    seesAllLeave || mine.length ? leaveRequestsOf(db, meeting.id, seesAllLeave ? undefined : mine) : [],
    db
      .selectFrom('minutes')
      .select(['locked_at', 'host_signed_at', 'recorder_signed_at'])
      .where('meeting_id', '=', meeting.id)
      .executeTakeFirst(),
    memberNames(
      db,
      [meeting.host_member_id, meeting.recorder_member_id].filter((id): id is string => id !== null),
    ),
  ]);
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  return {
    ...summaryOf(meeting),
    inviteeCount: invitees.length,
    minutesLocked: !!minutes?.locked_at,
    myLeave: leave.find((l) => mine.includes(l.memberId))?.status ?? null,
    organizationId: scope.id,
    organizationName: scope.name,
    host: personRef(people, meeting.host_member_id),
    recorder: personRef(people, meeting.recorder_member_id),
    agenda: meeting.agenda,
    preparation: meeting.preparation,
    cancelledReason: meeting.cancelled_reason,
    invitees: invitees.map((i) => ({
      memberId: i.id,
      name: i.full_name,
      status: i.status,
      committeeRole: i.committee_role,
    })),
    observers: observers.map((o) => ({
      id: o.id,
      name: o.name,
      affiliation: o.affiliation,
      memberId: o.member_id,
    })),
    leaveRequests: leave,
    minutes: minutes
      ? {
          lockedAt: iso(minutes.locked_at),
          hostSignedAt: iso(minutes.host_signed_at),
          recorderSignedAt: iso(minutes.recorder_signed_at),
        }
      : null,
    me: {
      inviteeMemberId: invitees.find((i) => mine.includes(i.id))?.id ?? null,
      ...capabilities,
    },
  };
}

/** Leave requests of a meeting, optionally only those of some members, oldest first. */
export async function leaveRequestsOf(db: Db, meetingId: string, onlyMembers?: string[]) {
  let q = db
    .selectFrom('leave_requests as l')
    .innerJoin('members as m', 'm.id', 'l.member_id')
    .leftJoin('accounts as a', 'a.id', 'l.decided_by')
    .select([
      'l.id',
      'l.member_id',
      'm.full_name',
      'l.reason',
      'l.status',
      'a.display_name',
      'l.decided_at',
      'l.decision_note',
      'l.created_at',
    ])
    .where('l.meeting_id', '=', meetingId);
  if (onlyMembers) q = q.where('l.member_id', 'in', onlyMembers);
  const rows = await q.orderBy('l.created_at').orderBy('l.id').execute();
  return rows.map((r) => ({
    id: r.id,
    memberId: r.member_id,
    memberName: r.full_name,
    reason: r.reason,
    status: r.status,
    decidedByName: r.display_name,
    decidedAt: r.decided_at?.toISOString() ?? null,
    decisionNote: r.decision_note,
    createdAt: r.created_at.toISOString(),
  }));
}
