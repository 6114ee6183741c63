/**
 * The console's units and checklists (issue 14): an admin at a desk browses the unit tree (GET
 * /v1/units by parent) down to a ward and back to the province, reads the reference checklist's
 * latest version item by item, and publishes a new version from a JSON file: a file that is not
 * JSON is refused on the desk, a file the server refuses shows every problem of its 422 at once
 * (the same paths and messages the API answers), and a good file publishes the next version. Every
 * screen passes the desk checks (axe: no serious or critical violation).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { z } from 'zod';
import { type AppServer, appServer, demoProvinceId } from './support/app-server.ts';
import { closeBrowsers, launchChromium, newDesk } from './support/browser.ts';
import { screenshotOnFailure, watchPage } from './support/failures.ts';
import { consoleTexts, signInToConsole } from './support/manager.ts';
import { deskRules, screenProblems } from './support/screen-checks.ts';

const templateId = 'one-stop-counter';
const reference = z
  .looseObject({
    sections: z.array(
      z.looseObject({ code: z.string(), items: z.array(z.looseObject({ code: z.string() })) }),
    ),
    evidence: z.looseObject({ radiusM: z.number().optional() }).optional(),
  })
  .parse(
    JSON.parse(
      readFileSync(new URL('../../shared/seed/one-stop-counter.template.json', import.meta.url), 'utf8'),
    ),
  );
const problemsReply = z.object({ errors: z.array(z.object({ path: z.string(), message: z.string() })) });
const versionReply = z.looseObject({
  version: z.number(),
  evidence: z.looseObject({ radiusM: z.number().optional() }).optional(),
});

let server: AppServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  server = appServer();
  browser = await launchChromium();
  page = watchPage(await (await newDesk(browser)).newPage());
});

afterAll(async () => {
  await closeBrowsers();
});

screenshotOnFailure(() => page);

const jsonFile = (name: string, content: string) => ({
  name,
  mimeType: 'application/json',
  buffer: Buffer.from(content, 'utf8'),
});

it('an admin browses the unit tree, reads a checklist and publishes a version from a file', async () => {
  const problems: string[] = [];
  const token = await server.token({ role: 'admin', unitId: demoProvinceId });
  await signInToConsole(page, server.url, {
    sub: `console-templates-${randomUUID().slice(0, 8)}`,
    name: 'Đinh Thị Lan',
    role: 'admin',
  });

  // The unit tree: the province open, its wards and communes listed as the API lists them.
  await page.getByRole('link', { name: consoleTexts.units, exact: true }).click();
  await page.getByRole('heading', { name: consoleTexts.units, level: 1 }).waitFor();
  const listed = await server.call('GET', `/v1/units?parentId=${demoProvinceId}&limit=100`, { token });
  expect(listed.status, listed.text).toBe(200);
  const children = z.object({ items: z.array(z.object({ unitId: z.string() })) }).parse(listed.body).items;
  expect(children.length).toBeGreaterThan(5);
  const tree = page.locator('.unit-tree');
  const shownChildren = () =>
    tree
      .locator(`li[data-unit="${demoProvinceId}"] > ul > li[data-unit]`)
      .evaluateAll((items) => items.map((item) => item.getAttribute('data-unit')));
  await expect
    .poll(async () => (await shownChildren()).sort(), { timeout: 15_000 })
    .toEqual(children.map((unit) => unit.unitId).sort());
  problems.push(...(await screenProblems(page, 'unit tree', deskRules)));
  // Its level closes and opens again with its own button.
  const toggle = tree.locator(`li[data-unit="${demoProvinceId}"] > .unit-line button`);
  expect(await toggle.getAttribute('aria-expanded')).toBe('true');
  await toggle.click();
  expect(await shownChildren()).toEqual([]);
  await toggle.click();
  expect((await shownChildren()).length).toBe(children.length);

  // A ward's page: its path back to the province, nothing under it.
  await tree.getByRole('link', { name: 'Phường Trường Vinh', exact: true }).click();
  await page.getByRole('heading', { name: 'Phường Trường Vinh', level: 1 }).waitFor();
  await page.getByText(consoleTexts.noUnitsUnder).waitFor();
  problems.push(...(await screenProblems(page, 'a unit', deskRules)));
  await page.getByRole('navigation', { name: consoleTexts.unitPath }).getByRole('link').click();
  await page.getByRole('heading', { name: 'Tỉnh Nghệ An', level: 1 }).waitFor();
  await expect
    .poll(() => page.locator('table tr[data-unit]').count(), { timeout: 15_000 })
    .toBe(children.length);

  // The checklists: the reference checklist's latest version, item by item.
  await page.getByRole('link', { name: consoleTexts.templates, exact: true }).click();
  await page.getByRole('heading', { name: consoleTexts.templates, level: 1 }).waitFor();
  const latestReply = await server.call('GET', `/v1/templates/${templateId}/versions/latest`, { token });
  const latest = versionReply.parse(latestReply.body);
  const row = page.locator(`tr[data-template="${templateId}"]`);
  expect(await row.locator('td.num').textContent()).toBe(String(latest.version));
  await row.getByRole('link', { name: consoleTexts.versionLabel(latest.version), exact: true }).click();
  await page.locator(`dl[data-template="${templateId}"][data-version="${latest.version}"]`).waitFor();
  const shownItems = await page
    .locator('tr[data-item]')
    .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-item')));
  expect(shownItems).toEqual(reference.sections.flatMap((section) => section.items.map((item) => item.code)));
  problems.push(...(await screenProblems(page, 'a checklist version', deskRules)));

  // Publishing: a file that is not JSON never leaves the desk.
  await page.getByRole('link', { name: consoleTexts.templates, exact: true }).click();
  const fileInput = page.getByLabel(consoleTexts.templateFile);
  const publish = page.getByRole('button', { name: consoleTexts.publishVersion });
  await page.getByLabel(consoleTexts.templateId).fill(templateId);
  await fileInput.setInputFiles(jsonFile('phieu.json', '{"title": '));
  const mark = server.mark();
  await publish.click();
  await page.getByRole('alert').getByText(consoleTexts.notJson).waitFor();
  expect(server.requestsSince(mark).filter((r) => r.url.includes('/versions'))).toEqual([]);

  // A file the server refuses: two sections with one code, two items with one code, a rating
  // whose minimum is above its maximum. Every problem of the 422 is on the screen at once.
  const bad = structuredClone(reference) as typeof reference & Record<string, unknown>;
  const [first, second] = bad.sections;
  if (first === undefined || second === undefined) throw new Error('the reference has two sections');
  second.code = first.code;
  const [a1, a2] = first.items;
  if (a1 === undefined || a2 === undefined) throw new Error('section A has two items');
  a2.code = a1.code;
  const rating = bad.sections
    .flatMap((section) => section.items)
    .find((item) => (item.answer as { type?: string } | undefined)?.type === 'rating');
  if (rating === undefined) throw new Error('the reference has a rating item');
  rating.answer = { type: 'rating', min: 5, max: 1 };
  const refused = await server.call('POST', `/v1/templates/${templateId}/versions`, { token, body: bad });
  expect(refused.status, refused.text).toBe(422);
  const expected = problemsReply.parse(refused.body).errors;
  expect(expected.length).toBeGreaterThanOrEqual(3);
  await fileInput.setInputFiles(jsonFile('phieu-loi.json', JSON.stringify(bad, null, 2)));
  await publish.click();
  const list = page.locator('.template-problems li[data-path]');
  await expect.poll(() => list.count(), { timeout: 15_000 }).toBe(expected.length);
  const shown = await list.evaluateAll((items) =>
    items.map((item) => ({ path: item.getAttribute('data-path'), text: item.textContent })),
  );
  expect(shown).toEqual(expected.map((e) => ({ path: e.path, text: `${e.path}: ${e.message}` })));
  expect(await page.locator('.template-problems').textContent()).toContain(
    consoleTexts.fileProblems(expected.length),
  );
  problems.push(...(await screenProblems(page, 'a refused checklist file', deskRules)));

  // A good file (the reference with a radius other than the latest's): the next version.
  const radiusM = (latest.evidence?.radiusM ?? 500) === 500 ? 510 : 500;
  const good = { ...reference, evidence: { ...reference.evidence, radiusM } };
  await fileInput.setInputFiles(jsonFile('phieu.json', JSON.stringify(good, null, 2)));
  await publish.click();
  const published = page.locator('[data-published]');
  await published.waitFor();
  expect(await published.getAttribute('data-published')).toBe(String(latest.version + 1));
  const now = versionReply.parse(
    (await server.call('GET', `/v1/templates/${templateId}/versions/latest`, { token })).body,
  );
  expect(now.version).toBe(latest.version + 1);
  expect(now.evidence?.radiusM).toBe(radiusM);
  await published.getByRole('link').click();
  await page.locator(`dl[data-template="${templateId}"][data-version="${now.version}"]`).waitFor();
  expect(await page.locator('dl.meta').textContent()).toContain(`${radiusM} m`);

  expect(problems, 'axe and labels on the units and checklists screens').toEqual([]);
});
