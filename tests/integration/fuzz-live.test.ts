import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { newAuthorKey, newClientId, newReceipt } from '../../shared/domain/live-client.ts';
import { clientMessage, closeCodes, maxFrameBytes, rateLimit } from '../../shared/schemas/live.ts';
import { dbVariantsFromEnv } from '../support/db-variants.ts';
import { type SeededCommittee, seedCommittee } from '../support/fixtures.ts';
import {
  brokenJson,
  changedTables,
  countWrites,
  exampleOf,
  fuzzRuns,
  fuzzSeed,
  type JsonSchema,
  mutatedJson,
  prototypePolluted,
  untranslated,
} from '../support/fuzz.ts';
import { type Frame, LiveClient } from '../support/live-client.ts';
import {
  claimDevices,
  command,
  createRound,
  insertMeeting,
  type ListeningApp,
  startLiveApp,
  tokenSocket,
} from '../support/live-fixtures.ts';

/**
 * Every client message type of the live protocol, fuzzed over a real socket. The types come from the
 * discriminated union in shared/schemas/live.ts, so a new message type is fuzzed without anyone
 * adding it here. Each gets messages derived from its schema, broken one part at a time, plus text
 * that is not JSON; hello is also fuzzed as the first frame of a fresh socket; binary frames,
 * oversized frames and floods get what docs/protocol.md promises (live.malformed, 1009, 4008).
 * The property: every frame gets one answer; a refusal is an error frame whose code is translated;
 * a refused frame writes nothing; the server never sends a frame outside its own schema.
 */

/** What answers a client frame (events and progress are broadcasts, not answers). */
const answers = new Set<Frame['type']>(['error', 'ack', 'pong', 'items', 'bulletin', 'snapshot', 'welcome']);
/** Frames per socket, under the burst allowance so the fuzzer itself is never rate-limited. */
const framesPerSocket = rateLimit.burst - 5;

// One variant: the socket's parsing and refusals do not differ between PostgreSQL installations.
const variant = dbVariantsFromEnv()[0]!;

describe(`${variant}: fuzzing every live message type`, () => {
  let t: ListeningApp;
  let s: SeededCommittee;
  let meetingId: string;
  let token: string;
  let writes: () => Promise<Record<string, string>>;
  const real: Record<string, string> = {};
  const sockets: LiveClient[] = [];
  const counts: Record<string, { sent: number; accepted: number }> = {};

  const phone = async () => {
    const client = await tokenSocket(t, meetingId, 'device', token);
    sockets.push(client);
    return client;
  };

  /**
   * Sends one frame and checks the property; returns the answer. A frame the server accepts (an ack,
   * a pong…) may write: its writes become the new baseline.
   */
  async function probe(
    client: LiveClient,
    frame: string | Buffer,
    count: { sent: number; accepted: number },
  ) {
    count.sent++;
    const before = await writes();
    const since = client.frames.length;
    client.sendRaw(frame);
    const answer = await client.waitFor((f) => answers.has(f.type), since);
    if (prototypePolluted()) throw new Error('Object.prototype polluted');
    if (answer.type !== 'error') {
      count.accepted++;
      return answer;
    }
    const explained = untranslated(answer.code, answer.fields);
    if (explained) throw new Error(explained);
    if (answer.code === 'internal') throw new Error('internal error');
    const changed = changedTables(before, await writes());
    if (changed.length > 0) throw new Error(`refused with ${answer.code} yet wrote to ${changed.join(', ')}`);
    return answer;
  }

  beforeAll(async () => {
    t = await startLiveApp(variant, { qualityWorker: { intervalMs: 2 ** 30 } });
    s = await seedCommittee(t.db, 2);
    ({ meetingId } = await insertMeeting(t.db, s.branchA.id, {
      inviteeIds: [s.secretaryA.memberId, ...s.membersA.map((m) => m.memberId)],
    }));
    const host = await t.client().signIn('secA');
    const url = (path: string) => `/api/meetings/${meetingId}/live${path}`;
    await command(host, 'POST', url('/open'));
    token = (await claimDevices(host, t.client(), meetingId, [s.membersA[1]!.memberId])).get(
      s.membersA[1]!.memberId,
    )!;
    const poll = { kind: 'poll', question: '?', mode: 'single', options: ['a', 'b'] };
    real.closedRoundId = await createRound(host, meetingId, '已结束', poll);
    await command(host, 'POST', url(`/rounds/${real.closedRoundId}/open`));
    await command(host, 'POST', url(`/rounds/${real.closedRoundId}/close`));
    real.surveyRoundId = await createRound(host, meetingId, '满意度', { kind: 'survey' });
    await command(host, 'POST', url(`/rounds/${real.surveyRoundId}/open`));
    real.criticismRoundId = await createRound(host, meetingId, '批评', {
      kind: 'criticism',
      subjectMemberIds: [s.membersA[0]!.memberId],
    });
    await command(host, 'POST', url(`/rounds/${real.criticismRoundId}/open`));
    real.subjectId = (await host.get(url(''))).body.state.rounds.find(
      (r: { id: string }) => r.id === real.criticismRoundId,
    ).criticism.subjects[0].id;
    await command(host, 'POST', url(`/rounds/${real.criticismRoundId}/subjects/${real.subjectId}/phase`), {
      phase: 'criticism',
    });
    real.authorKey = newAuthorKey();
    const author = await phone();
    const written = await author.submit({
      type: 'submitCriticism',
      clientId: newClientId(),
      roundId: real.criticismRoundId,
      subjectId: real.subjectId,
      text: '原文',
      concrete: false,
      authorKey: real.authorKey,
    });
    real.itemId = (written as { itemId: string }).itemId;
    await t.app.qualityWorker.drain();
    writes = await countWrites(t.db);
    console.info(`fuzz-live: seed ${fuzzSeed} (FUZZ_SEED), runs per target ${fuzzRuns(30)} (FUZZ_RUNS)`);
  });
  afterAll(async () => {
    console.info(
      `fuzz-live: ${Object.values(counts).reduce((n, c) => n + c.sent, 0)} frames\n${Object.entries(counts)
        .map(([target, c]) => `  ${target}: ${c.sent} sent, ${c.accepted} accepted`)
        .join('\n')}`,
    );
    for (const client of sockets) client.close();
    await t?.close();
  });

  /** A message of this type from its schema, with this meeting's real ids where the names match. */
  function plausible(type: string): unknown {
    const option = clientMessage.options.find((o) => o.shape.type.value === type)!;
    const roundId = type.includes('Ballot')
      ? real.surveyRoundId
      : type === 'getBulletin'
        ? real.closedRoundId
        : real.criticismRoundId;
    const known: Record<string, () => unknown> = {
      meetingId: () => meetingId,
      roundId: () => roundId,
      subjectId: () => real.subjectId,
      itemId: () => real.itemId,
      authorKey: () => real.authorKey,
      clientId: newClientId,
      receipt: newReceipt,
      token: () => token,
    };
    const fill = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(fill);
      if (!value || typeof value !== 'object') return value;
      return Object.fromEntries(
        Object.entries(value).map(([k, v]) => [k, k in known ? known[k]!() : fill(v)]),
      );
    };
    return fill(exampleOf(z.toJSONSchema(option, { io: 'input' }) as JsonSchema));
  }

  const types = clientMessage.options.map((o) => o.shape.type.value);

  it.each(types)(
    '%s: random and broken messages get a translated refusal and write nothing',
    async (type) => {
      const count = { sent: 0, accepted: 0 };
      counts[type] = count;
      let client = await phone();
      let onSocket = 0;
      const result = await fc.check(
        fc.asyncProperty(
          fc.oneof(
            { weight: 5, arbitrary: mutatedJson(plausible(type)) },
            { weight: 1, arbitrary: brokenJson },
          ),
          async (frame) => {
            if (onSocket++ >= framesPerSocket) {
              client.close();
              client = await phone();
              onSocket = 1;
            }
            // Above the frame limit the socket closes (tested below); here everything fits.
            if (Buffer.byteLength(frame) > maxFrameBytes) return;
            await probe(client, frame, count);
            if (client.closed) throw new Error(`socket closed ${JSON.stringify(client.closed)}`);
          },
        ),
        { seed: fuzzSeed, numRuns: fuzzRuns(30) },
      );
      expect(
        result.failed
          ? `${result.errorInstance} — ${JSON.stringify(result.counterexample)?.slice(0, 300)}`
          : null,
      ).toBeNull();
      expect(client.invalidFrames).toEqual([]);
      // Still usable after all that.
      expect(await probe(client, JSON.stringify({ type: 'ping', t: 1 }), count)).toEqual({
        type: 'pong',
        t: 1,
      });
    },
  );

  it('hello as the first frame: a refusal then close 4001, or a welcome; nothing written when refused', async () => {
    const count = { sent: 0, accepted: 0 };
    counts['hello (first frame)'] = count;
    const result = await fc.check(
      fc.asyncProperty(
        fc.oneof(
          { weight: 5, arbitrary: mutatedJson(plausible('hello')) },
          { weight: 1, arbitrary: brokenJson },
        ),
        async (frame) => {
          if (Buffer.byteLength(frame) > maxFrameBytes) return;
          const client = await new LiveClient({ url: t.ws }).open();
          sockets.push(client);
          const answer = await probe(client, frame, count);
          if (answer.type === 'error') {
            const closed = await client.waitForClose();
            if (closed.code !== closeCodes.unauthenticated) throw new Error(`closed with ${closed.code}`);
          } else if (answer.type !== 'welcome') throw new Error(`answered ${answer.type}`);
          client.close();
        },
      ),
      { seed: fuzzSeed, numRuns: fuzzRuns(30) },
    );
    expect(
      result.failed
        ? `${result.errorInstance} — ${JSON.stringify(result.counterexample)?.slice(0, 300)}`
        : null,
    ).toBeNull();
  });

  it('binary frames are refused as malformed and the socket stays usable', async () => {
    const count = { sent: 0, accepted: 0 };
    counts['binary frames'] = count;
    let client = await phone();
    let onSocket = 0;
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 4096 }), async (bytes) => {
        if (onSocket++ >= framesPerSocket) {
          client.close();
          client = await phone();
          onSocket = 1;
        }
        const answer = await probe(client, Buffer.from(bytes), count);
        expect(answer).toMatchObject({ type: 'error', code: 'live.malformed' });
      }),
      { seed: fuzzSeed, numRuns: fuzzRuns(30) },
    );
  });

  it('oversized frames, text or binary, close the socket with 1009 and write nothing', async () => {
    const count = { sent: 0, accepted: 0 };
    counts['oversized frames'] = count;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: maxFrameBytes + 1, max: 8 * maxFrameBytes }),
        fc.boolean(),
        async (size, binary) => {
          count.sent++;
          const client = await phone();
          const before = await writes();
          client.sendRaw(
            binary ? Buffer.alloc(size, 7) : JSON.stringify({ type: 'ping', pad: 'x'.repeat(size) }),
          );
          expect(await client.waitForClose()).toMatchObject({ code: 1009 });
          expect(changedTables(before, await writes())).toEqual([]);
        },
      ),
      { seed: fuzzSeed, numRuns: Math.ceil(fuzzRuns(30) / 6) },
    );
  });

  it('a flood of fuzz is rate-limited and then closed with 4008, writing nothing', async () => {
    const count = { sent: 0, accepted: 0 };
    counts.floods = count;
    const frames = fc.oneof(brokenJson, fc.constant('{"type":"ping"}'));
    await fc.assert(
      fc.asyncProperty(fc.array(frames, { minLength: 150, maxLength: 300 }), async (flood) => {
        const client = await phone();
        const before = await writes();
        for (const frame of flood) if (Buffer.byteLength(frame) <= maxFrameBytes) client.sendRaw(frame);
        count.sent += flood.length;
        expect(
          await client.waitFor((f) => f.type === 'error' && f.code === 'live.rateLimited', 0),
        ).toMatchObject({
          retry: true,
        });
        expect(await client.waitForClose()).toMatchObject({ code: closeCodes.flooding });
        expect(changedTables(before, await writes())).toEqual([]);
      }),
      { seed: fuzzSeed, numRuns: 2 },
    );
  });
});
