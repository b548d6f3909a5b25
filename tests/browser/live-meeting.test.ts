import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, BrowserContext, Page, WebSocketRoute } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
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
import { insertMember, type SeededCommittee, type SeededMember, seedCommittee } from '../support/fixtures.ts';
import { insertMeeting } from '../support/live-fixtures.ts';
import { testPassword } from '../support/test-app.ts';

const variant = dbVariantsFromEnv()[0]!;
const suite = 'live';

/**
 * A whole organization-life meeting in Chromium: the secretary's console on a laptop, the wall in a
 * second window, three members' phones at 360 px — two signed in, one claiming its roster entry with
 * a printed code. Check-in, a survey, a criticism round with moderation and reveal, an appraisal
 * ballot; one phone loses its connection with a ballot in flight (the server committed it, the ack
 * never arrived), is reloaded offline, comes back, and the ballot is counted exactly once.
 */
describe.runIf(browserTestsEnabled())('a live meeting in Chromium', () => {
  let served: ServedApp;
  let browser: Browser;
  let s: SeededCommittee;
  let oldMember: SeededMember;
  let meetingId: string;
  let joinCode: string;
  let host: Page;
  let wall: Page;
  let hostContext: BrowserContext;
  const phones: Record<'a' | 'b' | 'c', Page> = {} as never;
  const errors: string[][] = [];
  /** Phone C's network, controlled by the test: its websocket goes through this switchboard. */
  const net = { online: true, dropAcks: false, sockets: [] as WebSocketRoute[], ballotIds: [] as string[] };

  let axeSource: string | undefined;
  const base = () => served.baseUrl;

  async function signIn(page: Page, login: string) {
    await page.getByLabel('登录名').fill(login);
    await page.getByLabel('密码').fill(testPassword);
    await page.getByRole('button', { name: '登录' }).click();
  }

  /** A full-page screenshot from the top, so sticky bars sit where a person sees them. */
  async function shot(page: Page, name: string) {
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, suite, name);
  }

  async function phoneContext(): Promise<Page> {
    const context = await newContext(browser, { viewport: 'phone' });
    const page = await context.newPage();
    errors.push(collectPageErrors(page));
    page.on('dialog', (dialog) => void dialog.accept());
    return page;
  }

  /** Confirms the host console's dialog with the given button. */
  async function confirm(name: string | RegExp) {
    await host.getByRole('dialog').getByRole('button', { name }).click();
  }

  async function answerSurvey(page: Page, scores: number[], overall: string, comment?: string) {
    const task = page.locator('mj-survey-task');
    await task.getByRole('heading', { name: '满意度测评' }).waitFor();
    const items = task.locator('fieldset');
    for (const [i, score] of scores.entries())
      await items
        .nth(i)
        .locator('label.opt')
        .nth(score - 1)
        .click();
    await items.nth(scores.length).getByText(overall, { exact: true }).click();
    if (comment) await task.getByLabel(/意见建议/).fill(comment);
  }

  async function newRound(kind: string) {
    await host.getByRole('button', { name: /新建环节/ }).click();
    await host.getByRole('radio', { name: kind }).check();
  }

  /**
   * Serious and critical axe-core findings. The app's CSP (script-src 'self') refuses an injected
   * <script>, so axe is evaluated through the debugging protocol instead, leaving the CSP in force.
   */
  async function axeViolations(page: Page) {
    axeSource ??= await readFile(path.resolve('node_modules/axe-core/axe.min.js'), 'utf8');
    await page.evaluate(axeSource);
    const result = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run: (o: unknown) => Promise<any> } }).axe;
      const run = await axe.run({ resultTypes: ['violations'] });
      return run.violations.map((v: any) => ({
        id: v.id,
        impact: v.impact,
        nodes: v.nodes.length,
        help: v.help,
      }));
    });
    return result.filter((v: { impact: string }) => v.impact === 'serious' || v.impact === 'critical');
  }

  async function roundIdByTitle(title: string): Promise<string> {
    const row = await served.db
      .selectFrom('rounds')
      .select('id')
      .where('meeting_id', '=', meetingId)
      .where('title', '=', title)
      .executeTakeFirstOrThrow();
    return row.id;
  }

  beforeAll(async () => {
    served = await serveApp(variant);
    browser = await launchChromium();
    s = await seedCommittee(served.db, 5);
    oldMember = await insertMember(served.db, s.branchA.id, '王老党员');
    const meeting = await insertMeeting(served.db, s.branchA.id, {
      title: '2026年度组织生活会',
      inviteeIds: [s.secretaryA, ...s.membersA, oldMember].map((m) => m.memberId),
      hostMemberId: s.secretaryA.memberId,
      observers: ['李群众'],
    });
    meetingId = meeting.meetingId;
  });
  // When a step fails, every screen as it stood is kept next to the others, to see why.
  afterEach(async ({ task }) => {
    if (task.result?.state !== 'fail') return;
    const pages = { host, wall, ...phones };
    for (const [name, page] of Object.entries(pages))
      if (page && !page.isClosed()) await screenshot(page, suite, `failed-${name}`).catch(() => {});
  });
  afterAll(async () => {
    await browser?.close();
    await served?.close();
  });

  it('the secretary opens the live session from the branch page and puts the QR code on the wall', async () => {
    hostContext = await newContext(browser, { viewport: 'laptop' });
    host = await hostContext.newPage();
    errors.push(collectPageErrors(host));
    await host.goto(`${base()}/sign-in?next=/orgs/${s.branchA.id}`);
    await signIn(host, 'secA');
    await host.getByRole('link', { name: '现场会议' }).click();
    await host.getByRole('heading', { name: '现场会议' }).waitFor();
    await shot(host, '01-host-meetings-laptop');
    await host.getByRole('link', { name: '主持台' }).click();
    await host.getByRole('button', { name: '开启会议现场' }).click();
    joinCode = (await host.locator('.join-code').textContent())!.trim();
    expect(joinCode).toMatch(/^[0-9A-Z]{6}$/);

    [wall] = await Promise.all([
      hostContext.waitForEvent('page'),
      host.getByRole('button', { name: /打开投影/ }).click(),
    ]);
    errors.push(collectPageErrors(wall));
    // The wall opened as a new tab in front; the host keeps working in the console (as on a second screen).
    await host.bringToFront();
    await wall.getByText(joinCode, { exact: true }).waitFor();
    await wall.getByRole('img', { name: '扫码加入会议的二维码' }).waitFor();
    await wall.getByText('已签到 0 / 7').waitFor();
    expect(await wall.evaluate(() => location.hash.length)).toBeGreaterThan(20);
    await shot(wall, '02-wall-lobby');
  });

  it('prints a claim code for the member without an account, and three phones check in', async () => {
    await host.getByRole('button', { name: /手机领取码/ }).click();
    await host.getByRole('button', { name: '为没有账号的党员生成领取码' }).click();
    const slip = host.locator('.slip', { hasText: '王老党员' });
    await slip.waitFor();
    const claimCode = (await slip.locator('.code').textContent())!.trim();
    await shot(host, '03-host-claim-codes-laptop');

    // Phone A: scans the QR, is not signed in on this phone, signs in, and is let straight in.
    phones.a = await phoneContext();
    await phones.a.goto(`${base()}/j/${joinCode}`);
    await phones.a.getByRole('heading', { name: '2026年度组织生活会' }).waitFor();
    await shot(phones.a, '04-phone-join-360');
    expect(await horizontalOverflow(phones.a)).toBeLessThanOrEqual(0);
    await phones.a.getByRole('link', { name: '已有账号？登录后进入' }).click();
    await signIn(phones.a, 'memberA1');
    await phones.a.getByText('已签到 ✓').waitFor();

    // Phone B: already signed in; the QR code takes it straight into the meeting.
    phones.b = await phoneContext();
    await phones.b.goto(`${base()}/sign-in`);
    await signIn(phones.b, 'memberA2');
    await phones.b.waitForURL((url) => url.pathname === '/');
    await phones.b.goto(`${base()}/j/${joinCode}`);
    await phones.b.getByText('已签到 ✓').waitFor();

    // Phone C: no account; claims the roster entry with the code from the slip. Its socket runs
    // through a switchboard the test controls.
    phones.c = await phoneContext();
    await phones.c.routeWebSocket('**/api/live/ws', (ws) => {
      if (!net.online) {
        ws.close({ code: 1001, reason: 'no network' });
        return;
      }
      net.sockets.push(ws);
      const server = ws.connectToServer();
      ws.onMessage((message) => {
        const frame = JSON.parse(String(message));
        if (frame.type === 'submitBallot') net.ballotIds.push(frame.clientId);
        server.send(message);
      });
      server.onMessage((message) => {
        // The server committed and acknowledged, but the Wi-Fi dropped before the ack arrived.
        if (net.dropAcks && String(message).includes('"type":"ack"')) {
          net.online = false;
          ws.close({ code: 1001, reason: 'wifi lost' });
          return;
        }
        ws.send(message);
      });
    });
    await phones.c.goto(`${base()}/j/${joinCode.toLowerCase()}`);
    await phones.c.getByLabel('领取码').fill(claimCode);
    await phones.c.getByRole('button', { name: '领取并进入会议' }).click();
    await phones.c.getByText('已签到 ✓').waitFor();
    await phones.c.getByRole('heading', { name: '请稍候' }).waitFor();
    await shot(phones.c, '05-phone-waiting-360');
    expect(await phones.c.evaluate(() => location.pathname)).toBe(`/live/${meetingId}`);

    // The host marks the secretary (hosting, no phone) present and one member on leave.
    await host.getByRole('button', { name: /签到与出席/ }).click();
    await host.getByLabel('张书记 的出席情况').selectOption('present');
    await host.getByLabel('党员甲4 的出席情况').selectOption('excused');
    await host.getByText('出席 4 / 应到 7').waitFor();
    await host
      .getByText(/达到法定人数|未达法定人数|不要求法定人数/)
      .first()
      .waitFor();
    await wall.getByText('已签到 4 / 7').waitFor();
    await shot(host, '06-host-attendance-laptop');
    const attendance = await served.db
      .selectFrom('attendance')
      .select(['member_id', 'status', 'source'])
      .where('meeting_id', '=', meetingId)
      .execute();
    expect(attendance.filter((a) => a.status === 'present')).toHaveLength(4);
    expect(attendance.find((a) => a.member_id === oldMember.memberId)).toMatchObject({
      status: 'present',
      source: 'checkIn',
    });
  });

  it('runs the satisfaction survey: counts only while open, a dropped phone delivers its ballot exactly once', async () => {
    await newRound('满意度测评');
    await host.getByRole('button', { name: '添加到议程' }).click();
    await host.getByRole('button', { name: '开始本环节' }).click();
    const roundId = await roundIdByTitle('满意度测评');

    await answerSurvey(
      phones.a,
      [5, 4, 5, 4, 5],
      '满意',
      '会前准备可以更充分一些，建议提前一周把学习材料发到每位党员手中，会上留出更多时间讨论，让每个人都有机会发言。',
    );
    await phones.a.getByText('提示：文字风格也可能让人认出作者').waitFor();
    await phones.a.getByText('匿名：任何人都无法看到你的选择').waitFor();
    await shot(phones.a, '07-phone-survey-360');
    expect(await horizontalOverflow(phones.a)).toBeLessThanOrEqual(0);
    expect(await axeViolations(phones.a)).toEqual([]);
    await phones.a.getByRole('button', { name: '提交' }).click();
    await phones.a.getByText('已提交，回执').waitFor();
    const receiptA = (await phones.a.locator('.confirm .receipt').textContent())!.trim();
    expect(receiptA).toMatch(/^[\w-]{4}-[\w-]{2}$/);
    await shot(phones.a, '08-phone-receipt-360');

    // The wall and the console count; nobody sees a distribution while the round is open.
    await wall.getByText('已作答 1 / 4').waitFor();
    expect(await wall.locator('mj-round-results').count()).toBe(0);
    await shot(wall, '09-wall-survey-open');
    await host.locator('mj-console-round').getByText('已作答 1 / 4').waitFor();
    expect(await host.locator('mj-round-results').count()).toBe(0);

    await answerSurvey(phones.b, [4, 4, 3, 4, 4], '基本满意');
    await phones.b.getByRole('button', { name: '提交' }).click();
    await phones.b.getByText('已提交，回执').waitFor();

    // Phone C submits; the server commits; the ack is lost with the Wi-Fi.
    net.dropAcks = true;
    await answerSurvey(phones.c, [3, 3, 4, 3, 3], '满意');
    await phones.c.getByRole('button', { name: '提交' }).click();
    await phones.c.getByText('已保存在手机上，联网后会自动发送。').waitFor();
    await phones.c.getByText(/离线，已保存待发送（1）/).waitFor();
    await shot(phones.c, '10-phone-offline-pending-360');
    // Counted on the server already (its participation row is there) …
    await wall.getByText('已作答 3 / 4').waitFor();
    // … and the phone, reloaded while still offline, still holds it.
    await phones.c.reload();
    await phones.c.getByText(/已保存待发送（1）/).waitFor();

    // The Wi-Fi returns: the phone resends the same submission, the server says "duplicate".
    net.online = true;
    net.dropAcks = false;
    await phones.c.evaluate(() => window.dispatchEvent(new Event('online')));
    await phones.c.getByText('在线', { exact: true }).waitFor();
    await phones.c.getByRole('heading', { name: '我的回执' }).waitFor();
    expect(new Set(net.ballotIds).size).toBe(1);
    expect(net.ballotIds.length).toBeGreaterThanOrEqual(2);
    const participations = await served.db
      .selectFrom('round_participations')
      .select(['participant_id'])
      .where('round_id', '=', roundId)
      .execute();
    expect(participations.map((p) => p.participant_id).sort()).toEqual(
      [s.membersA[0]!, s.membersA[1]!, oldMember].map((m) => m.memberId).sort(),
    );

    // Who has not answered yet: the host, by name — never who answered what.
    await host.locator('mj-console-round').getByText('尚未作答（1）').waitFor();
    await host.locator('mj-console-round ul.names').getByText('张书记').waitFor();
    await shot(host, '11-host-survey-open-laptop');

    await host.getByRole('button', { name: '结束并封存' }).click();
    await confirm('结束并封存');
    await host.locator('mj-round-results').getByText('各项得分（满分 5 分）').waitFor();
    await host.getByText('会前准备可以更充分一些', { exact: false }).waitFor();
    await wall.getByText('已结束，等待主持人公布结果').waitFor();
    expect(await wall.locator('mj-round-results').count()).toBe(0);
    expect(
      await served.db.selectFrom('ballots').select('id').where('round_id', '=', roundId).execute(),
    ).toHaveLength(3);

    await host.getByRole('button', { name: '在大屏公布结果' }).click();
    await confirm('在大屏公布结果');
    await wall.locator('mj-round-results').getByText('共 3 份').waitFor();
    await wall.locator('mj-round-results').getByText('基本满意').waitFor();
    await wall.getByText('4.00').first().waitFor();
    // The wall never shows the comments; the host console does.
    expect(await wall.getByText('会前准备可以更充分一些').count()).toBe(0);
    await shot(wall, '12-wall-survey-results');
    await shot(host, '13-host-survey-results-laptop');

    // Every phone confirms its receipt is in the published list.
    for (const phone of [phones.a, phones.b, phones.c])
      await phone.getByText('回执在公示名单中，已计入').first().waitFor();
    await phones.a.locator('mj-round-results').getByText('共 3 份').waitFor();
    await shot(phones.a, '14-phone-results-receipt-360');
  });

  it('runs a criticism round: oral and written self-examination, anonymous items, moderation, reveal, response, a problem', async () => {
    await newRound('批评与自我批评');
    // Speaking order: the secretary first (the console proposes the host), then 党员甲1; nobody else.
    for (const name of ['党员甲2', '党员甲3', '党员甲4', '党员甲5', '王老党员'])
      await host.getByRole('button', { name: `移除 ${name}` }).click();
    const order = await host.locator('ol.order li .name').allTextContents();
    expect(order).toEqual(['张书记', '党员甲1']);
    await shot(host, '15-host-new-criticism-laptop');
    await host.getByRole('button', { name: '添加到议程' }).click();
    await host.getByRole('button', { name: '开始本环节' }).click();

    // The secretary speaks: an oral self-examination, summarised by the host.
    const panel = host.locator('mj-console-criticism');
    await panel.getByRole('button', { name: '进入：自我剖析' }).click();
    await panel.getByLabel('口头剖析摘要').fill('理论学习不够系统，联系群众不够紧密。');
    await panel.getByRole('button', { name: '保存摘要' }).click();
    await panel.getByText('理论学习不够系统').waitFor();
    await panel.getByRole('button', { name: '进入：相互批评' }).click();
    await wall.getByText('张书记', { exact: true }).waitFor();
    await wall.getByText('请在手机上写下意见 · 匿名').waitFor();
    // A timer for the criticism: on the wall and on every phone.
    await host.getByLabel('说明，例如：自我剖析').fill('提意见');
    await host.getByRole('button', { name: '3 分钟' }).click();
    await wall.locator('mj-countdown').getByText('提意见').waitFor();
    await wall.locator('mj-countdown').getByRole('timer').waitFor();
    await phones.b.locator('mj-countdown').getByText('提意见').waitFor();

    const texts = {
      a: '书记在布置工作时有时只提要求，不讲方法，去年三季度的调研任务就是这样。',
      b: '希望书记多到一线走走，听听年轻党员的想法。',
      c: '书记工作很忙，但支部学习有几次临时取消了。',
    };
    for (const key of ['a', 'b', 'c'] as const) {
      const phone = phones[key];
      const task = phone.locator('mj-criticism-task');
      // Phone A may only write about the secretary; the others choose, the speaker on turn chosen already.
      if (key === 'a') await task.getByText('给 张书记 提意见').waitFor();
      else expect(await task.getByRole('radio', { name: '张书记' }).isChecked()).toBe(true);
      await task.getByLabel('批评意见').fill(texts[key]);
      if (key === 'a') await task.getByLabel(/具体事例/).check();
      if (key === 'a') {
        await task.getByText('匿名：任何人都无法看到是谁写的').waitFor();
        await shot(phone, '16-phone-criticism-write-360');
        expect(await axeViolations(phone)).toEqual([]);
      }
      await task.getByRole('button', { name: '发送' }).click();
      await task.getByText('已发送，主持人审核后公布。').waitFor();
    }
    // The third item releases the batch to the host: text only, no author anywhere.
    for (const text of Object.values(texts)) await panel.getByText(text).waitFor();
    await shot(host, '17-host-moderation-laptop');
    expect(await panel.locator('li', { hasText: texts.a }).getByText('—').count()).toBe(0);
    expect(await axeViolations(host)).toEqual([]);

    await panel.locator('li', { hasText: texts.a }).getByRole('button', { name: '通过' }).click();
    await panel.locator('li', { hasText: texts.a }).getByText('已通过').waitFor();
    await panel.locator('li', { hasText: texts.b }).getByRole('button', { name: '通过' }).click();
    await panel.locator('li', { hasText: texts.c }).getByRole('button', { name: '不予采用' }).click();
    await panel.locator('li', { hasText: texts.c }).getByText('不予采用', { exact: true }).first().waitFor();
    // The author's phone learns how its item stands (it proves authorship with its own secret).
    await phones.c.locator('mj-criticism-task').getByText('不予采用').waitFor();
    await phones.a.locator('mj-criticism-task').getByText('已通过').waitFor();

    await panel.getByRole('button', { name: '进入：公布意见' }).click();
    await confirm(/进入：公布意见/);
    await panel.getByRole('button', { name: /公布下一条/ }).click();
    await wall.getByText('第 1 条').waitFor();
    const first = (await wall.locator('blockquote.item').textContent())!.trim();
    expect([texts.a, texts.b]).toContain(first);
    expect(await wall.getByText(texts.c).count()).toBe(0);
    await shot(wall, '18-wall-criticism-item');
    await panel.getByRole('button', { name: '全部公布' }).click();
    await wall.getByText('第 2 条').waitFor();

    // Item → problem (查摆问题, 互相帮) + rectification item.
    const revealed = panel.locator('li', { hasText: texts.a });
    await revealed.getByRole('button', { name: '转为问题' }).click();
    await revealed.getByLabel('同时建立整改事项').check();
    await revealed.getByLabel('整改措施').fill('布置任务时同时讲清方法和标准，每月检查一次落实情况。');
    await revealed.getByLabel('完成时限').fill('2027-03-31');
    await revealed.getByRole('button', { name: '保存为问题' }).click();
    await revealed.getByText('已转为问题').waitFor();
    const problem = await served.db
      .selectFrom('problems')
      .select(['id', 'source', 'subject_member_id', 'description'])
      .where('meeting_id', '=', meetingId)
      .executeTakeFirstOrThrow();
    expect(problem).toMatchObject({
      source: 'peers',
      subject_member_id: s.secretaryA.memberId,
      description: texts.a,
    });
    const rectification = await served.db
      .selectFrom('rectification_items')
      .selectAll()
      .where('problem_id', '=', problem.id)
      .executeTakeFirstOrThrow();
    expect(rectification.measures).toContain('布置任务时');

    await panel.getByRole('button', { name: '进入：表态' }).click();
    await panel.getByRole('button', { name: '进入：完成' }).click();
    await host.getByRole('button', { name: '停止' }).click();
    await wall.locator('mj-countdown').getByRole('timer').waitFor({ state: 'detached' });
  });

  it("continues with 党员甲1's turn on their own phone: self-examination, edited and withdrawn items, response", async () => {
    const panel = host.locator('mj-console-criticism');
    const roundId = await roundIdByTitle('批评与自我批评');
    // 党员甲1's turn, on their own phone: written self-examination, then the others' criticism.
    await panel.getByRole('button', { name: /党员甲1/ }).click();
    await panel.getByRole('button', { name: '进入：自我剖析' }).click();
    const taskA = phones.a.locator('mj-criticism-task');
    await taskA.getByText('轮到你了').waitFor();
    await taskA.getByLabel('我的自我剖析').fill('学习上满足于完成任务，对新知识钻研不够。');
    await shot(phones.a, '19-phone-self-examination-360');
    await taskA.getByRole('button', { name: '发送' }).click();
    await panel.getByText('对新知识钻研不够').waitFor();
    await panel.getByRole('button', { name: '进入：相互批评' }).click();

    const taskB = phones.b.locator('mj-criticism-task');
    await taskB.getByText('给 党员甲1 提意见').waitFor();
    await taskB.getByLabel('批评意见').fill('开会发言偏少。');
    await taskB.getByRole('button', { name: '发送' }).click();
    const mineB = taskB.locator('li', { hasText: '开会发言偏少' });
    await mineB.getByRole('button', { name: '编辑' }).click();
    await taskB.getByLabel('修改给 党员甲1 的意见').fill('开会发言偏少，希望多谈自己的看法。');
    await taskB.getByRole('button', { name: '保存' }).click();
    await taskB.getByText('开会发言偏少，希望多谈自己的看法。').waitFor();

    const taskC = phones.c.locator('mj-criticism-task');
    await taskC.getByLabel('批评意见').fill('这条写错了，要撤回。');
    await taskC.getByRole('button', { name: '发送' }).click();
    await taskC.locator('li', { hasText: '这条写错了' }).getByRole('button', { name: '撤回' }).click();
    await taskC.locator('li', { hasText: '这条写错了' }).getByText('已撤回').waitFor();

    // Ending the criticism phase releases what is held back, however few; the withdrawn item never shows.
    await panel.getByRole('button', { name: '进入：公布意见' }).click();
    await confirm(/进入：公布意见/);
    const edited = panel.locator('li', { hasText: '希望多谈自己的看法' });
    await edited.getByRole('button', { name: '通过' }).click();
    expect(await panel.getByText('这条写错了').count()).toBe(0);
    await panel.getByRole('button', { name: '全部公布' }).click();

    await taskA.getByText('对 党员甲1 的意见').waitFor();
    await taskA.getByText('开会发言偏少，希望多谈自己的看法。').waitFor();
    await taskA.getByLabel('我的表态').fill('诚恳接受，今后会议上主动发言。');
    await taskA.getByRole('button', { name: '发送' }).click();
    await panel.getByText('诚恳接受，今后会议上主动发言。').waitFor();
    await shot(phones.a, '20-phone-response-360');
    await shot(host, '21-host-criticism-laptop');

    await panel.getByRole('button', { name: '进入：表态' }).click();
    await panel.getByRole('button', { name: '进入：完成' }).click();
    await host.getByRole('button', { name: '结束并封存' }).click();
    await confirm('结束并封存');
    await wall.getByText('本轮批评与自我批评已结束。').waitFor();
    const items = await served.db
      .selectFrom('criticism_items')
      .select(['status', 'author_member_id', 'author_key_hash'])
      .where('round_id', '=', roundId)
      .execute();
    expect(items).toHaveLength(5);
    expect(items.every((i) => i.author_member_id === null && i.author_key_hash === null)).toBe(true);
  });

  it('runs the appraisal ballot: a grid per member, review, receipt; tallies for the committee only', async () => {
    await newRound('民主测评');
    await host.getByRole('button', { name: '添加到议程' }).click();
    await host.getByRole('button', { name: '开始本环节' }).click();
    const roundId = await roundIdByTitle('民主测评');

    const grades: Record<'a' | 'b' | 'c', string> = { a: '优秀', b: '合格', c: '合格' };
    for (const key of ['a', 'b', 'c'] as const) {
      const phone = phones[key];
      const task = phone.locator('mj-appraisal-task');
      await task.getByText('已评 0 / 7').waitFor();
      const rows = task.locator('fieldset.row-person');
      expect(await rows.count()).toBe(7);
      if (key === 'a') {
        // Reviewing too early points at who is missing.
        await task.getByRole('button', { name: '检查并提交' }).click();
        await task.getByText('还有 7 人未评').waitFor();
      }
      for (let i = 0; i < 7; i++)
        await rows
          .nth(i)
          .getByText(i === 0 ? grades[key] : '合格', { exact: true })
          .click();
      await task.getByText('已评 7 / 7').waitFor();
      if (key === 'a') {
        await shot(phone, '22-phone-appraisal-grid-360');
        expect(await horizontalOverflow(phone)).toBeLessThanOrEqual(0);
        expect(await axeViolations(phone)).toEqual([]);
      }
      await task.getByRole('button', { name: '检查并提交' }).click();
      await task.getByRole('heading', { name: '请核对您的选择' }).waitFor();
      if (key === 'a') await shot(phone, '23-phone-appraisal-review-360');
      await task.getByRole('button', { name: '确认提交' }).click();
      await phone.getByText('已提交，回执').waitFor();
    }
    await wall.getByText('已作答 3 / 4').waitFor();
    await host.getByRole('button', { name: '结束并封存' }).click();
    await confirm('结束并封存');

    // The committee's table: 张书记 (first row) got one 优秀 and two 合格.
    const table = host.locator('section.committee table');
    await table.waitFor();
    const secretaryRow = table.locator('tr', { hasText: '张书记' });
    expect(await secretaryRow.locator('td.num').allTextContents()).toEqual(['1', '2', '0', '0']);
    await shot(host, '24-host-appraisal-results-laptop');

    // The wall and the phones never get per-member results.
    await wall.getByText('测评已结束。结果由支部委员会掌握，不在大屏公布。').waitFor();
    expect(await wall.locator('table').count()).toBe(0);
    expect(await wall.getByText('优秀').count()).toBe(0);
    await shot(wall, '25-wall-appraisal-closed');
    for (const phone of [phones.a, phones.b, phones.c]) {
      const receipts = phone.locator('ul.receipts li', { hasText: '民主测评' });
      await receipts.getByText('回执在公示名单中，已计入').waitFor();
    }
    await shot(phones.c, '26-phone-receipts-360');
    expect(
      await served.db.selectFrom('ballots').select('id').where('round_id', '=', roundId).execute(),
    ).toHaveLength(3);
  });

  it('rebinds a lost phone, lets an observer in (in English), and runs a word-cloud poll', async () => {
    // 王老党员's phone is "lost": the host unlinks it; the old phone is told and must claim again.
    await host.getByRole('button', { name: /手机领取码/ }).click();
    const row = host.locator('tr', { hasText: '王老党员' });
    await row.getByText(/已领取/).waitFor();
    await row.getByRole('button', { name: '重新绑定（手机丢失）' }).click();
    await row.getByLabel('原因').fill('手机丢失');
    await row.getByRole('button', { name: '解除旧手机并生成新码' }).click();
    await row.getByText(/解除绑定：手机丢失/).waitFor();
    const newCode = (await host
      .locator('.slip', { hasText: '王老党员' })
      .locator('.code')
      .textContent())!.trim();
    await phones.c.getByText('这部手机的绑定已被主持人解除，请向主持人领取新的领取码。').waitFor();
    await shot(phones.c, '27-phone-rebound-360');
    await phones.c.getByLabel('领取码').fill(newCode);
    await phones.c.getByRole('button', { name: '领取并进入会议' }).click();
    await phones.c.getByText('已签到 ✓').waitFor();
    // What this phone held is still there: its receipts.
    await phones.c.getByRole('heading', { name: '我的回执' }).waitFor();

    // An observer (列席) joins with an observer code and reads the phone in English.
    await host.getByRole('button', { name: '生成列席码' }).click();
    const observerCode = (await host
      .locator('.slip', { hasText: '李群众' })
      .locator('.code')
      .textContent())!.trim();
    const observer = await phoneContext();
    await observer.goto(`${base()}/j/${joinCode}`);
    await observer.getByText('我是列席人员').click();
    await observer.getByLabel('列席码').fill(observerCode);
    await observer.getByRole('button', { name: '以列席身份进入' }).click();
    await observer.getByText('列席 ✓').waitFor();
    await observer.getByRole('button', { name: 'English' }).click();
    await observer.getByRole('heading', { name: 'Please wait' }).waitFor();
    await host.getByRole('button', { name: /签到与出席/ }).click();
    await host.getByText('李群众 · 已加入').waitFor();

    await newRound('快速投票');
    await host.getByLabel('问题').fill('用一个词形容今天的会');
    await host.getByLabel('方式').selectOption('wordCloud');
    await host.getByRole('button', { name: '添加到议程' }).click();
    await host.getByRole('button', { name: '开始本环节' }).click();
    await wall.getByText('已作答 0 / 5').waitFor();

    const answers: Array<[Page, string[], string]> = [
      [phones.a, ['团结', '务实'], '第 {n} 个词'],
      [phones.b, ['团结'], '第 {n} 个词'],
      [phones.c, ['务实', '创新'], '第 {n} 个词'],
      [observer, ['团结'], 'Word {n}'],
    ];
    for (const [page, words, label] of answers) {
      const task = page.locator('mj-poll-task');
      for (const [i, word] of words.entries())
        await task.getByLabel(label.replace('{n}', String(i + 1))).fill(word);
      if (page === observer) {
        await shot(observer, '28-observer-poll-en-360');
        expect(await horizontalOverflow(observer)).toBeLessThanOrEqual(0);
      }
      await task.getByRole('button', { name: page === observer ? 'Submit' : '提交' }).click();
    }
    await observer.getByText('Submitted — receipt').waitFor();
    await wall.getByText('已作答 4 / 5').waitFor();
    await host.getByRole('button', { name: '结束并封存' }).click();
    await confirm('结束并封存');
    await host.getByRole('button', { name: '在大屏公布结果' }).click();
    await confirm('在大屏公布结果');
    const cloud = wall.locator('mj-round-results .cloud');
    await cloud.getByText('团结').waitFor();
    expect(await cloud.textContent()).toMatch(/团结[\s\S]*务实[\s\S]*创新/);
    await shot(wall, '29-wall-word-cloud');
    await observer.getByText('Receipt is in the published list: counted').waitFor();
    await shot(observer, '30-observer-receipt-en-360');

    // The console reads as well in English.
    await host.getByRole('button', { name: 'English' }).click();
    await host.getByRole('button', { name: 'End the live session' }).waitFor();
    await shot(host, '31-host-console-en-laptop');

    for (const list of errors) expect(list).toEqual([]);
  });
});
