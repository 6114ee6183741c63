/**
 * The console with the keyboard alone and in English (issue 14's quality bars, as issue 11 set
 * them for the phone). A manager reaches a waiting visit from the review queue with Tab and Enter,
 * approves it, goes back to the queue, opens another and returns it with a comment typed in, each
 * stop showing its focus; a second manager switches the console to English and sees the queue, a
 * visit (its evidence flags too), the units, the checklists and the exports in English, each
 * passing the desk checks, and switches back to Vietnamese.
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
const comment = 'Ảnh D1 chụp thiếu quy trình niêm yết; đề nghị bổ sung.';
const visitStatus = z.looseObject({ status: z.string() });

let server: AppServer;
let browser: Browser;
let current: Page | undefined;
let inspectorToken: string;
const visits: string[] = [];

beforeAll(async () => {
  server = appServer();
  browser = await launchChromium();
  inspectorToken = await server.token({
    role: 'inspector',
    unitId: demoProvinceId,
    sub: `console-keys-inspector-${suffix}`,
    name: 'Trần Văn Nam',
  });
  const photos = await makeJpegs(browser, 4, { width: 640, height: 480 });
  visits.push(await submitThroughApi(server, inspectorToken, unit.id, photos.slice(0, 2)));
  visits.push(await submitThroughApi(server, inspectorToken, unit.id, photos.slice(2, 4)));
}, 120_000);

afterAll(async () => {
  await closeBrowsers();
});

screenshotOnFailure(() => current);

const statusOf = async (visitId: string) => {
  const reply = await server.call('GET', `/v1/visits/${visitId}`, { token: inspectorToken });
  return visitStatus.parse(reply.body).status;
};

/**
 * Presses Tab until the focused element matches `selector` (at most `max` times), and checks
 * that the focus shows there (`:focus-visible`, which the app's stylesheet outlines).
 */
async function tabTo(page: Page, selector: string, max = 200): Promise<void> {
  const probe = `(() => { const el = document.activeElement; return el !== null && el.matches(${JSON.stringify(
    selector,
  )}) ? (el.matches(':focus-visible') ? 'visible' : 'hidden') : 'no'; })()`;
  for (let presses = 0; presses < max; presses += 1) {
    await page.keyboard.press('Tab');
    const found = z.enum(['visible', 'hidden', 'no']).parse(await page.evaluate(probe));
    if (found === 'hidden') throw new Error(`the focus on ${selector} does not show`);
    if (found === 'visible') return;
  }
  throw new Error(`${max} presses of Tab never reached ${selector}`);
}

it('a manager approves one visit and returns another with the keyboard alone', async () => {
  const [approveId, returnId] = visits as [string, string];
  const page = watchPage(await (await newDesk(browser)).newPage());
  current = page;
  await signInToConsole(page, server.url, { sub: `console-keys-${suffix}`, name: 'Phạm Thị Mai' });
  // The queue of the ward (an address a manager keeps as a bookmark).
  await page.goto(`${server.url}/console?unitId=${unit.id}`);
  await page.locator(`tr[data-visit="${approveId}"]`).waitFor();

  await tabTo(page, `tr[data-visit="${approveId}"] a`);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: consoleTexts.visitTitle(unit.name) }).waitFor();
  await page.locator('[data-status="submitted"]').waitFor();
  await tabTo(page, 'section.actions button.primary');
  expect(await page.evaluate('document.activeElement.textContent')).toBe(consoleTexts.approve);
  // Approving asks first: a modal dialog with the focus on "Huỷ"; Escape closes it, the focus
  // back on the button, nothing sent.
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: consoleTexts.approveConfirmTitle });
  await dialog.waitFor();
  expect(await page.evaluate('document.activeElement.textContent')).toBe('Huỷ');
  await page.keyboard.press('Escape');
  await expect.poll(() => dialog.count()).toBe(0);
  await expect.poll(() => page.evaluate('document.activeElement.textContent')).toBe(consoleTexts.approve);
  expect(await statusOf(approveId)).toBe('submitted');
  // Again, and confirmed from the dialog (Tab stays in it: the page behind is inert).
  await page.keyboard.press('Enter');
  await dialog.waitFor();
  const dialogProblems = await screenProblems(page, 'the approval dialog', deskRules);
  await tabTo(page, '#approve-dialog button.primary', 2);
  expect(await page.evaluate('document.activeElement.textContent')).toBe(consoleTexts.approveConfirm);
  await page.keyboard.press('Enter');
  await page.locator('[data-status="approved"]').waitFor();
  expect(await statusOf(approveId)).toBe('approved');
  expect(dialogProblems, 'axe and labels on the approval dialog').toEqual([]);

  await tabTo(page, 'nav.console-nav a[href="/console"]');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: consoleTexts.queue, level: 1 }).waitFor();
  await page.locator(`tr[data-visit="${returnId}"]`).waitFor();
  await tabTo(page, `tr[data-visit="${returnId}"] a`);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: consoleTexts.visitTitle(unit.name) }).waitFor();
  await page.locator('[data-status="submitted"]').waitFor();
  await tabTo(page, '#return-comment');
  await page.keyboard.type(comment);
  await tabTo(page, 'section.actions form button[type="submit"]');
  expect(await page.evaluate('document.activeElement.textContent')).toBe(consoleTexts.returnVisit);
  await page.keyboard.press('Enter');
  await page.locator('[data-status="returned"]').waitFor();
  expect(await statusOf(returnId)).toBe('returned');
  expect(await page.locator('blockquote').textContent()).toBe(comment);
});

it('the console speaks English after the switch, and Vietnamese again', async () => {
  const [approvedId] = visits as [string, string];
  const page = watchPage(await (await newDesk(browser)).newPage());
  current = page;
  const problems: string[] = [];
  await signInToConsole(page, server.url, {
    sub: `console-en-${suffix}`,
    name: 'Ngô Văn Hải',
    role: 'admin',
  });
  await page.getByRole('button', { name: 'English', exact: true }).click();
  await page.getByRole('heading', { name: 'Review queue', level: 1 }).waitFor();
  expect(await page.evaluate('document.documentElement.lang')).toBe('en');
  const nav = page.getByRole('navigation', { name: 'Console sections' });
  expect(await nav.getByRole('link').allTextContents()).toEqual([
    'Review queue',
    'Findings',
    'Rankings',
    'Publications',
    'Exports',
    'Units',
    'Checklists',
    // Admins only (the staff of their scope, issue 18).
    'Staff',
  ]);
  problems.push(...(await screenProblems(page, 'review queue (en)', deskRules)));

  // A visit: its page and its evidence in English (the D1 photo has no place).
  await page.goto(`${server.url}/console/visits/${approvedId}`);
  await page.getByRole('heading', { name: `Review visit: ${unit.name}` }).waitFor();
  await page.getByRole('heading', { name: 'Proof of time and place' }).waitFor();
  await expect
    .poll(() => page.locator('.photo-strip [data-flag="no_location"]').first().textContent())
    .toBe('No location');
  expect(await page.locator('section.evidence [data-flag="no_location"]').textContent()).toContain(
    'No location (1 photo)',
  );
  problems.push(...(await screenProblems(page, 'a visit (en)', deskRules)));

  for (const [link, heading] of [
    ['Units', 'Units'],
    ['Exports', 'Exports'],
    ['Checklists', 'Checklists'],
  ] as const) {
    await nav.getByRole('link', { name: link, exact: true }).click();
    await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
    if (link === 'Units') await page.locator('.unit-tree li[data-unit]').first().waitFor();
    if (link === 'Checklists')
      await page.getByRole('heading', { name: 'Publish a new version from a JSON file' }).waitFor();
    if (link === 'Exports') await page.getByRole('button', { name: 'Start the export' }).waitFor();
    problems.push(...(await screenProblems(page, `${link} (en)`, deskRules)));
  }
  // The last of them, the checklists: one version read in English.
  await page.locator('tr[data-template] a').first().click();
  await page.getByRole('heading', { name: 'Bands' }).waitFor();
  problems.push(...(await screenProblems(page, 'a checklist version (en)', deskRules)));

  await page.getByRole('button', { name: 'Tiếng Việt', exact: true }).click();
  await page.getByRole('heading', { name: 'Xếp loại' }).waitFor();
  expect(await page.evaluate('document.documentElement.lang')).toBe('vi');
  expect(problems, 'axe and labels on the console in English').toEqual([]);
});
