/**
 * The managers' console (issue 14), the review cycle at a desk: an inspector submits a visit from
 * the phone; a manager signs in through /local/sign-in?role=manager, finds it in the review queue
 * (filtered to its ward), opens it (its photos load through presigned links), returns it with a
 * comment; the inspector edits and submits it again; the manager finds it again and approves it.
 * The inspector's phone never fetches any of the console's files, and a console address shows it
 * a "not allowed" page. Every console screen passes axe (no serious or critical violation).
 */
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { z } from 'zod';
import { eventually } from '../e2e/support/http.ts';
import { type AppServer, appServer, demoProvinceId } from './support/app-server.ts';
import { closeBrowsers, launchChromium, newDesk, newPhone, phonePosition } from './support/browser.ts';
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
/** The ward's office for this test: 0.01° (1,112 m) north of where the phone says it is. */
const office = { lat: phonePosition.latitude + 0.01, lng: phonePosition.longitude };
const unitReply = z.looseObject({
  name: z.string(),
  kind: z.string(),
  parentId: z.string().nullable(),
  code: z.string().optional(),
  etag: z.string(),
});
let restoreOffice: (() => Promise<void>) | undefined;

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
  jpegs = await makeJpegs(browser, 5);
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
  await restoreOffice?.();
  await closeBrowsers();
});

/** Puts the ward's office at `at` (or removes it) as an admin, keeping the rest of the unit. */
async function setOffice(at: { lat: number; lng: number } | undefined): Promise<void> {
  const token = await server.token({ role: 'admin', unitId: demoProvinceId });
  const read = await server.call('GET', `/v1/units/${unit.id}`, { token });
  expect(read.status, read.text).toBe(200);
  const { etag, ...body } = unitReply.parse(read.body);
  const kept = { name: body.name, kind: body.kind, parentId: body.parentId, code: body.code };
  const put = await server.call('PUT', `/v1/units/${unit.id}`, {
    token,
    headers: { 'if-match': etag },
    body: at === undefined ? kept : { ...kept, office: at },
  });
  expect(put.status, put.text).toBe(200);
}

screenshotOnFailure(() => current);

it('a manager reviews a visit from the console; its findings, the ranking and a publication follow', async () => {
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

  // The ward's office, known before the visit is created (a visit keeps its creation's office).
  await setOffice(office);
  restoreOffice = () => setOffice(undefined);

  // The inspector's visit, submitted from the phone with two failed items and their photos: those
  // of fillVisit from the gallery (no place), and one camera shot of B1 (the phone's position).
  await signIn(page, server.url, inspector);
  await waitForServiceWorker(page);
  await waitForUnits(page);
  const visitId = await startVisit(page, unit.search, unit.name);
  const photographed = await fillVisit(page, jpegs, failing);
  const b1 = item(page, 'B1');
  const b1Before = await b1.locator('[data-photo]').count();
  await b1.locator('input[type=file][capture]').setInputFiles(jpegs[photographed.length] ?? []);
  await expect.poll(() => b1.locator('[data-photo]').count(), { timeout: 30_000 }).toBe(b1Before + 1);
  const cameraShot = (await b1.locator('[data-photo]').last().getAttribute('data-photo')) ?? '';
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
  // Its evidence flags: the camera shot is far from the office, the gallery photos have no place.
  expect(await row.locator('[data-flag="far"]').textContent()).toBe(consoleTexts.flagPhotos('Xa trụ sở', 1));
  expect(await row.locator('[data-flag="no_location"]').textContent()).toBe(
    consoleTexts.flagPhotos('Không có vị trí', photographed.length),
  );
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
  await expect.poll(() => images.count(), { timeout: 15_000 }).toBe(photographed.length + 1);
  await expect
    .poll(
      () =>
        managerPage.evaluate(
          "[...document.querySelectorAll('.photo-strip img')].every((img) => img.complete && img.naturalWidth > 0)",
        ),
      { timeout: 15_000 },
    )
    .toBe(true);
  // Each photo's flags and, when its place is known, its distance from the office.
  const shot = managerPage.locator(`.photo-strip li[data-photo="${cameraShot}"]`);
  expect(
    await shot.locator('[data-flag]').evaluateAll((els) => els.map((el) => el.getAttribute('data-flag'))),
  ).toContain('far');
  const distance = Number(await shot.locator('[data-distance]').getAttribute('data-distance'));
  expect(distance).toBeGreaterThan(1_090);
  expect(distance).toBeLessThan(1_135);
  expect(await shot.locator('[data-distance]').textContent()).toBe(
    `Cách trụ sở ${distance.toLocaleString('vi-VN')} m`,
  );
  const others = managerPage.locator(`.photo-strip li[data-photo]:not([data-photo="${cameraShot}"])`);
  expect(await others.count()).toBe(photographed.length);
  for (const other of await others.all()) {
    expect(await other.locator('[data-flag="no_location"]').count()).toBe(1);
    expect(await other.locator('[data-distance]').count()).toBe(0);
  }
  // The visit's own place (the phone's position when it began) is as far from the office.
  const visitDistance = Number(
    await managerPage.locator('section.evidence [data-visit-distance]').getAttribute('data-visit-distance'),
  );
  expect(Math.abs(visitDistance - distance)).toBeLessThan(20);
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
  await managerPage
    .getByRole('dialog', { name: consoleTexts.approveConfirmTitle })
    .getByRole('button', { name: consoleTexts.approveConfirm })
    .click();
  await managerPage.locator('[data-status="approved"]').waitFor();
  expect((await readVisit(visitId))?.status).toBe('approved');
  problems.push(...(await screenProblems(managerPage, 'approved visit', deskRules)));

  // Its inspection record (biên bản), made in the background by the local server's bus and
  // downloaded as a PDF through the link the console shows.
  await managerPage.getByRole('button', { name: 'Biên bản', exact: true }).click();
  const recordLink = managerPage.getByRole('link', { name: 'PDF', exact: true });
  await recordLink.waitFor({ timeout: 30_000 });
  expect(await managerPage.locator('[data-record="ready"]').textContent()).toMatch(/Số: \d+\/BB-SNV/);
  const [recordFile] = await Promise.all([managerPage.waitForEvent('download'), recordLink.click()]);
  expect(
    readFileSync((await recordFile.path()) ?? '')
      .subarray(0, 5)
      .toString('latin1'),
  ).toBe('%PDF-');

  // The findings of the approval, with their due dates; one taken in hand.
  await managerPage.getByRole('link', { name: consoleTexts.findings, exact: true }).click();
  await managerPage.getByLabel(consoleTexts.unitSubtree).selectOption(unit.id);
  await managerPage.getByRole('button', { name: consoleTexts.apply, exact: true }).click();
  for (const code of failing) {
    const finding = managerPage.locator(`tr[data-finding="${visitId}.${code}"]`);
    await finding.waitFor();
    expect(await finding.locator('[data-due]').getAttribute('data-due')).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  }
  problems.push(...(await screenProblems(managerPage, 'findings', deskRules)));

  // Exported with those filters, followed to ready, downloaded: a CSV with a BOM and the findings.
  await managerPage.getByRole('button', { name: consoleTexts.exportStart }).click();
  const downloadLink = managerPage.getByRole('link', { name: consoleTexts.exportDownload });
  await downloadLink.waitFor({ timeout: 30_000 });
  const [download] = await Promise.all([managerPage.waitForEvent('download'), downloadLink.click()]);
  const csv = readFileSync((await download.path()) ?? '', 'utf8');
  expect(csv.charCodeAt(0)).toBe(0xfeff);
  // A header, then one line per finding the table lists for the same filters (C3 too: rated 4 of 5).
  const listed = await managerPage.locator('tr[data-finding]').count();
  expect(listed).toBeGreaterThanOrEqual(failing.length);
  expect(csv.split('\n').filter((line) => line.trim() !== '').length).toBe(1 + listed);
  await managerPage.locator(`tr[data-finding="${visitId}.A1"] a`).click();
  await managerPage.getByRole('heading', { name: consoleTexts.findingTitle(unit.name) }).waitFor();
  await managerPage.getByRole('button', { name: consoleTexts.moveTo('Đang khắc phục') }).click();
  await managerPage.locator('dl[data-status="in_progress"]').waitFor();
  problems.push(...(await screenProblems(managerPage, 'a finding', deskRules)));

  // The ranking of the province's wards this year: the ward with its band, the charts drawn.
  await managerPage.getByRole('link', { name: consoleTexts.rankings, exact: true }).click();
  await managerPage.getByRole('button', { name: consoleTexts.showRanking }).click();
  const rankingRow = managerPage.locator(`tr[data-unit="${unit.id}"]`);
  await rankingRow.waitFor();
  expect(await rankingRow.getAttribute('data-band')).not.toBe('');
  await managerPage.locator('[data-testid=score-chart][data-drawn=true] canvas').waitFor();
  // The heat map is painted (its pixels are put from one buffer, web/src/console/heat.ts).
  const painted = await managerPage.evaluate(`(() => {
    const canvas = document.querySelector('[data-testid=heat-map]');
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let opaque = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] === 255) opaque += 1;
    return opaque;
  })()`);
  expect(painted).toBeGreaterThan(1_000);
  problems.push(...(await screenProblems(managerPage, 'ranking', deskRules)));

  // An admin publishes it: the hash shown is the publication's.
  const admin = watchPage(await desk.newPage());
  current = admin;
  await signInToConsole(admin, server.url, {
    sub: `console-admin-${suffix}`,
    name: 'Vũ Minh Khoa',
    role: 'admin',
  });
  await admin.getByRole('link', { name: consoleTexts.rankings, exact: true }).click();
  await admin.getByRole('button', { name: consoleTexts.showRanking }).click();
  await admin.locator(`tr[data-unit="${unit.id}"]`).waitFor();
  await admin.getByRole('button', { name: consoleTexts.publish }).click();
  await admin.getByRole('button', { name: consoleTexts.publishNow, exact: true }).click();
  const shownHash = /[0-9a-f]{64}/.exec((await admin.getByTestId('published-hash').textContent()) ?? '')?.[0];
  expect(shownHash).toBeDefined();
  await admin.getByRole('link', { name: consoleTexts.openPublication }).click();
  expect(await admin.getByTestId('publication-hash').textContent()).toBe(shownHash);
  const publicationId = /\/console\/publications\/([0-9a-f-]{36})$/.exec(admin.url())?.[1] ?? '';
  const adminToken = await server.token({ role: 'admin', unitId: demoProvinceId });
  const stored = await server.call('GET', `/v1/publications/${publicationId}`, { token: adminToken });
  expect(stored.status, stored.text).toBe(200);
  expect(z.object({ hash: z.string() }).parse(stored.body).hash).toBe(shownHash);
  problems.push(...(await screenProblems(admin, 'a publication', deskRules)));

  expect(phoneConsoleFetches, "the inspector's phone fetched console files").toEqual([]);
  expect(problems, 'axe and labels on every console screen').toEqual([]);
});
