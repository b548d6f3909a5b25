import { randomBytes } from 'node:crypto';
import type { InjectOptions } from 'fastify';
import type { Kysely } from 'kysely';
import { inject } from 'vitest';
import { type App, type AppOptions, buildApp } from '../../server/app.ts';
import { openDatabase } from '../../server/db/connect.ts';
import type { DB } from '../../server/db/schema.ts';
import type { DbVariant } from './db-variants.ts';
import { adminQuery, withDatabase } from './global-setup.ts';

export interface TestDatabase {
  url: string;
  db: Kysely<DB>;
  close(): Promise<void>;
}

/** A fresh, migrated database of the given variant, cloned from the run's template. */
export async function createTestDatabase(variant: DbVariant): Promise<TestDatabase> {
  const prepared = inject('databases')[variant];
  if (!prepared) throw new Error(`database variant ${variant} was not prepared (DB_VARIANTS)`);
  const name = `${prepared.prefix}${randomBytes(4).toString('hex')}`;
  await adminQuery(prepared.adminUrl, `create database ${name} template ${prepared.template}`);
  const url = withDatabase(prepared.adminUrl, name);
  const handle = openDatabase({ url, poolSize: 5 });
  return {
    url,
    db: handle.db,
    close: async () => {
      await handle.close();
      await adminQuery(prepared.adminUrl, `drop database if exists ${name} with (force)`);
    },
  };
}

export const testSessionSecret = 'test-session-secret-that-is-long-enough-0123456789';

export interface TestApp {
  app: App;
  db: Kysely<DB>;
  databaseUrl: string;
  close(): Promise<void>;
  /** A cookie-keeping client, like one browser. */
  client(): TestClient;
}

export async function startTestApp(variant: DbVariant, options: Partial<AppOptions> = {}): Promise<TestApp> {
  const database = await createTestDatabase(variant);
  const app = await buildApp({
    db: database.db,
    sessionSecret: testSessionSecret,
    logger: false,
    ...options,
  });
  await app.ready();
  return {
    app,
    db: database.db,
    databaseUrl: database.url,
    close: async () => {
      await app.close();
      await database.close();
    },
    client: () => new TestClient(app),
  };
}

export interface TestResponse<T = any> {
  status: number;
  body: T;
  headers: Record<string, unknown>;
  raw: string;
}

/** Wraps app.inject with a cookie jar so a test reads like a person using one browser. */
export class TestClient {
  private cookies = new Map<string, string>();
  constructor(private readonly app: App) {}

  async request<T = any>(
    method: InjectOptions['method'],
    url: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<TestResponse<T>> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const response = await this.app.inject({
      method,
      url,
      ...(body !== undefined ? { payload: body as InjectOptions['payload'] } : {}),
      headers: { ...(cookie ? { cookie } : {}), ...headers },
    });
    for (const c of response.cookies) {
      if (
        c.value === '' ||
        (c.maxAge !== undefined && c.maxAge <= 0) ||
        (c.expires && c.expires.getTime() < Date.now())
      ) {
        this.cookies.delete(c.name);
      } else this.cookies.set(c.name, c.value);
    }
    const isJson = String(response.headers['content-type'] ?? '').includes('json');
    return {
      status: response.statusCode,
      body: (isJson && response.body ? JSON.parse(response.body) : response.body) as T,
      headers: response.headers,
      raw: response.body,
    };
  }

  get = <T = any>(url: string) => this.request<T>('GET', url);
  post = <T = any>(url: string, body?: unknown) => this.request<T>('POST', url, body ?? {});
  put = <T = any>(url: string, body?: unknown) => this.request<T>('PUT', url, body ?? {});
  patch = <T = any>(url: string, body?: unknown) => this.request<T>('PATCH', url, body ?? {});
  delete = <T = any>(url: string) => this.request<T>('DELETE', url);

  async signIn(login: string, password = testPassword): Promise<this> {
    const response = await this.post('/api/auth/login', { login, password });
    if (response.status !== 200)
      throw new Error(`sign-in as ${login} failed: ${response.status} ${response.raw}`);
    return this;
  }

  /** The raw Cookie header, for websocket upgrades. */
  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

export const testPassword = 'correct horse battery';
