import { beforeAll, describe, expect, it } from 'vitest';
import {
  browserTestsEnabled,
  collectPageErrors,
  committeeInChromium,
  horizontalOverflow,
  newContext,
  screenshot,
  signIn,
} from '../support/browser.ts';
import { dayFromToday, insertMeeting } from '../support/rectification-fixtures.ts';

const suite = 'rectification';

describe.runIf(browserTestsEnabled())('rectification in Chromium', () => {
  const chromium = committeeInChromium(3);
  beforeAll(async () => {
    const { served, w } = chromium;
    await insertMeeting(served.db, w.branchA.id, '2026年度组织生活会', new Date('2026-01-15T06:00:00Z'));
    // An item already past its due date, so the list shows how overdue work is flagged.
    const secretary = await served.client().signIn('secA');
    await secretary.post(`/api/organizations/${w.branchA.id}/problems`, {
      scope: 'branch',
      description: '党费收缴不及时',
      source: 'inspection',
      item: {
        measures: '按月收缴并公示党费',
        ownerMemberId: w.membersA[1]!.memberId,
        dueOn: dayFromToday(-5),
      },
    });
  });

  it('a secretary records an item, its owner reports it done from a phone, and the secretary verifies it', async () => {
    const { served, browser, w } = chromium;
    // 1. The secretary, at a laptop, records a problem with its rectification item.
    const laptop = await newContext(browser, { viewport: 'laptop' });
    const desk = await laptop.newPage();
    const deskErrors = collectPageErrors(desk);
    await signIn(desk, served.baseUrl, 'secA', `/orgs/${w.branchA.id}/rectification`);
    await desk.getByRole('heading', { name: '整改清单' }).waitFor();
    await expect.poll(() => desk.getByRole('cell', { name: /按月收缴并公示党费/ }).count()).toBe(1);
    expect(
      await desk
        .getByRole('row', { name: /按月收缴并公示党费/ })
        .getByText('⚠ 已逾期')
        .count(),
    ).toBe(1);

    await desk.getByRole('button', { name: /新增查摆问题/ }).click();
    const form = desk.locator('mj-problem-form');
    await form.getByLabel('问题描述').fill('理论学习不够深入，学习笔记流于形式');
    await form.getByLabel('整改对象').selectOption('member');
    await form.getByLabel('当事党员').selectOption({ label: '党员甲1' });
    await form.getByLabel('问题来源').selectOption('peers');
    const meeting = form.getByLabel('所属会议').locator('option', { hasText: '2026年度组织生活会' });
    await form.getByLabel('所属会议').selectOption((await meeting.getAttribute('value'))!);
    await form.getByLabel('整改措施', { exact: true }).fill('每月精读一篇原文，在党小组会上交流心得');
    await form.getByLabel('责任人').selectOption({ label: '党员甲1' });
    await form.getByLabel(/完成时限/).fill(dayFromToday(30));
    await form.getByLabel(/整改承诺/).fill('三个月内补齐学习笔记');
    await screenshot(desk, suite, '01-new-problem-form-laptop');
    await form.getByRole('button', { name: '保存' }).click();
    await desk.getByRole('link', { name: '每月精读一篇原文，在党小组会上交流心得' }).waitFor();
    await screenshot(desk, suite, '02-list-laptop');

    // 2. The owner, on a 360-px phone, finds the item under "my items" and reports it done.
    const phoneContext = await newContext(browser, { viewport: 'phone' });
    const phone = await phoneContext.newPage();
    const phoneErrors = collectPageErrors(phone);
    await signIn(phone, served.baseUrl, 'memberA1', '/me/rectification');
    await phone.getByRole('heading', { name: '我的整改事项' }).waitFor();
    await phone.getByText('理论学习不够深入，学习笔记流于形式').waitFor();
    await screenshot(phone, suite, '03-my-items-phone');
    expect(await horizontalOverflow(phone)).toBeLessThanOrEqual(0);

    await phone.getByText('理论学习不够深入，学习笔记流于形式').click();
    await phone.getByRole('heading', { name: '每月精读一篇原文，在党小组会上交流心得' }).waitFor();
    expect(await phone.getByRole('button', { name: '核实销号' }).count()).toBe(0);
    await phone.getByRole('button', { name: '开始整改' }).click();
    await phone.getByRole('button', { name: '开始整改' }).last().click();
    await phone.getByText('已开始整改').waitFor();

    await phone.getByRole('button', { name: '报告已完成' }).click();
    await phone.getByRole('button', { name: '报告已完成' }).last().click();
    await phone.getByText('此项为必填项').waitFor();
    await phone.getByLabel('完成情况说明').fill('已补齐 3 个月学习笔记，并在党小组会上交流 2 次');
    await phone.getByRole('button', { name: '报告已完成' }).last().click();
    await phone.getByText('已报告完成，等待支部委员会核实销号。').waitFor();

    await phone.getByLabel('材料说明').fill('学习笔记照片');
    await phone.getByLabel(/文件/).setInputFiles({
      name: '整本扫描.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.alloc(11 * 1024 * 1024, 1),
    });
    await phone.getByRole('button', { name: '添加佐证材料' }).click();
    await phone.getByText('文件不能超过 10 MB').waitFor();
    await phone.getByLabel(/文件/).setInputFiles({
      name: '学习笔记.png',
      mimeType: 'image/png',
      buffer: Buffer.from(
        'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
        'base64',
      ),
    });
    await phone.getByRole('button', { name: '添加佐证材料' }).click();
    await phone.getByRole('link', { name: '学习笔记.png' }).waitFor();
    await screenshot(phone, suite, '04-item-completed-phone');
    expect(await horizontalOverflow(phone)).toBeLessThanOrEqual(0);
    expect(phoneErrors).toEqual([]);
    await phoneContext.close();

    // 3. The secretary sees it completed and verifies it (对账销号).
    await desk.goto(`${served.baseUrl}/orgs/${w.branchA.id}/rectification?status=completed`);
    await desk.getByRole('link', { name: '每月精读一篇原文，在党小组会上交流心得' }).click();
    await desk.getByText('已补齐 3 个月学习笔记，并在党小组会上交流 2 次').first().waitFor();
    await desk.getByRole('button', { name: '编辑' }).click();
    await desk
      .locator('mj-item-form')
      .getByLabel(/整改承诺/)
      .fill('三个月内补齐学习笔记，每季度交流一次');
    await desk.locator('mj-item-form').getByRole('button', { name: '保存' }).click();
    await desk.getByText('整改承诺：三个月内补齐学习笔记 → 三个月内补齐学习笔记，每季度交流一次').waitFor();
    await desk.getByRole('button', { name: '核实销号' }).click();
    await desk.getByLabel('核实意见（选填）').fill('经核实，笔记齐全');
    await desk.getByRole('button', { name: '核实销号' }).last().click();
    await desk.getByText('已核实销号').first().waitFor();
    expect(await desk.locator('.status-line').getByText('已销号').count()).toBe(1);
    const history = desk.locator('ol.timeline');
    await history.getByText('经核实，笔记齐全').waitFor();
    expect(await history.locator(':scope > li').count()).toBe(6);
    await screenshot(desk, suite, '05-item-verified-laptop');

    await desk.getByRole('link', { name: '返回整改清单' }).click();
    await desk.getByRole('tab', { name: '查摆问题' }).click();
    const problem = desk.locator('.problem-card', { hasText: '理论学习不够深入' });
    await problem.getByText('已销号').waitFor();
    expect(await problem.getByText('已有整改事项核实销号，问题不能再修改').count()).toBe(1);
    await screenshot(desk, suite, '06-problems-laptop');
    expect(deskErrors).toEqual([]);
    await laptop.close();

    const stored = await served.db
      .selectFrom('rectification_items')
      .select(['status', 'verified_by', 'completion_note'])
      .where('measures', '=', '每月精读一篇原文，在党小组会上交流心得')
      .executeTakeFirstOrThrow();
    expect(stored).toMatchObject({
      status: 'verified',
      completion_note: '已补齐 3 个月学习笔记，并在党小组会上交流 2 次',
    });
  });

  it('shows the list as cards on a phone with overdue work flagged, and in English on request', async () => {
    const { served, browser, w } = chromium;
    const context = await newContext(browser, { viewport: 'phone' });
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await signIn(page, served.baseUrl, 'secA', `/orgs/${w.branchA.id}/rectification`);
    await page.getByRole('button', { name: /已逾期/ }).click();
    await page.waitForURL(/status=overdue/);
    await page.getByRole('link', { name: /党费收缴不及时/ }).waitFor();
    expect(await page.getByText(/已逾期 5 天/).count()).toBe(1);
    await screenshot(page, suite, '07-overdue-cards-phone');
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await page.getByRole('button', { name: /新增查摆问题/ }).click();
    await page.locator('mj-problem-form').getByLabel('问题描述').waitFor();
    await screenshot(page, suite, '07b-new-problem-form-phone');
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await page.locator('mj-problem-form').getByRole('button', { name: '取消' }).click();

    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Rectification list' }).waitFor();
    await page.getByText(/Overdue by 5 days/).waitFor();
    await screenshot(page, suite, '08-overdue-cards-phone-en');
    expect(errors).toEqual([]);
    await context.close();
  });

  it("shows a plain member who opens the branch's list only the items they answer for", async () => {
    const { served, browser, w } = chromium;
    const context = await newContext(browser, { viewport: 'phone' });
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await signIn(page, served.baseUrl, 'memberA2', `/orgs/${w.branchA.id}/rectification`);
    await page.getByRole('heading', { name: '您在本支部负责的整改事项' }).waitFor();
    await page.getByRole('link', { name: /按月收缴并公示党费/ }).waitFor();
    expect(await page.getByText('理论学习不够深入').count()).toBe(0);
    expect(await page.getByRole('button', { name: /新增查摆问题/ }).count()).toBe(0);
    await screenshot(page, suite, '09-member-branch-page-phone');
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    expect(errors).toEqual([]);
    await context.close();
  });
});
