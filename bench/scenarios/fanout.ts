/**
 * Fan-out ceiling: how fast one broadcast reaches N sockets. The host changes the timer (one event
 * frame to every phone and the projector); for each broadcast the rate is N deliveries divided by
 * the time from the first socket receiving it to the last. In the same run a bare `ws` server
 * (bench/server.ts, BENCH_BARE=1) sends a frame of the same size to as many sockets, measured the
 * same way; the ratio compares the app's send path with the plainest one there is. The app's full
 * path — command, commit, bus, one read, one serialization — is reported too, from the command to
 * the last delivery.
 */
import WebSocket from 'ws';
import { distribution, inBatches, round1, sleep } from '../env.ts';
import type { LiveBench } from '../live-bench.ts';

/** Longer than the hub's coalescing tick, so each timer change is its own broadcast. */
const spacingMs = 300;

interface Spread {
  first: number;
  last: number;
  count: number;
}

function rates(spreads: Spread[], expected: number) {
  const complete = spreads.filter((s) => s.count === expected);
  const perSecond = complete.map((s) => expected / (Math.max(s.last - s.first, 0.001) / 1000));
  const sorted = [...perSecond].sort((a, b) => a - b);
  return { median: Math.round(sorted[Math.floor(sorted.length / 2)] ?? 0), complete: complete.length };
}

export async function fanout(bench: LiveBench) {
  const { log } = bench.options;
  await bench.joinAll();
  const n = bench.clients.length;
  const broadcasts = bench.options.short ? 4 : 15;
  log(`fan-out ceiling: ${n} sockets`);

  // The app: the k-th event frame each phone receives from now on belongs to the k-th timer change.
  const appSpreads: Spread[] = Array.from({ length: broadcasts }, () => ({
    first: Infinity,
    last: 0,
    count: 0,
  }));
  const seen = new Map<object, number>();
  let frameText = '';
  for (const client of bench.clients) {
    seen.set(client, 0);
    client.onEvent = (at, text) => {
      const k = seen.get(client)!;
      seen.set(client, k + 1);
      const spread = appSpreads[k];
      if (!spread) return;
      frameText ||= text;
      spread.first = Math.min(spread.first, at);
      spread.last = Math.max(spread.last, at);
      spread.count += 1;
    };
  }
  const commandToLast: number[] = [];
  for (let k = 0; k < broadcasts; k++) {
    const t0 = performance.now();
    await bench.host.command('PUT', '/timer', { seconds: 60 + k, label: '发言计时' });
    const deadline = performance.now() + 10_000;
    while (appSpreads[k]!.count < n && performance.now() < deadline) await sleep(5);
    commandToLast.push(appSpreads[k]!.last - t0);
    await sleep(spacingMs);
  }
  for (const client of bench.clients) client.onEvent = undefined;
  await bench.host.command('DELETE', '/timer');
  const app = rates(appSpreads, n);

  // The baseline: a bare ws server, N fresh sockets, the same frame.
  const bare = await bench.startBare();
  const sockets = await inBatches(
    Array.from({ length: n }, (_, i) => i),
    200,
    () =>
      new Promise<WebSocket>((resolve, reject) => {
        const ws = new WebSocket(bare.ws, { perMessageDeflate: false });
        ws.once('open', () => resolve(ws));
        ws.once('error', reject);
      }),
  );
  const bareSpreads: Spread[] = Array.from({ length: broadcasts }, () => ({
    first: Infinity,
    last: 0,
    count: 0,
  }));
  const bareSeen = new Map<WebSocket, number>();
  for (const ws of sockets) {
    bareSeen.set(ws, 0);
    ws.on('message', (data) => {
      const at = performance.now();
      // Parsed like the phones parse theirs, so both sides pay the same on the receiving end.
      JSON.parse(data.toString());
      const k = bareSeen.get(ws)!;
      bareSeen.set(ws, k + 1);
      const spread = bareSpreads[k];
      if (!spread) return;
      spread.first = Math.min(spread.first, at);
      spread.last = Math.max(spread.last, at);
      spread.count += 1;
    });
  }
  const frame = frameText || JSON.stringify({ type: 'event', after: 0, seq: 1, events: [] });
  for (let k = 0; k < broadcasts; k++) {
    await bare.broadcast(frame, 1);
    const deadline = performance.now() + 10_000;
    while (bareSpreads[k]!.count < n && performance.now() < deadline) await sleep(5);
    await sleep(spacingMs);
  }
  for (const ws of sockets) ws.terminate();
  await bench.stopServer(bare);
  const baseline = rates(bareSpreads, n);

  const ratio = baseline.median > 0 ? Math.round((app.median / baseline.median) * 100) / 100 : null;
  const path = distribution(commandToLast);
  const result = {
    sockets: n,
    broadcasts,
    frameBytes: Buffer.byteLength(frame),
    appDeliveriesPerSecond: app.median,
    appBroadcastsComplete: app.complete,
    bareDeliveriesPerSecond: baseline.median,
    bareBroadcastsComplete: baseline.complete,
    ratio,
    commandToLastDeliveryMs: path,
  };
  log(`  app ${app.median}/s, bare ws ${baseline.median}/s`);
  return {
    result,
    table: [
      ['broadcasts × sockets (frame size)', `${broadcasts} × ${n} (${result.frameBytes} B)`],
      [
        'app: deliveries per second within a broadcast (median)',
        `${app.median} /s (${app.complete}/${broadcasts} complete)`,
      ],
      [
        'bare ws: deliveries per second (median)',
        `${baseline.median} /s (${baseline.complete}/${broadcasts} complete)`,
      ],
      ['app ÷ bare ws', ratio === null ? '—' : `${ratio}`],
      ['app: host command → last delivery p50 / max', `${round1(path.p50)} / ${round1(path.max)} ms`],
    ] as Array<[string, string]>,
  };
}
