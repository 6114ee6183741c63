/**
 * Mistakes an inspector must be able to undo on the phone, online or not, without ever losing
 * evidence to a stray tap: removing a photo from an item (one never sent, one the server has
 * verified, offline and online) and discarding a draft visit (one the server never saw, and one
 * it holds). Every removal goes through a confirmation whose focus starts on "keep"; what the
 * server holds afterwards is read back through the API, and what the phone holds straight from
 * its IndexedDB.
 */
import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { z } from 'zod';
import { eventually } from '../e2e/support/http.ts';
import { type AppServer, appServer, demoProvinceId } from './support/app-server.ts';
import { closeBrowsers, launchChromium, newPhone } from './support/browser.ts';
import { screenshotOnFailure, watchPage } from './support/failures.ts';
import {
  attachPhotos,
  item,
  signIn,
  startVisit,
  texts,
  waitForServiceWorker,
  waitForUnits,
} from './support/inspector.ts';
import { makeJpegs, type PhotoFile } from './support/photos.ts';
import { screenProblems } from './support/screen-checks.ts';

const inspector = { sub: `browser-remove-${randomUUID().slice(0, 8)}`, name: 'Lê Thị Mai' };
const unit = { search: 'Vinh Phu', name: 'Phường Vinh Phú' };
const code = 'B1';

/** The app's texts for these steps (web/src/i18n/vi.ts). */
const words = {
  removePhotoOf: (n: number) => `Xoá ảnh ${n} của ${code}`,
  removePhotoTitle: 'Xoá ảnh minh chứng này?',
  removePhoto: 'Xoá ảnh',
  keep: 'Giữ lại',
  discard: 'Xoá bản nháp này',
  discardTitle: 'Xoá buổi kiểm tra nháp này?',
  discardConfirm: 'Xoá bản nháp',
  discarding: 'Đang xoá',
};

const serverVisit = z.looseObject({
  status: z.string(),
  photos: z.array(z.looseObject({ photoId: z.string(), status: z.string() })),
});
const visitPage = z.object({ items: z.array(z.looseObject({ visitId: z.string() })) });
const phoneRecords = z.object({
  visit: z.object({ status: z.string(), discarding: z.boolean().nullable() }).nullable(),
  photos: z.array(z.object({ photoId: z.string(), removing: z.boolean().nullable() })),
  ops: z.array(z.object({ kind: z.string(), photoId: z.string().nullable() })),
});

let server: AppServer;
let browser: Browser;
let phone: BrowserContext;
let page: Page;
let jpegs: PhotoFile[];
let token: string;

beforeAll(async () => {
  server = appServer();
  browser = await launchChromium();
  jpegs = await makeJpegs(browser, 4, { width: 1200, height: 900 });
  phone = await newPhone(browser);
  page = watchPage(await phone.newPage());
  token = await server.token({ role: 'inspector', unitId: demoProvinceId, sub: inspector.sub });
  await signIn(page, server.url, inspector);
  await waitForServiceWorker(page);
  await waitForUnits(page);
});

afterAll(async () => {
  await closeBrowsers();
});

screenshotOnFailure(() => page);

/** What the phone's IndexedDB holds of one visit: the visit, its photos, its queued operations. */
async function onPhone(visitId: string): Promise<z.infer<typeof phoneRecords>> {
  const probe = `new Promise((resolve, reject) => {
    const open = indexedDB.open('par-inspect');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const database = open.result;
      const tx = database.transaction(['visits', 'photos', 'outbox'], 'readonly');
      const all = (name) => new Promise((ok) => { const r = tx.objectStore(name).getAll(); r.onsuccess = () => ok(r.result); });
      Promise.all([all('visits'), all('photos'), all('outbox')]).then(([visits, photos, ops]) => {
        database.close();
        const visit = visits.find((v) => v.visitId === ${JSON.stringify(visitId)});
        resolve({
          visit: visit ? { status: visit.status, discarding: visit.discarding ?? null } : null,
          photos: photos.filter((p) => p.visitId === ${JSON.stringify(visitId)}).map((p) => ({ photoId: p.photoId, removing: p.removing ?? null })),
          ops: ops.filter((o) => o.visitId === ${JSON.stringify(visitId)}).map((o) => ({ kind: o.kind, photoId: o.photoId ?? null })),
        });
      });
    };
  })`;
  return phoneRecords.parse(await page.evaluate(probe));
}

async function getVisit(visitId: string) {
  const reply = await server.call('GET', `/v1/visits/${visitId}`, { token });
  return { status: reply.status, visit: reply.status === 200 ? serverVisit.parse(reply.body) : null };
}

function thumbs(): Locator {
  return item(page, code).locator('[data-photo]');
}

/** Opens the confirmation for photo `n` of the item; returns the dialog. */
async function askToRemove(n: number): Promise<Locator> {
  await item(page, code)
    .getByRole('button', { name: words.removePhotoOf(n), exact: true })
    .click();
  const dialog = page.getByRole('dialog', { name: words.removePhotoTitle });
  await dialog.waitFor();
  return dialog;
}

function apiRequestsSince(mark: number) {
  return server.requestsSince(mark).filter((request) => request.url.startsWith('/v1/'));
}

it('removes a photo: one never sent (offline), one verified (offline, then sent), one verified (online)', async () => {
  const problems: string[] = [];
  const visitId = await startVisit(page, unit.search, unit.name);

  // Online: two photos go up and are verified by the server.
  await attachPhotos(page, code, [jpegs[0] as PhotoFile, jpegs[1] as PhotoFile]);
  await eventually(
    'two verified photos on the server',
    async () => {
      const { visit } = await getVisit(visitId);
      return visit?.photos.filter((photo) => photo.status === 'verified').length === 2 ? true : undefined;
    },
    60_000,
  );
  for (const n of [0, 1]) {
    await expect
      .poll(() => thumbs().nth(n).getAttribute('data-sync-state'), { timeout: 30_000 })
      .toBe('verified');
  }
  // As the item shows them: photo 1, photo 2.
  const first = await thumbs().nth(0).getAttribute('data-photo');
  const second = await thumbs().nth(1).getAttribute('data-photo');
  expect(first).not.toBeNull();
  expect(second).not.toBeNull();

  // The button's name in English too, from en.ts.
  await page.getByRole('button', { name: 'English' }).click();
  await item(page, code).getByRole('button', { name: 'Remove photo 2 of B1', exact: true }).waitFor();
  await page.getByRole('button', { name: 'Tiếng Việt' }).click();
  await item(page, code)
    .getByRole('button', { name: words.removePhotoOf(2), exact: true })
    .waitFor();

  // Offline: a third photo, never sent; then removed. The first tap lands on "keep".
  const offlineMark = server.mark();
  await phone.setOffline(true);
  await attachPhotos(page, code, [jpegs[2] as PhotoFile]);
  const third = (await onPhone(visitId)).photos
    .map((p) => p.photoId)
    .find((id) => id !== first && id !== second);
  expect(third).toBeDefined();
  let dialog = await askToRemove(3);
  problems.push(...(await screenProblems(page, 'remove-photo confirmation')));
  // Enter on the focused button, the safe one: nothing is removed.
  await page.keyboard.press('Enter');
  await dialog.waitFor({ state: 'hidden' });
  expect(await thumbs().count()).toBe(3);
  dialog = await askToRemove(3);
  await dialog.getByRole('button', { name: words.removePhoto, exact: true }).click();
  await expect.poll(() => thumbs().count()).toBe(2);
  // Never declared to the server: gone from the phone with its upload, nothing queued instead.
  await expect.poll(async () => (await onPhone(visitId)).photos.some((p) => p.photoId === third)).toBe(false);
  expect((await onPhone(visitId)).ops.filter((op) => op.photoId === third)).toEqual([]);

  // Still offline: the second (verified) photo is removed. It disappears from the item at once,
  // the phone keeps it, hidden, with a queued DELETE; the server still has it.
  dialog = await askToRemove(2);
  await dialog.getByRole('button', { name: words.removePhoto, exact: true }).click();
  await expect.poll(() => thumbs().count()).toBe(1);
  // The focus stays in the item, on the remaining photo's button, not lost to the page's top.
  await expect
    .poll(() => page.evaluate("document.activeElement?.getAttribute('aria-label') ?? null"))
    .toBe(words.removePhotoOf(1));
  const pending = await onPhone(visitId);
  expect(pending.photos.find((p) => p.photoId === second)?.removing).toBe(true);
  expect(pending.ops).toContainEqual({ kind: 'deletePhoto', photoId: second ?? '' });
  await page.waitForTimeout(1_000);
  expect(apiRequestsSince(offlineMark), 'API requests answered while the phone was offline').toEqual([]);
  expect((await getVisit(visitId)).visit?.photos.map((p) => p.photoId).sort()).toEqual(
    [first, second].sort(),
  );

  // Online again: the DELETE goes out; the server and then the phone let the photo go.
  await phone.setOffline(false);
  await eventually(
    'the second photo gone from the server',
    async () => {
      const { visit } = await getVisit(visitId);
      return visit !== null && visit.photos.length === 1 && visit.photos[0]?.photoId === first
        ? true
        : undefined;
    },
    30_000,
  );
  await expect
    .poll(async () => (await onPhone(visitId)).photos.map((p) => p.photoId), { timeout: 30_000 })
    .toEqual([first]);
  await expect.poll(async () => (await onPhone(visitId)).ops, { timeout: 30_000 }).toEqual([]);

  // Online: the last photo, removed with the network up.
  dialog = await askToRemove(1);
  await dialog.getByRole('button', { name: words.removePhoto, exact: true }).click();
  await expect.poll(() => thumbs().count()).toBe(0);
  // No photo left: the focus goes to the item's camera input.
  await expect
    .poll(() =>
      page.evaluate(
        `document.activeElement?.closest('#item-${code} .photo-inputs') ? document.activeElement.tagName : null`,
      ),
    )
    .toBe('INPUT');
  await eventually(
    'no photo left on the server',
    async () => ((await getVisit(visitId)).visit?.photos.length === 0 ? true : undefined),
    30_000,
  );
  await expect.poll(async () => (await onPhone(visitId)).photos, { timeout: 30_000 }).toEqual([]);
  const deletes = server
    .requestsSince(offlineMark)
    .filter((request) => request.method === 'DELETE')
    .map((request) => [request.url, request.status]);
  expect(deletes).toEqual([
    [`/v1/visits/${visitId}/photos/${second}`, 204],
    [`/v1/visits/${visitId}/photos/${first}`, 204],
  ]);
  problems.push(...(await screenProblems(page, 'item after removals')));
  expect(problems, 'axe, width, touch targets and labels').toEqual([]);
});

it('discards a draft: one the server never had (offline), and one it holds (offline, then confirmed)', async () => {
  const problems: string[] = [];
  await phone.setOffline(false);
  await page.getByRole('link', { name: texts.back }).click();
  await page.getByRole('heading', { name: texts.myVisits }).waitFor();

  // A draft started online, with a photo, until the server has both.
  const held = await startVisit(page, unit.search, unit.name);
  await attachPhotos(page, code, [jpegs[3] as PhotoFile]);
  await eventually(
    'the draft and its photo on the server',
    async () => ((await getVisit(held)).visit?.photos.length === 1 ? true : undefined),
    60_000,
  );
  await page.getByRole('link', { name: texts.back }).click();

  // Offline: a draft the server never sees, discarded at once.
  const offlineMark = server.mark();
  await phone.setOffline(true);
  const never = await startVisit(page, unit.search, unit.name);
  await page.getByRole('button', { name: words.discard }).click();
  const dialog = page.getByRole('dialog', { name: words.discardTitle });
  await dialog.waitFor();
  problems.push(...(await screenProblems(page, 'discard confirmation')));
  await dialog.getByRole('button', { name: words.discardConfirm, exact: true }).click();
  await page.getByRole('heading', { name: texts.myVisits }).waitFor();
  await expect.poll(() => page.locator(`[data-visit="${never}"]`).count()).toBe(0);
  expect(await onPhone(never)).toEqual({ visit: null, photos: [], ops: [] });

  // Still offline: the draft the server holds. Kept, shown as being discarded, one DELETE queued.
  await page.locator(`[data-visit="${held}"] a`).click();
  await page.getByRole('button', { name: words.discard }).click();
  await page
    .getByRole('dialog', { name: words.discardTitle })
    .getByRole('button', { name: words.discardConfirm, exact: true })
    .click();
  await page.getByRole('heading', { name: texts.myVisits }).waitFor();
  const card = page.locator(`[data-visit="${held}"]`);
  await card.getByText(words.discarding, { exact: true }).waitFor();
  const waiting = await onPhone(held);
  expect(waiting.visit).toEqual({ status: 'draft', discarding: true });
  expect(waiting.photos).toHaveLength(1);
  expect(waiting.ops).toEqual([{ kind: 'deleteVisit', photoId: null }]);
  problems.push(...(await screenProblems(page, 'list with a visit being discarded')));
  await page.waitForTimeout(1_000);
  expect(apiRequestsSince(offlineMark), 'API requests answered while the phone was offline').toEqual([]);
  expect((await getVisit(held)).status).toBe(200);

  // Online: the server deletes it, then the phone lets it go.
  await phone.setOffline(false);
  await eventually(
    'the held draft gone from the server',
    async () => ((await getVisit(held)).status === 404 ? true : undefined),
    30_000,
  );
  await expect.poll(() => card.count(), { timeout: 30_000 }).toBe(0);
  await expect.poll(() => onPhone(held), { timeout: 30_000 }).toEqual({ visit: null, photos: [], ops: [] });
  // Only the DELETE of the held draft reached the server: the other one never left the phone.
  const written = server.requestsSince(offlineMark).filter((request) => request.method !== 'GET');
  expect(written.filter((request) => request.url.includes(never))).toEqual([]);
  expect(
    written.filter((request) => request.method === 'DELETE').map((request) => [request.url, request.status]),
  ).toEqual([[`/v1/visits/${held}`, 204]]);
  expect((await getVisit(never)).status).toBe(404);
  const list = await server.call('GET', `/v1/visits?inspectorId=${inspector.sub}`, { token });
  expect(list.status, list.text).toBe(200);
  const listed = visitPage.parse(list.body).items.map((visit) => visit.visitId);
  expect(listed).not.toContain(held);
  expect(listed).not.toContain(never);
  expect(problems, 'axe, width, touch targets and labels').toEqual([]);
});
