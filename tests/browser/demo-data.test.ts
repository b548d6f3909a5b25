import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoCommitteeName } from '../../server/demo/remove.ts';
import { demoPassword, seedDemo } from '../../server/demo/seed.ts';
import {
  browserTestsEnabled,
  collectPageErrors,
  horizontalOverflow,
  launchChromium,
  newContext,
  type ServedApp,
  screenshot,
  serveApp,
} from '../support/browser.ts';
import { seriousAxeViolations, signInAt } from '../support/browser-checks.ts';
import { dbVariantsFromEnv } from '../support/db-variants.ts';

const variant = dbVariantsFromEnv()[0]!;
const suite = 'demo-data';

/**
 * What an evaluator sees after `npm run demo`: the committee's dashboard and a branch's page on the
 * demo committee's year of meetings (seeded through the services, scored by the quality worker), with
 * the ledger and the CSV downloaded, on a laptop and a phone. Screenshots go to test-artifacts/demo-data/.
 */
describe.runIf(browserTestsEnabled())('dashboards on the demo data in Chromium', () => {
  let served: ServedApp;
  let browser: Browser;
  let committeeId: string;

  beforeAll(async () => {
    served = await serveApp(variant);
    ({ committeeId } = await seedDemo(served.db));
    browser = await launchChromium();
  }, 600_000);
  afterAll(async () => {
    await browser?.close();
    await served?.close();
  });

  const signIn = (page: Parameters<typeof signInAt>[0], next: string) =>
    signInAt(page, served.baseUrl, 'demo-viewer', next, 'zh-CN', demoPassword);

  it('the committee desk on a laptop: weakest branch first, its page, the ledger and the figures', async () => {
    const context = await newContext(browser, { viewport: 'laptop' });
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await signIn(page, `/orgs/${committeeId}/committee-dashboard`);
    await page.getByRole('heading', { name: `${demoCommitteeName} 各支部质量看板` }).waitFor();
    const rows = page.locator('table.branches tbody tr');
    await expect.poll(() => rows.count()).toBe(3);
    // The branch seeded weakest (missed meetings, late minutes, overdue rectification) leads.
    expect(await rows.first().locator('td.name').textContent()).toContain('研发中心第二党支部');
    await page.locator('mj-chart canvas').first().waitFor();
    await screenshot(page, suite, '01-committee-laptop');
    expect(await seriousAxeViolations(page)).toEqual([]);

    await rows.filter({ hasText: '机关第一党支部' }).locator('td.name a').click();
    await page.getByRole('heading', { name: '机关第一党支部 质量看板' }).waitFor();
    await page.getByRole('heading', { name: /规定会议日历/ }).waitFor();
    await expect.poll(() => page.locator('mj-chart canvas').count()).toBeGreaterThanOrEqual(3);
    await screenshot(page, suite, '02-branch-laptop');
    expect(await seriousAxeViolations(page)).toEqual([]);

    const [ledger] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: '下载台账（Excel）' }).click(),
    ]);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await readFile((await ledger.path())!)) as any);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['概况', '会议', '整改']);
    // The quarter's meetings are in the ledger (monthly 支委会, 党小组会, 党员大会…), not an empty template.
    expect(workbook.getWorksheet('会议')!.actualRowCount).toBeGreaterThan(5);
    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: '导出汇总（CSV）' }).click(),
    ]);
    const text = await readFile((await csv.path())!, 'utf8');
    expect(text).toContain('支部指数');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('the same desk on a 360-px phone', async () => {
    const context = await newContext(browser, { viewport: 'phone' });
    const page = await context.newPage();
    await signIn(page, `/orgs/${committeeId}/committee-dashboard`);
    await page.getByRole('heading', { name: `${demoCommitteeName} 各支部质量看板` }).waitFor();
    await expect.poll(() => page.locator('ul.branch-cards > li').count()).toBe(3);
    await page.locator('mj-chart canvas').first().waitFor();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await screenshot(page, suite, '03-committee-phone');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await context.close();
  });
});
