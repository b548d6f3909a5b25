import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueSetupTokenIfNeeded } from '../../server/auth/setup.ts';
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
import { dbVariantsFromEnv } from '../support/db-variants.ts';

const variant = dbVariantsFromEnv()[0]!;

describe.runIf(browserTestsEnabled())('first start in Chromium', () => {
  let served: ServedApp;
  let browser: Browser;
  beforeAll(async () => {
    served = await serveApp(variant);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await served?.close();
  });

  it('an operator opens the printed link, creates the administrator, signs in and adds a branch', async () => {
    const setupUrl = (await issueSetupTokenIfNeeded(served.db, served.baseUrl))!;
    const context = await newContext(browser, { viewport: 'phone' });
    const page = await context.newPage();
    const errors = collectPageErrors(page);

    await page.goto(setupUrl);
    await page.getByLabel('组织名称').fill('明镜测试党委');
    await page.getByLabel('姓名').fill('王管理');
    await page.getByLabel('登录名').fill('wang');
    await page.getByLabel(/^密码/).fill('a long enough password');
    await screenshot(page, 'setup', '01-setup-form-phone');
    await page.getByRole('button', { name: '提交' }).click();

    await page.waitForURL(/\/sign-in/);
    await page.getByLabel('登录名').fill('wang');
    await page.getByLabel('密码').fill('a long enough password');
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('link', { name: '明镜测试党委' }).click();
    await page.getByRole('heading', { name: /明镜测试党委/ }).waitFor();

    await page.getByLabel('组织名称').fill('第一党支部');
    await page.getByLabel('组织类别').selectOption('partyBranch');
    await page.getByRole('button', { name: '添加' }).first().click();
    await page.getByRole('link', { name: '第一党支部' }).waitFor();
    await screenshot(page, 'setup', '02-committee-page-phone');
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);

    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Add a sub-organization' }).waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });
});
