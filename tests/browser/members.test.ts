import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
import {
  insertMember,
  insertOrganization,
  type SeededCommittee,
  seedCommittee,
} from '../support/fixtures.ts';
import { backdateMember, monthsAgo, recordAttendance } from '../support/roster.ts';
import { branchWorkbook } from '../support/roster-files.ts';
import { testPassword } from '../support/test-app.ts';

const variant = dbVariantsFromEnv()[0]!;
const suite = 'members';

async function signIn(page: Page, baseUrl: string, login: string, next: string) {
  await page.goto(`${baseUrl}/sign-in?next=${encodeURIComponent(next)}`);
  await page.getByLabel('登录名').fill(login);
  await page.getByLabel('密码').fill(testPassword);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL((url) => url.pathname === next);
}

describe.runIf(browserTestsEnabled())('the branch roster in Chromium', () => {
  let served: ServedApp;
  let browser: Browser;
  let world: SeededCommittee;
  beforeAll(async () => {
    served = await serveApp(variant);
    browser = await launchChromium();
    world = await seedCommittee(served.db, 2);
    for (const name of ['郑无账号', '冯无账号', '褚无账号', '卫无账号'])
      await insertMember(served.db, world.branchA.id, name);
    // A little history, so the roster has something to warn about.
    await backdateMember(served.db, world.membersA[0]!.memberId, monthsAgo(12));
    await recordAttendance(served.db, {
      organizationId: world.branchA.id,
      memberId: world.membersA[0]!.memberId,
      startsAt: monthsAgo(4),
    });
    await served.db
      .insertInto('member_exemptions')
      .values({
        member_id: world.probationaryA.memberId,
        reason: 'illness',
        approved_by: '支委会',
        approved_on: '2026-09-01',
        starts_on: '2026-09-01',
      })
      .execute();
  });
  afterAll(async () => {
    await browser?.close();
    await served?.close();
  });

  it('a secretary imports an XLSX roster through the wizard on a 360-px phone', async () => {
    const context = await newContext(browser, { viewport: 'phone' });
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    const roster = `/orgs/${world.branchA.id}/members`;
    await signIn(page, served.baseUrl, 'secA', roster);

    await page.getByRole('heading', { name: '党员名册' }).waitFor();
    await page
      .locator('main')
      .getByRole('link', { name: /张书记/ })
      .waitFor();
    await screenshot(page, suite, '01-roster-phone');
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);

    await page.getByRole('link', { name: '导入名册' }).click();
    await page.getByRole('heading', { name: '从 Excel 导入名册' }).waitFor();
    await page.getByLabel('名册文件').setInputFiles({
      name: '第一党支部花名册.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: await branchWorkbook(),
    });
    await page.getByRole('button', { name: '检查文件' }).click();
    await page.getByText('共 4 行：新增 4 人，已在名册中 0 人（将跳过），有问题 0 行。').waitFor();
    await page.getByText('将新建党小组：第一党小组、第二党小组').waitFor();
    await screenshot(page, suite, '02-import-preview-phone');
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);

    await page.getByRole('button', { name: '确认导入 4 人' }).click();
    await page.getByText('导入完成：新增 4 人，跳过已在名册中的 0 人。').waitFor();
    await screenshot(page, suite, '03-import-done-phone');
    await page.getByRole('link', { name: '查看名册' }).click();
    for (const name of ['刘洋', '陈静', '马明', '林晓'])
      await page.getByRole('link', { name: new RegExp(name) }).waitFor();
    await screenshot(page, suite, '04-roster-after-import-phone');
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);

    await page.getByRole('link', { name: /马明/ }).click();
    await page.getByRole('heading', { name: /马明/ }).waitFor();
    await page.getByText('区人大代表').waitFor();
    await screenshot(page, suite, '05-member-phone');
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('on a laptop: the roster table, a refused file with its rows marked, and printed invitation slips that work', async () => {
    const context = await newContext(browser, { viewport: 'laptop' });
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    const roster = `/orgs/${world.branchA.id}/members`;
    await signIn(page, served.baseUrl, 'secA', roster);
    await page.getByRole('columnheader', { name: '最近参加组织生活' }).waitFor();
    await page.getByRole('cell', { name: '13811112222' }).waitFor();
    const table = page.getByRole('table');
    await table.getByText('3 个月未参加组织生活').waitFor();
    await table.getByText('免于参加', { exact: true }).waitFor();
    await screenshot(page, suite, '06-roster-laptop');

    await page.getByRole('link', { name: '导入名册' }).click();
    await page.getByLabel('名册文件').setInputFiles({
      name: 'bad.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        '姓名,人员类别,出生日期\n钱多多,正式党员,1990-13-01\n,预备党员,1991-01-01\n',
        'utf8',
      ),
    });
    await page.getByRole('button', { name: '检查文件' }).click();
    await page
      .getByText('第 2 行「出生日期」：无法识别的日期，请写成 2019-07-01（原内容：1990-13-01）')
      .waitFor();
    await page.getByText('第 3 行「姓名」：此项为必填项').waitFor();
    expect(await page.getByRole('button', { name: /确认导入/ }).isDisabled()).toBe(true);
    await screenshot(page, suite, '07-import-errors-laptop');

    await page.goto(`${served.baseUrl}${roster}`);
    await page.getByRole('link', { name: '打印邀请码' }).click();
    await page.getByRole('heading', { name: '党员账号邀请码' }).waitFor();
    await page.getByRole('button', { name: '生成并显示邀请码' }).click();
    const slips = page.getByRole('article');
    await page.getByRole('button', { name: '打印' }).waitFor();
    // The four imported members and the four added without an account: one A4 page of eight.
    expect(await slips.count()).toBe(8);
    await screenshot(page, suite, '08-slips-laptop');
    await page.emulateMedia({ media: 'print' });
    await screenshot(page, suite, '09-slips-print');
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
    expect(pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)).toHaveLength(1);

    const slip = slips.filter({ hasText: '陈静' });
    const code = (await slip.locator('.value').textContent())!.trim();
    const link = (await slip.locator('.link').textContent())!.match(/https?:\/\/\S+/)![0];
    expect(link).toBe(`${served.baseUrl}/invite?code=${code}`);
    expect(errors).toEqual([]);
    await context.close();

    // The member opens the link on her own phone.
    const phone = await newContext(browser, { viewport: 'phone' });
    const memberPage = await phone.newPage();
    const memberErrors = collectPageErrors(memberPage);
    await memberPage.goto(link);
    await memberPage.getByText('第一党支部 邀请 陈静 使用明镜').waitFor();
    expect(new URL(memberPage.url()).search).toBe('');
    await memberPage.getByLabel(/^登录名/).fill('chenjing');
    await memberPage.getByLabel(/^密码/).fill('chen jing 2026');
    await memberPage.getByLabel('再次输入密码').fill('chen jing 2026');
    await screenshot(memberPage, suite, '10-invite-phone');
    expect(await horizontalOverflow(memberPage)).toBeLessThanOrEqual(0);
    await memberPage.getByRole('button', { name: '创建账号并登录' }).click();
    await memberPage.getByRole('link', { name: '第一党支部' }).waitFor();
    await memberPage.getByRole('link', { name: '陈静' }).waitFor();
    expect(memberErrors).toEqual([]);
    await phone.close();
  });

  it('a secretary adds a member by hand and records an exemption, on a phone', async () => {
    const context = await newContext(browser, { viewport: 'phone' });
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    const roster = `/orgs/${world.branchA.id}/members`;
    await signIn(page, served.baseUrl, 'secA', roster);
    await page.getByRole('link', { name: '添加党员' }).click();
    await page.getByRole('heading', { name: '添加党员' }).waitFor();
    await page.getByLabel('姓名').fill('何晓东');
    await page.getByLabel('人员类别').selectOption('probationaryMember');
    await page.getByLabel('党小组').selectOption({ label: '第一党小组' });
    await page.getByLabel(/^联系电话/).fill('not a phone');
    await page.getByLabel('领导干部').check();
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByText('格式不正确').waitFor();
    await screenshot(page, suite, '12-member-form-error-phone');
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await page.getByLabel(/^联系电话/).fill('13700007777');
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByRole('heading', { name: /何晓东/ }).waitFor();

    await page.getByRole('button', { name: '登记免于参加' }).click();
    await page.getByLabel('原因', { exact: true }).selectOption('abroad');
    await page.getByLabel('批准人或批准组织').fill('第一党支部委员会');
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByText('生效中').waitFor();
    await screenshot(page, suite, '13-member-exemption-phone');
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a plain member finds the roster on the branch page and sees names, never personal details', async () => {
    const group = await insertOrganization(served.db, '机关党小组', 'partyGroup', world.branchA);
    await served.db
      .updateTable('members')
      .set({ party_group_id: group.id, phone: '13912345678', birth_date: '1970-01-01' })
      .where('id', '=', world.membersA[1]!.memberId)
      .execute();
    const context = await newContext(browser, { viewport: 'phone' });
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await signIn(page, served.baseUrl, 'memberA1', `/orgs/${world.branchA.id}`);
    await page.getByRole('link', { name: '党员名册' }).click();
    await page.getByRole('heading', { name: '党员名册' }).waitFor();
    const main = page.locator('main');
    await main.getByRole('link', { name: /张书记/ }).waitFor();
    await main.getByRole('link', { name: /党员甲2/ }).waitFor();
    await screenshot(page, suite, '14-roster-member-phone');
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    // Nothing of the secretary's view: contacts, attendance warnings, exemptions, accounts, tools.
    // Everything the page holds, shown or not (the table hidden on a phone included).
    const shadowText = (tag: string) => page.locator(tag).evaluate((el) => el.shadowRoot?.textContent ?? '');
    const text = await shadowText('mj-roster-page');
    expect(text).toContain('预备党员甲');
    for (const hidden of [
      '13912345678',
      '最近参加',
      '3 个月未参加',
      '免于参加',
      '开通',
      '添加党员',
      '导入名册',
    ])
      expect(text, hidden).not.toContain(hidden);

    await main.getByRole('link', { name: /党员甲2/ }).click();
    await page.getByRole('heading', { name: /党员甲2/ }).waitFor();
    await page.getByText('机关党小组').waitFor();
    await page.getByText('联系方式等个人信息只有支部委员会和上级党组织可以查看。').waitFor();
    const detail = await shadowText('mj-member-page');
    expect(detail).toContain('党员甲2');
    for (const hidden of ['基本信息', '13912345678', '1970', '账号', '免于参加', '登记离开'])
      expect(detail, hidden).not.toContain(hidden);
    await screenshot(page, suite, '15-member-as-member-phone');
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);

    // A party group's page leads to its branch's roster, already narrowed to the group.
    await page.goto(`${served.baseUrl}/orgs/${group.id}`);
    await page.getByRole('link', { name: '党员名册' }).click();
    await page.getByRole('heading', { name: '党员名册' }).waitFor();
    await page.getByText('共 1 人').waitFor();
    expect(await page.getByLabel('党小组').inputValue()).toBe(group.id);
    expect(errors).toEqual([]);
    await context.close();

    const laptop = await newContext(browser, { viewport: 'laptop' });
    const wide = await laptop.newPage();
    await signIn(wide, served.baseUrl, 'memberA1', `/orgs/${world.branchA.id}/members`);
    await wide.getByRole('columnheader', { name: '姓名' }).waitFor();
    expect(await wide.getByRole('columnheader').allInnerTexts()).toEqual([
      '姓名',
      '人员类别',
      '支部职务',
      '党小组',
    ]);
    await screenshot(wide, suite, '16-roster-member-laptop');
    await laptop.close();
  });

  it('shows the roster in English too', async () => {
    const context = await newContext(browser, { viewport: 'laptop', locale: 'en' });
    const page = await context.newPage();
    await page.goto(`${served.baseUrl}/sign-in`);
    await page.getByLabel('Login name').fill('secA');
    await page.getByLabel('Password').fill(testPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${served.baseUrl}/`);
    // The account's saved language (Chinese) wins after sign-in; the person switches.
    await page.getByRole('button', { name: 'English' }).click();
    await page.goto(`${served.baseUrl}/orgs/${world.branchA.id}/members`);
    await page.getByRole('heading', { name: 'Members' }).waitFor();
    await page.getByRole('columnheader', { name: 'Last organization life' }).waitFor();
    await screenshot(page, suite, '11-roster-laptop-en');
    await context.close();
  });
});
