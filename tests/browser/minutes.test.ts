import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  artifactsDir,
  browserTestsEnabled,
  collectPageErrors,
  committeeInChromium,
  horizontalOverflow,
  newContext,
  screenshot,
  signIn,
} from '../support/browser.ts';
import { insertMeeting } from '../support/rectification-fixtures.ts';
import { branchWorkbook } from '../support/roster-files.ts';

const suite = 'minutes';

/** Opens an invitation slip's link on a phone and creates the member's account (they stay signed in). */
async function acceptInvitation(page: Page, link: string, name: string, login: string) {
  await page.goto(link);
  await page.getByText(`第一党支部 邀请 ${name} 使用明镜`).waitFor();
  await page.getByLabel(/^登录名/).fill(login);
  await page.getByLabel(/^密码/).fill(`${login} 2026 password`);
  await page.getByLabel('再次输入密码').fill(`${login} 2026 password`);
  await page.getByRole('button', { name: '创建账号并登录' }).click();
  await page.getByRole('link', { name: '第一党支部' }).waitFor();
}

describe.runIf(browserTestsEnabled())('the foundation journey in Chromium', () => {
  // The branch starts with its secretary, one member and one probationary member; the rest comes from Excel.
  const chromium = committeeInChromium(1);

  it('a secretary signs in, imports members, schedules a 组织生活会, fills and signs the minutes, and the printable page shows them', async () => {
    const { served, browser, w: world } = chromium;
    const laptop = await newContext(browser);
    const secretary = await laptop.newPage();
    const errors = collectPageErrors(secretary);

    // The secretary signs in and imports the branch's Excel roster through the wizard.
    await signIn(secretary, served.baseUrl, 'secA', '/');
    await secretary.getByRole('link', { name: '第一党支部' }).click();
    await secretary.getByRole('link', { name: '党员名册' }).click();
    await secretary.getByRole('link', { name: '导入名册' }).click();
    await secretary.getByLabel('名册文件').setInputFiles({
      name: '第一党支部花名册.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: await branchWorkbook(),
    });
    await secretary.getByRole('button', { name: '检查文件' }).click();
    await secretary.getByText('共 4 行：新增 4 人，已在名册中 0 人（将跳过），有问题 0 行。').waitFor();
    await screenshot(secretary, suite, '01-import-preview-laptop');
    await secretary.getByRole('button', { name: '确认导入 4 人' }).click();
    await secretary.getByText('导入完成：新增 4 人，跳过已在名册中的 0 人。').waitFor();

    // Imported members have no account yet: the secretary prints their invitation slips, and the
    // two who will host and record the meeting create their accounts from them on their phones.
    await secretary.getByRole('link', { name: '查看名册' }).click();
    await secretary.getByRole('link', { name: '打印邀请码' }).click();
    await secretary.getByRole('button', { name: '生成并显示邀请码' }).click();
    await secretary.getByRole('button', { name: '打印' }).waitFor();
    expect(await secretary.getByRole('article').count()).toBe(4);
    const slipLink = async (name: string) =>
      (await secretary.getByRole('article', { name }).locator('.link').textContent())!.match(
        /https?:\/\/\S+/,
      )![0];
    const [hostLink, recorderLink] = [await slipLink('刘洋'), await slipLink('陈静')];
    const hostContext = await newContext(browser, { viewport: 'phone' });
    const host = await hostContext.newPage();
    const hostErrors = collectPageErrors(host);
    await acceptInvitation(host, hostLink, '刘洋', 'liuyang');
    const recorderContext = await newContext(browser, { viewport: 'phone' });
    const recorder = await recorderContext.newPage();
    const recorderErrors = collectPageErrors(recorder);
    await acceptInvitation(recorder, recorderLink, '陈静', 'chenjing');

    // The secretary schedules the 组织生活会: 刘洋 hosts, 陈静 records, both from the imported roster.
    await secretary.goto(`${served.baseUrl}/orgs/${world.branchA.id}`);
    await secretary.getByRole('link', { name: '会议', exact: true }).click();
    await secretary.getByRole('link', { name: '安排会议' }).click();
    await secretary.getByLabel('会议类型').selectOption('orgLifeMeeting');
    const day = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    await secretary.getByLabel('会议名称').fill('2026年度组织生活会');
    await secretary.getByLabel(/会议主题/).fill('学习贯彻党的创新理论，查摆问题、整改落实');
    await secretary.getByLabel('开始时间').fill(`${day}T14:30`);
    await secretary.getByLabel('结束时间').fill(`${day}T17:00`);
    await secretary.getByLabel('地点').fill('党员活动室');
    await secretary.getByLabel('主持人').selectOption({ label: '刘洋（组织委员）' });
    await secretary.getByLabel('记录人').selectOption({ label: '陈静（宣传委员）' });
    await secretary.getByRole('button', { name: '添加议程' }).click();
    await secretary.getByLabel('议程 1').fill('书记通报支部年度工作和上年整改落实情况');
    await secretary.getByRole('button', { name: '添加议程' }).click();
    await secretary.getByLabel('议程 2').fill('开展批评与自我批评');
    await secretary.getByRole('button', { name: '添加列席人员' }).click();
    await secretary.getByLabel('姓名', { exact: true }).fill('王群众');
    await secretary.getByLabel('单位/身份').fill('社区居民代表');
    for (const step of ['已开展会前学习', '已开展谈心谈话', '已广泛征求意见'])
      await secretary.getByLabel(step).check();
    await screenshot(secretary, suite, '02-schedule-form-laptop');
    await secretary.getByRole('button', { name: '安排会议' }).click();
    await secretary.waitForURL(/\/meetings\/[0-9a-f-]{36}$/);
    const meetingId = secretary.url().split('/').pop()!;
    await secretary.getByRole('heading', { name: '2026年度组织生活会' }).waitFor();
    await screenshot(secretary, suite, '03-meeting-page-laptop');
    await secretary.getByRole('link', { name: '编辑' }).click();
    expect(await secretary.getByLabel('议程 2').inputValue()).toBe('开展批评与自我批评');
    // An end before the start is refused at its field, and nothing is lost.
    await secretary.getByLabel('结束时间').fill(`${day}T13:00`);
    await secretary.getByRole('button', { name: '保存' }).click();
    await secretary.getByText('结束时间必须晚于开始时间', { exact: true }).waitFor();
    expect(await secretary.getByLabel('议程 2').inputValue()).toBe('开展批评与自我批评');
    await secretary.getByLabel('结束时间').fill(`${day}T17:00`);
    await secretary.getByLabel('地点').fill('党员活动室（三楼）');
    await secretary.getByRole('button', { name: '保存' }).click();
    await secretary.getByText('党员活动室（三楼）（现场）').waitFor();

    // A member on a phone asks for leave; the secretary approves it.
    const phone = await newContext(browser, { viewport: 'phone' });
    const member = await phone.newPage();
    const memberErrors = collectPageErrors(member);
    await signIn(member, served.baseUrl, 'memberA1', `/meetings/${meetingId}`);
    await member.getByLabel('不能参加会议？请填写请假事由').fill('在外地出差，会后补学');
    await member.getByRole('button', { name: '提交请假' }).click();
    await member.getByText('请假申请已提交，等待书记审批。').waitFor();
    await screenshot(member, suite, '04-leave-request-phone');
    expect(await horizontalOverflow(member)).toBeLessThanOrEqual(0);

    await secretary.reload();
    await secretary.getByLabel('审批意见').fill('同意，会后补学');
    await secretary.getByRole('button', { name: '批准', exact: true }).click();
    await secretary.getByText(/张书记 于 .* 审批/).waitFor();
    await secretary.getByRole('button', { name: '标记为已召开' }).click();
    await secretary.getByText('已召开', { exact: true }).first().waitFor();

    // Attendance: everyone present but one absent with a reason; the approved leave shows as excused.
    await secretary.getByRole('link', { name: '出勤登记' }).click();
    await secretary.getByRole('button', { name: /其余 6 人全部标为出席/ }).click();
    await secretary
      .getByRole('group', { name: '马明 的出勤情况' })
      .getByRole('button', { name: '缺席' })
      .click();
    const note = secretary.getByLabel('马明 的缺席原因或备注');
    await note.fill('临时外出');
    await note.press('Tab');
    const indicator = secretary.locator('mj-quorum-indicator .box');
    await expect.poll(() => indicator.textContent()).toMatch(/应到\s*7\s*实到\s*5\s*请假\s*1\s*缺席\s*1/);
    await expect.poll(() => indicator.textContent()).toContain('本类会议没有法定人数要求');
    // The indicator sticks to the top while scrolling; a full-page picture is taken from the top.
    await secretary.evaluate(() => window.scrollTo(0, 0));
    await screenshot(secretary, suite, '05-attendance-laptop');

    // The minutes: agenda from the schedule, a report, a speech, a resolution, the summary.
    await secretary.getByRole('link', { name: '会议记录 →' }).click();
    expect(await secretary.getByLabel('议题 1').inputValue()).toBe('书记通报支部年度工作和上年整改落实情况');
    await secretary.getByRole('button', { name: '添加报告事项' }).click();
    await secretary.getByLabel('事项 1').fill('张书记通报支部全年工作和上年度整改落实情况。');
    await secretary.getByRole('button', { name: '添加发言' }).click();
    await secretary.locator('#speaker-0').selectOption({ label: '张书记' });
    await secretary.locator('#speech-0').fill('带头作对照检查，查摆理论学习不深不透等三个方面问题。');
    await secretary.getByRole('button', { name: '添加发言' }).click();
    await secretary.locator('#speaker-1').selectOption({ label: '王群众' });
    await secretary.locator('#speech-1').fill('希望支部多听群众意见。');
    await secretary.getByRole('button', { name: '添加决议' }).click();
    await secretary.getByLabel('决议 1').fill('形成支部整改清单，报上级党委备案。');
    await secretary.locator('#closingSummary').fill('会议开得严肃认真，达到了预期目的。');
    await secretary.getByLabel(/记录保管人/).selectOption({ label: '林晓' });
    await secretary.locator('#upload').setInputFiles({
      name: '签到表.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4\n%%EOF\n'),
    });
    await secretary.getByText('附件已上传。').waitFor();
    await secretary.getByRole('link', { name: '签到表.pdf' }).waitFor();
    await secretary.getByRole('button', { name: '保存', exact: true }).click();
    await secretary.getByText('已保存', { exact: true }).waitFor();
    await screenshot(secretary, suite, '06-minutes-filled-laptop');

    // The host signs on his phone, with the account he made from his slip; then the recorder; the minutes lock.
    const signOnPhone = async (page: Page, as: '主持人' | '记录人', notice: string, shot: string) => {
      await page.goto(`${served.baseUrl}/meetings/${meetingId}/minutes`);
      await page.getByRole('button', { name: `以${as}身份签字` }).click();
      await page.getByRole('dialog').getByRole('button', { name: '确认签字' }).click();
      await page.getByText(notice).waitFor();
      await screenshot(page, suite, shot);
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    };
    await signOnPhone(host, '主持人', '已签字，等待另一方签字。', '07-minutes-host-signed-phone');
    await signOnPhone(recorder, '记录人', '双方均已签字，会议记录已锁定。', '08-minutes-locked-phone');
    await recorder.goto(`${served.baseUrl}/meetings/${meetingId}/attendance`);
    await recorder.locator('mj-quorum-indicator').waitFor();
    await recorder.evaluate(() => window.scrollTo(0, 0));
    await screenshot(recorder, suite, '09-attendance-phone');
    expect(await horizontalOverflow(recorder)).toBeLessThanOrEqual(0);

    // After the lock the secretary amends the summary, giving a reason.
    await secretary.reload();
    await secretary
      .locator('#closingSummary')
      .fill('会议开得严肃认真，达到了预期目的。会后一周内公示整改清单。');
    await secretary.getByRole('button', { name: '保存修改' }).click();
    await secretary.getByRole('dialog').getByLabel('修改理由').fill('补记主持人关于公示整改清单的要求');
    await secretary.getByRole('dialog').getByRole('button', { name: '保存修改' }).click();
    await secretary.getByRole('heading', { name: '修改记录' }).waitFor();

    // The printable page shows every field, both signatures with times, and the amendment appendix.
    await secretary.goto(`${served.baseUrl}/meetings/${meetingId}/minutes/print`);
    const sheet = secretary.locator('article.sheet');
    await sheet.getByRole('heading', { name: '主持人总结' }).waitFor();
    const text = (await sheet.textContent()) ?? '';
    for (const expected of [
      '第一党支部',
      '2026年度组织生活会',
      '组织生活会',
      '党员活动室（三楼）',
      '应到 7 人，实到 5 人',
      '党员甲1（请假：在外地出差，会后补学）；马明（缺席：临时外出、未请假）',
      '签到表.pdf',
      '王群众（社区居民代表）',
      '书记通报支部年度工作和上年整改落实情况',
      '带头作对照检查',
      '形成支部整改清单，报上级党委备案。',
      '会后一周内公示整改清单',
      '林晓',
      '附：修改记录',
      '补记主持人关于公示整改清单的要求',
    ])
      expect(text).toContain(expected);
    expect(text).toMatch(/主持人：刘洋（已于 .+ 签字）/);
    expect(text).toMatch(/记录人：陈静（已于 .+ 签字）/);
    await screenshot(secretary, suite, '10-print-laptop');
    await secretary.emulateMedia({ media: 'print' });
    await screenshot(secretary, suite, '11-print-media');
    const pdf = await secretary.pdf({ preferCSSPageSize: true });
    await writeFile(path.join(artifactsDir, suite, 'minutes.pdf'), pdf);
    const [width, height] = pdf
      .toString('latin1')
      .match(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/)!
      .slice(1)
      .map(Number) as [number, number];
    // A4 is 595 × 842 points.
    expect(Math.abs(width - 595.3)).toBeLessThan(2);
    expect(Math.abs(height - 841.9)).toBeLessThan(2);

    const printPhone = await recorderContext.newPage();
    await printPhone.goto(`${served.baseUrl}/meetings/${meetingId}/minutes/print`);
    await printPhone.locator('article.sheet').getByText('附：修改记录').waitFor();
    await screenshot(printPhone, suite, '12-print-phone');
    expect(await horizontalOverflow(printPhone)).toBeLessThanOrEqual(0);

    // The branch's meeting list shows the held meeting with its signed minutes, and a meeting one of
    // the imported party groups held, marked with the group's name; in both languages.
    const group = await served.db
      .selectFrom('organizations')
      .select('id')
      .where('name', '=', '第一党小组')
      .executeTakeFirstOrThrow();
    const groupMeeting = await insertMeeting(
      served.db,
      group.id,
      '十月党小组会',
      new Date(Date.now() - 30 * 86_400_000),
      { type: 'partyGroupMeeting' },
    );
    await served.db
      .insertInto('meeting_invitees')
      .columns(['meeting_id', 'member_id'])
      .expression((eb) =>
        eb
          .selectFrom('members')
          .select([eb.val(groupMeeting).as('meeting_id'), 'id'])
          .where('party_group_id', '=', group.id),
      )
      .execute();
    await secretary.emulateMedia({ media: 'screen' });
    await secretary.goto(`${served.baseUrl}/orgs/${world.branchA.id}/meetings?when=past`);
    await secretary.getByRole('heading', { name: '2026年度组织生活会' }).waitFor();
    await secretary.getByText('记录已签字').waitFor();
    await secretary.getByText('党小组：第一党小组').waitFor();
    await screenshot(secretary, suite, '13-meeting-list-laptop');
    await secretary.getByRole('button', { name: 'English' }).click();
    await secretary.getByText('Minutes signed').waitFor();
    await secretary.getByText('Party group: 第一党小组').waitFor();
    await screenshot(secretary, suite, '14-meeting-list-english');
    // The choice is remembered on the account; back to Chinese for the phone below.
    await secretary.getByRole('button', { name: '中文' }).click();
    await secretary.getByText('记录已签字').waitFor();

    // A secretary on a phone: the list and the schedule form fit 360 px.
    const secretaryPhone = await newContext(browser, { viewport: 'phone' });
    const small = await secretaryPhone.newPage();
    const smallErrors = collectPageErrors(small);
    await signIn(small, served.baseUrl, 'secA', `/orgs/${world.branchA.id}/meetings`);
    await small.getByRole('link', { name: '已召开或已取消' }).click();
    await small.getByRole('heading', { name: '2026年度组织生活会' }).waitFor();
    await screenshot(small, suite, '15-meeting-list-phone');
    expect(await horizontalOverflow(small)).toBeLessThanOrEqual(0);
    await small.getByRole('link', { name: '安排会议' }).click();
    await small.getByLabel('会议类型').selectOption('branchCommitteeMeeting');
    await small.getByText('已选 3 / 7 人').waitFor();
    await screenshot(small, suite, '16-schedule-form-phone');
    expect(await horizontalOverflow(small)).toBeLessThanOrEqual(0);
    await secretaryPhone.close();

    expect([...errors, ...hostErrors, ...memberErrors, ...recorderErrors, ...smallErrors]).toEqual([]);
    await Promise.all([laptop.close(), phone.close(), hostContext.close(), recorderContext.close()]);
  });
});
