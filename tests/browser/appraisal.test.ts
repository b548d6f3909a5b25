import { beforeAll, describe, expect, it } from 'vitest';
import { shanghaiDate } from '../../shared/domain/calendar.ts';
import type { AppraisalGrade } from '../../shared/domain/enums.ts';
import { addDays } from '../../shared/domain/rectification.ts';
import { insertHeldMeeting, insertSealedBallot } from '../support/appraisal-fixtures.ts';
import {
  browserTestsEnabled,
  collectPageErrors,
  committeeInChromium,
  horizontalOverflow,
  newContext,
  screenshot,
  signIn,
} from '../support/browser.ts';

const suite = 'appraisal';

describe.runIf(browserTestsEnabled())('the appraisal after the ballot in Chromium', () => {
  const chromium = committeeInChromium(6);
  let meetingId: string;

  beforeAll(async () => {
    const { served, w } = chromium;
    const full = [w.secretaryA, ...w.membersA].map((m) => m.memberId);
    meetingId = await insertHeldMeeting(served.db, w.branchA.id, [...full, w.probationaryA.memberId], {
      title: '2026年度组织生活会暨民主评议党员',
    });
    // Eight sealed ballots: the last member mostly 不合格, the first two mostly 优秀.
    const ballots = Array.from({ length: 8 }, (_, v) =>
      Object.fromEntries(
        full.map((id, m): [string, AppraisalGrade] => [
          id,
          m === 6
            ? v < 5
              ? 'unqualified'
              : 'basicallyQualified'
            : m < 2 && v < 6
              ? 'excellent'
              : 'qualified',
        ]),
      ),
    );
    await insertSealedBallot(served.db, meetingId, full, ballots);
    // The general meeting the next day, everyone present, where a disposition can be voted.
    await insertHeldMeeting(served.db, w.branchA.id, [...full, w.probationaryA.memberId], {
      type: 'branchGeneralMeeting',
      title: '支部党员大会',
      daysAgo: 1,
    });
  });

  it('the committee determines each member at a laptop, the member reads it and responds on a phone', async () => {
    const { served, browser } = chromium;
    const laptop = await newContext(browser, { viewport: 'laptop' });
    const desk = await laptop.newPage();
    const deskErrors = collectPageErrors(desk);
    await signIn(desk, served.baseUrl, 'secA', `/meetings/${meetingId}/appraisal`);
    await desk.getByRole('heading', { name: '组织评定' }).waitFor();
    await desk.getByText('8 张测评票').waitFor();
    expect(await desk.getByText('预备党员不评定等次').count()).toBe(1);
    expect(await desk.getByText('尚未评定').count()).toBe(7);
    await screenshot(desk, suite, '01-sheet-empty-laptop');

    // Three 优秀 among seven full members (the cap is two): the reason is asked for, then given.
    const choose = (name: string, grade: string) =>
      desk
        .getByRole('group', { name: `${name} 的组织评定` })
        .getByText(grade, { exact: true })
        .click();
    await choose('张书记', '优秀');
    await choose('党员甲1', '优秀');
    await choose('党员甲2', '优秀');
    for (const name of ['党员甲3', '党员甲4', '党员甲5']) await choose(name, '合格');
    await choose('党员甲6', '不合格');
    await desk.getByText('7 人的评定尚未保存').waitFor();
    await desk.getByRole('button', { name: '保存评定' }).click();
    await desk.getByText('“优秀”超过正式党员的三分之一，请写明理由').waitFor();
    await screenshot(desk, suite, '02-over-cap-laptop');
    await desk.getByLabel(/“优秀”超过三分之一的理由/).fill('党员甲2在防汛救灾中表现突出，支委会一致同意');
    await desk.getByRole('button', { name: '保存评定' }).click();
    await desk.getByText('已保存 7 人的评定').waitFor();
    expect(await desk.getByText('尚未评定').count()).toBe(0);

    // Feedback to 党员甲1, recorded from the fold under their row.
    const a1 = desk.locator('li.member', { hasText: '党员甲1' });
    await a1.locator('summary').click();
    await a1.getByLabel('反馈方式').selectOption('talk');
    await a1.getByLabel(/反馈意见/).fill('肯定成绩，希望在带动青年党员上再下功夫');
    await a1.getByRole('button', { name: '记录已反馈' }).click();
    await desk.getByText('已记录反馈').waitFor();
    await screenshot(desk, suite, '03-sheet-determined-laptop');
    expect(deskErrors).toEqual([]);

    // The member, on a 360-px phone.
    const phoneContext = await newContext(browser, { viewport: 'phone' });
    const phone = await phoneContext.newPage();
    const phoneErrors = collectPageErrors(phone);
    await signIn(phone, served.baseUrl, 'memberA1', '/');
    await phone.getByText(/的评议结果已反馈给您/).click();
    await phone.getByRole('heading', { name: '2026年度组织生活会暨民主评议党员' }).waitFor();
    await phone.getByText('肯定成绩，希望在带动青年党员上再下功夫').waitFor();
    expect(await phone.getByText('优秀', { exact: true }).count()).toBe(1);
    // Nothing from the ballot reaches the member's phone.
    expect(await phone.getByText(/测评票|得票/).count()).toBe(0);
    await screenshot(phone, suite, '04-my-result-phone');
    expect(await horizontalOverflow(phone)).toBeLessThanOrEqual(0);
    await phone.getByRole('button', { name: '提交申辩' }).click();
    await phone.getByText('内容太短').waitFor();
    await phone
      .getByLabel('申辩内容')
      .fill('感谢组织肯定。带动青年党员方面，我已牵头组织读书会，请组织继续监督。');
    await phone.getByRole('button', { name: '提交申辩' }).click();
    await phone.getByText('已提交，支部委员会会看到您的申辩。').waitFor();
    await screenshot(phone, suite, '05-my-response-phone');
    expect(await horizontalOverflow(phone)).toBeLessThanOrEqual(0);
    await phone.goto(`${served.baseUrl}/me/appraisal`);
    await phone.getByText('已申辩 1 次').waitFor();
    await screenshot(phone, suite, '06-my-results-phone');
    expect(await horizontalOverflow(phone)).toBeLessThanOrEqual(0);
    await phone.getByRole('button', { name: 'English' }).click();
    await phone.getByRole('heading', { name: 'My appraisal results' }).waitFor();
    await phone.getByText('Excellent', { exact: true }).waitFor();
    await screenshot(phone, suite, '06b-my-results-phone-en');
    expect(await horizontalOverflow(phone)).toBeLessThanOrEqual(0);
    expect(phoneErrors).toEqual([]);
    await phoneContext.close();

    // Back at the laptop the committee reads the response under the member.
    await desk.reload();
    const row = desk.locator('li.member', { hasText: '党员甲1' });
    await row.getByText('申辩 1 条').waitFor();
    await row.locator('summary').click();
    await row.getByText('请组织继续监督').waitFor();
    await screenshot(desk, suite, '07-response-on-sheet-laptop');
    expect(deskErrors).toEqual([]);
    await laptop.close();
  });

  it('the secretary sends the printable report, and the sheet and disposition work on a phone', async () => {
    const { served, browser } = chromium;
    const laptop = await newContext(browser, { viewport: 'laptop' });
    const desk = await laptop.newPage();
    const errors = collectPageErrors(desk);
    await signIn(desk, served.baseUrl, 'secA', `/meetings/${meetingId}/appraisal/report`);
    await desk.getByRole('heading', { name: '民主评议党员情况报告' }).waitFor();
    await desk.getByText('草稿：尚未报告或与上次报告不同').waitFor();
    await desk.getByRole('button', { name: '报告上级党组织' }).click();
    await desk.getByText('已报告上级党组织').waitFor();
    expect(await desk.getByText('草稿：尚未报告或与上次报告不同').count()).toBe(0);
    expect(await desk.getByText(/测评情况由党支部掌握/).count()).toBe(1);
    await screenshot(desk, suite, '08-report-laptop');
    expect(errors).toEqual([]);
    await laptop.close();

    const viewerContext = await newContext(browser, { viewport: 'laptop' });
    const viewerPage = await viewerContext.newPage();
    await signIn(viewerPage, served.baseUrl, 'viewer', `/orgs/${chromium.w.committee.id}`);
    await viewerPage.getByRole('link', { name: '民主评议', exact: true }).click();
    await viewerPage.getByRole('heading', { name: '民主评议', exact: true }).waitFor();
    await viewerPage.getByText(/^已报告 /).waitFor();
    // The superior reads reports; the committee's sheet is not offered.
    expect(await viewerPage.getByRole('link', { name: '组织评定' }).count()).toBe(0);
    await screenshot(viewerPage, suite, '09a-appraisals-as-superior-laptop');
    await viewerPage.getByRole('link', { name: '民主评议党员情况报告' }).click();
    await viewerPage.getByRole('heading', { name: '民主评议党员情况报告' }).waitFor();
    expect(await viewerPage.getByText('党员甲6').count()).toBe(1);
    expect(await viewerPage.getByRole('button', { name: /报告上级/ }).count()).toBe(0);
    await screenshot(viewerPage, suite, '09-report-as-superior-laptop');
    await viewerContext.close();

    const phoneContext = await newContext(browser, { viewport: 'phone' });
    const phone = await phoneContext.newPage();
    const phoneErrors = collectPageErrors(phone);
    await signIn(phone, served.baseUrl, 'secA', `/meetings/${meetingId}/appraisal`);
    await phone.getByRole('heading', { name: '组织评定' }).waitFor();
    await screenshot(phone, suite, '10-sheet-phone');
    expect(await horizontalOverflow(phone)).toBeLessThanOrEqual(0);
    const unqualified = phone.locator('li.member', { hasText: '党员甲6' });
    await unqualified.getByRole('link', { name: /组织处置/ }).click();
    await phone.getByRole('heading', { name: '党员甲6 的组织处置' }).waitFor();
    await phone.getByLabel('开始日期').fill(addDays(shanghaiDate(new Date()), -2));
    await phone.getByLabel('帮助措施').fill('书记谈心谈话，确定帮扶联系人，每月谈一次');
    await phone.getByRole('button', { name: '保存' }).first().click();
    await phone.getByText('已保存').first().waitFor();
    await phone.getByRole('heading', { name: '记录党员大会的决定' }).waitFor();
    await screenshot(phone, suite, '11-disposition-phone');
    expect(await horizontalOverflow(phone)).toBeLessThanOrEqual(0);
    const dispositionUrl = new URL(phone.url()).pathname;
    expect(phoneErrors).toEqual([]);
    await phoneContext.close();

    // At the laptop: the general meeting's vote, then the superior organization's approval.
    const desktop = await newContext(browser, { viewport: 'laptop' });
    const page = await desktop.newPage();
    const pageErrors = collectPageErrors(page);
    await signIn(page, served.baseUrl, 'secA', dispositionUrl);
    await page.getByText('应到会有表决权党员 7 人，实到 7 人；赞成票须达到 4 票').waitFor();
    await page.getByLabel('赞成').fill('5');
    await page.getByLabel('反对').fill('1');
    await page.getByLabel('弃权').fill('1');
    await page.getByLabel(/改正期限/).fill(addDays(shanghaiDate(new Date()), 90));
    await page.getByLabel('备注').fill('限期三个月改正，由书记负责帮扶');
    await page.getByRole('button', { name: '记录决定' }).click();
    await page.getByText('待上级党组织审批', { exact: true }).waitFor();
    await page.getByLabel('审批的党组织').fill('测试党委');
    await page.getByLabel('经办人').fill('党委组织部');
    await page.getByRole('button', { name: '记录审批' }).click();
    await page.getByText('上级已批准', { exact: true }).waitFor();
    await page.getByRole('heading', { name: '结束处置' }).waitFor();
    await screenshot(page, suite, '12-disposition-laptop');
    expect(pageErrors).toEqual([]);
    await desktop.close();
  });
});
