/**
 * Reconnect storm: while a poll is being answered, every phone loses its connection at the same
 * moment (the Wi-Fi access point restarts) — some ballots are in flight, their acks lost — and all
 * reconnect at random moments within 5 s, say hello with the seq they hold, get their snapshot and
 * resend what is still in their outbox with the same clientId. Measures the time until every phone
 * holds its snapshot again, and checks that every acknowledged ballot is in the database exactly
 * once and nothing was counted twice.
 */
import { allWithin, distribution, round1, sleep } from '../env.ts';
import type { LiveBench } from '../live-bench.ts';
import type { Answer, Cast } from '../load.ts';
import { pollBallot, pollConfig } from '../world.ts';

/** Ballots go out over this long; the drop comes in the middle of it. */
const castingMs = 1000;

export async function reconnectStorm(bench: LiveBench) {
  const { log } = bench.options;
  await bench.joinAll();
  const n = bench.clients.length;
  // The storm: everyone back within 5 s.
  const spreadMs = bench.options.short ? 1000 : 5000;
  log(`reconnect storm: ${n} phones`);
  const roundId = await bench.host.openRound(bench.nextTitle('表决'), pollConfig(9));
  await sleep(300);

  const casts: Cast[] = [];
  const answers: Array<Promise<Answer>> = [];
  const casting = Promise.all(
    bench.clients.map(async (client) => {
      await sleep(Math.random() * castingMs);
      const cast = client.ballot(roundId, pollBallot());
      casts.push(cast);
      answers.push(cast.answer);
    }),
  );
  await sleep(castingMs / 2);
  const ackedBeforeDrop = (await allWithin(answers, 0)).filter((a) => a?.ok).length;
  const dropAt = performance.now();
  for (const client of bench.clients) client.drop();
  await casting; // phones still offline queue their ballot in the outbox, like a phone would
  const inOutbox = bench.clients.reduce((sum, c) => sum + c.outbox.size, 0);

  const snapshotTimes: number[] = [];
  const failures: string[] = [];
  await Promise.all(
    bench.clients.map(async (client) => {
      await sleep(Math.random() * spreadMs);
      const t0 = performance.now();
      try {
        await bench.joinWithRetry(client, bench.nodeA);
        snapshotTimes.push(performance.now() - t0);
        client.resendOutbox();
      } catch (err) {
        failures.push((err as Error).message);
      }
    }),
  );
  const allSnapshotsAfterDropMs = performance.now() - dropAt;
  const final = await allWithin(answers, 30_000);
  const unanswered = final.filter((a) => a === undefined).length;
  const durable = await bench.durable(roundId);
  const acked = casts.filter((_, i) => final[i]?.ok);
  const lost = acked.filter((c) => !durable.receipts.has(c.receipt)).length;
  const duplicateAcks = final.filter((a) => a?.ok && a.duplicate).length;
  await bench.host.closeRound(roundId);

  const reconnect = distribution(snapshotTimes);
  const result = {
    phones: n,
    ackedBeforeDrop,
    inOutboxAtDrop: inOutbox,
    reconnected: snapshotTimes.length,
    failures: failures.length,
    allSnapshotsAfterDropMs: round1(allSnapshotsAfterDropMs),
    reconnectToSnapshot: reconnect,
    acknowledged: acked.length,
    unansweredAfter30s: unanswered,
    acknowledgedAsDuplicate: duplicateAcks,
    durable: { ballots: durable.ballots, duplicates: durable.duplicates, lostAcknowledged: lost },
  };
  return {
    result,
    table: [
      [`phones dropped at once / reconnected within ${spreadMs / 1000} s`, `${n} / ${snapshotTimes.length}`],
      ['time from the drop until every phone has its snapshot', `${round1(allSnapshotsAfterDropMs)} ms`],
      [
        'one reconnect: socket → snapshot p50 / p99 / max',
        `${reconnect.p50} / ${reconnect.p99} / ${reconnect.max} ms`,
      ],
      ['ballots acked before the drop / waiting in outboxes', `${ackedBeforeDrop} / ${inOutbox}`],
      ['resends answered "duplicate" (committed, ack lost)', `${duplicateAcks}`],
      ['ballots still unanswered 30 s after the storm', `${unanswered}`],
      ['acknowledged ballots lost / doubled', `${lost} / ${durable.duplicates}`],
      ['ballots durable', `${durable.ballots} of ${n}`],
    ] as Array<[string, string]>,
  };
}
