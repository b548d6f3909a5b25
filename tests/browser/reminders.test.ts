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
import { dayFromToday, insertItem, insertMeeting } from '../support/rectification-fixtures.ts';

const suite = 'reminders';

describe.runIf(browserTestsEnabled())('the reminders panel in Chromium', () => {
  const chromium = committeeInChromium(3);
  let overdueItem: string;

  beforeAll(async () => {
    const { served, w } = chromium;
    const a1 = w.membersA[0]!.memberId;
    overdueItem = await insertItem(served.db, w.branchA.id, {
      ownerMemberId: a1,
      dueOn: dayFromToday(-4),
      measures: '每月按时参加党小组集中学习，并在学习后提交一篇心得体会',
    });
    await insertItem(served.db, w.branchA.id, {
      ownerMemberId: a1,
      dueOn: dayFromToday(3),
      status: 'inProgress',
      measures: '补交半年学习笔记',
    });
    await insertItem(served.db, w.branchA.id, {
      ownerMemberId: a1,
      dueOn: dayFromToday(20),
      measures: '下月再做',
    });
    await insertItem(served.db, w.branchA.id, { dueOn: dayFromToday(-12), measures: '规范“三会一课”记录' });
    const meeting = await insertMeeting(
      served.db,
      w.branchA.id,
      '2026年度组织生活会',
      new Date(Date.now() + 2 * 86_400_000),
      { status: 'scheduled' },
    );
    for (const member of [w.membersA[1]!, w.membersA[2]!])
      await served.db
        .insertInto('leave_requests')
        .values({
          meeting_id: meeting,
          member_id: member.memberId,
          reason: '外出学习',
          decided_by: null,
          decided_at: null,
          decision_note: null,
        })
        .execute();
  });

  /** Signs in on a 360-px phone and lands on the home page, watching for page errors. */
  async function homeOnPhone(login: string) {
    const context = await newContext(chromium.browser, { viewport: 'phone' });
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    const reminders = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/me/reminders');
    await signIn(page, chromium.served.baseUrl, login, '/');
    return { context, page, errors, reminders, panel: page.locator('mj-reminders') };
  }

  it("puts a member's overdue and soon-due items at the top of the home page on a phone", async () => {
    const { context, page, errors, panel } = await homeOnPhone('memberA1');
    await panel.getByRole('heading', { name: '提醒' }).waitFor();
    await panel.getByRole('heading', { name: '我的整改事项' }).waitFor();
    expect(await panel.getByRole('link', { name: /已逾期 4 天.*每月按时参加党小组集中学习/ }).count()).toBe(
      1,
    );
    expect(await panel.getByRole('link', { name: /还有 3 天到期.*补交半年学习笔记/ }).count()).toBe(1);
    expect(await panel.getByText('下月再做').count()).toBe(0);
    // The panel comes before the organization tree.
    await page.getByRole('heading', { name: '组织架构' }).waitFor();
    const [panelTop, treeTop] = await Promise.all([
      panel.evaluate((el) => el.getBoundingClientRect().top),
      page.getByRole('heading', { name: '组织架构' }).evaluate((el) => el.getBoundingClientRect().top),
    ]);
    expect(panelTop).toBeLessThan(treeTop);
    await screenshot(page, suite, '01-member-phone');
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);

    await panel.getByRole('link', { name: /每月按时参加党小组集中学习/ }).click();
    await page.waitForURL(`**/rectification/${overdueItem}`);
    await page.getByRole('heading', { name: /每月按时参加党小组集中学习/ }).waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });

  it("shows a secretary the branch's overdue work and the leave to decide, on a phone and a laptop", async () => {
    const { context, page, errors, panel } = await homeOnPhone('secA');
    await panel.getByRole('heading', { name: '第一党支部' }).waitFor();
    expect(await panel.getByRole('heading', { name: '我的整改事项' }).count()).toBe(0);
    await panel.getByRole('link', { name: /2 项整改事项已逾期/ }).waitFor();
    // Most overdue first, each with whom it is waiting on.
    const items = panel.locator('a.reminder[href^="/rectification/"]');
    expect(await items.allInnerTexts()).toEqual([
      expect.stringMatching(/已逾期 12 天[\s\S]*规范“三会一课”记录[\s\S]*责任人：支部委员会/),
      expect.stringMatching(/已逾期 4 天[\s\S]*每月按时参加党小组集中学习[\s\S]*责任人：党员甲1/),
    ]);
    await panel.getByText('待审批的请假').waitFor();
    const leave = panel.getByRole('link', { name: /2026年度组织生活会/ });
    expect(await leave.getAttribute('href')).toMatch(/^\/meetings\/[0-9a-f-]{36}$/);
    expect(await leave.textContent()).toContain('党员甲2和党员甲3 请假');
    await screenshot(page, suite, '02-secretary-phone');
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);

    await page.getByRole('button', { name: 'English' }).click();
    await panel.getByRole('heading', { name: 'Reminders' }).waitFor();
    await panel.getByText('Leave asked by 党员甲2 and 党员甲3').waitFor();
    await screenshot(page, suite, '03-secretary-phone-en');
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await page.getByRole('button', { name: '中文' }).click();

    await page.setViewportSize({ width: 1280, height: 800 });
    await panel.getByRole('heading', { name: '提醒' }).waitFor();
    await screenshot(page, suite, '04-secretary-laptop');
    await panel.getByRole('link', { name: /2 项整改事项已逾期/ }).click();
    await page.waitForURL(/\/rectification\?status=overdue$/);
    await page.getByRole('heading', { name: '整改清单' }).waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });

  it('shows no panel when there is nothing to remind', async () => {
    const { context, page, errors, reminders, panel } = await homeOnPhone('viewer');
    expect(await (await reminders).json()).toMatchObject({ ownItems: [], branches: [] });
    await page.getByRole('heading', { name: '组织架构' }).waitFor();
    // Once the (empty) answer is rendered, the element holds no panel at all.
    await panel.evaluate((el: any) => el.updateComplete);
    expect(await panel.evaluate((el) => el.shadowRoot!.querySelector('section'))).toBeNull();
    expect(await panel.evaluate((el) => el.getBoundingClientRect().height)).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });
});
