import type { Kysely } from 'kysely';
import { expect } from 'vitest';
import type { DB } from '../../server/db/schema.ts';
import { claim, issueClaimCodes } from '../../server/live/passes.ts';
import { newReceipt } from '../../shared/domain/live-client.ts';
import { LiveClient, type SubmissionResult } from './live-client.ts';
import { testPassword } from './test-app.ts';

/**
 * What the fault tests (tests/integration/faults) share: a browser-like HTTP session against a
 * server *process*, many phones on the socket at once, and one voting round driven through a fault
 * with every ballot's fate recorded — acknowledged before the fault, resent after it, counted.
 */

/** A fetch-based browser session against a real listening server: keeps the cookie from sign-in. */
export class HttpSession {
  private cookie = '';
  constructor(public base: string) {}

  async signIn(login: string, password = testPassword): Promise<this> {
    const response = await fetch(`${this.base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login, password }),
    });
    if (!response.ok) throw new Error(`sign-in as ${login} failed: ${response.status}`);
    this.cookie = response.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    return this;
  }

  cookieHeader() {
    return this.cookie;
  }

  /** A request that must succeed; answers the parsed JSON body. */
  async send(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown): Promise<any> {
    const response = await fetch(`${this.base}${url}`, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(this.cookie ? { cookie: this.cookie } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  }

  post = (url: string, body: unknown = {}) => this.send('POST', url, body);
}

/**
 * Device tokens for many members at once, through the server's own claim-code functions (the HTTP
 * claim route allows 120 claims a minute per address, and every test phone shares 127.0.0.1).
 */
export async function claimDevicesDirectly(
  db: Kysely<DB>,
  meetingId: string,
  memberIds: string[],
  issuerAccountId: string,
): Promise<string[]> {
  const { codes } = await issueClaimCodes(db, meetingId, memberIds, issuerAccountId);
  const byMember = new Map<string, string>();
  for (const code of codes) {
    const claimed = await claim(db, code.code, 'member');
    if (!claimed) throw new Error('a fresh claim code was refused');
    byMember.set(code.memberId!, claimed.token);
  }
  return memberIds.map((id) => byMember.get(id)!);
}

/** Opens and joins one phone per device token, a batch at a time (a room filling up, not a stampede). */
export async function connectPhones(ws: string, meetingId: string, tokens: string[]): Promise<LiveClient[]> {
  const phones: LiveClient[] = [];
  for (let i = 0; i < tokens.length; i += 25) {
    const batch = tokens.slice(i, i + 25).map(async (token) => {
      const phone = await new LiveClient({ url: ws, timeoutMs: 60_000 }).open();
      return phone.join(meetingId, { kind: 'device', token });
    });
    phones.push(...(await Promise.all(batch)));
  }
  return phones;
}

/** A wait that fails with a message instead of hanging the suite (e.g. a server that died). */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s: ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export const reconnectAll = async (phones: LiveClient[], ws: string) =>
  (await Promise.all(phones.map((p) => p.reconnect(ws)))).flat();

export interface FaultFigures {
  voters: number;
  /** Ballots acknowledged before the fault struck. */
  acknowledgedBeforeFault: number;
  /** Ballots sent but not acknowledged when it struck (still in their phones' outboxes). */
  unacknowledgedAtFault: number;
  /** Ballots the phones sent again after the fault (the outbox), counting every retry. */
  resent: number;
  /** Resends answered `duplicate: true`: committed before the fault, only the ack was lost. */
  resentDuplicates: number;
  /** Errors answered with `retry: true` during the fault (kept in the outbox and sent again). */
  retryableErrors: number;
  /** Ballots acknowledged in the end (one per voter). */
  acknowledged: number;
}

/**
 * One poll round voted on by every phone with a fault in the middle: the first half vote and are
 * acknowledged; the second half send one by one, and once `struckAfter` ballots are committed
 * (seen in the database) `fault` runs — while ballots are in flight, some committed without their
 * ack having left, some not yet written, some not yet sent. `recover` then brings the phones back
 * (reconnect and resend, or resend on the same socket), and every phone whose outbox still holds
 * its ballot sends it again until it is answered for good, as a phone does.
 */
export async function voteThroughFault(options: {
  db: Kysely<DB>;
  phones: LiveClient[];
  roundId: string;
  /** Strikes once enough ballots are committed; `sent` settles when the last phone has sent. */
  fault: (sent: Promise<void>) => Promise<void>;
  /** Pause between two sendings of the second half (default 2 ms). */
  paceMs?: number;
  /** Answers the resends it made (e.g. reconnectAll). */
  recover: () => Promise<Array<Promise<SubmissionResult>>>;
}): Promise<{ figures: FaultFigures; receipts: string[] }> {
  const { db, phones, roundId } = options;
  const receipts = phones.map(() => newReceipt());
  /** By clientId: an ack may answer the original sending or a resend. */
  const acknowledged = new Set<string>();
  // One frame object answers every waiter of its clientId, so a set counts each retryable answer once.
  const retryable = new Set<SubmissionResult>();
  const noteRetryable = (r: SubmissionResult) => {
    if (r.type === 'error' && r.retry) retryable.add(r);
  };
  const vote = (i: number) =>
    phones[i]!.ballot(roundId, { kind: 'poll', choices: [i % 2] }, receipts[i]).then((r) => {
      if (r.type === 'ack') acknowledged.add(r.clientId);
      noteRetryable(r);
      return r;
    });
  const half = Math.floor(phones.length / 2);
  const first = await within(
    Promise.all(phones.slice(0, half).map((_, i) => vote(i))),
    60_000,
    'the first half of the ballots',
  );
  if (first.some((r) => r.type !== 'ack')) throw new Error(`first half refused: ${JSON.stringify(first)}`);

  // The second half send one after another (a real room does not press send in the same
  // millisecond), so the fault finds ballots in every stage.
  const inFlight: Array<Promise<SubmissionResult>> = [];
  let stopSending = false;
  const sending = (async () => {
    for (let i = half; i < phones.length && !stopSending; i++) {
      inFlight.push(vote(i));
      await new Promise((r) => setTimeout(r, options.paceMs ?? 2));
    }
  })();
  const struckAfter = half + Math.floor((phones.length - half) / 3);
  for (;;) {
    const { n } = await db
      .selectFrom('round_participations')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('round_id', '=', roundId)
      .executeTakeFirstOrThrow();
    if (Number(n) >= struckAfter) break;
    await new Promise((r) => setTimeout(r, 1));
  }
  await options.fault(sending);
  const acknowledgedBeforeFault = acknowledged.size;
  stopSending = true;
  await sending;
  // Phones that had not sent yet when the fault struck send now, into whatever state it left.
  for (let i = half + inFlight.length; i < phones.length; i++) inFlight.push(vote(i));
  const unacknowledgedAtFault = phones.length - acknowledgedBeforeFault;

  let resends = await options.recover();
  let resent = 0;
  let resentDuplicates = 0;
  for (let attempt = 0; ; attempt++) {
    resent += resends.length;
    for (const answer of await within(Promise.all(resends), 60_000, 'the resent ballots')) {
      if (answer.type === 'ack') acknowledged.add(answer.clientId);
      if (answer.type === 'ack' && answer.duplicate) resentDuplicates += 1;
      noteRetryable(answer);
    }
    // Every original sending is answered as well (by its resend's answer when its socket died).
    const originals = await within(Promise.all(inFlight), 60_000, 'the ballots sent during the fault');
    const refused = originals.filter((r) => r.type === 'error' && !r.retry);
    if (refused.length > 0) throw new Error(`ballots refused for good: ${JSON.stringify(refused)}`);
    if (phones.every((p) => p.outbox.size === 0)) break;
    // A retryable answer leaves the ballot in the outbox: send it again later, as a phone does, a
    // bounded number of times (a fault that never heals must fail the test, not hang it).
    if (attempt >= 20) throw new Error('ballots still in outboxes after 20 resends');
    await new Promise((r) => setTimeout(r, 200));
    resends = phones.flatMap((p) => p.resendOutbox());
  }
  return {
    receipts,
    figures: {
      voters: phones.length,
      acknowledgedBeforeFault,
      unacknowledgedAtFault,
      resent,
      resentDuplicates,
      retryableErrors: retryable.size,
      acknowledged: acknowledged.size,
    },
  };
}

/** The receipts stored for a round and the number of participation rows. */
export async function storedRound(db: Kysely<DB>, roundId: string) {
  const ballots = await db.selectFrom('ballots').select('receipt').where('round_id', '=', roundId).execute();
  const participations = await db
    .selectFrom('round_participations')
    .select('participant_id')
    .where('round_id', '=', roundId)
    .execute();
  return { receipts: ballots.map((b) => b.receipt).sort(), participations: participations.length };
}

/** The host creates and opens a two-option poll; resolves with its id once every phone shows it open. */
export async function openPollOnPhones(
  host: HttpSession,
  meetingId: string,
  phones: LiveClient[],
  title: string,
): Promise<string> {
  const url = (p: string) => `/api/meetings/${meetingId}/live${p}`;
  const { id: roundId } = await host.post(url('/rounds'), {
    title,
    config: { kind: 'poll', question: '同意吗', mode: 'single', options: ['同意', '反对'] },
  });
  await host.post(url(`/rounds/${roundId}/open`));
  await Promise.all(
    phones.map((p) => p.waitForState((st) => st.rounds.some((r) => r.id === roundId && r.state === 'open'))),
  );
  return roundId;
}

/** Every phone sees the round closed with all voters counted, and never got a malformed frame. */
export async function expectEveryPhoneSawTheClose(phones: LiveClient[], roundId: string, voters: number) {
  for (const phone of phones) {
    const closed = await phone.waitForState(
      (st) => st.rounds.find((r) => r.id === roundId)?.state === 'closed',
      'the round closed',
    );
    expect(closed.rounds.find((r) => r.id === roundId)).toMatchObject({ answered: voters, eligible: voters });
    expect(phone.invalidFrames).toEqual([]);
    phone.close();
  }
}
