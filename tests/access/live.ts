import {
  moderate,
  recordOralSelfExamination,
  setPhase,
  submitCriticism,
} from '../../server/live/criticism.ts';
import { claim, issueClaimCodes } from '../../server/live/passes.ts';
import { closeRound, createRound, openRound } from '../../server/live/rounds.ts';
import { checkIn, openSession } from '../../server/live/sessions.ts';
import { loadMeetingInfo } from '../../server/live/views.ts';
import type { RoundConfig } from '../../shared/schemas/rounds.ts';
import { insertMember } from '../support/fixtures.ts';
import { insertMeeting } from '../support/live-fixtures.ts';
import { anyoneWithARole, branchCommitteeOnly, type MatrixWorld, type RouteAccess } from './matrix.ts';

type Place = { id: string; ancestry: string[] };

/**
 * The live meeting's host console, its public joining routes and the survey instruments.
 *
 * Each cell builds its own meeting in the place, advanced by the server's own functions to the
 * stage the route needs (session open, round open or closed, a criticism released…), so the
 * secretary's `ok` is a real success and every refusal is the access check's, not the state's.
 */

/** A fresh meeting in the place with two invited members: the subject of criticism and a critic. */
async function liveMeetingIn(w: MatrixWorld, org: Place) {
  const subject = (await insertMember(w.db, org.id, '被评议党员', { login: null })).memberId;
  const critic = (await insertMember(w.db, org.id, '发言党员', { login: null })).memberId;
  const { meetingId } = await insertMeeting(w.db, org.id, { inviteeIds: [subject, critic] });
  const meeting = (await loadMeetingInfo(w.db, meetingId))!;
  return { meetingId, meeting, subject, critic };
}

/** As liveMeetingIn, with the live session open (join code issued) and the critic checked in. */
async function openMeetingIn(w: MatrixWorld, org: Place) {
  const live = await liveMeetingIn(w, org);
  await openSession(w.db, live.meetingId, w.admin);
  await checkIn(w.db, live.meetingId, [live.critic]);
  return live;
}

/** A round of the given kind in an open session; `stage` says how far it has gone. */
async function roundIn(
  w: MatrixWorld,
  org: Place,
  stage: 'draft' | 'open' | 'closed',
  config?: (live: { subject: string }) => RoundConfig,
) {
  const live = await openMeetingIn(w, org);
  const roundConfig = config?.(live) ?? ({ kind: 'survey' } as RoundConfig);
  const { id: roundId } = await createRound(
    w.db,
    live.meeting,
    { title: '矩阵轮次', config: roundConfig },
    w.admin,
  );
  if (stage !== 'draft') await openRound(w.db, live.meeting, roundId);
  if (stage === 'closed') await closeRound(w.db, live.meetingId, roundId);
  return { ...live, roundId, base: `/api/meetings/${live.meetingId}/live/rounds/${roundId}` };
}

/** An open criticism round about the subject, in the criticism phase. */
async function criticismIn(w: MatrixWorld, org: Place) {
  const round = await roundIn(w, org, 'open', ({ subject }) => ({
    kind: 'criticism',
    subjectMemberIds: [subject],
    named: false,
  }));
  const subject = await w.db
    .selectFrom('criticism_subjects')
    .select('id')
    .where('round_id', '=', round.roundId)
    .executeTakeFirstOrThrow();
  await setPhase(w.db, round.meetingId, round.roundId, subject.id, 'criticism');
  return { ...round, subjectId: subject.id, subjectBase: `${round.base}/subjects/${subject.id}` };
}

/**
 * A criticism written by the critic and released to the host (ending the criticism phase releases
 * whatever is held back); `approved` also passes moderation, as turning it into a problem requires.
 */
async function criticismItemIn(w: MatrixWorld, org: Place, approved: boolean) {
  const round = await criticismIn(w, org);
  const { itemId } = await submitCriticism(
    w.db,
    round.meetingId,
    { kind: 'member', id: round.critic },
    {
      clientId: crypto.randomUUID(),
      roundId: round.roundId,
      subjectId: round.subjectId,
      text: '理论学习不够系统，联系实际不紧。',
      concrete: true,
      authorKey: crypto.randomUUID(),
    },
  );
  await setPhase(w.db, round.meetingId, round.roundId, round.subjectId, 'reveal');
  if (approved) await moderate(w.db, round.meetingId, round.roundId, itemId!, 'approve');
  return { ...round, itemUrl: `${round.base}/items/${itemId}` };
}

/** A member whose phone claimed their entry: what a lost phone's rebinding starts from. */
async function claimedPassIn(w: MatrixWorld, org: Place) {
  const live = await openMeetingIn(w, org);
  const { codes } = await issueClaimCodes(w.db, live.meetingId, [live.critic], w.admin);
  await claim(w.db, codes[0]!.code, 'member');
  return live;
}

/**
 * Hosting: the branch's secretary only. The operator and the committee may see the meeting (403)
 * but never run it; members and observers take part from their phones, not the console.
 */
const hostOnly = branchCommitteeOnly;

/** Reading which survey a place uses: anyone with a role there. */
const canSeeOrganization = anyoneWithARole;

/** Publishing an edited survey instrument: whoever edits the quality rubric (the committee's side). */
const canPublishInstrument = `
      admin:     ok  ok  ok  404
      viewer:    ok  ok  ok  404
      secretary: 403 404 404 404
      member:    403 404 404 404
      observer:  403 404 404 404
      anonymous: 401 401 401 401`;

const surveyInstrument = {
  likert: [
    { key: 'themeFocus', label: { 'zh-CN': '主题聚焦', en: 'Focus on the theme' } },
    { key: 'candour', label: { 'zh-CN': '批评坦诚', en: 'Candour of criticism' } },
  ],
  overall: true,
  comment: true,
};

const problemBody = {
  description: '理论学习不够系统',
  rectification: { measures: '制定学习计划，每月交流一次' },
};

export const liveAccess: RouteAccess[] = [
  {
    route: 'GET /api/organizations/:id/live-meetings',
    target: (_w, org) => ({ url: `/api/organizations/${org.id}/live-meetings` }),
    expect: hostOnly,
  },
  {
    route: 'GET /api/meetings/:id/live',
    target: async (w, org) => ({ url: `/api/meetings/${(await liveMeetingIn(w, org)).meetingId}/live` }),
    expect: hostOnly,
  },
  {
    route: 'GET /api/meetings/:id/live/session',
    target: async (w, org) => ({
      url: `/api/meetings/${(await liveMeetingIn(w, org)).meetingId}/live/session`,
    }),
    expect: hostOnly,
  },
  {
    route: 'POST /api/meetings/:id/live/open',
    target: async (w, org) => ({ url: `/api/meetings/${(await liveMeetingIn(w, org)).meetingId}/live/open` }),
    expect: hostOnly,
  },
  {
    route: 'POST /api/meetings/:id/live/close',
    target: async (w, org) => ({
      url: `/api/meetings/${(await openMeetingIn(w, org)).meetingId}/live/close`,
    }),
    expect: hostOnly,
  },
  {
    route: 'POST /api/meetings/:id/live/projector-link',
    target: async (w, org) => ({
      url: `/api/meetings/${(await openMeetingIn(w, org)).meetingId}/live/projector-link`,
    }),
    expect: hostOnly,
  },
  {
    route: 'GET /api/meetings/:id/live/passes',
    target: async (w, org) => ({
      url: `/api/meetings/${(await openMeetingIn(w, org)).meetingId}/live/passes`,
    }),
    expect: hostOnly,
  },
  {
    route: 'POST /api/meetings/:id/live/claim-codes',
    target: async (w, org) => {
      const { meetingId, critic } = await openMeetingIn(w, org);
      return { url: `/api/meetings/${meetingId}/live/claim-codes`, body: { memberIds: [critic] } };
    },
    expect: hostOnly,
  },
  {
    route: 'POST /api/meetings/:id/live/observer-codes',
    target: async (w, org) => {
      const { meetingId } = await openMeetingIn(w, org);
      return { url: `/api/meetings/${meetingId}/live/observer-codes`, body: {} };
    },
    expect: hostOnly,
  },
  {
    route: 'POST /api/meetings/:id/live/rebind',
    target: async (w, org) => {
      const { meetingId, critic } = await claimedPassIn(w, org);
      return {
        url: `/api/meetings/${meetingId}/live/rebind`,
        body: { memberId: critic, reason: '手机丢失' },
      };
    },
    expect: hostOnly,
  },
  {
    route: 'POST /api/meetings/:id/live/rounds',
    target: async (w, org) => ({
      url: `/api/meetings/${(await openMeetingIn(w, org)).meetingId}/live/rounds`,
      body: { title: '满意度测评', config: { kind: 'survey' } },
    }),
    expect: hostOnly,
  },
  {
    route: 'DELETE /api/meetings/:id/live/rounds/:roundId',
    target: async (w, org) => ({ url: (await roundIn(w, org, 'draft')).base }),
    expect: hostOnly,
  },
  {
    route: 'POST /api/meetings/:id/live/rounds/:roundId/open',
    target: async (w, org) => ({ url: `${(await roundIn(w, org, 'draft')).base}/open` }),
    expect: hostOnly,
  },
  {
    route: 'POST /api/meetings/:id/live/rounds/:roundId/close',
    target: async (w, org) => ({ url: `${(await roundIn(w, org, 'open')).base}/close` }),
    expect: hostOnly,
  },
  {
    route: 'POST /api/meetings/:id/live/rounds/:roundId/reveal',
    target: async (w, org) => ({ url: `${(await roundIn(w, org, 'closed')).base}/reveal` }),
    expect: hostOnly,
  },
  {
    route: 'POST /api/meetings/:id/live/rounds/:roundId/subjects/:subjectId/phase',
    target: async (w, org) => ({
      url: `${(await criticismIn(w, org)).subjectBase}/phase`,
      body: { phase: 'reveal' },
    }),
    expect: hostOnly,
  },
  {
    route: 'POST /api/meetings/:id/live/rounds/:roundId/subjects/:subjectId/self-examination',
    target: async (w, org) => ({
      url: `${(await criticismIn(w, org)).subjectBase}/self-examination`,
      body: { summary: '本人口头作了对照检查，主要问题是学习不深入。' },
    }),
    // The meeting's appointed recorder may also write it; the recorder is not one of the actors.
    expect: hostOnly,
  },
  {
    route: 'POST /api/meetings/:id/live/rounds/:roundId/subjects/:subjectId/reveal',
    // Revealing shows the approved criticisms on the projector, in the subject's reveal phase.
    target: async (w, org) => ({
      url: `${(await criticismItemIn(w, org, true)).subjectBase}/reveal`,
      body: { mode: 'all' },
    }),
    expect: hostOnly,
  },
  {
    route: 'POST /api/meetings/:id/live/rounds/:roundId/subjects/:subjectId/problem',
    target: async (w, org) => {
      const round = await criticismIn(w, org);
      await recordOralSelfExamination(w.db, round.meetingId, round.roundId, round.subjectId, '学习不深入');
      return { url: `${round.subjectBase}/problem`, body: problemBody };
    },
    expect: hostOnly,
  },
  {
    route: 'POST /api/meetings/:id/live/rounds/:roundId/items/:itemId/moderate',
    target: async (w, org) => ({
      url: `${(await criticismItemIn(w, org, false)).itemUrl}/moderate`,
      body: { action: 'approve' },
    }),
    expect: hostOnly,
  },
  {
    route: 'POST /api/meetings/:id/live/rounds/:roundId/items/:itemId/problem',
    target: async (w, org) => ({
      url: `${(await criticismItemIn(w, org, true)).itemUrl}/problem`,
      body: problemBody,
    }),
    expect: hostOnly,
  },
  {
    route: 'PUT /api/meetings/:id/live/timer',
    target: async (w, org) => ({
      url: `/api/meetings/${(await openMeetingIn(w, org)).meetingId}/live/timer`,
      body: { seconds: 180, label: '发言计时' },
    }),
    expect: hostOnly,
  },
  {
    route: 'DELETE /api/meetings/:id/live/timer',
    target: async (w, org) => ({
      url: `/api/meetings/${(await openMeetingIn(w, org)).meetingId}/live/timer`,
    }),
    expect: hostOnly,
  },
  {
    route: 'PUT /api/meetings/:id/live/attendance/:memberId',
    target: async (w, org) => {
      const { meetingId, subject } = await openMeetingIn(w, org);
      return { url: `/api/meetings/${meetingId}/live/attendance/${subject}`, body: { status: 'present' } };
    },
    expect: hostOnly,
  },
  {
    route: 'GET /api/organizations/:id/survey-instrument',
    target: (_w, org) => ({ url: `/api/organizations/${org.id}/survey-instrument` }),
    expect: canSeeOrganization,
  },
  {
    route: 'POST /api/organizations/:id/survey-instruments',
    target: (_w, org) => ({ url: `/api/organizations/${org.id}/survey-instruments`, body: surveyInstrument }),
    expect: canPublishInstrument,
  },
];
