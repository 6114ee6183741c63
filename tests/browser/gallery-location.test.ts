/**
 * A photo picked from the gallery keeps where its file says it was taken: the app re-encodes
 * every photo (which drops EXIF), reads the original file's GPS position and writes it back into
 * the JPEG it uploads, so the server's verifier finds it and the evidence has a place. The phone
 * declares no place for a gallery pick (it was not there then); a file without GPS is still
 * flagged `no_location`, which is right by the rules of docs/evidence.md.
 */
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { z } from 'zod';
import { eventually } from '../e2e/support/http.ts';
import { withExif } from '../support/images.ts';
import { type AppServer, appServer, demoProvinceId } from './support/app-server.ts';
import { closeBrowsers, launchChromium, newPhone } from './support/browser.ts';
import { screenshotOnFailure, watchPage } from './support/failures.ts';
import { attachPhotos, signIn, startVisit, waitForUnits } from './support/inspector.ts';
import { makeJpegs, type PhotoFile } from './support/photos.ts';

const inspector = { sub: `browser-gallery-${randomUUID().slice(0, 8)}`, name: 'Trần Văn Nam' };
// Somewhere in Vinh, a few hundred metres from the phone's own position (support/browser.ts).
const shotAt = { lat: 18.6712, lng: 105.6921 };

const visitWithEvidence = z.looseObject({
  photos: z.array(
    z.looseObject({
      photoId: z.string(),
      itemCode: z.string(),
      status: z.string(),
      location: z.unknown().optional(),
    }),
  ),
  evidence: z.looseObject({
    photos: z.array(z.looseObject({ photoId: z.string(), itemCode: z.string(), flags: z.array(z.string()) })),
  }),
});

let server: AppServer;
let browser: Browser;
let page: Page;
let jpegs: PhotoFile[];

beforeAll(async () => {
  server = appServer();
  browser = await launchChromium();
  jpegs = await makeJpegs(browser, 2, { width: 1200, height: 900 });
  page = watchPage(await (await newPhone(browser)).newPage());
  await signIn(page, server.url, inspector);
  await waitForUnits(page);
});

afterAll(async () => {
  await closeBrowsers();
});

screenshotOnFailure(() => page);

it('a gallery photo with EXIF GPS is verified with that place; one without is no_location', async () => {
  const [plain, other] = jpegs;
  if (plain === undefined || other === undefined) throw new Error('two JPEGs needed');
  const located: PhotoFile = { ...other, name: 'co-vi-tri.jpg', buffer: withExif(other.buffer, shotAt) };
  const visitId = await startVisit(page, 'Vinh Phu', 'Phường Vinh Phú');
  await attachPhotos(page, 'B1', [located]);
  await attachPhotos(page, 'D1', [plain]);

  const token = await server.token({ role: 'inspector', unitId: demoProvinceId, sub: inspector.sub });
  const visit = await eventually(
    'both photos verified, with their evidence',
    async () => {
      const reply = await server.call('GET', `/v1/visits/${visitId}`, { token });
      if (reply.status !== 200) return undefined;
      const parsed = visitWithEvidence.parse(reply.body);
      const verified = parsed.photos.filter((photo) => photo.status === 'verified');
      return verified.length === 2 && parsed.evidence.photos.length === 2 ? parsed : undefined;
    },
    60_000,
  );
  const flagsOf = (code: string) => visit.evidence.photos.find((photo) => photo.itemCode === code)?.flags;
  expect(flagsOf('B1')).not.toContain('no_location');
  expect(flagsOf('D1')).toContain('no_location');
  // The phone declared no place for either: the place is the file's own.
  expect(visit.photos.map((photo) => photo.location ?? null)).toEqual([null, null]);
});
