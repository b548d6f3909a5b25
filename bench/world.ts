/**
 * The plenary the live benchmarks run: one branch with N members (the first 30 full members, who
 * are graded; the rest probationary members, who vote but are not graded), one meeting inviting
 * them all, a secretary at the host console, and one claimed phone pass per member.
 *
 * Rows are inserted directly, like the test fixtures: the claim route is rate-limited per address
 * (120 a minute), so N phones claiming from one loopback address would measure the limiter. The
 * passes are written as `claim` writes them (only the token's hash, claimed now). Everything the
 * benchmark is about — joining, checking in, voting, the host's commands — goes through the server.
 */
import type { Kysely } from 'kysely';
import { hashHumanCode, hashToken, newHumanCode, newToken } from '../server/auth/secrets.ts';
import type { DB } from '../server/db/schema.ts';
import { appraisalGrades } from '../shared/domain/enums.ts';
import type { BallotAnswers } from '../shared/schemas/rounds.ts';
import { insertMember, insertOrganization } from '../tests/support/fixtures.ts';
import { insertMeeting } from '../tests/support/live-fixtures.ts';
import { testPassword } from '../tests/support/test-app.ts';

/** Members graded on an appraisal ballot (the issue: "grading 30 members"). */
export const gradedCount = 30;
const hostLogin = 'bench-host';
const chunk = 1000;

export interface World {
  meetingId: string;
  hostMemberId: string;
  /** Device tokens of the N members, in roster order. */
  tokens: string[];
  gradedIds: string[];
}

export async function seedWorld(db: Kysely<DB>, participants: number): Promise<World> {
  const committee = await insertOrganization(db, '基准测试党委', 'primaryCommittee');
  const branch = await insertOrganization(db, '基准测试党支部', 'partyBranch', committee);
  const host = await insertMember(db, branch.id, '主持人', { committeeRole: 'secretary', login: hostLogin });
  const memberIds: string[] = [];
  for (let start = 0; start < participants; start += chunk) {
    const rows = await db
      .insertInto('members')
      .values(
        Array.from({ length: Math.min(chunk, participants - start) }, (_, j) => {
          const i = start + j;
          return {
            organization_id: branch.id,
            full_name: `党员${String(i + 1).padStart(5, '0')}`,
            status: i < gradedCount ? ('fullMember' as const) : ('probationaryMember' as const),
          };
        }),
      )
      .returning('id')
      .execute();
    memberIds.push(...rows.map((r) => r.id));
  }
  // The host runs the meeting from the laptop and is not on the roster voted on.
  const { meetingId } = await insertMeeting(db, branch.id, {
    inviteeIds: memberIds,
    title: '基准测试党员大会',
    type: 'memberAppraisal',
    hostMemberId: host.memberId,
  });
  const tokens = memberIds.map(() => newToken());
  for (let start = 0; start < participants; start += chunk) {
    await db
      .insertInto('live_passes')
      .values(
        memberIds.slice(start, start + chunk).map((memberId, j) => ({
          meeting_id: meetingId,
          kind: 'member' as const,
          member_id: memberId,
          code_hash: hashHumanCode(newHumanCode()),
          code_expires_at: new Date(Date.now() + 3600_000),
          token_hash: hashToken(tokens[start + j]!),
          claimed_at: new Date(),
          issued_by: host.accountId,
        })),
      )
      .execute();
  }
  return { meetingId, hostMemberId: host.memberId, tokens, gradedIds: memberIds.slice(0, gradedCount) };
}

/** The host console's HTTP commands, signed in as the secretary. */
export class HostApi {
  private constructor(
    readonly base: string,
    readonly cookie: string,
    private readonly meetingId: string,
  ) {}

  static async signIn(base: string, meetingId: string): Promise<HostApi> {
    const response = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: hostLogin, password: testPassword }),
    });
    if (response.status !== 200) throw new Error(`host sign-in: ${response.status} ${await response.text()}`);
    const cookie = response.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    return new HostApi(base, cookie, meetingId);
  }

  /** Same account on another node (sessions live in the shared database). */
  on(base: string): HostApi {
    return new HostApi(base, this.cookie, this.meetingId);
  }

  async command(method: 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<any> {
    const response = await fetch(`${this.base}/api/meetings/${this.meetingId}/live${path}`, {
      method,
      headers: { cookie: this.cookie, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  }

  async openSession() {
    await this.command('POST', '/open', {});
  }

  async projectorToken(): Promise<string> {
    const { url } = await this.command('POST', '/projector-link', {});
    return new URL(url).hash.slice(1);
  }

  /** Creates and opens a round; returns its id. */
  async openRound(title: string, config: unknown): Promise<string> {
    const { id } = await this.command('POST', '/rounds', { title, config });
    await this.command('POST', `/rounds/${id}/open`, {});
    return id;
  }

  async closeRound(roundId: string) {
    await this.command('POST', `/rounds/${roundId}/close`, {});
  }
}

/** An appraisal ballot grading every graded member, each with a random grade. */
export function appraisalBallot(gradedIds: readonly string[]): BallotAnswers {
  const grades: Record<string, (typeof appraisalGrades)[number]> = {};
  // Math.random: the grades need no secrecy, and 30 crypto calls per ballot would load the generator.
  for (const id of gradedIds)
    grades[id] = appraisalGrades[Math.floor(Math.random() * appraisalGrades.length)]!;
  return { kind: 'appraisal', grades };
}

export const pollConfig = (i: number) => ({
  kind: 'poll' as const,
  question: `议题${i}是否同意？`,
  mode: 'single' as const,
  options: ['同意', '不同意', '弃权'],
});

export const pollBallot = (): BallotAnswers => ({ kind: 'poll', choices: [Math.floor(Math.random() * 3)] });
