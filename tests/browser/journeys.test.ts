import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  browserTestsEnabled,
  collectPageErrors,
  committeeInChromium,
  horizontalOverflow,
  newContext,
  screenshot,
  type viewports,
} from '../support/browser.ts';
import { seriousAxeViolations, signInAt, untranslatedText } from '../support/browser-checks.ts';
import { insertItem } from '../support/dashboard-fixtures.ts';
import { insertMember, setAccountLocale } from '../support/fixtures.ts';
import { wsUrl } from '../support/live-client.ts';
import { command, insertMeeting, projectorToken, sessionSocket } from '../support/live-fixtures.ts';
import { dayFromToday } from '../support/rectification-fixtures.ts';
import { branchWorkbook } from '../support/roster-files.ts';

const suite = 'journeys';
type Viewport = keyof typeof viewports;
const bothViewports: Viewport[] = ['phone', 'laptop'];

/**
 * The main journeys read in English, on a phone and a laptop, and an axe-core sweep of every main
 * page in both languages on both viewports. The people's language is English (saved on their
 * accounts, as choosing it in the app bar does); the browser asks for English too.
 */
describe.runIf(browserTestsEnabled())(
  'main journeys in English, every main page in both languages with axe',
  () => {
    const chromium = committeeInChromium(3);
    /** Data people typed or imported: names stay as written in any language. */
    const data: string[] = [];
    const ids = {} as { meeting: string; item: string; projector: string; live: string; minutes: string };
    const importedNames = ['刘洋', '陈静', '马明', '林晓'];
    const liveTitle = 'Live review meeting';

    beforeAll(async () => {
      const { served, w } = chromium;
      for (const org of ['测试党委', '第一党支部', '第二党支部', '其他党委', '其他党支部']) data.push(org);
      for (const m of [w.secretaryA, ...w.membersA, w.probationaryA, w.secretaryB, w.memberB])
        data.push(m.name);
      data.push('管理员', '党委组织部', '王老党员', ...importedNames, '第一党小组', '第二党小组');
      // The roster file's own column headers, which the import reports back as they were written.
      data.push('序号');
      await setAccountLocale(
        served.db,
        (await served.db.selectFrom('accounts').select('id').execute()).map((a) => a.id),
        'en',
      );
      const old = await insertMember(served.db, w.branchA.id, '王老党员');
      const meeting = await insertMeeting(served.db, w.branchA.id, {
        title: 'Annual organization-life meeting',
        inviteeIds: [w.secretaryA, ...w.membersA, w.probationaryA, old].map((m) => m.memberId),
        hostMemberId: w.membersA[0]!.memberId,
        recorderMemberId: w.membersA[1]!.memberId,
      });
      ids.meeting = meeting.meetingId;
      ids.minutes = (
        await insertMeeting(served.db, w.branchA.id, {
          title: 'Half-year organization-life meeting',
          inviteeIds: [w.secretaryA, ...w.membersA, w.probationaryA].map((m) => m.memberId),
          hostMemberId: w.membersA[0]!.memberId,
          recorderMemberId: w.membersA[1]!.memberId,
        })
      ).meetingId;
      ids.live = (
        await insertMeeting(served.db, w.branchA.id, {
          title: liveTitle,
          inviteeIds: [w.secretaryA, ...w.membersA, w.probationaryA].map((m) => m.memberId),
          hostMemberId: w.secretaryA.memberId,
        })
      ).meetingId;
      const measures = 'Collect dues monthly and publish them';
      // insertItem describes the problem as "<measures>（问题）": data, like a name.
      data.push(`${measures}（问题）`);
      ids.item = await insertItem(served.db, w.branchA.id, {
        measures,
        dueOn: dayFromToday(-3),
        ownerMemberId: w.membersA[0]!.memberId,
      });
      const secretary = await served.client().signIn('secA');
      await command(secretary, 'POST', `/api/meetings/${ids.meeting}/live/open`);
      ids.projector = await projectorToken(secretary, ids.meeting);
    });

    const laptopAndPhone = bothViewports.map((viewport) => ({ viewport }));

    /** A page in English for this person: no Chinese left but data, no sideways scrolling. */
    async function expectEnglish(page: Page) {
      expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
      expect(await untranslatedText(page, data)).toEqual([]);
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    }

    /** A page of an English-reading person on a viewport, with page errors collected. */
    async function englishPage(viewport: Viewport) {
      const context = await newContext(chromium.browser, { viewport, locale: 'en' });
      const page = await context.newPage();
      const errors = collectPageErrors(page);
      return { page, errors, close: () => context.close() };
    }

    it.each(laptopAndPhone)('signs in, in English ($viewport)', async ({ viewport }) => {
      const { served } = chromium;
      const { page, errors, close } = await englishPage(viewport);
      await page.goto(`${served.baseUrl}/sign-in`);
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      await page.getByLabel('Login name').fill('secA');
      await page.getByLabel('Password').fill('not the password');
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.getByText('Wrong login name or password.').waitFor();
      await expectEnglish(page);
      await screenshot(page, suite, `01-sign-in-refused-${viewport}`);
      await signInAt(page, served.baseUrl, 'secA', '/', 'en');
      await page.getByRole('heading', { name: 'Organization tree' }).waitFor();
      await page.getByRole('link', { name: '第一党支部' }).waitFor();
      await page.getByRole('button', { name: 'Sign out' }).waitFor();
      await expectEnglish(page);
      await screenshot(page, suite, `02-home-${viewport}`);
      expect(errors).toEqual([]);
      await close();
    });

    it.each([
      { viewport: 'phone' as const, login: 'secA', branch: 'branchA' as const },
      { viewport: 'laptop' as const, login: 'secB', branch: 'branchB' as const },
    ])(
      'a secretary imports the Excel roster, in English ($viewport)',
      async ({ viewport, login, branch }) => {
        const { served, w } = chromium;
        const { page, errors, close } = await englishPage(viewport);
        await signInAt(page, served.baseUrl, login, `/orgs/${w[branch].id}`, 'en');
        await page.getByRole('link', { name: 'Members', exact: true }).click();
        await page.getByRole('link', { name: 'Import roster' }).click();
        await page.getByRole('heading', { name: 'Import the roster from Excel' }).waitFor();
        await page.getByLabel('Roster file').setInputFiles({
          name: 'roster.xlsx',
          mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          buffer: await branchWorkbook(),
        });
        await page.getByRole('button', { name: 'Check the file' }).click();
        await page
          .getByText('4 rows: 4 new members, 0 already on the roster (skipped), 0 rows with problems.')
          .waitFor();
        await expectEnglish(page);
        await screenshot(page, suite, `03-import-preview-${viewport}`);
        await page.getByRole('button', { name: 'Import 4 members' }).click();
        await page.getByText('Imported: 4 new members; 0 already on the roster were skipped.').waitFor();
        await page.getByRole('link', { name: 'Go to the roster' }).click();
        await page.getByRole('heading', { name: 'Members' }).waitFor();
        for (const name of importedNames)
          await page.locator('main').getByRole('link', { name }).first().waitFor();
        await expectEnglish(page);
        await screenshot(page, suite, `04-roster-after-import-${viewport}`);
        expect(errors).toEqual([]);
        await close();
      },
    );

    it.each([
      {
        viewport: 'laptop' as const,
        login: 'secA',
        branch: 'branchA' as const,
        title: 'Branch organization-life meeting',
      },
      {
        viewport: 'phone' as const,
        login: 'secB',
        branch: 'branchB' as const,
        title: 'Branch committee meeting',
      },
    ])(
      'a secretary schedules a meeting, in English ($viewport)',
      async ({ viewport, login, branch, title }) => {
        const { served, w } = chromium;
        const { page, errors, close } = await englishPage(viewport);
        await signInAt(page, served.baseUrl, login, `/orgs/${w[branch].id}`, 'en');
        await page.getByRole('link', { name: 'Meetings', exact: true }).click();
        await page.getByRole('link', { name: 'Schedule a meeting' }).click();
        await page.getByLabel('Type of meeting').selectOption('orgLifeMeeting');
        const day = dayFromToday(2);
        await page.getByLabel('Title', { exact: true }).fill(title);
        await page.getByLabel('Starts', { exact: true }).fill(`${day}T14:30`);
        await page.getByLabel('Ends', { exact: true }).fill(`${day}T17:00`);
        await page.getByLabel('Place', { exact: true }).fill('Activity room');
        // An end before the start is refused at its field, in English.
        await page.getByLabel('Ends', { exact: true }).fill(`${day}T13:00`);
        await page.getByRole('button', { name: 'Schedule', exact: true }).click();
        await page.getByText('Must be after the start', { exact: true }).waitFor();
        await page.getByLabel('Ends', { exact: true }).fill(`${day}T17:00`);
        if (branch === 'branchA') {
          await page.getByLabel('Host', { exact: true }).selectOption({ label: w.membersA[0]!.name });
          await page.getByLabel('Recorder', { exact: true }).selectOption({ label: w.membersA[1]!.name });
        }
        await expectEnglish(page);
        await screenshot(page, suite, `05-schedule-form-${viewport}`);
        await page.getByRole('button', { name: 'Schedule', exact: true }).click();
        await page.waitForURL(/\/meetings\/[0-9a-f-]{36}$/);
        await page.getByRole('heading', { name: title }).waitFor();
        await page.getByText('Activity room', { exact: false }).first().waitFor();
        await expectEnglish(page);
        await screenshot(page, suite, `06-meeting-${viewport}`);
        expect(errors).toEqual([]);
        await close();
      },
    );

    it('the secretary records attendance and the minutes; host and recorder sign on their phones, in English', async () => {
      const { served, w } = chromium;
      const desk = await englishPage('laptop');
      await signInAt(desk.page, served.baseUrl, 'secA', `/meetings/${ids.minutes}`, 'en');
      await desk.page.getByRole('button', { name: 'Mark as held' }).click();
      await desk.page.getByText('Held', { exact: true }).first().waitFor();
      await desk.page.getByRole('link', { name: 'Attendance', exact: true }).click();
      await desk.page.getByRole('button', { name: /Mark the other \d+ present/ }).click();
      // Everyone invited is now present.
      await expect
        .poll(() => desk.page.locator('mj-quorum-indicator .box').textContent())
        .toMatch(/Expected\s*(\d+)\s*Present\s*\1\D/);
      await expectEnglish(desk.page);
      await screenshot(desk.page, suite, '07-attendance-laptop');

      await desk.page.goto(`${served.baseUrl}/meetings/${ids.minutes}/minutes`);
      await desk.page.getByRole('button', { name: 'Add a resolution' }).click();
      await desk.page.getByLabel('Resolution 1').fill('Draw up the branch rectification list.');
      await desk.page.locator('#closingSummary').fill('A serious, frank meeting.');
      await desk.page.getByRole('button', { name: 'Save', exact: true }).click();
      await desk.page.getByText('Saved', { exact: true }).waitFor();
      await expectEnglish(desk.page);
      await screenshot(desk.page, suite, '08-minutes-laptop');

      const sign = async (login: string, as: 'host' | 'recorder', notice: string) => {
        const phone = await englishPage('phone');
        await signInAt(phone.page, served.baseUrl, login, `/meetings/${ids.minutes}/minutes`, 'en');
        await phone.page.getByRole('button', { name: `Sign as ${as}` }).click();
        await phone.page.getByRole('dialog').getByRole('button', { name: 'Sign', exact: true }).click();
        await phone.page.getByText(notice).waitFor();
        await expectEnglish(phone.page);
        await screenshot(phone.page, suite, `09-minutes-signed-${as}-phone`);
        expect(phone.errors).toEqual([]);
        await phone.close();
      };
      await sign(w.membersA[0]!.login!, 'host', 'Signed; waiting for the other signature.');
      await sign(w.membersA[1]!.login!, 'recorder', 'Both have signed; the minutes are locked.');
      await desk.page.reload();
      await desk.page.getByText('Minutes signed').first().waitFor();
      expect(desk.errors).toEqual([]);
      await desk.close();
    });

    it('the rectification loop in English: recorded at a laptop, reported done on a phone, verified', async () => {
      const { served, w } = chromium;
      const measures = 'Read one original text a month and share notes in the party group';
      const desk = await englishPage('laptop');
      await signInAt(desk.page, served.baseUrl, 'secA', `/orgs/${w.branchA.id}/rectification`, 'en');
      await desk.page.getByRole('heading', { name: 'Rectification list' }).waitFor();
      await desk.page.getByRole('button', { name: /Record a problem/ }).click();
      const form = desk.page.locator('mj-problem-form');
      await form.getByLabel('Description of the problem').fill('Study notes are a formality');
      await form.getByLabel('Concerns').selectOption('member');
      await form.getByLabel('Member concerned').selectOption({ label: w.membersA[0]!.name });
      await form.getByLabel('Source').selectOption('peers');
      await form.getByLabel('Measures', { exact: true }).fill(measures);
      await form.getByLabel('Responsible member').selectOption({ label: w.membersA[0]!.name });
      await form.getByLabel(/Due date/).fill(dayFromToday(30));
      await expectEnglish(desk.page);
      await screenshot(desk.page, suite, '10-problem-form-laptop');
      await form.getByRole('button', { name: 'Save', exact: true }).click();
      await desk.page.getByRole('link', { name: measures }).waitFor();

      const phone = await englishPage('phone');
      await signInAt(phone.page, served.baseUrl, w.membersA[0]!.login!, '/me/rectification', 'en');
      await phone.page.getByRole('heading', { name: 'My rectification items' }).waitFor();
      await phone.page.getByText('Study notes are a formality').click();
      await phone.page.getByRole('heading', { name: measures }).waitFor();
      expect(await phone.page.getByRole('button', { name: 'Verify and close' }).count()).toBe(0);
      await phone.page.getByRole('button', { name: 'Start', exact: true }).click();
      await phone.page.getByRole('button', { name: 'Start', exact: true }).last().click();
      await phone.page.getByText('Started', { exact: true }).first().waitFor();
      await phone.page.getByRole('button', { name: 'Report completed' }).click();
      await phone.page.getByLabel('What was done').fill('Three months of notes, shared twice in the group');
      await phone.page.getByRole('button', { name: 'Report completed' }).last().click();
      await phone.page
        .getByText('Reported completed; waiting for the branch committee to verify it.')
        .waitFor();
      await expectEnglish(phone.page);
      await screenshot(phone.page, suite, '11-item-completed-phone');
      expect(phone.errors).toEqual([]);
      await phone.close();

      await desk.page.goto(`${served.baseUrl}/orgs/${w.branchA.id}/rectification?status=completed`);
      await desk.page.getByRole('link', { name: measures }).click();
      await desk.page.getByText('Three months of notes, shared twice in the group').first().waitFor();
      await desk.page.getByRole('button', { name: 'Verify and close' }).click();
      await desk.page.getByLabel('Remark (optional)').fill('Checked: the notes are complete');
      await desk.page.getByRole('button', { name: 'Verify and close' }).last().click();
      await desk.page.getByText('Verified and closed').first().waitFor();
      await expectEnglish(desk.page);
      await screenshot(desk.page, suite, '12-item-verified-laptop');
      expect(desk.errors).toEqual([]);
      await desk.close();
    });

    it.each(laptopAndPhone)("the committee's desk in English ($viewport)", async ({ viewport }) => {
      const { served } = chromium;
      const { page, errors, close } = await englishPage(viewport);
      await signInAt(page, served.baseUrl, 'viewer', '/', 'en');
      await page.getByRole('link', { name: '测试党委' }).click();
      await page.getByRole('link', { name: 'Quality dashboard' }).first().click();
      await page.getByRole('heading', { name: '测试党委: branches at a glance' }).waitFor();
      const branches = page.locator(
        viewport === 'phone' ? 'ul.branch-cards > li' : 'table.branches tbody tr',
      );
      await expect.poll(() => branches.count()).toBe(2);
      await expectEnglish(page);
      await screenshot(page, suite, `13-committee-dashboard-${viewport}`);
      await page.getByRole('link', { name: 'Quarterly report' }).click();
      await page.getByRole('heading', { name: /organization life quality report/ }).waitFor();
      await expectEnglish(page);
      await screenshot(page, suite, `14-quarterly-report-${viewport}`);
      expect(errors).toEqual([]);
      await close();
    });

    it('a short live meeting in English: the host opens a survey, a phone answers, the wall counts, the host reveals', async () => {
      const { served, w } = chromium;
      const desk = await englishPage('laptop');
      const host = desk.page;
      await signInAt(host, served.baseUrl, 'secA', `/orgs/${w.branchA.id}/live`, 'en');
      await host.getByRole('heading', { name: 'Live meetings' }).waitFor();
      await host
        .getByRole('listitem')
        .filter({ hasText: liveTitle })
        .getByRole('link', { name: 'Host console' })
        .click();
      await host.getByRole('button', { name: 'Open the live session' }).click();
      const joinCode = (await host.locator('.join-code').textContent())!.trim();
      const [wall] = await Promise.all([
        host.context().waitForEvent('page'),
        host.getByRole('button', { name: /Open the projector/ }).click(),
      ]);
      const wallErrors = collectPageErrors(wall);
      await host.bringToFront();
      await wall.getByRole('img', { name: 'QR code to join the meeting' }).waitFor();
      await wall.getByText(joinCode, { exact: true }).waitFor();

      // One member on a phone in the browser, two more on their phones through the same protocol.
      const phone = await englishPage('phone');
      await signInAt(phone.page, served.baseUrl, w.membersA[1]!.login!, '/', 'en');
      await phone.page.goto(`${served.baseUrl}/j/${joinCode}`);
      await phone.page.getByText('Checked in ✓').waitFor();
      await phone.page.getByRole('heading', { name: 'Please wait' }).waitFor();
      const app = { ...served, base: served.baseUrl, ws: wsUrl(served.baseUrl) };
      const others = [
        await sessionSocket(app, ids.live, w.membersA[2]!.login!),
        await sessionSocket(app, ids.live, w.probationaryA.login!),
      ];
      await wall.getByText('Checked in 3 / 5').waitFor();

      await host.getByRole('button', { name: /New round/ }).click();
      await host.getByRole('radio', { name: 'Satisfaction survey' }).check();
      await host.getByRole('button', { name: 'Add to the run-sheet' }).click();
      await host.getByRole('button', { name: 'Start this round' }).click();
      await expectEnglish(host);
      await screenshot(host, suite, '15-host-console-laptop');

      const task = phone.page.locator('mj-survey-task');
      await task.getByText('Anonymous: nobody can see your choices').waitFor();
      const items = task.locator('fieldset');
      for (let i = 0; i < 5; i++) await items.nth(i).locator('label.opt').nth(3).click();
      await items.nth(5).getByText('Satisfied', { exact: true }).click();
      await expectEnglish(phone.page);
      await screenshot(phone.page, suite, '16-phone-survey');
      await phone.page.getByRole('button', { name: 'Submit', exact: true }).click();
      await phone.page.getByText('Submitted — receipt').waitFor();
      await wall.getByText('Answered 1 / 3').waitFor();
      expect(await wall.locator('mj-round-results').count()).toBe(0);
      await screenshot(wall, suite, '17-wall-progress');

      const roundId = (
        await others[0]!.waitForState((st) => st.rounds.some((r) => r.state === 'open'))
      ).rounds.find((r) => r.state === 'open')!.id;
      for (const socket of others)
        await socket.ballot(roundId, {
          kind: 'survey',
          likert: { themeFocus: 4, preparation: 4, candour: 3, problemSolving: 4, conduct: 5 },
          overall: 'basicallySatisfied',
        });
      await wall.getByText('Answered 3 / 3').waitFor();
      await host.getByRole('button', { name: 'Close and seal' }).click();
      await host.getByRole('dialog').getByRole('button', { name: 'Close and seal' }).click();
      await wall.getByText('Closed; waiting for the host to show the results').waitFor();
      await host.getByRole('button', { name: 'Show the results on the screen' }).click();
      await host.getByRole('dialog').getByRole('button', { name: 'Show the results on the screen' }).click();
      const results = wall.locator('mj-round-results');
      await results.getByText('Scores (out of 5)').waitFor();
      await results.getByText('3 responses').waitFor();
      await results.getByText('Mostly satisfied').waitFor();
      await results.getByText('2 (67%)').waitFor();
      await expectEnglish(wall);
      await screenshot(wall, suite, '18-wall-results');
      for (const socket of others) socket.close();
      expect([...desk.errors, ...wallErrors, ...phone.errors]).toEqual([]);
      await phone.close();
      await desk.close();
    });

    type Who = 'secA' | 'memberA1' | 'viewer' | null;
    const pages = (): Array<{ name: string; who: Who; path: string }> => {
      const { w } = chromium;
      const a = w.branchA.id;
      const m = ids.meeting;
      return [
        { name: 'sign-in', who: null, path: '/sign-in' },
        { name: 'home', who: 'secA', path: '/' },
        { name: 'branch', who: 'secA', path: `/orgs/${a}` },
        { name: 'roster', who: 'secA', path: `/orgs/${a}/members` },
        { name: 'roster-import', who: 'secA', path: `/orgs/${a}/members/import` },
        { name: 'member-new', who: 'secA', path: `/orgs/${a}/members/new` },
        { name: 'member', who: 'secA', path: `/members/${w.membersA[0]!.memberId}` },
        { name: 'meetings', who: 'secA', path: `/orgs/${a}/meetings` },
        { name: 'meeting-new', who: 'secA', path: `/orgs/${a}/meetings/new` },
        { name: 'meeting', who: 'secA', path: `/meetings/${m}` },
        { name: 'attendance', who: 'secA', path: `/meetings/${m}/attendance` },
        { name: 'minutes', who: 'secA', path: `/meetings/${m}/minutes` },
        { name: 'rectification', who: 'secA', path: `/orgs/${a}/rectification` },
        { name: 'rectification-item', who: 'secA', path: `/rectification/${ids.item}` },
        { name: 'live-meetings', who: 'secA', path: `/orgs/${a}/live` },
        { name: 'live-console', who: 'secA', path: `/meetings/${m}/live` },
        { name: 'branch-dashboard', who: 'secA', path: `/orgs/${a}/dashboard` },
        { name: 'appraisals', who: 'secA', path: `/orgs/${a}/appraisals` },
        { name: 'account', who: 'secA', path: '/account' },
        { name: 'my-rectification', who: 'memberA1', path: '/me/rectification' },
        { name: 'live-phone', who: 'memberA1', path: `/live/${m}` },
        { name: 'projector', who: null, path: `/live/${m}/projector#${ids.projector}` },
        { name: 'committee-dashboard', who: 'viewer', path: `/orgs/${w.committee.id}/committee-dashboard` },
        { name: 'quarterly-report', who: 'viewer', path: `/orgs/${w.committee.id}/quarterly-report` },
      ];
    };

    /**
     * Opens a page the way a link inside the app does (the document, and axe in it, stay), and waits
     * until it has loaded what it shows: no "loading" left in the main landmark.
     */
    async function visit(page: Page, path: string) {
      await page.evaluate((to) => {
        history.pushState(null, '', to);
        window.dispatchEvent(new PopStateEvent('popstate'));
      }, path);
      await page.waitForFunction((to) => {
        const main = document.querySelector('mj-app')?.shadowRoot?.querySelector('main');
        const text = (root: Element | ShadowRoot): string =>
          [...root.querySelectorAll('*')]
            .map((el) => (el.shadowRoot ? text(el.shadowRoot) : el.childElementCount ? '' : el.textContent))
            .join(' ');
        return (
          location.pathname === to.split('#')[0] &&
          !!main?.firstElementChild &&
          !/加载中|Loading…/.test(text(main))
        );
      }, path);
    }

    for (const language of ['zh-CN', 'en'] as const)
      for (const viewport of bothViewports)
        it(`has no serious axe violations on any main page (${language}, ${viewport})`, async () => {
          const { served, browser, w } = chromium;
          await setAccountLocale(
            served.db,
            [w.secretaryA.accountId!, w.membersA[0]!.accountId!, w.viewer],
            language,
          );
          const failures: string[] = [];
          const all = pages();
          for (const who of [...new Set(all.map((p) => p.who))]) {
            const context = await newContext(browser, { viewport, locale: language });
            const page = await context.newPage();
            if (who) await signInAt(page, served.baseUrl, who, '/', language);
            else await page.goto(`${served.baseUrl}/sign-in`);
            for (const entry of all.filter((p) => p.who === who)) {
              await visit(page, entry.path);
              const found: string[] = [];
              for (const v of await seriousAxeViolations(page))
                found.push(
                  `${v.id} (${v.impact}) ${v.help} — ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`,
                );
              if (language === 'en')
                for (const text of await untranslatedText(page, data)) found.push(`untranslated «${text}»`);
              if ((await horizontalOverflow(page)) > 0) found.push('scrolls sideways');
              if (found.length === 0) continue;
              failures.push(...found.map((f) => `${entry.name}: ${f}`));
              await screenshot(page, suite, `failed-${language}-${viewport}-${entry.name}`);
            }
            await context.close();
          }
          expect(failures).toEqual([]);
        });
  },
);
