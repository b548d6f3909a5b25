import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DB } from '../../server/db/schema.ts';
import type { BusHandler, BusMessage, LiveBus } from '../../server/live/bus.ts';
import { LiveHub, tickMs } from '../../server/live/hub.ts';
import type { ViewLoader } from '../../server/live/views.ts';

/** A bus that records what the hub publishes. */
class RecordingBus implements LiveBus {
  readonly published: BusMessage[][] = [];
  async start(_handler: BusHandler) {}
  async publish(messages: readonly BusMessage[]) {
    this.published.push([...messages]);
  }
  async close() {}
}

const meetingA = '6f1c2a9e-3b7d-4c51-9a2e-8d4f0b7c1e23';
const meetingB = '4e7b2d9c-1a3f-4b6e-8c5d-7f0a3e1b9d26';

describe('the hub announces changes coalesced', () => {
  let bus: RecordingBus;
  let hub: LiveHub;
  beforeEach(async () => {
    vi.useFakeTimers();
    bus = new RecordingBus();
    // No sockets are connected, so the hub never touches the database or the views here.
    hub = new LiveHub(
      {} as Kysely<DB>,
      bus,
      {} as ViewLoader,
      { warn: () => {} } as unknown as FastifyBaseLogger,
    );
    await hub.start();
  });
  afterEach(async () => {
    await hub.stop();
    vi.useRealTimers();
  });

  it('sends one tiny message per meeting per tick, never one per ballot, with no content', async () => {
    for (let i = 0; i < 500; i++) hub.noteProgress(meetingA);
    hub.noteEvent(meetingA, 7);
    hub.noteEvent(meetingA, 9);
    hub.noteEvent(meetingA, 8);
    hub.noteProgress(meetingB);
    expect(bus.published).toEqual([]);
    await vi.advanceTimersByTimeAsync(tickMs);
    expect(bus.published).toEqual([
      [
        { m: meetingA, p: 1, s: 9 },
        { m: meetingB, p: 1 },
      ],
    ]);
    // Nothing new, nothing sent.
    await vi.advanceTimersByTimeAsync(tickMs * 5);
    expect(bus.published).toHaveLength(1);
    hub.noteCredentials(meetingB);
    await vi.advanceTimersByTimeAsync(tickMs);
    expect(bus.published[1]).toEqual([{ m: meetingB, c: 1 }]);
    for (const message of bus.published.flat()) expect(JSON.stringify(message).length).toBeLessThan(80);
  });

  it('announces what is still pending when it stops', async () => {
    hub.noteEvent(meetingA, 3);
    await hub.stop();
    expect(bus.published).toEqual([[{ m: meetingA, s: 3 }]]);
  });
});
