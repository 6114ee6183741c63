/**
 * What an inspector does in the app, step by step, as the tests drive it: sign in through local
 * mode's OIDC provider, start a visit of a ward, answer items, attach photos, submit. Selectors
 * are the app's roles and labels (what a screen reader announces) and its data-* hooks (items by
 * code, states by name), never its CSS layout.
 */
import { readFileSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { z } from 'zod';
import type { PhotoFile } from './photos.ts';

const answerSpec = z.discriminatedUnion('type', [
  z.object({ type: z.literal('yes_no') }),
  z.object({ type: z.literal('rating'), min: z.number(), max: z.number() }),
  z.object({ type: z.literal('percent') }).loose(),
  z.object({ type: z.literal('count') }).loose(),
]);
const referenceTemplate = z.object({
  sections: z.array(
    z.looseObject({
      code: z.string(),
      items: z.array(
        z.looseObject({
          code: z.string(),
          answer: answerSpec,
          photo: z.enum(['required', 'required_if_failed', 'optional', 'none']),
        }),
      ),
    }),
  ),
});

export type ReferenceItem = z.infer<typeof referenceTemplate>['sections'][number]['items'][number];

/** The 43 items of the reference checklist (shared/seed), in order. */
export const referenceItems: readonly ReferenceItem[] = referenceTemplate
  .parse(
    JSON.parse(
      readFileSync(new URL('../../../shared/seed/one-stop-counter.template.json', import.meta.url), 'utf8'),
    ),
  )
  .sections.flatMap((section) => section.items);

/** The app's own texts the tests look for (web/src/i18n/vi.ts). */
export const texts = {
  myVisits: 'Buổi kiểm tra của tôi',
  newVisit: 'Buổi kiểm tra mới',
  pickUnit: 'Chọn đơn vị được kiểm tra',
  searchUnit: 'Tìm đơn vị (có thể gõ không dấu)',
  startVisit: 'Bắt đầu buổi kiểm tra',
  submit: 'Gửi duyệt',
  yes: 'Có',
  no: 'Không',
  back: 'Quay lại',
  complete: 'Đã đủ để gửi',
  scoreFinal: 'Điểm (đủ tiêu chí)',
  submitQueued: 'Đã lưu yêu cầu gửi duyệt',
  submitSent: 'Đã gửi duyệt.',
} as const;

/** The demo province: its inspectors may visit any of its wards and communes. */
export const demoProvinceId = 'nghe-an';

/**
 * Polls `probe` until `accept` takes its value, or throws after `timeoutMs` with the last value.
 * (Not vitest's expect.poll: the screenshots script drives the same steps outside vitest.)
 */
export async function until<T>(
  what: string,
  probe: () => Promise<T> | T,
  accept: (value: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (accept(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(value)})`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * Signs in as an inspector of the demo province through `/local/sign-in` (the same
 * authorization code + PKCE flow as the page, without the page) and waits for the home screen
 * with the units and the template on the phone.
 */
export async function signIn(
  page: Page,
  appUrl: string,
  who: { sub: string; name: string; unitId?: string },
): Promise<void> {
  const query = new URLSearchParams({
    role: 'inspector',
    unitId: who.unitId ?? demoProvinceId,
    sub: who.sub,
    name: who.name,
  });
  await page.goto(`${appUrl}/local/sign-in?${query}`);
  await page.getByRole('heading', { name: texts.myVisits }).waitFor();
  await until(
    'the signed-in name',
    () => page.getByText(who.name).count(),
    (n) => n > 0,
  );
}

/**
 * Opens the unit picker and waits until the units and the template are on the phone (the first
 * pull after signing in), then goes back home. Returns how many units it lists.
 */
export async function waitForUnits(page: Page): Promise<number> {
  await page.getByRole('link', { name: texts.newVisit }).click();
  await page.getByRole('heading', { name: texts.pickUnit }).waitFor();
  const units = page.locator('input[type=radio][name=unit]');
  await until(
    'the units on the phone',
    () => units.count(),
    (n) => n > 0,
    30_000,
  );
  await page.locator('input[type=radio][name=template]').first().waitFor({ state: 'attached' });
  const count = await units.count();
  await page.getByRole('link', { name: texts.back }).click();
  await page.getByRole('heading', { name: texts.myVisits }).waitFor();
  return count;
}

/** Waits until the service worker controls the page (so the app opens offline). */
export async function waitForServiceWorker(page: Page): Promise<void> {
  await page.evaluate('navigator.serviceWorker.ready.then(() => true)');
  await until(
    'the service worker in control',
    () => page.evaluate('navigator.serviceWorker.controller !== null'),
    (v) => v === true,
  );
}

/** From the home screen: the unit picker, a search, the unit, the only template, start. */
export async function startVisit(page: Page, search: string, unitName: string): Promise<string> {
  await page.getByRole('link', { name: texts.newVisit }).click();
  await page.getByRole('heading', { name: texts.pickUnit }).waitFor();
  await page.getByLabel(texts.searchUnit).fill(search);
  await page.getByRole('radio', { name: unitName, exact: true }).check();
  await page.getByRole('button', { name: texts.startVisit }).click();
  await page.waitForURL(/\/visits\/[0-9a-f-]{36}$/);
  await checklist(page).waitFor();
  const visitId = /\/visits\/([0-9a-f-]{36})$/.exec(page.url())?.[1];
  if (!visitId) throw new Error(`no visit ID in ${page.url()}`);
  return visitId;
}

/** The checklist of the open visit (its first item). */
export function checklist(page: Page): Locator {
  return page.locator('[data-item]').first();
}

export function item(page: Page, code: string): Locator {
  return page.locator(`fieldset[data-item="${code}"]`);
}

/** An answer that scores full marks, or one that fails the item (yes_no "no", lowest rating). */
export async function answer(
  page: Page,
  spec: ReferenceItem,
  outcome: 'pass' | 'fail' = 'pass',
): Promise<void> {
  const box = item(page, spec.code);
  switch (spec.answer.type) {
    case 'yes_no':
      await box.getByRole('radio', { name: outcome === 'pass' ? texts.yes : texts.no, exact: true }).check();
      return;
    case 'rating': {
      const value = outcome === 'pass' ? spec.answer.max : spec.answer.min;
      await box.getByRole('radio', { name: String(value), exact: true }).check();
      return;
    }
    case 'percent':
      await box
        .getByRole('spinbutton', { name: new RegExp(`^Kết quả ${spec.code}`) })
        .fill(outcome === 'pass' ? '100' : '10');
      return;
    case 'count':
      await box
        .getByRole('spinbutton', { name: `Kết quả ${spec.code}`, exact: true })
        .fill(outcome === 'pass' ? '0' : '99');
      return;
  }
}

/** Attaches files through the item's gallery input (the camera input takes one shot). */
export async function attachPhotos(page: Page, code: string, files: PhotoFile[]): Promise<void> {
  const box = item(page, code);
  const before = await box.locator('[data-photo]').count();
  await box.locator('input[type=file][multiple]').setInputFiles(files);
  await until(
    `${files.length} more photos on ${code}`,
    () => box.locator('[data-photo]').count(),
    (n) => n === before + files.length,
    30_000,
  );
}

/** The live score the screen shows, as its `data-score` attribute (the domain's number). */
export async function shownScore(page: Page): Promise<number | null> {
  const raw = await page.locator('[data-testid=score] [data-score]').getAttribute('data-score');
  return raw === null || raw === '' ? null : Number(raw);
}

/** Items that need a photo whatever the answer (B1, D1 in the reference checklist). */
export const alwaysPhotographed = referenceItems
  .filter((spec) => spec.photo === 'required')
  .map((spec) => spec.code);

/**
 * Answers every item (all passing but `failing`), attaches one photo to each item that then
 * needs one, and waits until the score is final. Returns the items photographed.
 */
export async function fillVisit(
  page: Page,
  photos: PhotoFile[],
  failing: readonly string[] = [],
): Promise<string[]> {
  for (const spec of referenceItems) await answer(page, spec, failing.includes(spec.code) ? 'fail' : 'pass');
  const photographed = [
    ...failing.filter((code) => !alwaysPhotographed.includes(code)),
    ...alwaysPhotographed,
  ];
  for (const [index, code] of photographed.entries()) {
    const photo = photos[index];
    if (!photo) throw new Error(`${photographed.length} photos needed, ${photos.length} given`);
    await attachPhotos(page, code, [photo]);
  }
  // Every item answered: the score is final. (What is still "missing" is the photos' verification,
  // which needs the server: the phone may submit with photos pending.)
  await until(
    'a final score',
    async () => (await page.locator('[data-testid=score] .score-line').textContent()) ?? '',
    (text) => text.includes(texts.scoreFinal),
  );
  return photographed;
}
