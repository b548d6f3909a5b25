/**
 * Two nodes on one PostgreSQL: node B starts on the same database (nodes learn of each other's
 * changes through LISTEN/NOTIFY, bus.ts), half the phones move to it, and the projector watches from
 * node B while everyone votes within the window. For each ack a phone on node A receives, the delay
 * is the time until node B's projector shows at least as many answers as had been acknowledged
 * (on either node) by then — the ballot is committed, so the count must come to include it.
 */
import { distribution, round1, sleep } from '../env.ts';
import type { LiveBench } from '../live-bench.ts';
import { appraisalBallot } from '../world.ts';

export async function twoNodes(bench: LiveBench) {
  const { log, windowMs } = bench.options;
  await bench.joinAll();
  const n = bench.clients.length;
  const nodeB = await bench.startNode();
  const onB = bench.clients.filter((_, i) => i % 2 === 1);
  log(`two nodes: moving ${onB.length} of ${n} phones to node B`);
  await bench.moveTo(onB, nodeB);
  const projector = await bench.projector(nodeB);

  const roundId = await bench.host.openRound(bench.nextTitle('年度民主评议党员'), { kind: 'appraisal' });
  await projector.waitForState((s) => s.rounds.some((r) => r.id === roundId && r.state === 'open'));
  await sleep(500);
  // Node B's projector count over time.
  const counts: Array<{ at: number; answered: number }> = [];
  projector.ws!.on('message', () => {
    const answered = projector.round(roundId)?.answered ?? 0;
    if (answered > (counts.at(-1)?.answered ?? 0)) counts.push({ at: performance.now(), answered });
  });

  const bSet = new Set(onB);
  const results = await Promise.all(
    bench.clients.map(async (client) => {
      await sleep(Math.random() * windowMs);
      const cast = client.ballot(roundId, appraisalBallot(bench.world.gradedIds));
      return { node: bSet.has(client) ? 'B' : 'A', cast, answer: await cast.answer };
    }),
  );
  await projector.waitForState(
    (s) => s.rounds.some((r) => r.id === roundId && r.answered === n),
    `${n} of ${n} on node B's projector`,
  );
  const ackTimes = results
    .filter((r) => r.answer.ok)
    .map((r) => r.answer.at)
    .sort((a, b) => a - b);
  const delays: number[] = [];
  for (const r of results) {
    if (r.node !== 'A' || !r.answer.ok) continue;
    // How many acks had arrived by this one (binary search in the sorted ack times).
    let lo = 0;
    let hi = ackTimes.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ackTimes[mid]! <= r.answer.at) lo = mid + 1;
      else hi = mid;
    }
    const shown = counts.find((c) => c.answered >= lo);
    if (shown) delays.push(Math.max(0, shown.at - r.answer.at));
  }
  const durable = await bench.durable(roundId);
  await bench.host.closeRound(roundId);
  projector.close();
  const acked = results.filter((r) => r.answer.ok);
  const lost = acked.filter((r) => !durable.receipts.has(r.cast.receipt)).length;
  const ack = distribution(acked.map((r) => r.answer.at - r.cast.sentAt));
  const delay = distribution(delays);
  // Everyone back on node A for whatever runs next.
  await bench.moveTo(onB, bench.nodeA);
  await bench.stopServer(nodeB);

  const result = {
    participants: n,
    onNodeB: onB.length,
    ackToProjectorOnB: delay,
    ballotAck: ack,
    durable: { ballots: durable.ballots, duplicates: durable.duplicates, lostAcknowledged: lost },
  };
  return {
    result,
    table: [
      ['phones on node A / node B', `${n - onB.length} / ${onB.length}`],
      [
        'ack on node A → count on node B projector p50 / p99 / max',
        `${delay.p50} / ${delay.p99} / ${round1(delay.max)} ms`,
      ],
      ['ballot ack latency p50 / p99 (both nodes)', `${ack.p50} / ${ack.p99} ms`],
      [
        'ballots durable / duplicates / lost after ack',
        `${durable.ballots} of ${n} / ${durable.duplicates} / ${lost}`,
      ],
    ] as Array<[string, string]>,
  };
}
