import type { FastifyBaseLogger } from 'fastify';
import { type Kysely, sql } from 'kysely';
import pino from 'pino';
import { shanghaiDate } from '../../shared/domain/calendar.ts';
import type { CommitteeRole, MeetingType } from '../../shared/domain/enums.ts';
import type { OrganizationScope, Principal } from '../access/principal.ts';
import { loadGrants } from '../access/principal.ts';
import { appendAudit } from '../audit/audit-log.ts';
import { createAccount } from '../auth/accounts.ts';
import type { DB } from '../db/schema.ts';
import { BallotWriter } from '../live/ballots.ts';
import { createRound } from '../live/rounds.ts';
import { loadMeetingInfo } from '../live/views.ts';
import { decideLeave, requestLeave } from '../meetings/leave.ts';
import { meetingOrganization, scheduleMeeting } from '../meetings/service.ts';
import type { RosterActor } from '../members/audit.ts';
import { addExemption } from '../members/exemptions.ts';
import { createMember } from '../members/roster.ts';
import { createOrganization } from '../orgs/service.ts';
import { QualityWorker } from '../quality/worker.ts';
import { authorizeItem } from '../rectification/access.ts';
import { applyAction, createProblemWithItem } from '../rectification/service.ts';
import { type DemoMember, type HeldMeeting, holdPastMeeting } from './meeting.ts';
import { type Random, seededRandom } from './random.ts';
import { demoCommitteeName, demoLoginPrefix, findDemoCommittee, removeDemo } from './remove.ts';
import {
  chineseName,
  dueThisMonth,
  issueSourcesFound,
  measureTexts,
  meetingTitles,
  problemTexts,
} from './vocabulary.ts';

/**
 * `npm run demo`: a 基层党委 with a 党总支, three 党支部 and their 党小组, realistic rosters, a
 * year of organization life held through the services (meetings.ts), rectification in every state,
 * an appraisal with determinations, quality scores computed by the quality worker, and one
 * upcoming 组织生活会 ready to run live. Accounts: a committee viewer, the committee members of
 * each branch and two ordinary members each, all with one demo password.
 */

/** One password for every demo account, printed on the console: this is sample data, not a site. */
export const demoPassword = 'mingjing-demo';

export interface DemoLogin {
  login: string;
  name: string;
  role: 'committeeViewer' | 'secretary' | 'committeeMember' | 'member';
  organization: string;
}

export interface DemoSeedOutcome {
  status: 'seeded' | 'alreadySeeded';
  committeeId: string;
  logins: DemoLogin[];
  /** Present when seeded now. */
  counts?: { organizations: number; members: number; meetings: number; scored: number; items: number };
  upcomingMeetingId?: string;
}

interface BranchPlan {
  key: string;
  name: string;
  underGeneralBranch: boolean;
  members: number;
  groups: number;
  quality: number;
}

const generalBranchName = '研发中心党总支';
const branchPlans: BranchPlan[] = [
  { key: 'b1', name: '机关第一党支部', underGeneralBranch: false, members: 24, groups: 2, quality: 0.9 },
  { key: 'b2', name: '研发中心第一党支部', underGeneralBranch: true, members: 20, groups: 2, quality: 0.65 },
  { key: 'b3', name: '研发中心第二党支部', underGeneralBranch: true, members: 16, groups: 1, quality: 0.4 },
];
const committeeRoles: Array<{ role: CommitteeRole; login: string }> = [
  { role: 'secretary', login: 'secretary' },
  { role: 'deputySecretary', login: 'deputy' },
  { role: 'organization', login: 'organization' },
  { role: 'publicity', login: 'publicity' },
  { role: 'discipline', login: 'discipline' },
];
/** Ordinary members of each branch who get an account (the first two after the committee). */
const memberAccounts = 2;
const months = 12;

export interface SeedOptions {
  reset?: boolean;
  /** Progress lines for the console. */
  progress?: (line: string) => void;
}

export async function seedDemo(db: Kysely<DB>, options: SeedOptions = {}): Promise<DemoSeedOutcome> {
  const progress = options.progress ?? (() => {});
  const existing = await findDemoCommittee(db);
  if (existing && !options.reset)
    return { status: 'alreadySeeded', committeeId: existing.id, logins: await demoLogins(db, existing.id) };
  if (existing) {
    const removed = await removeDemo(db);
    progress(`removed: ${removed.organizations} organizations, ${removed.accounts} accounts`);
  }
  const taken = await db
    .selectFrom('accounts')
    .select('login')
    .where('login', 'like', `${demoLoginPrefix}%`)
    .execute();
  if (taken.length > 0) throw new DemoLoginsTaken(taken.map((t) => t.login));
  // Claimed before anything can fail: what the catch below removes is then this run's own demo.
  const committee = await insertRoot(db);
  try {
    return await seed(db, committee, progress);
  } catch (err) {
    // Half a demo is worse than none: take away what was written, then report the failure.
    await removeDemo(db).catch((cleanup) => {
      throw new AggregateError([err, cleanup], 'seeding failed, and so did removing what it wrote');
    });
    throw err;
  }
}

/** Another run created the demo committee between this run's first look and its claim. */
export class DemoSeedRunning extends Error {
  constructor() {
    super('another `npm run demo` is seeding this database');
  }
}

/** Demo logins exist without the demo committee (someone's own accounts, or a damaged seed). */
export class DemoLoginsTaken extends Error {
  constructor(readonly logins: string[]) {
    super(`accounts with demo logins already exist: ${logins.join(', ')}`);
  }
}

async function seed(
  db: Kysely<DB>,
  committee: { id: string },
  progress: (line: string) => void,
): Promise<DemoSeedOutcome> {
  const now = new Date();
  const logins: DemoLogin[] = [];

  const viewerId = await createAccount(db, {
    login: `${demoLoginPrefix}viewer`,
    displayName: '党委组织部（演示）',
    password: demoPassword,
  });
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('role_grants')
      .values({ account_id: viewerId, organization_id: committee.id, role: 'committeeViewer' })
      .execute();
    await appendAudit(trx, {
      actorAccountId: null,
      actorLabel: '演示数据',
      action: 'grant.created',
      organizationId: committee.id,
      details: { accountId: viewerId, role: 'committeeViewer' },
    });
  });
  logins.push({
    login: `${demoLoginPrefix}viewer`,
    name: '党委组织部（演示）',
    role: 'committeeViewer',
    organization: demoCommitteeName,
  });
  // Roster entries are recorded in the audit log under the account that set the demo up.
  const actor: RosterActor = { accountId: viewerId, displayName: '演示数据' };
  const generalBranch = await createOrganization(db, {
    parentId: committee.id,
    kind: 'generalBranch',
    name: generalBranchName,
  });

  const logger = pino({ level: 'warn' }) as unknown as FastifyBaseLogger;
  const writer = new BallotWriter(db, () => {}, logger);
  const counts = { organizations: 2, members: 0, meetings: 0, scored: 0, items: 0 };

  // The branches keep their records side by side, as they do in life; each has its own seeded
  // generator so the data stays the same from run to run whatever order the work interleaves in.
  const upcoming: string[] = [];
  const branches = await Promise.allSettled(
    branchPlans.map(async (plan, index) => {
      const random = seededRandom(20261126 + index);
      const branch = await scope(
        db,
        await createOrganization(db, {
          parentId: plan.underGeneralBranch ? generalBranch : committee.id,
          kind: 'partyBranch',
          name: plan.name,
        }),
      );
      const groups: OrganizationScope[] = [];
      for (let g = 0; g < plan.groups; g++)
        groups.push(
          await scope(
            db,
            await createOrganization(db, {
              parentId: branch.id,
              kind: 'partyGroup',
              name: `第${'一二三'[g]}党小组`,
            }),
          ),
        );
      counts.organizations += 1 + groups.length;
      const members = await enrol(db, random, plan, branch, groups, actor, logins);
      counts.members += members.length;

      const held = await holdYear(db, random, writer, plan, branch, groups, members, now);
      counts.meetings += held.meetings;
      counts.items += held.items;
      if (plan.key === 'b1') upcoming.push(await scheduleUpcoming(db, branch, members, now));
      progress(`${plan.name}: ${members.length} members, ${held.meetings} meetings held`);
    }),
  );
  // Every branch has stopped writing before a failure is reported (and the demo removed).
  const failed = branches.find((b) => b.status === 'rejected');
  if (failed) throw failed.reason;
  logins.sort(byListing);

  // Scores come from the quality worker, as on a running server: every meeting the services
  // marked is scored from the records just written.
  const worker = new QualityWorker(db, logger);
  await worker.drain();
  const scored = await db
    .selectFrom('meeting_quality_scores as s')
    .innerJoin('meetings as m', 'm.id', 's.meeting_id')
    .innerJoin('organizations as o', 'o.id', 'm.organization_id')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('s.superseded_at', 'is', null)
    .where(sql<boolean>`o.ancestry @> array[${committee.id}]::uuid[]`)
    .executeTakeFirstOrThrow();
  counts.scored = Number(scored.n);
  return { status: 'seeded', committeeId: committee.id, logins, counts, upcomingMeetingId: upcoming[0] };
}

/** Taken while claiming the demo's name, so two runs at once cannot both create a demo committee. */
const claimLockId = 0x6d6a_6465; // "mjde"

/**
 * The demo's top organization. A root has no parent to create it under, so it goes in as set-up
 * does. A run that started at the same moment and got here first has claimed the name: then this
 * one stops, and a third run reports the demo as seeded.
 */
async function insertRoot(db: Kysely<DB>): Promise<{ id: string }> {
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${claimLockId})`.execute(trx);
    if (await findDemoCommittee(trx)) throw new DemoSeedRunning();
    const root = await trx
      .insertInto('organizations')
      .values({ kind: 'primaryCommittee', name: demoCommitteeName, parent_id: null, ancestry: [] })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .updateTable('organizations')
      .set({ ancestry: [root.id] })
      .where('id', '=', root.id)
      .execute();
    return root;
  });
}

async function scope(db: Kysely<DB>, id: string): Promise<OrganizationScope> {
  return db
    .selectFrom('organizations')
    .select(['id', 'kind', 'name', 'ancestry'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

async function principalOf(db: Kysely<DB>, accountId: string): Promise<Principal> {
  const account = await db
    .selectFrom('accounts')
    .select(['id', 'login', 'display_name', 'locale'])
    .where('id', '=', accountId)
    .executeTakeFirstOrThrow();
  return {
    accountId,
    login: account.login,
    displayName: account.display_name,
    locale: account.locale,
    grants: await loadGrants(db, accountId),
  };
}

const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/**
 * The branch's roster through the roster service: the committee first, then members; a few
 * probationary, leading cadres in the 机关 branch, one member exempt for illness; accounts for the
 * committee and two members, linked to their roster entries.
 */
async function enrol(
  db: Kysely<DB>,
  random: Random,
  plan: BranchPlan,
  branch: OrganizationScope,
  groups: readonly OrganizationScope[],
  actor: RosterActor,
  logins: DemoLogin[],
): Promise<DemoMember[]> {
  const members: DemoMember[] = [];
  const used = new Set<string>();
  for (let i = 0; i < plan.members; i++) {
    let name = chineseName(random);
    while (used.has(name)) name = chineseName(random);
    used.add(name);
    const post = committeeRoles[i];
    const probationary = i >= plan.members - 2;
    const birthYear = random.int(1965, 2000);
    const joinedYear = probationary ? 2026 : clampYear(birthYear + random.int(20, 30));
    const group = groups.length > 0 ? groups[i % groups.length]! : null;
    const leadingCadre = plan.key === 'b1' && (i === 0 || i === 5);
    const id = await db.transaction().execute((trx) =>
      createMember(
        trx,
        branch.id,
        {
          fullName: name,
          gender: random.chance(0.55) ? 'male' : 'female',
          ethnicity: random.chance(0.92) ? '汉族' : random.pick(['回族', '满族', '壮族', '蒙古族']),
          birthDate: `${birthYear}-${String(random.int(1, 12)).padStart(2, '0')}-${String(random.int(1, 28)).padStart(2, '0')}`,
          education: random.pick(['大学本科', '大学本科', '硕士研究生', '大专', '博士研究生']),
          joinedPartyOn: `${joinedYear}-${String(random.int(1, probationary ? 5 : 12)).padStart(2, '0')}-01`,
          status: probationary ? 'probationaryMember' : 'fullMember',
          committeeRole: post?.role ?? null,
          partyGroupId: group?.id ?? null,
          leadingCadre,
          dualOrgLife: leadingCadre,
        },
        actor,
      ),
    );
    const ordinary = i - committeeRoles.length;
    const loginSuffix = post ? post.login : ordinary < memberAccounts ? `member${ordinary + 1}` : null;
    let principal: Principal | null = null;
    if (loginSuffix) {
      const login = `${demoLoginPrefix}${plan.key}-${loginSuffix}`;
      const accountId = await createAccount(db, { login, displayName: name, password: demoPassword });
      // Linking an account to its roster entry is otherwise done by the member accepting an invitation.
      await db.updateTable('members').set({ account_id: accountId }).where('id', '=', id).execute();
      principal = await principalOf(db, accountId);
      logins.push({
        login,
        name,
        role: post ? (post.role === 'secretary' ? 'secretary' : 'committeeMember') : 'member',
        organization: plan.name,
      });
    }
    members.push({
      id,
      name,
      status: probationary ? 'probationaryMember' : 'fullMember',
      committee: !!post,
      exempt: false,
      groupId: group?.id ?? null,
      principal,
    });
  }
  if (plan.key === 'b3') {
    // One long-term illness (长期患病): exempt from organization life, outside the attendance base.
    const exempt = members[members.length - 3]!;
    const started = new Date(Date.now() - 400 * 86_400_000);
    await db.transaction().execute(async (trx) => {
      const member = await trx
        .selectFrom('members')
        .select(['id', 'organization_id', 'left_at'])
        .where('id', '=', exempt.id)
        .executeTakeFirstOrThrow();
      await addExemption(
        trx,
        member,
        {
          reason: 'illness',
          note: '长期住院治疗',
          approvedBy: '支部委员会',
          approvedOn: isoDay(started),
          startsOn: isoDay(started),
          endsOn: null,
        },
        actor,
      );
    });
    exempt.exempt = true;
  }
  // On the roster since before the year of meetings began.
  const since = new Date(Date.now() - 2 * 365 * 86_400_000);
  await sql`update members set created_at = ${since} where organization_id = ${branch.id}`.execute(db);
  return members;
}

const clampYear = (year: number) => Math.min(year, 2024);

/** A Beijing wall-clock time as an instant. */
const beijing = (year: number, month: number, day: number, time: string) =>
  new Date(`${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}T${time}:00+08:00`);

/**
 * Twelve months of 三会一课 and group meetings up to today (the weaker the branch, the more it
 * skips), the year's 组织生活会 with its rectification items, and the 民主评议党员 with its
 * determinations.
 */
async function holdYear(
  db: Kysely<DB>,
  random: Random,
  writer: BallotWriter,
  plan: BranchPlan,
  branch: OrganizationScope,
  groups: readonly OrganizationScope[],
  members: readonly DemoMember[],
  now: Date,
) {
  const today = shanghaiDate(now);
  const [ty, tm] = today.split('-').map(Number) as [number, number];
  const secretary = members[0]!;
  const committee = members.filter((m) => m.committee);
  const recorder = committee[2] ?? committee[1]!;
  let meetings = 0;
  let items = 0;
  let lastCommitteeMeeting: HeldMeeting | undefined;
  for (let back = months - 1; back >= 0; back--) {
    const year = ty + Math.floor((tm - 1 - back) / 12);
    const month = ((((tm - 1 - back) % 12) + 12) % 12) + 1;
    const due: Array<{ type: MeetingType; org: OrganizationScope }> = dueThisMonth(month).map((type) => ({
      type,
      org: branch,
    }));
    for (const group of groups) due.push({ type: 'partyGroupMeeting', org: group });
    for (const { type, org } of due) {
      const yearly = type === 'orgLifeMeeting' || type === 'memberAppraisal';
      if (!yearly && !random.chance(0.55 + 0.45 * plan.quality)) continue;
      const day =
        type === 'memberAppraisal' ? random.int(21, 26) : yearly ? random.int(10, 18) : random.int(5, 26);
      const startsAt = beijing(year, month, day, type === 'branchCommitteeMeeting' ? '09:00' : '14:30');
      if (shanghaiDate(startsAt) >= today) continue;
      const inGroup = org.kind === 'partyGroup';
      const people = inGroup ? members.filter((m) => m.groupId === org.id) : members;
      const signers = inGroup ? people.filter((m) => m.principal) : [secretary, recorder];
      const invitees = type === 'branchCommitteeMeeting' ? committee : people;
      const held = await holdPastMeeting(db, random, writer, {
        organization: org,
        type,
        title: `${year}年${month}月${inGroup ? `${org.name}会` : meetingTitles[type]}`,
        startsAt,
        quality: plan.quality,
        host: signers[0]!,
        recorder: signers[1]!,
        secretary,
        invitees,
      });
      meetings++;
      if (type === 'orgLifeMeeting') items += await rectify(db, random, plan, branch, held, members, now);
      if (type === 'branchCommitteeMeeting') lastCommitteeMeeting = held;
    }
  }
  if (lastCommitteeMeeting) items += await openCurrentItems(db, branch, lastCommitteeMeeting, members, now);
  return { meetings, items };
}

/**
 * The problems a 组织生活会 found, each with its rectification item, and how far each has got
 * today: verified on time or late, completed and awaiting verification, still in progress past its
 * deadline — fewer left behind in a better branch.
 */
async function rectify(
  db: Kysely<DB>,
  random: Random,
  plan: BranchPlan,
  branch: OrganizationScope,
  meeting: HeldMeeting,
  members: readonly DemoMember[],
  now: Date,
): Promise<number> {
  const secretary = members[0]!.principal!;
  const q = plan.quality;
  const owners = members.filter((m) => !m.committee && !m.exempt);
  const picks = random.shuffle(problemTexts.map((_, i) => i)).slice(0, random.int(4, 6));
  const nowMs = now.getTime();
  // How far each item has got: one still open past its deadline and one awaiting verification in
  // every branch, the rest verified — on time more often in a better branch.
  const outcomes = random.shuffle([
    'overdue' as const,
    'awaitingVerification' as const,
    ...picks.slice(2).map(() => (random.chance(0.35 + 0.6 * q) ? ('onTime' as const) : ('late' as const))),
  ]);
  for (const [n, text] of picks.entries()) {
    const dueOn = new Date(meeting.endsAt.getTime() + random.int(45, 200) * 86_400_000);
    const owner = random.chance(0.7) ? random.pick(owners) : null;
    const { itemId } = await createProblemWithItem(
      db,
      branch.id,
      {
        scope: 'branch',
        description: problemTexts[text]!,
        source: random.pick(issueSourcesFound),
        category: random.pick(['work', 'style', 'thought'] as const),
        meetingId: meeting.id,
        item: {
          measures: measureTexts[text]!,
          ownerMemberId: owner?.id ?? null,
          ownerUnit: owner ? null : '支部委员会',
          dueOn: isoDay(dueOn),
        },
      },
      secretary.accountId,
    );
    const access = await authorizeItem(db, secretary, itemId!);
    await applyAction(db, access, secretary, 'start', null);
    const outcome = outcomes[n]!;
    let completedAt: Date | null = null;
    let verifiedAt: Date | null = null;
    if (outcome !== 'overdue') {
      completedAt = new Date(
        dueOn.getTime() + (outcome === 'late' ? random.int(5, 40) : -random.int(3, 30)) * 86_400_000,
      );
      if (outcome !== 'awaitingVerification')
        verifiedAt = new Date(completedAt.getTime() + random.int(1, q > 0.6 ? 5 : 15) * 86_400_000);
    }
    // Nothing happens in the future.
    if (completedAt && completedAt.getTime() >= nowMs) completedAt = verifiedAt = null;
    if (verifiedAt && verifiedAt.getTime() >= nowMs) verifiedAt = null;
    if (completedAt) await applyAction(db, access, secretary, 'complete', '已按计划完成整改并形成台账');
    if (verifiedAt) await applyAction(db, access, secretary, 'verify', null);
    // The services stamp "now"; the item's history happened over the months after the meeting.
    await db
      .updateTable('rectification_items')
      .set({
        completed_at: completedAt,
        verified_at: verifiedAt,
        updated_at: verifiedAt ?? completedAt ?? meeting.endsAt,
      })
      .where('id', '=', itemId!)
      .execute();
    await sql`update problems set created_at = ${meeting.endsAt} where meeting_id = ${meeting.id}`.execute(
      db,
    );
    await sql`update rectification_items set created_at = ${meeting.endsAt} where id = ${itemId}`.execute(db);
    await sql`
      update rectification_events set at = case to_status
        when 'completed' then ${completedAt}::timestamptz
        when 'verified' then ${verifiedAt}::timestamptz
        else ${meeting.endsAt}::timestamptz end
      where item_id = ${itemId}
    `.execute(db);
  }
  return picks.length;
}

/**
 * What the latest 支委会 took on after the superior committee's inspection: one item under way and
 * one planned, both due in the coming months.
 */
async function openCurrentItems(
  db: Kysely<DB>,
  branch: OrganizationScope,
  meeting: HeldMeeting,
  members: readonly DemoMember[],
  now: Date,
): Promise<number> {
  const secretary = members[0]!.principal!;
  const owner = members.find((m) => m.committee && m.principal && m !== members[0])!;
  const current = [
    { text: 4, dueInDays: 30, started: true },
    { text: 6, dueInDays: 75, started: false },
  ];
  for (const { text, dueInDays, started } of current) {
    const { itemId } = await createProblemWithItem(
      db,
      branch.id,
      {
        scope: 'branch',
        description: problemTexts[text]!,
        source: 'inspection',
        category: 'work',
        meetingId: meeting.id,
        item: {
          measures: measureTexts[text]!,
          ownerMemberId: owner.id,
          dueOn: isoDay(new Date(now.getTime() + dueInDays * 86_400_000)),
        },
      },
      secretary.accountId,
    );
    if (started) await applyAction(db, await authorizeItem(db, secretary, itemId!), secretary, 'start', null);
  }
  return current.length;
}

/**
 * Next week's 组织生活会 of the 机关 branch, ready to run live: invitees, host and recorder, the
 * preparation done, a draft satisfaction survey, one member's leave approved and another's pending.
 */
async function scheduleUpcoming(
  db: Kysely<DB>,
  branch: OrganizationScope,
  members: readonly DemoMember[],
  now: Date,
): Promise<string> {
  const secretary = members[0]!;
  const recorder = members.find((m) => m.committee && m !== secretary && m.principal)!;
  const day = new Date(now.getTime() + 2 * 86_400_000);
  const [y, m, d] = shanghaiDate(day).split('-').map(Number) as [number, number, number];
  const id = await scheduleMeeting(
    db,
    await meetingOrganization(db, branch),
    {
      type: 'orgLifeMeeting',
      title: `${y}年度组织生活会`,
      theme: '对照检查，开展批评与自我批评',
      startsAt: beijing(y, m, d, '14:30').toISOString(),
      endsAt: beijing(y, m, d, '17:00').toISOString(),
      location: '党员活动室',
      hostMemberId: secretary.id,
      recorderMemberId: recorder.id,
      agenda: [
        { title: '通报上年度整改落实情况' },
        { title: '支部书记代表支委会作对照检查' },
        { title: '党员逐一发言，开展批评与自我批评' },
        { title: '满意度测评' },
      ],
      preparation: { studyHeld: true, talksHeld: true, opinionSolicitationHeld: true },
    },
    secretary.principal!,
  );
  const meeting = await db.selectFrom('meetings').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const [first, second] = members.filter((x) => !x.committee && x.principal);
  const approved = await requestLeave(db, first!.principal!, meeting, {
    memberId: first!.id,
    reason: '出差在外',
  });
  await decideLeave(db, secretary.principal!, approved.id, { decision: 'approved', note: '同意，会后补学' });
  await requestLeave(db, second!.principal!, meeting, { memberId: second!.id, reason: '孩子生病需要照顾' });
  const info = (await loadMeetingInfo(db, id))!;
  await createRound(
    db,
    info,
    { title: '组织生活会满意度测评', config: { kind: 'survey' } },
    secretary.principal!.accountId,
  );
  return id;
}

/**
 * The committee viewer first, then branch by branch with the secretary first — the same order
 * whichever branch finished first, and on a second run.
 */
const roleRank: Record<DemoLogin['role'], number> = {
  committeeViewer: 0,
  secretary: 1,
  committeeMember: 2,
  member: 3,
};
function byListing(a: DemoLogin, b: DemoLogin): number {
  const branch = (l: DemoLogin) => (l.role === 'committeeViewer' ? '' : l.login.split('-')[1]!);
  return (
    branch(a).localeCompare(branch(b)) ||
    roleRank[a.role] - roleRank[b.role] ||
    a.login.localeCompare(b.login)
  );
}

/** The demo's logins as the console lists them, read back on a second run. */
async function demoLogins(db: Kysely<DB>, committeeId: string): Promise<DemoLogin[]> {
  const viewers = await db
    .selectFrom('role_grants as g')
    .innerJoin('accounts as a', 'a.id', 'g.account_id')
    .select(['a.login', 'a.display_name'])
    .where('g.organization_id', '=', committeeId)
    .where('a.login', 'like', `${demoLoginPrefix}%`)
    .orderBy('a.login')
    .execute();
  const rostered = await db
    .selectFrom('members as m')
    .innerJoin('accounts as a', 'a.id', 'm.account_id')
    .innerJoin('organizations as o', 'o.id', 'm.organization_id')
    .select(['a.login', 'm.full_name', 'm.committee_role', 'o.name'])
    .where(sql<boolean>`o.ancestry @> array[${committeeId}]::uuid[]`)
    .where('a.login', 'like', `${demoLoginPrefix}%`)
    .orderBy('a.login')
    .execute();
  const logins: DemoLogin[] = [
    ...viewers.map((v) => ({
      login: v.login,
      name: v.display_name,
      role: 'committeeViewer' as const,
      organization: demoCommitteeName,
    })),
    ...rostered.map((r) => ({
      login: r.login,
      name: r.full_name,
      role:
        r.committee_role === 'secretary'
          ? ('secretary' as const)
          : r.committee_role
            ? ('committeeMember' as const)
            : ('member' as const),
      organization: r.name,
    })),
  ];
  return logins.sort(byListing);
}
