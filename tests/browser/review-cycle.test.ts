/**
 * The server's word on the phone (issue 11): a 422 from the server is shown on the item it is
 * about; a visit the manager returns shows the manager's comment, opens for editing, and is
 * submitted again. Every screen on the way passes the screen checks.
 */
import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { z } from 'zod';
import { eventually } from '../e2e/support/http.ts';
import { type AppServer, appServer, demoProvinceId } from './support/app-server.ts';
import { closeBrowsers, launchChromium, newPhone } from './support/browser.ts';
import { screenshotOnFailure, watchPage } from './support/failures.ts';
import {
  answer,
  fillVisit,
  item,
  referenceItems,
  signIn,
  startVisit,
  texts,
  waitForServiceWorker,
  waitForUnits,
} from './support/inspector.ts';
import { makeJpegs, type PhotoFile } from './support/photos.ts';
import { screenProblems } from './support/screen-checks.ts';

const inspector = { sub: `browser-review-${randomUUID().slice(0, 8)}`, name: 'Trần Thị Mai' };
const unit = { id: 'cua-lo', name: 'Phường Cửa Lò', search: 'cua lo' };
const comment = 'Ảnh B1 chưa rõ bảng niêm yết; đề nghị chấm lại tiêu chí C3.';

const serverVisit = z.looseObject({
  status: z.string(),
  answers: z.array(z.looseObject({ itemCode: z.string(), value: z.unknown().optional() })),
});

let server: AppServer;
let browser: Browser;
let phone: BrowserContext;
let page: Page;
let jpegs: PhotoFile[];

beforeAll(async () => {
  server = appServer();
  browser = await launchChromium();
  jpegs = await makeJpegs(browser, 2);
  phone = await newPhone(browser);
  page = watchPage(await phone.newPage());
});

afterAll(async () => {
  await closeBrowsers();
});

screenshotOnFailure(() => page);

it('shows a 422 on its item, and a returned visit is edited and submitted again', async () => {
  const problems: string[] = [];
  await signIn(page, server.url, inspector);
  await waitForServiceWorker(page);
  await waitForUnits(page);
  const visitId = await startVisit(page, unit.search, unit.name);

  // A percentage above 100: the phone saves it and sends it; the server answers 422 on B1.
  const b1 = referenceItems.find((spec) => spec.code === 'B1');
  if (!b1) throw new Error('B1 is not in the reference checklist');
  const mark = server.mark();
  await item(page, 'B1').getByRole('spinbutton').fill('150');
  await expect
    .poll(
      () =>
        server
          .requestsSince(mark)
          .some((r) => r.method === 'PUT' && r.url === `/v1/visits/${visitId}` && r.status === 422),
      {
        timeout: 30_000,
      },
    )
    .toBe(true);
  const b1Problems = item(page, 'B1').locator('.problems li');
  await expect.poll(() => b1Problems.count(), { timeout: 15_000 }).toBeGreaterThan(0);
  expect((await b1Problems.first().textContent()) ?? '').toMatch(/^B1/);
  expect(await item(page, 'B1').getAttribute('class')).toContain('has-problem');
  problems.push(...(await screenProblems(page, 'server problem on its item')));

  // Fixed, the whole visit filled and submitted online.
  await answer(page, b1, 'pass');
  await expect.poll(() => item(page, 'B1').locator('.problems li').count(), { timeout: 30_000 }).toBe(0);
  // Submitted with items still missing: nothing is queued, and the list of what is missing (at
  // the top of the checklist, far above the button) takes the focus.
  await page.getByRole('button', { name: texts.submit, exact: true }).click();
  await expect
    .poll(() => page.evaluate<string | null>('document.activeElement && document.activeElement.id'), {
      timeout: 10_000,
    })
    .toBe('missing');
  await expect.poll(() => page.evaluate<number>('window.scrollY'), { timeout: 5_000 }).toBeLessThan(2_000);
  await fillVisit(page, jpegs);
  await page.getByRole('button', { name: texts.submit, exact: true }).click();
  const inspectorToken = await server.token({
    role: 'inspector',
    unitId: demoProvinceId,
    sub: inspector.sub,
  });
  const readVisit = async () => {
    const reply = await server.call('GET', `/v1/visits/${visitId}`, { token: inspectorToken });
    return reply.status === 200 ? serverVisit.parse(reply.body) : undefined;
  };
  await eventually(
    'the visit submitted',
    async () => ((await readVisit())?.status === 'submitted' ? true : undefined),
    60_000,
  );
  // Online, the notice never said 'when online': once the server has it, it says so.
  await page.locator('.notice').getByText(texts.submitSent).waitFor({ timeout: 30_000 });

  // The manager returns it through the API, with a comment.
  const manager = await server.token({
    role: 'manager',
    unitId: demoProvinceId,
    sub: `manager-${inspector.sub}`,
  });
  const returned = await server.call('POST', `/v1/visits/${visitId}/review`, {
    token: manager,
    body: { decision: 'return', comment },
  });
  expect(returned.status, returned.text).toBe(200);

  // The phone learns it at the next pull ("Gửi ngay" on the home screen pulls too).
  await page.getByRole('link', { name: texts.back }).click();
  await page.getByRole('button', { name: 'Gửi ngay' }).click();
  await expect
    .poll(() => page.locator(`[data-visit="${visitId}"] .badge.status-returned`).count(), { timeout: 30_000 })
    .toBe(1);
  await page.locator(`[data-visit="${visitId}"] a`).click();
  await page.getByRole('heading', { name: 'Ý kiến của người duyệt' }).waitFor();
  expect((await page.locator('blockquote').textContent()) ?? '').toBe(comment);
  problems.push(...(await screenProblems(page, 'returned visit')));

  // Edited (C3 from 5 to 4) and submitted again.
  await item(page, 'C3').getByRole('radio', { name: '4', exact: true }).check();
  await page.getByRole('button', { name: texts.submit, exact: true }).click();
  const resubmitted = await eventually(
    'the visit submitted again',
    async () => {
      const visit = await readVisit();
      return visit?.status === 'submitted' ? visit : undefined;
    },
    60_000,
  );
  expect(resubmitted.answers.find((a) => a.itemCode === 'C3')?.value).toBe(4);
  await expect
    .poll(() => page.locator('.badge.status-submitted').count(), { timeout: 30_000 })
    .toBeGreaterThan(0);

  expect(problems, 'axe, width, touch targets and labels on every screen').toEqual([]);
});
