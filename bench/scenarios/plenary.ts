/**
 * Plenary appraisal: N phones join and check in with the host console and the projector watching;
 * the host opens an appraisal ballot; each phone grades the 30 graded members once, at a random
 * moment within the window. Measures join time, ack latency (send → ack, which the server sends
 * only after the commit), what is durable in PostgreSQL, how long after the last ack the projector
 * shows N of N, and the server's RSS and event-loop delay over the burst.
 */
import { distribution, round1, sleep } from '../env.ts';
import type { LiveBench } from '../live-bench.ts';
import { appraisalBallot } from '../world.ts';

export async function plenary(bench: LiveBench) {
  const { log, windowMs } = bench.options;
  const n = bench.clients.length;
  log(`plenary appraisal: ${n} participants`);
  const hostConsole = await bench.hostConsole();
  const projector = await bench.projector();
  const { times: joinTimes, seconds: joinSeconds } = await bench.joinAll();
  await projector.waitForState((s) => s.attendance?.present === n, `${n} present on the projector`);

  const roundId = await bench.host.openRound(bench.nextTitle('年度民主评议党员'), { kind: 'appraisal' });
  await projector.waitForState((s) => s.rounds.some((r) => r.id === roundId && r.state === 'open'));
  // Phones learn of the round from the event frame before they vote, as people would.
  await sleep(500);

  // When the projector first shows N of N: checked after the client applied each frame.
  let shownAllAt: number | undefined;
  projector.ws!.on('message', () => {
    if (shownAllAt === undefined && projector.round(roundId)?.answered === n) shownAllAt = performance.now();
  });
  let peakRss = 0;
  const sampler = setInterval(async () => {
    peakRss = Math.max(peakRss, (await bench.nodeA.stats()).rssMiB);
  }, 250);
  await bench.nodeA.resetStats();
  bench.generatorDelay.reset();
  const started = performance.now();
  const casts = await Promise.all(
    bench.clients.map(async (client) => {
      await sleep(Math.random() * windowMs);
      const cast = client.ballot(roundId, appraisalBallot(bench.world.gradedIds));
      return { cast, answer: await cast.answer };
    }),
  );
  const burstSeconds = (performance.now() - started) / 1000;
  const server = await bench.nodeA.stats();
  const generatorP99 = round1(bench.generatorDelay.percentile(99) / 1e6);
  clearInterval(sampler);
  const lastAck = Math.max(...casts.map((c) => c.answer.at));
  await projector.waitForState(
    (s) => s.rounds.some((r) => r.id === roundId && r.answered === n),
    `${n} of ${n} on the projector`,
  );
  const acked = casts.filter((c) => c.answer.ok);
  const durable = await bench.durable(roundId);
  const lost = acked.filter((c) => !durable.receipts.has(c.cast.receipt)).length;
  await bench.host.closeRound(roundId);
  const hostSawAll = hostConsole.answered.get(roundId) === n;
  hostConsole.close();
  projector.close();

  const ack = distribution(acked.map((c) => c.answer.at - c.cast.sentAt));
  const result = {
    participants: n,
    join: { ...distribution(joinTimes), seconds: round1(joinSeconds), retried: bench.joinRetries },
    windowSeconds: windowMs / 1000,
    burstSeconds: round1(burstSeconds),
    ballotAck: ack,
    refused: casts.length - acked.length,
    durable: {
      ballots: durable.ballots,
      participations: durable.participations,
      duplicates: durable.duplicates,
      lostAcknowledged: lost,
    },
    projectorAllAfterLastAckMs: round1(Math.max(0, (shownAllAt ?? performance.now()) - lastAck)),
    hostConsoleSawAll: hostSawAll,
    loadGeneratorEventLoopP99Ms: generatorP99,
    server: {
      rssMiB: Math.max(peakRss, server.rssMiB),
      eventLoopP99Ms: server.eventLoopP99Ms,
      eventLoopMaxMs: server.eventLoopMaxMs,
    },
  };
  return {
    result,
    table: [
      ['participants joined and checked in', `${n}`],
      [
        'join time p50 / p99 (joins retried)',
        `${result.join.p50} / ${result.join.p99} ms (${bench.joinRetries})`,
      ],
      [
        `ballot ack latency p50 / p99 / max (${result.windowSeconds} s window)`,
        `${ack.p50} / ${ack.p99} / ${ack.max} ms`,
      ],
      [
        'ballots durable / duplicates / lost after ack',
        `${durable.ballots} of ${n} / ${durable.duplicates} / ${lost}`,
      ],
      ['projector shows N of N after the last ack', `${result.projectorAllAfterLastAckMs} ms`],
      ['server RSS (peak sampled)', `${result.server.rssMiB} MiB`],
      [
        'event-loop delay p99 / max during the burst',
        `${server.eventLoopP99Ms} / ${server.eventLoopMaxMs} ms`,
      ],
      ['load generator event-loop delay p99 (same burst)', `${generatorP99} ms`],
    ] as Array<[string, string]>,
  };
}
