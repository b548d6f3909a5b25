import { randomBytes, randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { AppraisalGrade, AttendanceStatus, MeetingType } from '../../shared/domain/enums.ts';
import { defaultSurveyInstrument } from '../../shared/domain/survey.ts';
import type { MinutesContentInput } from '../../shared/schemas/minutes.ts';
import type { OverallSatisfaction } from '../../shared/schemas/rounds.ts';
import type { OrganizationScope, Principal } from '../access/principal.ts';
import { saveDeterminations } from '../appraisal/determinations.ts';
import { recordFeedback } from '../appraisal/feedback.ts';
import type { DB } from '../db/schema.ts';
import type { BallotWriter } from '../live/ballots.ts';
import {
  convertItem,
  convertSelfExamination,
  moderate,
  revealItems,
  setPhase,
  submitCriticism,
  submitResponse,
  submitSelfExamination,
} from '../live/criticism.ts';
import { closeRound, createRound, openRound } from '../live/rounds.ts';
import { checkIn, closeSession, openSession } from '../live/sessions.ts';
import { loadMeetingInfo, type MeetingInfo } from '../live/views.ts';
import type { MeetingRow } from '../meetings/access.ts';
import { markAttendance } from '../meetings/attendance.ts';
import { decideLeave } from '../meetings/leave.ts';
import { meetingOrganization, moveMeeting, scheduleMeeting } from '../meetings/service.ts';
import { saveMinutes, signMinutes } from '../minutes/service.ts';
import { clamp, type Random } from './random.ts';

/**
 * One past meeting of the demo, run through the services a secretary, a recorder and the live
 * meeting use: scheduled, leave asked for and decided, members checked in to the live session,
 * the anonymous survey (and at a 民主评议 the appraisal ballot) answered and sealed, the rest of
 * the attendance marked, the meeting recorded as held, its minutes written and signed by host and
 * recorder. The services stamp "now"; a year of history needs the past, so afterwards the times
 * they recorded are moved to when the meeting happened (backdate()).
 */

export interface DemoMember {
  id: string;
  name: string;
  status: 'fullMember' | 'probationaryMember';
  committee: boolean;
  exempt: boolean;
  groupId: string | null;
  principal: Principal | null;
}

export interface PastMeeting {
  organization: OrganizationScope;
  type: MeetingType;
  title: string;
  startsAt: Date;
  /** 0–1: how well the branch runs its organization life. */
  quality: number;
  host: DemoMember;
  recorder: DemoMember;
  /** The branch secretary, who schedules, decides leave and marks attendance. */
  secretary: DemoMember;
  invitees: readonly DemoMember[];
}

export interface HeldMeeting {
  id: string;
  row: MeetingRow;
  present: DemoMember[];
  endsAt: Date;
}

const themes: Partial<Record<MeetingType, string[]>> = {
  branchGeneralMeeting: ['学习贯彻党的二十届四中全会精神', '发展党员和预备党员转正', '支部年度工作计划'],
  branchCommitteeMeeting: ['研究本月支部工作', '讨论发展对象人选', '部署主题党日活动'],
  partyGroupMeeting: ['交流学习体会', '讨论岗位建功举措'],
  partyLecture: ['弘扬伟大建党精神', '以高质量党建引领高质量发展', '加强党的纪律建设'],
  themedPartyDay: ['重温入党誓词', '参观红色教育基地', '社区志愿服务', '学习身边榜样'],
  orgLifeMeeting: ['年度组织生活会：对照检查，开展批评与自我批评'],
  memberAppraisal: ['年度民主评议党员'],
};
const leaveReasons = ['出差', '值班', '病假', '外出培训', '家中有事'];
const locations = ['党员活动室', '三楼会议室', '党建活动中心'];

const at = (ms: number) => new Date(ms);
const hours = (n: number) => n * 3600_000;
const days = (n: number) => n * 86_400_000;

/** A receipt as a phone makes one: 16 random bytes, base64url. */
const newReceipt = () => randomBytes(16).toString('base64url');

export async function holdPastMeeting(
  db: Kysely<DB>,
  random: Random,
  writer: BallotWriter,
  plan: PastMeeting,
): Promise<HeldMeeting> {
  const q = plan.quality;
  const secretary = plan.secretary.principal!;
  const endsAt = at(plan.startsAt.getTime() + hours(random.pick([1.5, 2, 2.5])));
  const theme = random.pick(themes[plan.type] ?? ['学习贯彻党的创新理论']);
  const withPreparation = plan.type === 'orgLifeMeeting';
  const id = await scheduleMeeting(
    db,
    await meetingOrganization(db, plan.organization),
    {
      type: plan.type,
      title: plan.title,
      theme,
      startsAt: plan.startsAt.toISOString(),
      endsAt: endsAt.toISOString(),
      location: random.pick(locations),
      hostMemberId: plan.host.id,
      recorderMemberId: plan.recorder.id,
      agenda: [{ title: theme }, { title: '讨论支部近期工作' }],
      inviteeMemberIds: plan.invitees.map((m) => m.id),
      ...(withPreparation
        ? {
            preparation: {
              studyHeld: true,
              talksHeld: random.chance(0.35 + 0.6 * q),
              opinionSolicitationHeld: random.chance(0.45 + 0.55 * q),
            },
          }
        : {}),
    },
    secretary,
  );

  // Who came: better branches fill the room, and those who cannot come ask for leave.
  const present: DemoMember[] = [];
  const marks = new Map<string, { status: AttendanceStatus; note: string | null }>();
  const rate = clamp(0.62 + 0.36 * q + random.noise(0.1), 0.35, 1);
  const signers = new Set([plan.host.id, plan.recorder.id, plan.secretary.id]);
  const leave: Array<{ member: DemoMember; reason: string }> = [];
  for (const m of random.shuffle(plan.invitees)) {
    if (m.exempt) marks.set(m.id, { status: 'exempt', note: '长期患病，经支委会批准免于参加' });
    else if (signers.has(m.id) || random.chance(rate)) present.push(m);
    else if (random.chance(0.35 + 0.6 * q)) leave.push({ member: m, reason: random.pick(leaveReasons) });
    else marks.set(m.id, { status: 'absent', note: random.chance(0.4 + 0.6 * q) ? '未请假' : null });
  }
  // Leave is asked for before the meeting (the request route refuses it later, so the row goes in
  // as a member's request would) and decided by the secretary through the service.
  for (const { member, reason } of leave) {
    const request = await db
      .insertInto('leave_requests')
      .values({
        meeting_id: id,
        member_id: member.id,
        reason,
        created_at: at(plan.startsAt.getTime() - days(random.int(1, 4))),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await decideLeave(db, secretary, request.id, { decision: 'approved', note: '同意' });
    marks.set(member.id, { status: 'excused', note: null });
  }

  const surveyed = plan.type !== 'branchCommitteeMeeting' && plan.type !== 'partyGroupMeeting';
  const appraisal = plan.type === 'memberAppraisal';
  const criticism = plan.type === 'orgLifeMeeting' || appraisal;
  if (surveyed || appraisal) {
    await runLiveSession(db, random, writer, {
      id,
      quality: q,
      present,
      secretary,
      appraisal,
      surveyed,
      criticism,
    });
  } else {
    for (const m of present) marks.set(m.id, { status: 'present', note: null });
  }
  // Those who checked in are marked already; the recorder marks everyone else.
  if (marks.size > 0)
    await markAttendance(
      db,
      await loadRow(db, id),
      { entries: [...marks].map(([memberId, mark]) => ({ memberId, status: mark.status, note: mark.note })) },
      secretary,
    );
  await moveMeeting(db, secretary, id, 'held');
  const held = await loadRow(db, id);

  const recorder = plan.recorder.principal!;
  await saveMinutes(
    db,
    held,
    {
      recordingMethod: 'summary',
      custodianMemberId: plan.recorder.id,
      content: minutesContent(random, plan.type, theme, present),
    },
    recorder,
  );
  if (appraisal) await recordAppraisal(db, random, held, plan, secretary);
  await signMinutes(db, plan.host.principal!, id, 'host');
  await signMinutes(db, recorder, id, 'recorder');
  // Minutes signed within days in a good branch, weeks in a weak one.
  const lockedAt = at(
    endsAt.getTime() + days(Math.round(1 + (1 - q) * random.int(0, 16) + random.int(0, 3))),
  );
  await backdate(db, id, plan.startsAt, endsAt, lockedAt);
  return { id, row: held, present, endsAt };
}

const loadRow = (db: Kysely<DB>, id: string) =>
  db.selectFrom('meetings').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

function minutesContent(
  random: Random,
  type: MeetingType,
  theme: string,
  present: readonly DemoMember[],
): MinutesContentInput {
  const speakers = random.shuffle(present).slice(0, clamp(present.length, 1, 4));
  return {
    agendaItems: [theme, '讨论支部近期工作'],
    reports: [`${present[0]?.name ?? ''}同志作主题报告：${theme}`],
    speeches: speakers.map((m) => ({
      speakerMemberId: m.id,
      summary: random.pick([
        '结合本职工作谈了学习体会，表示要把学习成果转化为工作实效。',
        '对照党章党规查找了自身不足，提出了下一步改进措施。',
        '建议支部进一步丰富活动形式，加强与群众的联系。',
        '围绕业务攻坚谈了党员如何发挥先锋模范作用。',
      ]),
    })),
    votes:
      type === 'branchGeneralMeeting'
        ? // Only full members present vote (probationary members have no vote).
          [
            {
              item: '通过支部工作安排',
              yes: present.filter((m) => m.status === 'fullMember').length,
              no: 0,
              abstain: 0,
            },
          ]
        : [],
    resolutions: ['会议议定事项按分工抓好落实，下次会议通报进展。'],
    closingSummary: '书记作总结讲话，要求全体党员把学习成果落实到具体工作中。',
  };
}

/**
 * The live part of the meeting, as on members' phones: each present member checks in to the open
 * session, most of them answer the anonymous survey (and, at a 民主评议, everyone present casts
 * the appraisal ballot), and the host closes the rounds, which seals them.
 */
async function runLiveSession(
  db: Kysely<DB>,
  random: Random,
  writer: BallotWriter,
  meeting: {
    id: string;
    quality: number;
    present: readonly DemoMember[];
    secretary: Principal;
    appraisal: boolean;
    surveyed: boolean;
    criticism: boolean;
  },
) {
  const q = meeting.quality;
  await openSession(db, meeting.id, meeting.secretary.accountId);
  // Phones join together, as they do when the host shows the join code.
  await checkIn(
    db,
    meeting.id,
    meeting.present.map((m) => m.id),
  );
  const info = (await loadMeetingInfo(db, meeting.id))!;
  const cast = async (
    roundId: string,
    answers: (m: DemoMember) => Parameters<BallotWriter['submit']>[0]['answers'] | null,
  ) => {
    const outcomes = await Promise.all(
      meeting.present.flatMap((m) => {
        const ballot = answers(m);
        return ballot
          ? [
              writer.submit({
                meetingId: meeting.id,
                participant: { kind: 'member', id: m.id },
                clientId: randomUUID(),
                roundId,
                receipt: newReceipt(),
                answers: ballot,
              }),
            ]
          : [];
      }),
    );
    const refused = outcomes.find((o) => !o.ok);
    if (refused && !refused.ok) throw refused.error;
  };

  if (meeting.criticism)
    await runCriticism(db, random, info, meeting.present, meeting.quality, meeting.secretary);
  if (meeting.surveyed) {
    const survey = await createRound(
      db,
      info,
      { title: '会议满意度测评', config: { kind: 'survey' } },
      meeting.secretary.accountId,
    );
    await openRound(db, info, survey.id);
    const answerRate = clamp(0.7 + 0.28 * q + random.noise(0.06), 0, 1);
    const base = 3.1 + 1.6 * q;
    await cast(survey.id, () => {
      if (!random.chance(answerRate)) return null;
      const likert = Object.fromEntries(
        defaultSurveyInstrument.likert.map((item) => [
          item.key,
          clamp(Math.round(base + random.noise(1.1)), 1, 5),
        ]),
      );
      const mood = random.next();
      const overall: OverallSatisfaction =
        mood < 0.3 + 0.6 * q ? 'satisfied' : mood < 0.92 + 0.06 * q ? 'basicallySatisfied' : 'dissatisfied';
      return { kind: 'survey', likert, overall };
    });
    await closeRound(db, meeting.id, survey.id);
  }
  if (meeting.appraisal) {
    const ballot = await createRound(
      db,
      info,
      { title: '民主评议党员测评', config: { kind: 'appraisal' } },
      meeting.secretary.accountId,
    );
    await openRound(db, info, ballot.id);
    const graded = (
      await db.selectFrom('rounds').select('config').where('id', '=', ballot.id).executeTakeFirstOrThrow()
    ).config.graded!;
    await cast(ballot.id, () => ({
      kind: 'appraisal',
      grades: Object.fromEntries(graded.map((memberId) => [memberId, ballotGrade(random)])),
    }));
    await closeRound(db, meeting.id, ballot.id);
  }
  await closeSession(db, meeting.id);
}

const selfExaminations = [
  '理论学习上满足于完成规定动作，学得不深不透，运用理论指导实践的能力不够。',
  '工作中有时存在畏难情绪，面对复杂问题习惯于按老办法处理，创新意识不强。',
  '联系群众不够紧密，深入一线了解情况少，对同事的困难关心不够。',
  '自我要求有所放松，对身边的不良现象有时碍于情面没有及时指出。',
  '发挥党员先锋模范作用不够明显，在急难险重任务面前主动担当不够。',
];
const criticismOpenings = ['建议', '希望', '提个醒：', '作为同事坦诚地说，'];
const criticismBodies = [
  '在项目推进中多听取一线同事意见，避免决策前调研不足',
  '把理论学习和业务工作结合得更紧一些，学习笔记不要流于形式',
  '在部门协作中主动补位，减少推诿',
  '对新入职同事的传帮带再多花些时间',
  '参加支部活动更准时一些，带头遵守组织纪律',
  '汇报工作时多讲问题和不足，少讲成绩',
];
const responses = [
  '虚心接受大家的批评意见，逐条制定整改措施，请同志们监督。',
  '感谢同志们的帮助，会后认真对照整改。',
];

/**
 * 批评与自我批评 as the live round runs it: each present member in turn gives a written
 * self-examination, the others write criticism (anonymously), the host approves and reveals it, the
 * subject responds; the recorder turns some of it into problems (查摆问题) with rectification.
 */
async function runCriticism(
  db: Kysely<DB>,
  random: Random,
  info: MeetingInfo,
  present: readonly DemoMember[],
  q: number,
  secretary: Principal,
) {
  const subjects = [...present].sort((a, b) => Number(b.committee) - Number(a.committee));
  const round = await createRound(
    db,
    info,
    {
      title: '批评与自我批评',
      config: { kind: 'criticism', subjectMemberIds: subjects.map((m) => m.id), named: false },
    },
    secretary.accountId,
  );
  await openRound(db, info, round.id);
  const rows = await db
    .selectFrom('criticism_subjects')
    .select(['id', 'member_id'])
    .where('round_id', '=', round.id)
    .execute();
  const subjectIds = new Map(rows.map((r) => [r.member_id, r.id]));
  const member = (m: DemoMember) => ({ kind: 'member' as const, id: m.id });
  for (const subject of subjects) {
    const subjectId = subjectIds.get(subject.id)!;
    const ids = { roundId: round.id, subjectId };
    await submitSelfExamination(db, info.id, member(subject), {
      ...ids,
      clientId: randomUUID(),
      text: random.pick(selfExaminations),
    });
    await setPhase(db, info.id, round.id, subjectId, 'criticism');
    const critics = random.shuffle(present.filter((m) => m !== subject)).slice(0, random.int(1, 3));
    for (const critic of critics)
      await submitCriticism(db, info.id, member(critic), {
        ...ids,
        clientId: randomUUID(),
        text: `${random.pick(criticismOpenings)}${subject.name}同志${random.pick(criticismBodies)}。`,
        concrete: random.chance(0.3 + 0.6 * q),
        authorKey: randomBytes(24).toString('base64url'),
      });
    await setPhase(db, info.id, round.id, subjectId, 'reveal');
    const items = await db
      .selectFrom('criticism_items')
      .select('id')
      .where('subject_id', '=', subjectId)
      .where('released', '=', true)
      .execute();
    for (const item of items) await moderate(db, info.id, round.id, item.id, 'approve');
    if (items.length > 0) await revealItems(db, info.id, round.id, subjectId, 'all');
    await setPhase(db, info.id, round.id, subjectId, 'response');
    await submitResponse(db, info.id, member(subject), {
      ...ids,
      clientId: randomUUID(),
      text: random.pick(responses),
    });
    await setPhase(db, info.id, round.id, subjectId, 'done');
    // The recorder turns what was said into the member's problems; a better branch does it for more.
    if (random.chance(0.3 + 0.6 * q))
      await convertSelfExamination(db, info, round.id, subjectId, {}, secretary.accountId);
    if (items[0] && random.chance(0.2 + 0.6 * q))
      await convertItem(db, info, round.id, items[0].id, {}, secretary.accountId);
  }
  await closeRound(db, info.id, round.id);
}

function ballotGrade(random: Random): AppraisalGrade {
  const x = random.next();
  return x < 0.35 ? 'excellent' : x < 0.93 ? 'qualified' : x < 0.99 ? 'basicallyQualified' : 'unqualified';
}

/**
 * The committee's determinations (组织评定) after the ballot — a third of the graded members at
 * most excellent, one 基本合格 — and feedback to each of them within the following weeks.
 */
async function recordAppraisal(
  db: Kysely<DB>,
  random: Random,
  meeting: MeetingRow,
  plan: PastMeeting,
  secretary: Principal,
) {
  const graded = plan.invitees.filter((m) => m.status === 'fullMember' && !m.exempt);
  const excellent = Math.floor(graded.length / 3);
  const order = random.shuffle(graded);
  await saveDeterminations(db, meeting, secretary, {
    determinations: order.map((m, i) => ({
      memberId: m.id,
      grade: i < excellent ? 'excellent' : i === order.length - 1 ? 'basicallyQualified' : 'qualified',
    })),
  });
  const day = (offset: number) =>
    new Date(meeting.starts_at.getTime() + days(offset)).toISOString().slice(0, 10);
  for (const m of graded) {
    if (!random.chance(0.6 + 0.4 * plan.quality)) continue;
    await recordFeedback(db, meeting, m.id, { givenOn: day(random.int(1, 14)), method: 'talk' }, secretary);
  }
}

/** Moves the times the services recorded as "now" to when the meeting and its sign-off happened. */
async function backdate(db: Kysely<DB>, meetingId: string, startsAt: Date, endsAt: Date, lockedAt: Date) {
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('meetings').set({ updated_at: endsAt }).where('id', '=', meetingId).execute();
    await trx
      .updateTable('leave_requests')
      .set({ decided_at: at(startsAt.getTime() - hours(20)) })
      .where('meeting_id', '=', meetingId)
      .execute();
    await trx
      .updateTable('attendance')
      .set({
        checked_in_at: sql<Date>`case when checked_in_at is not null then ${startsAt}::timestamptz end`,
        updated_at: endsAt,
      })
      .where('meeting_id', '=', meetingId)
      .execute();
    await trx
      .updateTable('live_sessions')
      .set({ opened_at: startsAt, closed_at: endsAt })
      .where('meeting_id', '=', meetingId)
      .execute();
    await trx
      .updateTable('minutes')
      .set({
        updated_at: at(endsAt.getTime() + hours(3)),
        host_signed_at: lockedAt,
        recorder_signed_at: lockedAt,
        locked_at: lockedAt,
      })
      .where('meeting_id', '=', meetingId)
      .execute();
  });
}
