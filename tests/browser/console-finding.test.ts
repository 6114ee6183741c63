/**
 * A finding's page in the console as a manager works it: a move to "resolved" without a note and
 * a dismissal without a reason are refused on the desk, next to the field, without a request; a
 * server 422 (a due date before the finding was made) shows its field problem next to the due
 * date; the inspector's note shows once; a finding nobody changed says "Chưa có thay đổi".
 * Then what every console screen shares, on the same finding and its visit: dates in the user's
 * language (the ISO date kept in <time datetime>), people by name rather than Cognito sub where
 * the data names them, the period's example taken from today, the skip link as the first stop of
 * the keyboard, and the ranking chart's band labels translated and clear of the y axis.
 */
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { z } from 'zod';
import { type AppServer, appServer, demoProvinceId } from './support/app-server.ts';
import { closeBrowsers, launchChromium, newDesk } from './support/browser.ts';
import { screenshotOnFailure, watchPage } from './support/failures.ts';
import { consoleTexts, signInToConsole } from './support/manager.ts';
import { makeJpegs } from './support/photos.ts';
import { deskRules, screenProblems } from './support/screen-checks.ts';
import { submitThroughApi } from './support/visits-api.ts';

const suffix = randomUUID().slice(0, 8);
const unit = { id: 'vinh-loc', name: 'Phường Vinh Lộc' };
const inspector = { sub: `console-finding-inspector-${suffix}`, name: 'Lê Thị Hồng' };
const manager = { sub: `console-finding-manager-${suffix}`, name: 'Đặng Văn Toàn' };
/** C2 (yes/no, no photo) answered "no" with this note: the finding its approval makes. */
const inspectorNote = `Chưa niêm yết số điện thoại đường dây nóng ${suffix}.`;
const serverFinding = z.looseObject({
  status: z.string(),
  dueDate: z.string(),
  etag: z.string(),
  history: z.array(z.unknown()),
});

let server: AppServer;
let browser: Browser;
let current: Page | undefined;
let managerToken: string;
let findingId: string;
let visitId: string;

beforeAll(async () => {
  server = appServer();
  browser = await launchChromium();
  const inspectorToken = await server.token({ role: 'inspector', unitId: demoProvinceId, ...inspector });
  managerToken = await server.token({ role: 'manager', unitId: demoProvinceId, ...manager });
  const photos = await makeJpegs(browser, 2, { width: 640, height: 480 });
  visitId = await submitThroughApi(server, inspectorToken, unit.id, photos, 'one-stop-counter', {
    C2: inspectorNote,
  });
  const read = await server.call('GET', `/v1/visits/${visitId}`, { token: managerToken });
  const { etag } = z.looseObject({ etag: z.string() }).parse(read.body);
  const approved = await server.call('POST', `/v1/visits/${visitId}/review`, {
    token: managerToken,
    headers: { 'if-match': etag },
    body: { decision: 'approve' },
  });
  expect(approved.status, approved.text).toBe(200);
  findingId = `${visitId}.C2`;
}, 120_000);

afterAll(async () => {
  await closeBrowsers();
});

screenshotOnFailure(() => current);

const readFinding = async () => {
  const reply = await server.call('GET', `/v1/findings/${findingId}`, { token: managerToken });
  expect(reply.status, reply.text).toBe(200);
  return serverFinding.parse(reply.body);
};

/** The PATCHes of the finding the server answered since `mark`. */
const patchesSince = (mark: number) =>
  server.requestsSince(mark).filter((r) => r.method === 'PATCH' && r.url.includes('/v1/findings/'));

it('checks the note and the reason on the desk, shows a 422 by its field, the note once, no history', async () => {
  const page = watchPage(await (await newDesk(browser)).newPage());
  current = page;
  const problems: string[] = [];
  await signInToConsole(page, server.url, manager);
  await page.goto(`${server.url}/console/findings/${findingId}`);
  await page.getByRole('heading', { name: consoleTexts.findingTitle(unit.name) }).waitFor();
  await page.locator('dl[data-status="open"]').waitFor();

  // Nobody changed it yet; the inspector's note (also the answer's) is shown once.
  expect(await page.getByTestId('no-history').textContent()).toBe('Chưa có thay đổi');
  expect(await page.locator('#finding-history ~ table').count()).toBe(0);
  expect(await page.getByText(inspectorNote, { exact: true }).count()).toBe(1);
  const before = await readFinding();
  expect(before.history).toEqual([]);

  // Dismissed without a reason: the problem under the reason, the focus on it, nothing sent.
  let mark = server.mark();
  await page.getByRole('button', { name: consoleTexts.moveTo('Đã bỏ qua') }).click();
  const reasonProblem = page.locator('#finding-reason-problem');
  await reasonProblem.waitFor();
  expect(await reasonProblem.textContent()).toBe('Cần nêu lý do trước khi bỏ qua tồn tại.');
  await expect.poll(() => page.evaluate('document.activeElement?.id')).toBe('finding-reason');
  expect(await page.locator('#finding-reason').getAttribute('aria-invalid')).toBe('true');
  expect(await page.locator('#finding-reason').getAttribute('aria-describedby')).toBe(
    'finding-reason-problem',
  );
  problems.push(...(await screenProblems(page, 'a finding: reason missing', deskRules)));
  // Typing clears it.
  await page.locator('#finding-reason').fill('x');
  await expect.poll(() => reasonProblem.count()).toBe(0);
  await page.locator('#finding-reason').fill('');

  // In progress (a real move), then resolved without a note: refused on the desk.
  await page.getByRole('button', { name: consoleTexts.moveTo('Đang khắc phục') }).click();
  await page.locator('dl[data-status="in_progress"]').waitFor();
  expect(patchesSince(mark)).toHaveLength(1);
  const inProgress = await readFinding();
  expect(inProgress.status).toBe('in_progress');
  mark = server.mark();
  await page.getByRole('button', { name: consoleTexts.moveTo('Đã khắc phục') }).click();
  const noteProblem = page.locator('#finding-note-problem');
  await noteProblem.waitFor();
  expect(await noteProblem.textContent()).toBe(
    'Cần ghi chú kết quả khắc phục trước khi chuyển sang "Đã khắc phục".',
  );
  await expect.poll(() => page.evaluate('document.activeElement?.id')).toBe('finding-note');
  expect(await page.locator('#finding-note').getAttribute('aria-invalid')).toBe('true');
  // A blank note is no note either.
  await page.locator('#finding-note').fill('   ');
  await page.getByRole('button', { name: consoleTexts.moveTo('Đã khắc phục') }).click();
  await noteProblem.waitFor();
  problems.push(...(await screenProblems(page, 'a finding: note missing', deskRules)));

  // The server's 422: a due date before the finding was made, shown under the due date.
  await page.locator('#finding-due').fill('2020-01-01');
  await page.getByRole('button', { name: 'Đổi hạn khắc phục' }).click();
  const dueProblem = page.locator('#finding-due-problem');
  await dueProblem.waitFor();
  expect(await dueProblem.textContent()).toBe('Hạn khắc phục không được trước ngày phát sinh tồn tại.');
  await expect.poll(() => page.evaluate('document.activeElement?.id')).toBe('finding-due');
  expect(await page.locator('#finding-due').getAttribute('aria-describedby')).toBe('finding-due-problem');
  const refused = patchesSince(mark);
  expect(refused.map((r) => r.status)).toEqual([422]);
  problems.push(...(await screenProblems(page, 'a finding: 422 by its field', deskRules)));

  // Nothing of the refused moves reached the finding.
  const after = await readFinding();
  expect(after.status).toBe('in_progress');
  expect(after.etag).toBe(inProgress.etag);
  expect(after.dueDate).toBe(before.dueDate);
  expect(problems, 'axe and labels on the finding page').toEqual([]);
});

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** This quarter in Viet Nam (UTC+7, no daylight saving time), as the test's own arithmetic. */
function quarterInVietnam(now: Date): string {
  const local = new Date(now.getTime() + 7 * 3_600_000);
  return `${local.getUTCFullYear()}-Q${Math.floor(local.getUTCMonth() / 3) + 1}`;
}

/** Presses Tab once and answers what has the focus: its id, text and whether the focus shows. */
async function tabOnce(page: Page) {
  await page.keyboard.press('Tab');
  return z.object({ id: z.string(), text: z.string(), visible: z.boolean(), inContent: z.boolean() }).parse(
    await page.evaluate(`(() => {
        const el = document.activeElement;
        return {
          id: el.id,
          text: (el.textContent ?? '').trim(),
          visible: el.matches(':focus-visible'),
          inContent: document.getElementById('console-content')?.contains(el) ?? false,
        };
      })()`),
  );
}

it('shows dates in the language, people by name, this quarter as the example, a skip link, the chart in English', async () => {
  const page = watchPage(await (await newDesk(browser)).newPage());
  current = page;
  const problems: string[] = [];
  await signInToConsole(page, server.url, manager);
  const { dueDate } = await readFinding();
  const [year, month, day] = dueDate.split('-') as [string, string, string];

  // The skip link: the first stop of Tab, shown when focused; Enter goes past the navigation.
  await page.goto(`${server.url}/console/findings/${findingId}`);
  await page.locator('dl[data-status="in_progress"]').waitFor();
  const first = await tabOnce(page);
  expect(first).toMatchObject({ text: 'Bỏ qua đến nội dung chính', visible: true, inContent: false });
  const skipBox = await page.locator('a.skip-link').boundingBox();
  expect(skipBox?.y ?? -1).toBeGreaterThanOrEqual(0);
  await page.keyboard.press('Enter');
  await expect.poll(() => page.evaluate('document.activeElement?.id')).toBe('console-content');
  const next = await tabOnce(page);
  expect(next.inContent, `after the skip link, Tab went to "${next.text}"`).toBe(true);

  // The due date as dd/mm/yyyy, its ISO date kept; the list's too.
  const due = page.getByTestId('due-date').locator('time');
  expect(await due.getAttribute('datetime')).toBe(dueDate);
  expect(await due.textContent()).toBe(`${day}/${month}/${year}`);

  // People by name: the inspector (from the visit) and the manager who moved it (the history).
  expect(await page.getByTestId('finding-inspector').textContent()).toBe(inspector.name);
  const historyRow = page.locator('section[aria-labelledby="finding-history"] tbody tr').first();
  expect(await historyRow.locator('td').nth(1).textContent()).toBe(manager.name);
  // An instant as its date is written, the year in full: "14:05 03/12/2026", not "14:05 3/12/26".
  const when = historyRow.locator('td').first().locator('time');
  const at = new Date((await when.getAttribute('datetime')) ?? '');
  const inVietnam = new Date(at.getTime() + 7 * 3600_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  expect(await when.textContent()).toBe(
    `${pad(inVietnam.getUTCHours())}:${pad(inVietnam.getUTCMinutes())} ` +
      `${pad(inVietnam.getUTCDate())}/${pad(inVietnam.getUTCMonth() + 1)}/${inVietnam.getUTCFullYear()}`,
  );
  const findingText = (await page.locator('#console-content').textContent()) ?? '';
  expect(findingText).not.toContain(inspector.sub);
  expect(findingText).not.toContain(manager.sub);
  problems.push(...(await screenProblems(page, 'a finding, dates and names', deskRules)));

  // The visit: the inspector and the reviewer by name, in its facts, its last review and history.
  await page.goto(`${server.url}/console/visits/${visitId}`);
  await page.getByRole('heading', { name: consoleTexts.visitTitle(unit.name) }).waitFor();
  await page.locator('[data-status="approved"]').waitFor();
  await page.locator('#history-title').waitFor();
  const visitText = (await page.locator('#console-content').textContent()) ?? '';
  expect(visitText).toContain(inspector.name);
  expect(visitText).toContain(manager.name);
  expect(visitText).not.toContain(inspector.sub);
  expect(visitText).not.toContain(manager.sub);
  expect(await page.locator('#console-content time[datetime]').count()).toBeGreaterThan(0);

  // The findings list: the period's example is this quarter; the due date as in the finding.
  await page.goto(`${server.url}/console/findings?unitId=${unit.id}`);
  const row = page.locator(`tr[data-finding="${findingId}"]`);
  await row.waitFor();
  expect(await row.locator('[data-due] time').textContent()).toBe(`${day}/${month}/${year}`);
  const quarter = quarterInVietnam(new Date());
  const period = page.getByLabel('Kỳ', { exact: true });
  expect(await period.getAttribute('placeholder')).toBe(quarter);
  expect(await period.getAttribute('title')).toBe(`Năm (${quarter.slice(0, 4)}) hoặc quý (${quarter})`);

  // In English: the date readable, the skip link's text, the chart's bands by their names.
  await page.getByRole('button', { name: 'English', exact: true }).click();
  await page.getByRole('heading', { name: 'Findings', level: 1 }).waitFor();
  expect(await row.locator('[data-due] time').textContent()).toBe(
    `${Number(day)} ${months[Number(month) - 1]} ${year}`,
  );
  expect(await page.locator('a.skip-link').textContent()).toBe('Skip to main content');
  expect(await page.getByLabel('Period', { exact: true }).getAttribute('placeholder')).toBe(quarter);
  await page
    .getByRole('navigation', { name: 'Console sections' })
    .getByRole('link', { name: 'Rankings' })
    .click();
  const chart = page.locator('[data-testid=score-chart][data-drawn=true]');
  await chart.locator('canvas').waitFor();
  const placed = z
    .array(
      z.object({
        text: z.string(),
        left: z.number(),
        right: z.number(),
        top: z.number(),
        bottom: z.number(),
      }),
    )
    .parse(JSON.parse((await chart.getAttribute('data-band-labels')) ?? 'null'));
  expect(placed.map((label) => label.text)).toEqual([
    'Excellent ≥ 90',
    'Good ≥ 80',
    'Fair ≥ 70',
    'Average ≥ 50',
    'Poor ≥ 0',
  ]);
  const plotLeft = Number(await chart.getAttribute('data-plot-left'));
  const plotRight = Number(await chart.getAttribute('data-plot-right'));
  const chartWidth = (await chart.boundingBox())?.width ?? 0;
  expect(plotLeft).toBeGreaterThan(0);
  for (const label of placed) {
    // Right of the plot (so of the y axis and the bars), inside the chart.
    expect(label.left, label.text).toBeGreaterThan(plotRight);
    expect(label.right, label.text).toBeLessThanOrEqual(chartWidth);
  }
  for (const [index, label] of placed.entries()) {
    const below = placed[index + 1];
    if (below !== undefined)
      expect(label.bottom, `${label.text} over ${below.text}`).toBeLessThanOrEqual(below.top);
  }
  problems.push(...(await screenProblems(page, 'ranking (en)', deskRules)));
  await page.getByRole('button', { name: 'Tiếng Việt', exact: true }).click();
  await expect
    .poll(async () => JSON.parse((await chart.getAttribute('data-band-labels')) ?? '[]')[0]?.text)
    .toBe('Xuất sắc ≥ 90');
  expect(problems, 'axe and labels').toEqual([]);
});

it('names the reviewing manager to a colleague by the name recorded with the review, never by sub', async () => {
  // Another manager of the province: not the signed-in user, so the reviewer's name can only come
  // from what the server recorded beside the sub (review.byName, history byName).
  const colleague = { sub: `console-finding-colleague-${suffix}`, name: 'Vũ Thị Lan' };
  const page = watchPage(await (await newDesk(browser)).newPage());
  current = page;
  await signInToConsole(page, server.url, colleague);

  await page.goto(`${server.url}/console/visits/${visitId}`);
  await page.getByRole('heading', { name: consoleTexts.visitTitle(unit.name) }).waitFor();
  await page.locator('[data-status="approved"]').waitFor();
  const lastReview = page.locator('section[aria-labelledby="last-review"] p');
  expect(await lastReview.textContent()).toContain(`Phê duyệt · ${manager.name}, `);
  const approval = page
    .locator('section[aria-labelledby="history-title"] tbody tr')
    .filter({ has: page.getByRole('cell', { name: 'Phê duyệt', exact: true }) });
  expect(await approval.count()).toBe(1);
  expect(await approval.locator('td').nth(1).textContent()).toBe(manager.name);
  const visitText = (await page.locator('#console-content').textContent()) ?? '';
  expect(visitText).toContain(inspector.name);
  expect(visitText).not.toContain(manager.sub);
  expect(visitText).not.toContain(inspector.sub);

  // The finding: its inspector from the finding itself, the manager who moved it from its history.
  await page.goto(`${server.url}/console/findings/${findingId}`);
  await page.getByRole('heading', { name: consoleTexts.findingTitle(unit.name) }).waitFor();
  await page.locator('section[aria-labelledby="finding-history"] tbody tr').first().waitFor();
  expect(await page.getByTestId('finding-inspector').textContent()).toBe(inspector.name);
  const moves = page.locator('section[aria-labelledby="finding-history"] tbody tr');
  for (const cell of await moves.locator('td:nth-child(2)').allTextContents())
    expect(cell).toBe(manager.name);
  const findingText = (await page.locator('#console-content').textContent()) ?? '';
  expect(findingText).not.toContain(manager.sub);
  expect(findingText).not.toContain(inspector.sub);
});
