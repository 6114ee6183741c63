/**
 * The managers' console (issue 14), the review cycle at a desk: an inspector submits a visit from
 * the phone; a manager signs in through /local/sign-in?role=manager, finds it in the review queue
 * (filtered to its ward), opens it (its photos load through presigned links), returns it with a
 * comment; the inspector edits and submits it again; the manager finds it again and approves it.
 * The inspector's phone never fetches any of the console's files, and a console address shows it
 * a "not allowed" page. Every console screen passes axe (no serious or critical violation).
 */
import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { z } from 'zod';
import { eventually } from '../e2e/support/http.ts';
import { type AppServer, appServer, demoProvinceId } from './support/app-server.ts';
import { closeBrowsers, launchChromium, newDesk, newPhone } from './support/browser.ts';
import { screenshotOnFailure, watchPage } from './support/failures.ts';
import {
  fillVisit,
  item,
  signIn,
  startVisit,
  texts,
  waitForServiceWorker,
  waitForUnits,
} from './support/inspector.ts';
import { consoleTexts, isConsoleFile, signInToConsole } from './support/manager.ts';
import { makeJpegs, type PhotoFile } from './support/photos.ts';
import { deskRules, screenProblems } from './support/screen-checks.ts';
import { repositoryRoot } from './support/start-app.ts';

const suffix = randomUUID().slice(0, 8);
const inspector = { sub: `console-inspector-${suffix}`, name: 'Phan Văn Đức' };
const manager = { sub: `console-manager-${suffix}`, name: 'Hoàng Thị Thu' };
const unit = { id: 'truong-vinh', name: 'Phường Trường Vinh', search: 'truong vinh' };
const comment = 'Ảnh A1 chưa thấy biển tên; đề nghị kiểm tra lại tiêu chí C3.';
const failing = ['A1', 'C1'];

const serverVisit = z.looseObject({
  status: z.string(),
  score: z.number().nullable(),
  etag: z.string(),
  photos: z.array(z.looseObject({ photoId: z.string(), status: z.string() })),
  answers: z.array(z.looseObject({ itemCode: z.string(), value: z.unknown().optional() })),
});

let server: AppServer;
let browser: Browser;
let phone: BrowserContext;
let desk: BrowserContext;
let page: Page;
let managerPage: Page;
let current: Page | undefined;
let jpegs: PhotoFile[];
const phoneConsoleFetches: string[] = [];

beforeAll(async () => {
  server = appServer();
  browser = await launchChromium();
  jpegs = await makeJpegs(browser, 4);
  phone = await newPhone(browser);
  // Every request of the phone, its service worker's included.
  phone.on('request', (request) => {
    if (isConsoleFile(request)) phoneConsoleFetches.push(request.url());
  });
  page = watchPage(await phone.newPage());
  desk = await newDesk(browser);
  managerPage = watchPage(await desk.newPage());
});

afterAll(async () => {
  await closeBrowsers();
});

screenshotOnFailure(() => current);

it('a manager returns a submitted visit from the console, and approves it once submitted again', async () => {
  const problems: string[] = [];
  current = page;
  const inspectorToken = await server.token({
    role: 'inspector',
    unitId: demoProvinceId,
    sub: inspector.sub,
  });
  const readVisit = async (visitId: string) => {
    const reply = await server.call('GET', `/v1/visits/${visitId}`, { token: inspectorToken });
    return reply.status === 200 ? serverVisit.parse(reply.body) : undefined;
  };

  // The inspector's visit, submitted from the phone with two failed items and their photos.
  await signIn(page, server.url, inspector);
  await waitForServiceWorker(page);
  await waitForUnits(page);
  const visitId = await startVisit(page, unit.search, unit.name);
  const photographed = await fillVisit(page, jpegs, failing);
  await page.getByRole('button', { name: texts.submit, exact: true }).click();
  const submitted = await eventually(
    'the visit submitted',
    async () => {
      const visit = await readVisit(visitId);
      return visit?.status === 'submitted' ? visit : undefined;
    },
    60_000,
  );

  // A console address on the inspector's phone: a clear refusal, and no console file fetched.
  await page.goto(`${server.url}/console`);
  await page.getByRole('heading', { name: consoleTexts.notAllowed }).waitFor();
  // The service worker's precache names none of the console's files.
  const consoleFiles = readdirSync(join(repositoryRoot, 'web', 'dist', 'assets', 'console'));
  expect(consoleFiles.length).toBeGreaterThan(0);
  const sw = await server.call('GET', '/sw.js');
  expect(sw.text).toContain('/index.html');
  for (const file of consoleFiles) expect(sw.text).not.toContain(file);

  // The manager at a desk: the queue, filtered to the ward.
  current = managerPage;
  await signInToConsole(managerPage, server.url, manager);
  problems.push(...(await screenProblems(managerPage, 'review queue', deskRules)));
  await managerPage.getByLabel(consoleTexts.unitSubtree).selectOption(unit.id);
  await managerPage.getByRole('button', { name: consoleTexts.apply, exact: true }).click();
  await managerPage.waitForURL(new RegExp(`unitId=${unit.id}`));
  const row = managerPage.locator(`tr[data-visit="${visitId}"]`);
  await row.waitFor();
  expect(await row.textContent()).toContain(inspector.name);
  await row.getByRole('link', { name: unit.name }).click();

  // The visit: score, failed items, photos loaded through their presigned links.
  await managerPage.getByRole('heading', { name: consoleTexts.visitTitle(unit.name) }).waitFor();
  await expect.poll(() => managerPage.getByTestId('score').textContent()).not.toBe('—');
  const shownScore = (await managerPage.getByTestId('score').textContent()) ?? '';
  expect(Number(shownScore.replace(/\./g, '').replace(',', '.'))).toBe(submitted.score);
  for (const code of failing) {
    expect(await managerPage.locator(`tr[data-item="${code}"]`).getAttribute('class')).toContain('failed');
  }
  const images = managerPage.locator('.photo-strip img');
  await expect.poll(() => images.count(), { timeout: 15_000 }).toBe(photographed.length);
  await expect
    .poll(
      () =>
        managerPage.evaluate(
          "[...document.querySelectorAll('.photo-strip img')].every((img) => img.complete && img.naturalWidth > 0)",
        ),
      { timeout: 15_000 },
    )
    .toBe(true);
  problems.push(...(await screenProblems(managerPage, 'visit under review', deskRules)));

  // Returned with a comment.
  await managerPage.getByLabel(consoleTexts.returnComment).fill(comment);
  await managerPage.getByRole('button', { name: consoleTexts.returnVisit }).click();
  await managerPage.locator('[data-status="returned"]').waitFor();
  expect((await readVisit(visitId))?.status).toBe('returned');
  expect(await managerPage.locator('blockquote').textContent()).toBe(comment);

  // The inspector sees it returned, edits C3 and submits again.
  current = page;
  await page.goto(server.url);
  await page.getByRole('button', { name: 'Gửi ngay' }).click();
  await expect
    .poll(() => page.locator(`[data-visit="${visitId}"] .badge.status-returned`).count(), { timeout: 30_000 })
    .toBe(1);
  await page.locator(`[data-visit="${visitId}"] a`).click();
  await page.getByRole('heading', { name: 'Ý kiến của người duyệt' }).waitFor();
  await item(page, 'C3').getByRole('radio', { name: '4', exact: true }).check();
  await page.getByRole('button', { name: texts.submit, exact: true }).click();
  await eventually(
    'the visit submitted again',
    async () => ((await readVisit(visitId))?.status === 'submitted' ? true : undefined),
    60_000,
  );

  // Back in the queue, opened again and approved.
  current = managerPage;
  await managerPage.getByRole('link', { name: consoleTexts.queue }).click();
  await managerPage.locator(`tr[data-visit="${visitId}"]`).getByRole('link', { name: unit.name }).click();
  await managerPage.getByRole('heading', { name: consoleTexts.visitTitle(unit.name) }).waitFor();
  await managerPage.locator('[data-status="submitted"]').waitFor();
  await managerPage.getByRole('button', { name: consoleTexts.approve, exact: true }).click();
  await managerPage.locator('[data-status="approved"]').waitFor();
  expect((await readVisit(visitId))?.status).toBe('approved');
  problems.push(...(await screenProblems(managerPage, 'approved visit', deskRules)));

  expect(phoneConsoleFetches, "the inspector's phone fetched console files").toEqual([]);
  expect(problems, 'axe and labels on every console screen').toEqual([]);
});
