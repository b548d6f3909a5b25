import { beforeAll, describe, expect, it } from 'vitest';
import { effectiveInstrument } from '../../server/live/instruments.ts';
import { sweep } from '../../server/quality/worker.ts';
import { shanghaiDate } from '../../shared/domain/calendar.ts';
import { addDays } from '../../shared/domain/rectification.ts';
import {
  browserTestsEnabled,
  collectPageErrors,
  committeeInChromium,
  horizontalOverflow,
  newContext,
  screenshot,
  signIn,
} from '../support/browser.ts';
import { hoursFromNow, scheduleMeeting } from '../support/meetings.ts';
import { insertClosedCriticism } from '../support/quality.ts';
import { insertMeeting } from '../support/rectification-fixtures.ts';

const suite = 'quality';

const recycled =
  '对理论学习重视不够，满足于完成规定动作，学习的系统性和深度不够，理论联系实际不够紧密，运用理论指导工作、解决实际问题的能力有待提高。';

describe.runIf(browserTestsEnabled())('the quality index in Chromium', () => {
  const chromium = committeeInChromium(6);
  let meetingId: string;

  /**
   * A held 组织生活会 with its record: attendance, a closed survey and criticism round (as the live
   * meeting leaves them), a rectification item and signed minutes — then scored, changed and
   * scored again, so the page has a history to show.
   */
  beforeAll(async () => {
    const { served, w } = chromium;
    const secretary = await served.client().signIn('secA');
    const earlier = await insertMeeting(
      served.db,
      w.branchA.id,
      '上年度组织生活会',
      new Date(`${addDays(shanghaiDate(new Date()), -300)}T02:00:00Z`),
    );
    await insertClosedCriticism(served.db, earlier, [
      { memberId: w.membersA[1]!.memberId, selfExamination: recycled },
    ]);
    await sweep(served.db, shanghaiDate(new Date()));

    meetingId = await scheduleMeeting(secretary, w.branchA.id, {
      title: '2026年度组织生活会',
      startsAt: hoursFromNow(-4),
      endsAt: hoursFromNow(-2),
      hostMemberId: w.secretaryA.memberId,
      recorderMemberId: w.membersA[0]!.memberId,
      preparation: { studyHeld: true, talksHeld: true, opinionSolicitationHeld: false },
    });
    await secretary.post(`/api/meetings/${meetingId}/status`, { status: 'held' });
    const invitees = [w.secretaryA, ...w.membersA, w.probationaryA];
    await secretary.put(`/api/meetings/${meetingId}/attendance`, {
      entries: invitees.map((m, i) =>
        i === 6
          ? { memberId: m.memberId, status: 'excused', note: '外出培训' }
          : { memberId: m.memberId, status: 'present' },
      ),
    });
    const instrument = await effectiveInstrument(served.db, w.branchA.ancestry);
    const survey = await served.db
      .insertInto('rounds')
      .values({
        meeting_id: meetingId,
        kind: 'survey',
        title: '满意度测评',
        position: 1,
        anonymous: true,
        state: 'closed',
        config: JSON.stringify({ kind: 'survey' }),
        instrument_id: instrument.id,
        instrument_version: instrument.version,
        closed_at: new Date(),
        sealed_at: new Date(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (let i = 0; i < 7; i++)
      await served.db
        .insertInto('ballots')
        .values({
          round_id: survey.id,
          content: JSON.stringify({
            kind: 'survey',
            likert: { themeFocus: 5, preparation: 4, candour: 4 + (i % 2), problemSolving: 4, conduct: 5 },
            overall: i < 6 ? 'satisfied' : 'basicallySatisfied',
          }) as never,
          receipt: `R${i}`,
        })
        .execute();
    await insertClosedCriticism(served.db, meetingId, [
      {
        memberId: w.secretaryA.memberId,
        selfExamination: '抓班子带队伍用力不均，对青年党员的思想动态掌握不及时。',
        items: ['支委会经常临时改时间，去年有三次通知不到位。', '主题党日形式单一，连续四个月都是集中读报。'],
      },
      {
        memberId: w.membersA[1]!.memberId,
        selfExamination: recycled,
        items: ['党费收缴台账有两个月没有及时登记。'],
      },
    ]);
    await sweep(served.db, shanghaiDate(new Date()));
    await secretary.post(`/api/organizations/${w.branchA.id}/problems`, {
      scope: 'branch',
      description: '支委会通知不到位',
      source: 'peers',
      meetingId,
      item: {
        measures: '支委会时间提前一周确定并书面通知',
        ownerMemberId: w.membersA[2]!.memberId,
        dueOn: addDays(shanghaiDate(new Date()), 60),
      },
    });
    const recorder = await served.client().signIn('memberA1');
    await recorder.put(`/api/meetings/${meetingId}/minutes`, {
      recordingMethod: 'summary',
      custodianMemberId: w.secretaryA.memberId,
      content: {
        agendaItems: ['通报上年度整改情况', '批评与自我批评'],
        reports: ['支委会工作报告'],
        speeches: [{ speakerMemberId: w.secretaryA.memberId, summary: '带头作对照检查' }],
        votes: [],
        resolutions: [],
        closingSummary: '',
      },
    });
    await served.app.qualityWorker.drain();
    // The recorder adds the closing summary the next day: the score moves, the first value stays in history.
    await recorder.put(`/api/meetings/${meetingId}/minutes`, {
      recordingMethod: 'summary',
      custodianMemberId: w.secretaryA.memberId,
      content: {
        agendaItems: ['通报上年度整改情况', '批评与自我批评'],
        reports: ['支委会工作报告'],
        speeches: [{ speakerMemberId: w.secretaryA.memberId, summary: '带头作对照检查' }],
        votes: [],
        resolutions: [],
        closingSummary: '会议达到了红红脸、出出汗的效果',
      },
    });
    await secretary.post(`/api/meetings/${meetingId}/minutes/sign`, { as: 'host' });
    await recorder.post(`/api/meetings/${meetingId}/minutes/sign`, { as: 'recorder' });
    await served.app.qualityWorker.drain();
  });

  it('shows the recorder a meeting’s score, what capped it, each component, the recycled text and the history, on a phone', async () => {
    const { served } = chromium;
    const context = await newContext(chromium.browser, { viewport: 'phone' });
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await signIn(page, served.baseUrl, 'secA', `/meetings/${meetingId}`);
    await page.getByRole('link', { name: '会议质量' }).click();
    await page.waitForURL(`**/meetings/${meetingId}/quality`);
    const view = page.locator('mj-meeting-quality');
    await view.getByRole('heading', { name: '会议质量指数' }).waitFor();
    // No opinion solicitation was recorded: the preparation gate caps the score at 79.
    await view.getByText('会前准备记录不全，得分不超过 79').waitFor();
    await view.getByText('未记录征求意见').waitFor();
    await view.getByText('出席 7/8 人（88%）').waitFor();
    await view.getByRole('heading', { name: '批评与自我批评实效' }).waitFor();
    await view.getByText('5 条意见中 1 条与其他内容雷同').waitFor();
    const flag = view.locator('.flagged .flag');
    expect(await flag.count()).toBe(1);
    expect(await flag.textContent()).toMatch(/与 \d{4}-\d{2}-\d{2} 的一条内容 \d+% 相同/);
    await view.getByRole('heading', { name: '历次得分' }).waitFor();
    // The amendment and the sign-off may be scored together or one after the other (the worker runs
    // on its own pace): either way the history names the minutes as the reason.
    await view.locator('ol.history').getByText('会议记录修改').first().waitFor();
    await screenshot(page, suite, '01-meeting-quality-phone');
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);

    await page.getByRole('button', { name: 'English' }).click();
    await view.getByRole('heading', { name: 'Meeting Quality Index' }).waitFor();
    await view.getByText('Attendance 7 of 8 (88%)').waitFor();
    await screenshot(page, suite, '02-meeting-quality-phone-en');
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await page.getByRole('button', { name: '中文' }).click();
    expect(errors).toEqual([]);
    await context.close();
  });

  it('lets a committee publish an edited rubric, refusing a bad value beside its field, on a laptop', async () => {
    const { served, w } = chromium;
    const context = await newContext(chromium.browser, { viewport: 'laptop' });
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await signIn(page, served.baseUrl, 'viewer', `/orgs/${w.committee.id}`);
    await page.getByRole('link', { name: '评分标准' }).click();
    const editor = page.locator('mj-rubric-editor');
    await editor.getByRole('heading', { name: '会议质量评分标准' }).waitFor();
    await editor.getByText('现行第 1 版').waitFor();
    await screenshot(page, suite, '03-rubric-editor-laptop');

    const satisfaction = editor.getByRole('group', { name: '满意度' });
    await satisfaction.getByLabel('权重').first().fill('-10');
    await editor.getByLabel('支部内最少样本数 k').fill('2');
    await editor.getByRole('button', { name: '发布为新版本' }).click();
    await editor.getByText('提交的内容有误，请检查标出的字段。').waitFor();
    expect(await editor.getByText('数值太小').count()).toBe(2);
    await screenshot(page, suite, '04-rubric-refused-laptop');

    await satisfaction.getByLabel('权重').first().fill('25');
    await editor.getByLabel('支部内最少样本数 k').fill('4');
    await editor.getByLabel('修订说明').fill('适当降低满意度权重');
    await editor.getByRole('button', { name: '发布为新版本' }).click();
    await editor.getByText(/已发布第 2 版，\d+ 次会议将按新标准重新计算。/).waitFor();
    await editor.getByText('现行第 2 版').waitFor();
    await editor.getByRole('cell', { name: '适当降低满意度权重' }).waitFor();
    await screenshot(page, suite, '05-rubric-published-laptop');

    // A branch sees the rubric it follows, read only.
    await page.goto(`${served.baseUrl}/orgs/${w.branchA.id}/quality-rubric`);
    await editor.getByText('评分标准由基层党委、党总支制定，本组织执行上级的标准。').waitFor();
    expect(await editor.getByRole('button', { name: '发布为新版本' }).count()).toBe(0);
    expect(await editor.getByLabel('支部内最少样本数 k').isDisabled()).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });
});
