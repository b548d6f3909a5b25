import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientMessage } from '../../shared/schemas/live.ts';
import { clientMessage } from '../../shared/schemas/live.ts';
import { openMeetingIn, parseSocketGrid, socketAccess } from '../access/live-socket.ts';
import {
  type Actor,
  actorLogins,
  actors,
  type MatrixWorld,
  placeOrganization,
  places,
} from '../access/matrix.ts';
import { dbVariantsFromEnv } from '../support/db-variants.ts';
import { grant, insertAccount, seedCommittee } from '../support/fixtures.ts';
import { type Frame, LiveClient } from '../support/live-client.ts';
import { type ListeningApp, startLiveApp } from '../support/live-fixtures.ts';

// One database variant, like the HTTP matrix: this exercises authentication and scoping.
const variant = dbVariantsFromEnv()[0]!;

describe(`${variant}: websocket access-control matrix`, () => {
  let t: ListeningApp;
  let world: MatrixWorld;
  const cookies = new Map<Actor, string | undefined>();

  beforeAll(async () => {
    t = await startLiveApp(variant);
    const seeded = await seedCommittee(t.db, 2);
    const observerAccount = await insertAccount(t.db, 'observerA', '列席人员');
    await grant(t.db, observerAccount, seeded.branchA.id, 'observer');
    world = { ...seeded, db: t.db, observerAccount };
    for (const actor of actors) {
      cookies.set(
        actor,
        actor === 'anonymous' ? undefined : (await t.client().signIn(actorLogins[actor])).cookieHeader(),
      );
    }
  });
  afterAll(() => t?.close());

  it('has an entry for every message type a client may send', () => {
    const types = clientMessage.options.map((option) => option.shape.type.value);
    expect(socketAccess.map((entry) => entry.type).sort()).toEqual([...types].sort());
  });

  for (const entry of socketAccess) {
    it(entry.type, async () => {
      const expected = parseSocketGrid(entry.expect);
      const failures: string[] = [];
      for (const actor of actors) {
        for (const place of places) {
          const org = placeOrganization(world, place);
          const fixture = await entry.fixture(world, org, place);
          // The socket joins the place's meeting for the hello row and in the actor's own branch;
          // elsewhere it joins a meeting of the actor's branch and asks about the place's.
          const home =
            entry.type === 'hello' || place === 'own'
              ? fixture.meetingId
              : (await openMeetingIn(world, world.branchA)).meetingId;
          const got = await outcome(actor, home, entry.type === 'hello' ? null : fixture.message);
          if (got !== expected[actor][place]) {
            failures.push(`${actor} @ ${place}: expected ${expected[actor][place]}, got ${got}`);
          }
        }
      }
      expect(failures).toEqual([]);
    });
  }

  /**
   * Joins `meetingId` as the actor (signed-in session) and sends the message. The hello's refusal
   * is the outcome when it is refused; `message` null asks for the role the welcome granted.
   */
  async function outcome(actor: Actor, meetingId: string, message: ClientMessage | null): Promise<string> {
    const cookie = cookies.get(actor);
    const client = await new LiveClient({ url: t.ws, ...(cookie ? { cookie } : {}) }).open();
    try {
      try {
        await client.join(meetingId, { kind: 'session' });
      } catch (err) {
        return (err as Error).message.replace('join refused: ', '');
      }
      if (!message) return client.welcome!.role;
      const since = client.frames.length;
      client.send(message);
      const answer = await client.waitFor((f) => answers(message, f), since);
      if (answer.type === 'error') return answer.code;
      if (answer.type === 'items') return `items:${answer.items.length}`;
      return 'ok';
    } finally {
      client.close();
    }
  }
});

/** Whether a frame is the answer to the message: its ack/error, or the reply of its kind. */
function answers(message: ClientMessage, frame: Frame): boolean {
  if (frame.type === 'error') return !('clientId' in message) || frame.clientId === message.clientId;
  switch (message.type) {
    case 'ping':
      return frame.type === 'pong';
    case 'resync':
      return frame.type === 'snapshot';
    case 'getBulletin':
      return frame.type === 'bulletin';
    case 'checkItems':
      return frame.type === 'items';
    default:
      return (
        frame.type === 'ack' && frame.clientId === ('clientId' in message ? message.clientId : undefined)
      );
  }
}
