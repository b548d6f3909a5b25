import type { MeetingStatus } from '../../shared/domain/enums.ts';
import { insertMember } from '../support/fixtures.ts';
import { hoursFromNow } from '../support/meetings.ts';
import { insertMeeting } from '../support/rectification-fixtures.ts';
import { anyoneWithARole, branchCommitteeOnly, type MatrixWorld, type RouteAccess } from './matrix.ts';

type Place = { id: string; ancestry: string[] };

/**
 * Someone on the place's roster: in branch A the member the matrix signs in as (so their own leave
 * and signature can be tried), elsewhere a newcomer with an account of their own.
 */
async function personIn(w: MatrixWorld, org: Place): Promise<string> {
  if (org.id === w.branchA.id) return w.membersA[0]!.memberId;
  const login = `matrix-${crypto.randomUUID().slice(0, 8)}`;
  return (await insertMember(w.db, org.id, '矩阵党员', { login })).memberId;
}

/** A fresh 党课 two days ahead in the place, with one invitee; held meetings have them marked present. */
async function meetingIn(
  w: MatrixWorld,
  org: Place,
  options: { status?: MeetingStatus; hostIsInvitee?: boolean } = {},
): Promise<{ meetingId: string; invitee: string }> {
  const invitee = await personIn(w, org);
  const meetingId = await insertMeeting(w.db, org.id, '矩阵测试党课', new Date(hoursFromNow(48)), {
    type: 'partyLecture',
    status: options.status ?? 'scheduled',
  });
  await w.db.insertInto('meeting_invitees').values({ meeting_id: meetingId, member_id: invitee }).execute();
  if (options.hostIsInvitee)
    await w.db.updateTable('meetings').set({ host_member_id: invitee }).where('id', '=', meetingId).execute();
  if (options.status === 'held')
    await w.db
      .insertInto('attendance')
      .values({ meeting_id: meetingId, member_id: invitee, status: 'present' })
      .execute();
  return { meetingId, invitee };
}

/** The invitee's own pending leave request for a fresh meeting in the place. */
async function leaveRequestIn(w: MatrixWorld, org: Place): Promise<string> {
  const { meetingId, invitee } = await meetingIn(w, org);
  const row = await w.db
    .insertInto('leave_requests')
    .values({ meeting_id: meetingId, member_id: invitee, reason: '出差' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

const pdf = new Uint8Array(Buffer.from('%PDF-1.4\n%%EOF\n'));

/** A file filed with a fresh meeting's minutes. */
async function attachmentIn(w: MatrixWorld, org: Place) {
  const { meetingId } = await meetingIn(w, org);
  const row = await w.db
    .insertInto('minutes_attachments')
    .values({
      meeting_id: meetingId,
      file_name: '签到表.pdf',
      content_type: 'application/pdf',
      size_bytes: pdf.length,
      data: Buffer.from(pdf),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return `/api/meetings/${meetingId}/minutes/attachments/${row.id}`;
}

/** Seeing a branch's meetings: everyone with a role there (members, observers, the committee above). */
const canSee = anyoneWithARole;

/** Scheduling and running meetings: the branch's secretary, and the administrators of the tree. */
const canManage = `
      admin:     ok  ok  ok  404
      viewer:    403 403 403 404
      secretary: ok  404 404 404
      member:    403 404 404 404
      observer:  403 404 404 404
      anonymous: 401 401 401 401`;

/** Reading the record (attendance, minutes, attachments): the secretary and the committee above; not members. */
const canReadRecord = `
      admin:     ok  ok  ok  404
      viewer:    ok  ok  ok  404
      secretary: ok  404 404 404
      member:    403 404 404 404
      observer:  403 404 404 404
      anonymous: 401 401 401 401`;

/**
 * Writing the record: the secretary (or the appointed recorder, who is not an actor here). The
 * operator and the committee read it but never write a branch's minutes.
 */
const canWriteRecord = branchCommitteeOnly;

/** What only the member concerned may do: ask for or withdraw their own leave, sign as the appointed host. */
const onlyThePersonConcerned = `
      admin:     403 403 403 404
      viewer:    403 403 403 404
      secretary: 403 404 404 404
      member:    ok  404 404 404
      observer:  403 404 404 404
      anonymous: 401 401 401 401`;

export const meetingAccess: RouteAccess[] = [
  {
    route: 'GET /api/organizations/:id/meetings',
    target: (_w, org) => ({ url: `/api/organizations/${org.id}/meetings` }),
    expect: canSee,
  },
  {
    route: 'POST /api/organizations/:id/meetings',
    target: async (w, org) => ({
      url: `/api/organizations/${org.id}/meetings`,
      body: {
        type: 'partyLecture',
        title: '专题党课',
        startsAt: hoursFromNow(48),
        inviteeMemberIds: [await personIn(w, org)],
      },
    }),
    expect: canManage,
  },
  {
    route: 'GET /api/organizations/:id/meeting-roster',
    target: (_w, org) => ({ url: `/api/organizations/${org.id}/meeting-roster` }),
    expect: canManage,
  },
  {
    route: 'GET /api/meetings/:id',
    target: async (w, org) => ({ url: `/api/meetings/${(await meetingIn(w, org)).meetingId}` }),
    expect: canSee,
  },
  {
    route: 'PATCH /api/meetings/:id',
    target: async (w, org) => ({
      url: `/api/meetings/${(await meetingIn(w, org)).meetingId}`,
      body: { location: '三楼会议室' },
    }),
    expect: canManage,
  },
  {
    route: 'POST /api/meetings/:id/cancel',
    target: async (w, org) => ({
      url: `/api/meetings/${(await meetingIn(w, org)).meetingId}/cancel`,
      body: { reason: '与上级会议冲突' },
    }),
    expect: canManage,
  },
  {
    route: 'POST /api/meetings/:id/status',
    target: async (w, org) => ({
      url: `/api/meetings/${(await meetingIn(w, org)).meetingId}/status`,
      body: { status: 'held' },
    }),
    expect: canManage,
  },
  {
    route: 'POST /api/meetings/:id/leave',
    target: async (w, org) => {
      const { meetingId, invitee } = await meetingIn(w, org);
      return { url: `/api/meetings/${meetingId}/leave`, body: { memberId: invitee, reason: '出差在外地' } };
    },
    expect: onlyThePersonConcerned,
  },
  {
    route: 'DELETE /api/leave-requests/:id',
    target: async (w, org) => ({ url: `/api/leave-requests/${await leaveRequestIn(w, org)}` }),
    expect: onlyThePersonConcerned,
  },
  {
    route: 'POST /api/leave-requests/:id/decision',
    target: async (w, org) => ({
      url: `/api/leave-requests/${await leaveRequestIn(w, org)}/decision`,
      body: { decision: 'approved', note: '同意' },
    }),
    expect: canManage,
  },
  {
    route: 'GET /api/meetings/:id/attendance',
    target: async (w, org) => ({ url: `/api/meetings/${(await meetingIn(w, org)).meetingId}/attendance` }),
    expect: canReadRecord,
  },
  {
    route: 'PUT /api/meetings/:id/attendance',
    target: async (w, org) => {
      const { meetingId, invitee } = await meetingIn(w, org, { status: 'held' });
      return {
        url: `/api/meetings/${meetingId}/attendance`,
        body: { entries: [{ memberId: invitee, status: 'absent', note: '临时外出' }] },
      };
    },
    expect: canWriteRecord,
  },
  {
    route: 'GET /api/meetings/:id/minutes',
    target: async (w, org) => ({ url: `/api/meetings/${(await meetingIn(w, org)).meetingId}/minutes` }),
    expect: canReadRecord,
  },
  {
    route: 'PUT /api/meetings/:id/minutes',
    target: async (w, org) => ({
      url: `/api/meetings/${(await meetingIn(w, org)).meetingId}/minutes`,
      body: {
        recordingMethod: 'summary',
        custodianMemberId: null,
        content: {
          agendaItems: ['讲授专题党课'],
          reports: [],
          speeches: [],
          votes: [],
          resolutions: [],
          closingSummary: '会议达到预期目的',
        },
      },
    }),
    expect: canWriteRecord,
  },
  {
    route: 'POST /api/meetings/:id/minutes/sign',
    // A held meeting whose appointed host is the place's member (in branch A: the member actor).
    target: async (w, org) => {
      const { meetingId } = await meetingIn(w, org, { status: 'held', hostIsInvitee: true });
      return { url: `/api/meetings/${meetingId}/minutes/sign`, body: { as: 'host' } };
    },
    expect: onlyThePersonConcerned,
  },
  {
    route: 'POST /api/meetings/:id/minutes/attachments',
    // A browser's FormData; the test client sends it as multipart/form-data.
    target: async (w, org) => {
      const form = new FormData();
      form.append('file', new Blob([pdf], { type: 'application/pdf' }), '签到表.pdf');
      return { url: `/api/meetings/${(await meetingIn(w, org)).meetingId}/minutes/attachments`, body: form };
    },
    expect: canWriteRecord,
  },
  {
    route: 'GET /api/meetings/:id/minutes/attachments/:attachmentId',
    target: async (w, org) => ({ url: await attachmentIn(w, org) }),
    expect: canReadRecord,
  },
  {
    route: 'DELETE /api/meetings/:id/minutes/attachments/:attachmentId',
    target: async (w, org) => ({ url: await attachmentIn(w, org) }),
    expect: canWriteRecord,
  },
];
