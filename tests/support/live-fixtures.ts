import type { Kysely } from 'kysely';
import { type AppOptions, buildApp } from '../../server/app.ts';
import { openDatabase } from '../../server/db/connect.ts';
import type { DB } from '../../server/db/schema.ts';
import { PgNotifyBus } from '../../server/live/bus.ts';
import type { MeetingType } from '../../shared/domain/enums.ts';
import type { DbVariant } from './db-variants.ts';
import { LiveClient, wsUrl } from './live-client.ts';
import { createTestDatabase, startTestApp, type TestApp, TestClient, testSessionSecret } from './test-app.ts';

/**
 * Live-meeting preconditions: a meeting with invitees and observers (inserted directly, like the
 * other fixtures), an app listening on a loopback port, and ways to get each kind of participant
 * onto the socket through the real HTTP routes.
 */
export interface ListeningApp extends TestApp {
  /** http://127.0.0.1:port */
  base: string;
  /** ws://127.0.0.1:port */
  ws: string;
}

export async function startLiveApp(
  variant: DbVariant,
  options: Partial<AppOptions> = {},
): Promise<ListeningApp> {
  const app = await startTestApp(variant, options);
  const base = await app.app.listen({ port: 0, host: '127.0.0.1' });
  return { ...app, base, ws: wsUrl(base) };
}

export async function insertMeeting(
  db: Kysely<DB>,
  organizationId: string,
  options: {
    inviteeIds: string[];
    observers?: string[];
    type?: MeetingType;
    title?: string;
    hostMemberId?: string;
    recorderMemberId?: string;
  },
): Promise<{ meetingId: string; observerIds: string[] }> {
  const meeting = await db
    .insertInto('meetings')
    .values({
      organization_id: organizationId,
      type: options.type ?? 'orgLifeMeeting',
      title: options.title ?? '2026年度组织生活会',
      starts_at: new Date(),
      host_member_id: options.hostMemberId ?? null,
      recorder_member_id: options.recorderMemberId ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (options.inviteeIds.length > 0)
    await db
      .insertInto('meeting_invitees')
      .values(options.inviteeIds.map((memberId) => ({ meeting_id: meeting.id, member_id: memberId })))
      .execute();
  const observerIds: string[] = [];
  for (const name of options.observers ?? []) {
    const row = await db
      .insertInto('meeting_observers')
      .values({ meeting_id: meeting.id, name, affiliation: '群众代表' })
      .returning('id')
      .executeTakeFirstOrThrow();
    observerIds.push(row.id);
  }
  return { meetingId: meeting.id, observerIds };
}

/** Device tokens for members, through the host's claim codes and the public claim route. */
export async function claimDevices(
  host: TestClient,
  anyone: TestClient,
  meetingId: string,
  memberIds: string[],
): Promise<Map<string, string>> {
  const issued = await host.post(`/api/meetings/${meetingId}/live/claim-codes`, { memberIds });
  if (issued.status !== 200) throw new Error(`claim codes: ${issued.status} ${issued.raw}`);
  const tokens = new Map<string, string>();
  for (const code of issued.body.codes as Array<{ memberId: string; code: string }>) {
    const claimed = await anyone.post('/api/live/claim', { code: code.code });
    if (claimed.status !== 200) throw new Error(`claim: ${claimed.status} ${claimed.raw}`);
    tokens.set(code.memberId, claimed.body.token);
  }
  return tokens;
}

/** Observer tokens, likewise. */
export async function claimObservers(host: TestClient, anyone: TestClient, meetingId: string) {
  const issued = await host.post(`/api/meetings/${meetingId}/live/observer-codes`, {});
  if (issued.status !== 200) throw new Error(`observer codes: ${issued.status} ${issued.raw}`);
  const tokens = new Map<string, string>();
  for (const code of issued.body.codes as Array<{ observerId: string; code: string }>) {
    const claimed = await anyone.post('/api/live/observe', { code: code.code });
    if (claimed.status !== 200) throw new Error(`observe: ${claimed.status} ${claimed.raw}`);
    tokens.set(code.observerId, claimed.body.token);
  }
  return tokens;
}

/** A signed-in member's or host's socket, joined. */
export async function sessionSocket(
  app: ListeningApp,
  meetingId: string,
  login: string,
  as?: 'member' | 'host',
): Promise<LiveClient> {
  const browser = await app.client().signIn(login);
  const client = await new LiveClient({ url: app.ws, cookie: browser.cookieHeader() }).open();
  return client.join(meetingId, { kind: 'session', ...(as ? { as } : {}) });
}

export async function tokenSocket(
  app: { ws: string },
  meetingId: string,
  kind: 'device' | 'observer' | 'projector',
  token: string,
): Promise<LiveClient> {
  const client = await new LiveClient({ url: app.ws }).open();
  return client.join(meetingId, { kind, token });
}

/** The projector link's token (it travels in the URL fragment). */
export async function projectorToken(host: TestClient, meetingId: string): Promise<string> {
  const response = await host.post(`/api/meetings/${meetingId}/live/projector-link`);
  if (response.status !== 200) throw new Error(`projector link: ${response.status} ${response.raw}`);
  return new URL(response.body.url).hash.slice(1);
}

/** Creates a round through the host route and returns its id. */
export async function createRound(
  host: TestClient,
  meetingId: string,
  title: string,
  config: unknown,
): Promise<string> {
  const response = await host.post(`/api/meetings/${meetingId}/live/rounds`, { title, config });
  if (response.status !== 201) throw new Error(`create round: ${response.status} ${response.raw}`);
  return response.body.id;
}

/** A host command that must succeed. */
export async function command(
  host: TestClient,
  method: 'POST' | 'PUT' | 'DELETE',
  url: string,
  body?: unknown,
) {
  const response = await host.request(method, url, body ?? (method === 'DELETE' ? undefined : {}));
  if (response.status >= 300) throw new Error(`${method} ${url}: ${response.status} ${response.raw}`);
  return response.body;
}

export interface Nodes {
  nodes: ListeningApp[];
  databaseUrl: string;
  db: Kysely<DB>;
  close(): Promise<void>;
}

/**
 * Several app nodes on one fresh database, each with its own pool and its own PgNotifyBus — what
 * several servers sharing DATABASE_URL do.
 */
export async function startNodes(
  variant: DbVariant,
  count: number,
  options: Partial<AppOptions> = {},
): Promise<Nodes> {
  const database = await createTestDatabase(variant);
  const nodes: ListeningApp[] = [];
  for (let i = 0; i < count; i++) {
    const handle = openDatabase({ url: database.url, poolSize: 5 });
    const app = await buildApp({
      db: handle.db,
      sessionSecret: testSessionSecret,
      logger: false,
      bus: new PgNotifyBus(database.url),
      ...options,
    });
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    nodes.push({
      app,
      db: handle.db,
      databaseUrl: database.url,
      base,
      ws: wsUrl(base),
      client: () => new TestClient(app),
      close: async () => {
        await app.close();
        await handle.close();
      },
    });
  }
  return {
    nodes,
    databaseUrl: database.url,
    db: database.db,
    close: async () => {
      for (const node of nodes) await node.close();
      await database.close();
    },
  };
}
