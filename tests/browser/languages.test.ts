/**
 * Vietnamese by default, an English switch, `lang` set to match, and times in Vietnam's time
 * zone whatever zone the phone is set to (issue 11): the sign-in screen, the home screen and a
 * visit, in both languages, pass the screen checks, on a phone set to UTC.
 */
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type AppServer, appServer } from './support/app-server.ts';
import { closeBrowsers, launchChromium, newPhone } from './support/browser.ts';
import { screenshotOnFailure, watchPage } from './support/failures.ts';
import { signIn, startVisit, texts, waitForUnits } from './support/inspector.ts';
import { screenProblems } from './support/screen-checks.ts';

const inspector = { sub: `browser-lang-${randomUUID().slice(0, 8)}`, name: 'Hoàng Minh Đức' };

let server: AppServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  server = appServer();
  browser = await launchChromium();
  // A phone whose clock is set to UTC: the app must still show Vietnam's time.
  const phone = await newPhone(browser, { timezoneId: 'UTC' });
  page = watchPage(await phone.newPage());
});

afterAll(async () => {
  await closeBrowsers();
});

screenshotOnFailure(() => page);

const lang = () => page.evaluate('document.documentElement.lang');

/** The hour in Asia/Ho_Chi_Minh (UTC+7, no daylight saving time) of `instant`. */
const vietnamHour = (instant: Date) => String((instant.getUTCHours() + 7) % 24).padStart(2, '0');

it('speaks Vietnamese first, switches to English with lang set, and shows Vietnam time', async () => {
  const problems: string[] = [];
  await page.goto(`${server.url}/`);
  await page.getByRole('heading', { name: 'Đăng nhập' }).waitFor();
  expect(await lang()).toBe('vi');
  problems.push(...(await screenProblems(page, 'sign-in (vi)')));

  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  expect(await lang()).toBe('en');
  problems.push(...(await screenProblems(page, 'sign-in (en)')));
  await page.getByRole('button', { name: 'Tiếng Việt' }).click();
  await page.getByRole('heading', { name: 'Đăng nhập' }).waitFor();
  expect(await lang()).toBe('vi');

  await signIn(page, server.url, inspector);
  await waitForUnits(page);
  const before = new Date();
  await startVisit(page, 'do luong', 'Xã Đô Lương');
  const after = new Date();
  const started = (await page.locator('p.meta[data-sync-state]').textContent()) ?? '';
  const hours = new Set([vietnamHour(before), vietnamHour(after)]);
  expect(
    [...hours].some((hour) => started.includes(`Bắt đầu: ${hour}:`)),
    `"${started}" shows the hour in Vietnam (${[...hours].join(' or ')}), not the phone's UTC`,
  ).toBe(true);

  await page.getByRole('button', { name: 'English' }).click();
  await page.getByText('Started:').first().waitFor();
  expect(await lang()).toBe('en');
  const startedEn = (await page.locator('p.meta[data-sync-state]').textContent()) ?? '';
  expect([...hours].some((hour) => startedEn.includes(`, ${hour}:`))).toBe(true);
  problems.push(...(await screenProblems(page, 'visit (en)')));
  await page.getByRole('link', { name: 'Back' }).click();
  await page.getByRole('heading', { name: 'My visits' }).waitFor();
  problems.push(...(await screenProblems(page, 'home (en)')));
  await page.getByRole('button', { name: 'Tiếng Việt' }).click();
  await page.getByRole('heading', { name: texts.myVisits }).waitFor();

  expect(problems, 'axe, width, touch targets and labels on every screen').toEqual([]);
});
