import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, inject } from 'vitest';
import type { AppOptions } from '../../server/app.ts';
import { chromiumPath } from './browser-setup.ts';
import { type DbVariant, dbVariantsFromEnv } from './db-variants.ts';
import { type SeededCommittee, seedCommittee } from './fixtures.ts';
import { startTestApp, type TestApp, testPassword } from './test-app.ts';

export const browserTestsEnabled = () => inject('chromiumAvailable');

export const artifactsDir = path.resolve('test-artifacts');

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

export interface ServedApp extends TestApp {
  baseUrl: string;
}

/** The real app on a loopback port, serving the built client, on a fresh test database. */
export async function serveApp(variant: DbVariant, options: Partial<AppOptions> = {}): Promise<ServedApp> {
  // Behind a "proxy" so each browser context can come from an address of its own (newContext):
  // real people sign in from their own phones and laptops, and a suite signing everyone in from
  // 127.0.0.1 would meet the per-address sign-in limit whenever the machine is fast.
  const app = await startTestApp(variant, {
    clientDir: path.resolve('dist/client'),
    trustProxy: true,
    ...options,
  });
  const address = await app.app.listen({ port: 0, host: '127.0.0.1' });
  return { ...app, baseUrl: address };
}

export const viewports = {
  phone: { width: 360, height: 740 },
  laptop: { width: 1280, height: 800 },
} as const;

/** Each context is another device: see serveApp. */
let contextsOpened = 0;

export async function newContext(
  browser: Browser,
  options: { viewport?: keyof typeof viewports; locale?: 'zh-CN' | 'en' } = {},
): Promise<BrowserContext> {
  const viewport = viewports[options.viewport ?? 'laptop'];
  contextsOpened += 1;
  return browser.newContext({
    extraHTTPHeaders: { 'x-forwarded-for': `10.${(contextsOpened >> 8) & 255}.${contextsOpened & 255}.1` },
    viewport,
    locale: options.locale ?? 'zh-CN',
    isMobile: options.viewport === 'phone',
    hasTouch: options.viewport === 'phone',
  });
}

/** Saves a full-page screenshot under test-artifacts/<suite>/<name>.png. */
export async function screenshot(page: Page, suite: string, name: string) {
  const dir = path.join(artifactsDir, suite);
  await mkdir(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
}

/** Collects uncaught page errors so a test can assert the page stayed healthy. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  return errors;
}

/** Asserts that the page does not scroll sideways (the 360-px phone rule). */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

/** Signs in through the (Chinese) sign-in page and waits to arrive at `next`. */
export async function signIn(page: Page, baseUrl: string, login: string, next: string) {
  await page.goto(`${baseUrl}/sign-in?next=${encodeURIComponent(next)}`);
  await page.getByLabel('登录名').fill(login);
  await page.getByLabel('密码').fill(testPassword);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL((url) => url.pathname === next.split('?')[0]);
}

export interface CommitteeInChromium {
  served: ServedApp;
  browser: Browser;
  /** The standard committee (seedCommittee) on the served app's database. */
  w: SeededCommittee;
}

/**
 * What every browser suite starts from: the app served on a fresh database (first DB variant)
 * holding the standard committee, and Chromium; both closed after the suite. Call it inside the
 * describe block; the fields are set once its beforeAll has run, so read them in hooks and tests.
 */
export function committeeInChromium(membersInA: number): CommitteeInChromium {
  const suite = {} as CommitteeInChromium;
  beforeAll(async () => {
    suite.served = await serveApp(dbVariantsFromEnv()[0]!);
    suite.w = await seedCommittee(suite.served.db, membersInA);
    suite.browser = await launchChromium();
  });
  afterAll(async () => {
    await suite.browser?.close();
    await suite.served?.close();
  });
  return suite;
}
