/**
 * Offline is the normal case (issue 11): an inspector signs in, loses the network, fills a whole
 * visit of the reference checklist (43 items) with real JPEG photos, reloads the app while still
 * offline (the app and the work are still there), submits, and when the network returns the
 * outbox drains: the server holds one visit, submitted, every photo verified, with the score the
 * screen showed. The server's own request log proves that nothing reached the API while the
 * phone was offline (Playwright's offline switch does not cover a service worker's requests).
 */
import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { z } from 'zod';
import { eventually } from '../e2e/support/http.ts';
import { type AppServer, appServer } from './support/app-server.ts';
import { closeBrowsers, launchChromium, newPhone } from './support/browser.ts';
import { screenshotOnFailure, watchPage } from './support/failures.ts';
import {
  fillVisit,
  item,
  referenceItems,
  shownScore,
  signIn,
  startVisit,
  texts,
  waitForServiceWorker,
  waitForUnits,
} from './support/inspector.ts';
import { makeJpegs, type PhotoFile } from './support/photos.ts';
import { screenProblems } from './support/screen-checks.ts';

const inspector = { sub: `browser-offline-${randomUUID().slice(0, 8)}`, name: 'Nguyễn Văn Hải' };
const unit = { id: 'vinh-phu', name: 'Phường Vinh Phú', search: 'Vinh Phu' };
// A1 fails (yes_no "no"), so its photo becomes required; B1 and D1 always need one.
const failing = 'A1';
const photoItems = ['A1', 'B1', 'D1'];

const serverVisit = z.looseObject({
  visitId: z.string(),
  status: z.string(),
  score: z.number().nullable().optional(),
  unitId: z.string(),
  answers: z.array(z.looseObject({ itemCode: z.string() })),
  photos: z.array(z.looseObject({ photoId: z.string(), itemCode: z.string(), status: z.string() })),
});
const visitPage = z.object({ items: z.array(z.looseObject({ visitId: z.string() })) });

let server: AppServer;
let browser: Browser;
let phone: BrowserContext;
let page: Page;
let jpegs: PhotoFile[];

beforeAll(async () => {
  server = appServer();
  browser = await launchChromium();
  jpegs = await makeJpegs(browser, photoItems.length + 1);
  phone = await newPhone(browser);
  page = watchPage(await phone.newPage());
});

afterAll(async () => {
  await closeBrowsers();
});

screenshotOnFailure(() => page);

it('fills a whole visit offline, survives a reload, and the outbox drains when online', async () => {
  const problems: string[] = [];

  // Online: sign in; the app shell, the units and the template come onto the phone.
  await signIn(page, server.url, inspector);
  await waitForServiceWorker(page);
  expect(await waitForUnits(page)).toBeGreaterThanOrEqual(10);
  problems.push(...(await screenProblems(page, 'home')));

  // Offline from here: a visit of a ward found without diacritics, all 43 items, three photos.
  const offlineMark = server.mark();
  await phone.setOffline(true);
  await page.getByRole('link', { name: texts.newVisit }).click();
  await page.getByRole('heading', { name: texts.pickUnit }).waitFor();
  problems.push(...(await screenProblems(page, 'unit picker')));
  await page.getByRole('link', { name: texts.back }).click();
  const visitId = await startVisit(page, unit.search, unit.name);
  expect(referenceItems).toHaveLength(43);
  const photographed = await fillVisit(page, jpegs, [failing]);
  expect(photographed.sort()).toEqual([...photoItems].sort());
  problems.push(...(await screenProblems(page, 'checklist with photos')));
  // Pending photos are all that is missing: they need the server to verify them.
  await expect
    .poll(async () => (await page.locator('[data-testid=score] summary').textContent()) ?? '')
    .toContain(`Còn thiếu ${photoItems.length} mục`);
  const score = await shownScore(page);
  expect(score).not.toBeNull();

  // A reload while offline: the service worker serves the app, IndexedDB still has the work.
  await page.reload();
  await item(page, 'G6').waitFor();
  expect(await shownScore(page)).toBe(score);
  for (const code of photoItems) {
    await expect.poll(() => item(page, code).locator('[data-photo]').count()).toBe(1);
  }
  await expect
    .poll(() => item(page, failing).getByRole('radio', { name: texts.no, exact: true }).isChecked())
    .toBe(true);

  // Submit, still offline: queued. The server saw no API request from this phone meanwhile.
  await page.getByRole('button', { name: texts.submit, exact: true }).click();
  await page.getByText(texts.submitQueued).first().waitFor();
  // Time for a service worker's background work to slip out, if it were to.
  await page.waitForTimeout(1_000);
  const reached = server.requestsSince(offlineMark).filter((request) => request.url.startsWith('/v1/'));
  expect(reached, 'API requests the server answered while the phone was offline').toEqual([]);

  // Online again: the outbox drains by itself.
  await phone.setOffline(false);
  const token = await server.token({ role: 'inspector', unitId: 'nghe-an', sub: inspector.sub });
  const stored = await eventually(
    'the visit submitted with every photo verified',
    async () => {
      const reply = await server.call('GET', `/v1/visits/${visitId}`, { token });
      if (reply.status !== 200) return undefined;
      const visit = serverVisit.parse(reply.body);
      const done = visit.status === 'submitted' && visit.photos.length === photoItems.length;
      return done && visit.photos.every((photo) => photo.status === 'verified') ? visit : undefined;
    },
    60_000,
  );
  expect(stored.unitId).toBe(unit.id);
  expect(stored.answers).toHaveLength(43);
  expect(stored.photos.map((photo) => photo.itemCode).sort()).toEqual([...photoItems].sort());
  expect(stored.score).toBe(score);
  // The log parser sees the requests that came once online: the empty list above is not blindness.
  // Polled: the server writes a request's log line once its answer is sent, so the read of the
  // submitted visit above can come before the submit's own line.
  await expect
    .poll(() =>
      server.requestsSince(offlineMark).some((request) => request.url === `/v1/visits/${visitId}/submit`),
    )
    .toBe(true);
  const list = await server.call('GET', `/v1/visits?unitId=${unit.id}&inspectorId=${inspector.sub}`, {
    token,
  });
  expect(list.status, list.text).toBe(200);
  expect(visitPage.parse(list.body).items.map((visit) => visit.visitId)).toEqual([visitId]);

  // The phone shows it too: submitted, its photos verified, sent in the list.
  await expect
    .poll(() => page.locator('.badge.status-submitted').count(), { timeout: 30_000 })
    .toBeGreaterThan(0);
  for (const code of photoItems) {
    await expect
      .poll(() => item(page, code).locator('[data-photo]').getAttribute('data-sync-state'), {
        timeout: 30_000,
      })
      .toBe('verified');
  }
  problems.push(...(await screenProblems(page, 'submitted visit')));
  await page.getByRole('link', { name: texts.back }).click();
  await page.getByRole('heading', { name: texts.myVisits }).waitFor();
  await expect
    .poll(() => page.locator(`[data-visit="${visitId}"]`).getAttribute('data-sync-state'), {
      timeout: 30_000,
    })
    .toMatch(/^(sent|verified)$/);
  problems.push(...(await screenProblems(page, 'visit list')));

  expect(problems, 'axe, width, touch targets and labels on every screen').toEqual([]);
});
