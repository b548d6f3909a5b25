import { randomUUID } from 'node:crypto';
import type { Insertable, Kysely } from 'kysely';
import type { DB } from '../../server/db/schema.ts';
import { clamp, type Random, seededRandom } from '../../server/demo/random.ts';
import {
  chineseName,
  dueThisMonth,
  issueSourcesFound,
  measureTexts,
  meetingTitles,
  problemTexts,
} from '../../server/demo/vocabulary.ts';
import { builtInRubric } from '../../server/quality/rubrics.ts';
import type {
  AttendanceStatus,
  CommitteeRole,
  MeetingType,
  MemberStatus,
  RectificationStatus,
} from '../../shared/domain/enums.ts';
import { computeQuorum } from '../../shared/domain/quorum.ts';
import { shanghaiDate } from '../../shared/domain/rectification.ts';
import { excellentCap } from '../../shared/quality/appraisal-rules.ts';
import { computeMeetingQuality, type MeetingQualityInputs } from '../../shared/quality/mqi.ts';
import { insertAccount } from './fixtures.ts';
import { likertDimensionKeys, scoreRow } from './quality-fixtures.ts';

/**
 * A realistic history of organization life for dashboards to show: branches of given size and
 * quality holding their 三会一课 month by month (the weaker ones skipping more, fewer present,
 * minutes filed late, rectification left overdue), with rosters, invitees, attendance, minutes,
 * problems and rectification items, and each meeting's score computed by computeMeetingQuality
 * from inputs derived from those rows. Deterministic for a seed. Used by the browser tests and by
 * bench/dashboard.ts (hundreds of branches over years), so rows go in with multi-row inserts.
 */

export interface BranchProfile {
  name: string;
  members: number;
  /** 0–1: how well the branch runs its organization life. */
  quality: number;
  partyGroups?: number;
  /** Creates an account for the branch's secretary with the test password. */
  secretaryLogin?: string;
}

export interface HistoryOptions {
  parent: { id: string; ancestry: string[] };
  branches: readonly BranchProfile[];
  /** Months of history, ending with the current month. */
  months: number;
  seed?: number;
  /** Called after each branch, for progress on long runs. */
  onBranch?: (done: number, total: number) => void;
}

export interface GeneratedHistory {
  branches: Array<{ id: string; name: string; ancestry: string[] }>;
  meetings: number;
  attendance: number;
  items: number;
}

const sources = issueSourcesFound;

interface GeneratedMember {
  id: string;
  status: MemberStatus;
  committeeRole: CommitteeRole | null;
  partyGroupId: string | null;
}

const pad = (n: number) => String(n).padStart(2, '0');
const addDays = (day: string, days: number) => {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};
const at = (day: string, time = '14:30') => new Date(`${day}T${time}:00+08:00`);

/** Rows waiting to be written, flushed table by table in parent-before-child order. */
class Batches {
  private readonly rows = new Map<keyof DB, unknown[]>();
  private pending = 0;
  constructor(private readonly db: Kysely<DB>) {}

  add<T extends keyof DB>(table: T, row: Insertable<DB[T]>) {
    const list = this.rows.get(table) ?? [];
    list.push(row);
    this.rows.set(table, list);
    this.pending++;
  }

  async flushIfLarge() {
    if (this.pending > 40_000) await this.flush();
  }

  async flush() {
    for (const table of order) {
      const list = this.rows.get(table);
      if (!list?.length) continue;
      // PostgreSQL takes at most 65,535 parameters per statement.
      const columns = Object.keys(list[0] as object).length;
      const chunk = Math.max(1, Math.floor(60_000 / columns));
      for (let i = 0; i < list.length; i += chunk) {
        await this.db
          .insertInto(table)
          .values(list.slice(i, i + chunk) as never)
          .execute();
      }
    }
    this.rows.clear();
    this.pending = 0;
  }
}

const order: Array<keyof DB> = [
  'organizations',
  'members',
  'meetings',
  'meeting_invitees',
  'attendance',
  'minutes',
  'problems',
  'rectification_items',
  'meeting_quality_scores',
];

export async function generateHistory(db: Kysely<DB>, options: HistoryOptions): Promise<GeneratedHistory> {
  const random = seededRandom(options.seed ?? 20261126);
  const rubric = await builtInRubric(db);
  const today = shanghaiDate(new Date());
  const [ty, tm] = today.split('-').map(Number) as [number, number];
  const batches = new Batches(db);
  const result: GeneratedHistory = { branches: [], meetings: 0, attendance: 0, items: 0 };

  for (const [index, profile] of options.branches.entries()) {
    const branchId = randomUUID();
    const ancestry = [...options.parent.ancestry, branchId];
    batches.add('organizations', {
      id: branchId,
      parent_id: options.parent.id,
      kind: 'partyBranch',
      name: profile.name,
      ancestry,
    });
    const groups = Array.from({ length: profile.partyGroups ?? 0 }, (_, i) => {
      const id = randomUUID();
      batches.add('organizations', {
        id,
        parent_id: branchId,
        kind: 'partyGroup',
        name: `第${'一二三四五'[i] ?? i + 1}党小组`,
        ancestry: [...ancestry, id],
      });
      return id;
    });
    const secretaryAccount = profile.secretaryLogin
      ? await insertAccount(db, profile.secretaryLogin, `${profile.name}书记`)
      : null;
    const roles: CommitteeRole[] =
      profile.members >= 7
        ? ['secretary', 'deputySecretary', 'organization', 'publicity', 'discipline']
        : ['secretary', 'organization'];
    const members: GeneratedMember[] = Array.from({ length: profile.members }, (_, i) => {
      const member: GeneratedMember = {
        id: randomUUID(),
        status: i >= roles.length && random.chance(0.1) ? 'probationaryMember' : 'fullMember',
        committeeRole: roles[i] ?? null,
        partyGroupId: groups.length > 0 ? groups[i % groups.length]! : null,
      };
      batches.add('members', {
        id: member.id,
        organization_id: branchId,
        party_group_id: member.partyGroupId,
        account_id: i === 0 ? secretaryAccount : null,
        full_name: chineseName(random),
        status: member.status,
        committee_role: member.committeeRole,
        created_at: new Date(Date.UTC(ty, tm - 1 - options.months, 1)),
      });
      return member;
    });
    const committee = members.filter((m) => m.committeeRole !== null);
    const q = profile.quality;
    let previousOrgLifeItems: string[] = [];

    for (let back = options.months - 1; back >= 0; back--) {
      const year = ty + Math.floor((tm - 1 - back) / 12);
      const month = ((((tm - 1 - back) % 12) + 12) % 12) + 1;
      const meetingsDue: Array<{ type: MeetingType; group: string | null }> = dueThisMonth(month).map(
        (type) => ({
          type,
          group: null,
        }),
      );
      for (const group of groups) meetingsDue.push({ type: 'partyGroupMeeting', group });
      for (const due of meetingsDue) {
        const yearly = due.type === 'orgLifeMeeting' || due.type === 'memberAppraisal';
        if (!random.chance(clamp((yearly ? 0.8 : 0.55) + 0.45 * q, 0, 1))) continue;
        const day = `${year}-${pad(month)}-${pad(yearly ? random.int(10, 20) : random.int(5, 26))}`;
        if (day >= today) continue;
        const invitees =
          due.type === 'branchCommitteeMeeting'
            ? committee
            : due.group
              ? members.filter((m) => m.partyGroupId === due.group)
              : members;
        if (invitees.length === 0) continue;
        const counts = holdMeeting(batches, random, {
          branchId,
          organizationId: due.group ?? branchId,
          type: due.type,
          day,
          today,
          quality: q,
          invitees,
          host: members[0]!.id,
          recorder: (committee[1] ?? members[1] ?? members[0]!).id,
          previousOrgLifeItems,
          rubricId: rubric.id,
          computeWith: rubric.rubric,
        });
        result.meetings++;
        result.attendance += invitees.length;
        result.items += counts.items.length;
        if (due.type === 'orgLifeMeeting') previousOrgLifeItems = counts.items;
      }
    }
    result.branches.push({ id: branchId, name: profile.name, ancestry });
    await batches.flushIfLarge();
    options.onBranch?.(index + 1, options.branches.length);
  }
  await batches.flush();
  return result;
}

interface MeetingPlan {
  branchId: string;
  organizationId: string;
  type: MeetingType;
  day: string;
  today: string;
  quality: number;
  invitees: readonly GeneratedMember[];
  host: string;
  recorder: string;
  previousOrgLifeItems: readonly string[];
  rubricId: string;
  computeWith: Parameters<typeof computeMeetingQuality>[1];
}

/** One held meeting with its rows, and its score computed from what those rows say. */
function holdMeeting(batches: Batches, random: Random, plan: MeetingPlan): { items: string[] } {
  const q = plan.quality;
  const meetingId = randomUUID();
  const startsAt = at(plan.day);
  const endsAt = new Date(startsAt.getTime() + 2 * 3600_000);
  const [year, month] = plan.day.split('-');
  const preparation = {
    studyHeld: true,
    talksHeld: random.chance(0.35 + 0.6 * q),
    opinionSolicitationHeld: random.chance(0.45 + 0.55 * q),
  };
  batches.add('meetings', {
    id: meetingId,
    organization_id: plan.organizationId,
    type: plan.type,
    title: `${year}年${Number(month)}月${meetingTitles[plan.type]}`,
    theme: '学习贯彻党的创新理论',
    starts_at: startsAt,
    ends_at: endsAt,
    location: '党员活动室',
    host_member_id: plan.host,
    recorder_member_id: plan.recorder,
    includes_appraisal: plan.type === 'memberAppraisal',
    agenda: '[]',
    preparation: JSON.stringify(plan.type === 'orgLifeMeeting' ? preparation : {}),
    status: 'held',
  });

  // Attendance: better branches fill the room and ask for leave when they cannot come.
  const rate = clamp(0.6 + 0.38 * q + random.noise(0.12), 0.3, 1);
  const present = clamp(Math.round(rate * plan.invitees.length), 1, plan.invitees.length);
  const marks = new Map<string, AttendanceStatus>();
  for (const [i, m] of random.shuffle(plan.invitees).entries()) {
    marks.set(m.id, i < present ? 'present' : random.chance(0.3 + 0.6 * q) ? 'excused' : 'absent');
  }
  for (const m of plan.invitees) {
    batches.add('meeting_invitees', { meeting_id: meetingId, member_id: m.id });
    batches.add('attendance', {
      meeting_id: meetingId,
      member_id: m.id,
      status: marks.get(m.id)!,
      checked_in_at: marks.get(m.id) === 'present' ? startsAt : null,
      note: marks.get(m.id) === 'excused' ? random.pick(['出差', '值班', '病假', '外出培训']) : null,
    });
  }
  const excused = [...marks.values()].filter((s) => s === 'excused').length;
  const quorum = computeQuorum(
    plan.type,
    plan.invitees.map((m) => ({
      status: m.status,
      onCommittee: m.committeeRole !== null,
      attendance: marks.get(m.id)!,
    })),
  );

  // Minutes: signed and locked within days in a good branch, weeks (or not yet) in a weak one.
  const daysToLock = random.chance(0.1 * (1 - q))
    ? null
    : Math.round(1 + (1 - q) * random.int(0, 18) + random.int(0, 3));
  const lockedAt = daysToLock === null ? null : new Date(endsAt.getTime() + daysToLock * 86_400_000);
  batches.add('minutes', {
    meeting_id: meetingId,
    content: JSON.stringify({ agendaItems: ['传达学习上级精神', '讨论支部工作'], resolutions: [] }),
    host_signed_at: lockedAt,
    recorder_signed_at: lockedAt,
    locked_at: lockedAt,
  });

  // The anonymous survey (none at a 支委会): answers and means only, as a closed round yields them.
  const surveyed = plan.type !== 'branchCommitteeMeeting';
  const answers = surveyed
    ? clamp(Math.round(present * (0.65 + 0.3 * q + random.noise(0.08))), 0, present)
    : 0;
  const base = 3 + 1.6 * q;
  const positive = clamp(0.35 + 0.62 * q + random.noise(0.1), 0, 1);
  const satisfied = Math.round(answers * positive * (0.45 + 0.4 * q));
  const basicallySatisfied = Math.round(answers * positive) - satisfied;
  const withDiscussion = plan.type === 'orgLifeMeeting' || plan.type === 'memberAppraisal';
  const fullMembers = plan.invitees.filter((m) => m.status === 'fullMember').length;

  // Rectification items of a 组织生活会, each with its problem, in the state they are in today.
  const items: string[] = [];
  const tally = { wellFormed: 0, verifiedOnTime: 0, verifiedLate: 0, overdue: 0 };
  if (plan.type === 'orgLifeMeeting') {
    const count = random.int(3, 7);
    for (let i = 0; i < count; i++) {
      const itemId = randomUUID();
      const problemId = randomUUID();
      const text = random.int(0, problemTexts.length - 1);
      const owner = random.chance(0.75 + 0.25 * q) ? random.pick(plan.invitees).id : null;
      const dueOn = random.chance(0.9 + 0.1 * q) ? addDays(plan.day, random.int(30, 180)) : null;
      let status: RectificationStatus = 'inProgress';
      let completedOn: string | null = null;
      let verifiedOn: string | null = null;
      if (dueOn !== null && dueOn < plan.today) {
        const outcome = random.next();
        if (outcome < 0.35 + 0.6 * q) {
          completedOn = addDays(dueOn, -random.int(0, 20));
          verifiedOn = addDays(completedOn, random.int(0, q > 0.6 ? 5 : 15));
        } else if (outcome < 0.6 + 0.35 * q) {
          completedOn = addDays(dueOn, random.int(1, 40));
          verifiedOn = addDays(completedOn, random.int(1, 10));
        }
      } else if (random.chance(0.3 * q)) {
        completedOn = addDays(plan.day, random.int(10, 40));
      }
      if (completedOn !== null && completedOn >= plan.today) completedOn = null;
      if (verifiedOn !== null && verifiedOn >= plan.today) verifiedOn = null;
      if (completedOn !== null) status = verifiedOn !== null ? 'verified' : 'completed';
      batches.add('problems', {
        id: problemId,
        organization_id: plan.branchId,
        meeting_id: meetingId,
        scope: 'branch',
        description: problemTexts[text]!,
        source: random.pick(sources),
        created_at: endsAt,
      });
      batches.add('rectification_items', {
        id: itemId,
        organization_id: plan.branchId,
        problem_id: problemId,
        meeting_id: meetingId,
        scope: 'branch',
        measures: measureTexts[text]!,
        owner_member_id: owner,
        owner_unit: owner ? null : '支部委员会',
        due_on: dueOn,
        status,
        completed_at: completedOn ? at(completedOn, '17:00') : null,
        verified_at: verifiedOn ? at(verifiedOn, '17:30') : null,
        created_at: endsAt,
        updated_at: endsAt,
      });
      items.push(itemId);
      if (owner && dueOn) tally.wellFormed++;
      if (dueOn !== null && verifiedOn !== null) {
        if (verifiedOn <= dueOn) tally.verifiedOnTime++;
        else tally.verifiedLate++;
      } else if (dueOn !== null && dueOn < plan.today) tally.overdue++;
    }
  }

  const inputs: MeetingQualityInputs = {
    meetingType: plan.type,
    attendance: { expected: plan.invitees.length, exempt: 0, present, excused },
    quorumMet: quorum.met,
    preparation: {
      study: preparation.studyHeld,
      talks: preparation.talksHeld,
      opinionSolicitation: preparation.opinionSolicitationHeld,
    },
    minutes: {
      requiredFields: 18,
      filledFields: clamp(Math.round(18 - (1 - q) * random.int(0, 8)), 1, 18),
      hostSigned: lockedAt !== null,
      recorderSigned: lockedAt !== null,
      daysToLock,
    },
    satisfaction: {
      present,
      answers,
      likertMeans:
        answers > 0
          ? Object.fromEntries(
              likertDimensionKeys.map((key) => [
                key,
                Math.round(100 * clamp(base + random.noise(0.35), 1, 5)) / 100,
              ]),
            )
          : {},
      overall:
        answers > 0
          ? { satisfied, basicallySatisfied, dissatisfied: answers - satisfied - basicallySatisfied }
          : null,
    },
    criticism: withDiscussion
      ? (() => {
          const itemCount = present * 2 + random.int(0, present);
          return {
            covered: Math.round(present * clamp(0.45 + 0.55 * q + random.noise(0.05), 0, 1)),
            items: itemCount,
            concreteAndLinked: Math.round(itemCount * clamp(0.3 + 0.6 * q, 0, 1)),
            original: Math.round(itemCount * clamp(0.6 + 0.38 * q, 0, 1)),
            sources: sources.slice(0, clamp(1 + Math.round(3.5 * q), 1, sources.length)),
          };
        })()
      : null,
    appraisal:
      plan.type === 'memberAppraisal'
        ? {
            selfAssessmentDone: true,
            peerAssessmentDone: random.chance(0.5 + 0.5 * q),
            eligibleVotersPresent: present,
            ballotsCast: Math.round(present * clamp(0.85 + 0.15 * q, 0, 1)),
            fullMembers,
            determinationsEntered: q > 0.3 ? fullMembers : Math.max(0, fullMembers - 1),
            feedbackGiven: Math.round(
              (q > 0.3 ? fullMembers : Math.max(0, fullMembers - 1)) * clamp(0.6 + 0.4 * q, 0, 1),
            ),
            excellent:
              q > 0.3 ? excellentCap(fullMembers) : Math.min(fullMembers - 1, excellentCap(fullMembers) + 1),
            excellentOverrideReasonRecorded: false,
            probationaryGraded: 0,
          }
        : null,
    rectification: {
      items: items.length,
      ...tally,
      previousItemsReviewed:
        plan.type === 'orgLifeMeeting' && plan.previousOrgLifeItems.length > 0
          ? random.chance(0.4 + 0.6 * q)
          : null,
    },
  };
  const quality = computeMeetingQuality(inputs, plan.computeWith);
  batches.add(
    'meeting_quality_scores',
    scoreRow(meetingId, plan.rubricId, inputs, quality, 'generated history'),
  );
  return { items };
}
