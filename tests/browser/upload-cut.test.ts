/**
 * The network cut in the middle of a photo upload (issue 11): the first POST of the file to the
 * storage form dies with the connection, the phone goes offline, then the network comes back.
 * The outbox asks for a fresh form and posts again: the server ends with one photo, verified,
 * not two, and the phone shows it verified.
 */
import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
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
  waitForServiceWorker,
  waitForUnits,
} from './support/inspector.ts';
import { makeJpegs, type PhotoFile } from './support/photos.ts';

const inspector = { sub: `browser-upload-${randomUUID().slice(0, 8)}`, name: 'Phạm Quốc Toàn' };
const unit = { name: 'Phường Vinh Lộc', search: 'vinh loc' };

const serverVisit = z.looseObject({
  photos: z.array(z.looseObject({ photoId: z.string(), itemCode: z.string(), status: z.string() })),
});

let server: AppServer;
let browser: Browser;
let phone: BrowserContext;
let page: Page;
let jpeg: PhotoFile;

beforeAll(async () => {
  server = appServer();
  browser = await launchChromium();
  const [made] = await makeJpegs(browser, 1);
  if (!made) throw new Error('no photo made');
  jpeg = made;
  phone = await newPhone(browser);
  page = watchPage(await phone.newPage());
});

afterAll(async () => {
  await closeBrowsers();
});

screenshotOnFailure(() => page);

/** The file's POST to the presigned form: to s3rver through `/local/s3`, or to s3rver itself. */
function isUpload(route: Route): boolean {
  const request = route.request();
  if (request.method() !== 'POST') return false;
  const url = new URL(request.url());
  return url.pathname.startsWith('/local/s3') || url.origin !== new URL(server.url).origin;
}

it('posts the photo again after the network died during its upload: one photo, verified', async () => {
  await signIn(page, server.url, inspector);
  await waitForServiceWorker(page);
  await waitForUnits(page);
  const visitId = await startVisit(page, unit.search, unit.name);

  const cut = { uploads: 0, aborted: 0 };
  await phone.route('**/*', async (route) => {
    if (!isUpload(route)) return route.fallback();
    cut.uploads += 1;
    if (cut.aborted > 0) return route.fallback();
    // The connection drops while the file is on its way: the request fails, the phone is offline.
    cut.aborted += 1;
    await phone.setOffline(true);
    return route.abort('internetdisconnected');
  });

  await attachPhotos(page, 'B1', [jpeg]);
  await expect.poll(() => cut.aborted, { timeout: 30_000 }).toBe(1);
  const photo = item(page, 'B1').locator('[data-photo]');
  expect(await photo.getAttribute('data-sync-state')).not.toBe('verified');

  await page.waitForTimeout(1_000);
  await phone.setOffline(false);

  const token = await server.token({ role: 'inspector', unitId: demoProvinceId, sub: inspector.sub });
  const stored = await eventually(
    'the photo verified',
    async () => {
      const reply = await server.call('GET', `/v1/visits/${visitId}`, { token });
      if (reply.status !== 200) return undefined;
      const visit = serverVisit.parse(reply.body);
      return visit.photos.some((p) => p.status === 'verified') ? visit : undefined;
    },
    60_000,
  );
  expect(stored.photos).toHaveLength(1);
  expect(stored.photos[0]).toMatchObject({ itemCode: 'B1', status: 'verified' });
  expect(cut.uploads).toBeGreaterThanOrEqual(2);
  await expect.poll(() => photo.getAttribute('data-sync-state'), { timeout: 30_000 }).toBe('verified');
  await expect.poll(() => item(page, 'B1').locator('[data-photo]').count()).toBe(1);
});
