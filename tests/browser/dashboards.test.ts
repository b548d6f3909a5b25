import { readFile } from 'node:fs/promises';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  artifactsDir,
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
import { grant, insertAccount, insertOrganization } from '../support/fixtures.ts';
import { generateHistory } from '../support/history.ts';

const variant = dbVariantsFromEnv()[0]!;
const suite = 'dashboards';

/**
 * The committee's desk and a branch's page on two years of generated history (strong, middling,
 * weak and tiny branches): on a laptop and a 360-px phone, with their exports, the printable
 * quarterly report and the access log. Screenshots go to test-artifacts/dashboards/.
 */
describe.runIf(browserTestsEnabled())('quality dashboards in Chromium', () => {
  let served: ServedApp;
  let browser: Browser;
  let committee: { id: string; ancestry: string[] };
  const branchIds = new Map<string, string>();

  beforeAll(async () => {
    served = await serveApp(variant);
    committee = await insertOrganization(served.db, '示范基层党委', 'primaryCommittee');
    const general = await insertOrganization(served.db, '机关党总支', 'generalBranch', committee);
    const viewer = await insertAccount(served.db, 'zuzhibu', '党委组织部');
    await grant(served.db, viewer, committee.id, 'committeeViewer');
    const histories = [
      await generateHistory(served.db, {
        parent: general,
        months: 24,
        seed: 7,
        branches: [
          { name: '机关第一党支部', members: 14, quality: 0.9, partyGroups: 2, secretaryLogin: 'jiguan1' },
          { name: '机关第二党支部', members: 11, quality: 0.6 },
          { name: '后勤党支部', members: 9, quality: 0.5 },
        ],
      }),
      await generateHistory(served.db, {
        parent: committee,
        months: 24,
        seed: 11,
        branches: [
          { name: '车间党支部', members: 12, quality: 0.15 },
          { name: '研发党支部', members: 18, quality: 0.8 },
          { name: '离退休党支部', members: 4, quality: 0.6 },
        ],
      }),
    ];
    for (const h of histories) for (const b of h.branches) branchIds.set(b.name, b.id);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await served?.close();
  });

  async function expectAccessible(page: Page) {
    expect(await seriousAxeViolations(page)).toEqual([]);
  }

  it('a committee officer at a laptop sees which branches need attention and why, and opens one', async () => {
    const context = await newContext(browser, { viewport: 'laptop' });
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    const url = `/orgs/${committee.id}/committee-dashboard`;
    await signInAt(page, served.baseUrl, 'zuzhibu', url);
    await page.getByRole('heading', { name: '示范基层党委 各支部质量看板' }).waitFor();
    const table = page.locator('table.branches');
    await expect.poll(() => table.locator('tbody tr').count()).toBe(6);
    // Attention first: the weak branch leads the table with its reasons.
    const firstRow = table.locator('tbody tr').first();
    expect(await firstRow.locator('td.name').textContent()).toContain('车间党支部');
    expect(await firstRow.locator('.reasons .badge').count()).toBeGreaterThan(0);
    // The tiny branch's survey figures are withheld, and the page says why.
    const tiny = table.locator('tbody tr', { hasText: '离退休党支部' });
    await expect.poll(() => tiny.getByText('少于 5 份，不显示').count()).toBe(1);
    // An index explains itself when tapped.
    const index = firstRow.locator('td.index details.explained');
    await index.locator('summary').click();
    await expect.poll(() => index.locator('li').count()).toBeGreaterThan(1);
    expect(await index.textContent()).toMatch(/规定会议按时召开率|支部指数/);
    // The comparison is a chart of intervals, not a rank.
    await page.getByRole('heading', { name: '各支部比较' }).waitFor();
    await page.locator('mj-chart canvas').first().waitFor();
    // The explanation floats over the table (a viewport shot: a full-page one re-lays the page out).
    await page.screenshot({ path: path.join(artifactsDir, suite, '00-committee-explanation-open.png') });
    await screenshot(page, suite, '01-committee-laptop');
    await expectAccessible(page);

    await firstRow.locator('td.name a').click();
    await page.getByRole('heading', { name: '车间党支部 质量看板' }).waitFor();
    await page.getByRole('heading', { name: /规定会议日历/ }).waitFor();
    await expect.poll(() => page.locator('mj-chart canvas').count()).toBeGreaterThanOrEqual(3);
    expect(await page.getByText('上级党组织查看').count()).toBe(1);
    // Member-level figures stay in the branch: no absence warnings for the committee.
    expect(await page.getByText('连续 3 个月未参加组织生活的党员').count()).toBe(0);
    await screenshot(page, suite, '02-branch-laptop');
    await expectAccessible(page);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('downloads the ledger and the figures from the page that shows them', async () => {
    const context = await newContext(browser, { viewport: 'laptop' });
    const page = await context.newPage();
    const branch = branchIds.get('机关第一党支部')!;
    await signInAt(page, served.baseUrl, 'zuzhibu', `/orgs/${branch}/dashboard`);
    await page.getByRole('heading', { name: '机关第一党支部 质量看板' }).waitFor();
    const [ledger] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: '下载台账（Excel）' }).click(),
    ]);
    expect(ledger.suggestedFilename()).toMatch(/^机关第一党支部台账（\d{4}-Q\d）\.xlsx$/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await readFile((await ledger.path())!)) as any);
    // A committee's copy: the branch's aggregates, no attendance list.
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['概况', '会议', '整改']);
    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: '导出汇总（CSV）' }).click(),
    ]);
    const text = await readFile((await csv.path())!, 'utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text).toContain('支部指数');
    await context.close();
  });

  it('works on a 360-px phone: cards instead of tables, no sideways scrolling', async () => {
    const context = await newContext(browser, { viewport: 'phone' });
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await signInAt(page, served.baseUrl, 'zuzhibu', `/orgs/${committee.id}/committee-dashboard`);
    await page.getByRole('heading', { name: '示范基层党委 各支部质量看板' }).waitFor();
    await expect.poll(() => page.locator('ul.branch-cards > li').count()).toBe(6);
    await page.locator('mj-chart canvas').first().waitFor();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await screenshot(page, suite, '03-committee-phone');
    await expectAccessible(page);

    await page.locator('ul.branch-cards > li').first().getByRole('link').first().click();
    await page.getByRole('heading', { name: /质量看板/ }).waitFor();
    await page.getByRole('heading', { name: /规定会议日历/ }).waitFor();
    await expect.poll(() => page.locator('mj-chart canvas').count()).toBeGreaterThanOrEqual(3);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await screenshot(page, suite, '04-branch-phone');
    await expectAccessible(page);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("shows a branch's own secretary the warnings about members, with the branch's k", async () => {
    const context = await newContext(browser, { viewport: 'phone' });
    const page = await context.newPage();
    const branch = branchIds.get('机关第一党支部')!;
    await signInAt(page, served.baseUrl, 'jiguan1', `/orgs/${branch}`);
    await page.getByRole('link', { name: '质量看板' }).click();
    await page.getByRole('heading', { name: '机关第一党支部 质量看板' }).waitFor();
    expect(await page.getByText('支部内查看：少于 3 份答卷').count()).toBe(1);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await screenshot(page, suite, '05-branch-phone-secretary');
    await context.close();
  });

  it('prints the quarterly report on A4 and lists every look in the access log', async () => {
    const context = await newContext(browser, { viewport: 'laptop' });
    const page = await context.newPage();
    await signInAt(page, served.baseUrl, 'zuzhibu', `/orgs/${committee.id}/committee-dashboard`);
    await page.getByRole('heading', { name: '示范基层党委 各支部质量看板' }).waitFor();
    await page.getByRole('link', { name: '季度报告' }).click();
    await page.getByRole('heading', { name: /组织生活质量报告/ }).waitFor();
    expect(await page.getByText('一、总体情况').count()).toBe(1);
    await page.emulateMedia({ media: 'print' });
    expect(await page.getByRole('button', { name: '打印' }).isVisible()).toBe(false);
    await screenshot(page, suite, '06-quarterly-report-print');
    await page.emulateMedia({ media: 'screen' });
    await expectAccessible(page);

    await page.goto(`${served.baseUrl}/orgs/${committee.id}/dashboard-access-log`);
    await page.getByRole('heading', { name: '访问记录' }).waitFor();
    await expect.poll(() => page.locator('tbody tr').count()).toBeGreaterThan(3);
    expect(await page.getByRole('cell', { name: '季度报告' }).count()).toBeGreaterThan(0);
    expect(await page.getByRole('cell', { name: '下载台账' }).count()).toBeGreaterThan(0);
    await screenshot(page, suite, '07-access-log');
    await expectAccessible(page);
    await context.close();
  });

  it('reads in English too', async () => {
    const context = await newContext(browser, { viewport: 'laptop' });
    const page = await context.newPage();
    await signInAt(page, served.baseUrl, 'zuzhibu', `/orgs/${committee.id}/committee-dashboard`);
    await page.getByRole('heading', { name: '示范基层党委 各支部质量看板' }).waitFor();
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: '示范基层党委: branches at a glance' }).waitFor();
    expect(await page.getByText('Fewer than 5 responses; not shown').count()).toBeGreaterThan(0);
    await screenshot(page, suite, '08-committee-laptop-en');
    await context.close();
  });
});
