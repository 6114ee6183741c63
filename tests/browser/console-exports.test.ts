/**
 * The console's exports page (issue 14): a manager at a desk exports the province's ward ranking
 * as XLSX and the high-severity findings as CSV, follows both to ready in the list of recent
 * exports, downloads them (the workbook holds one row per unit GET /v1/scores ranks, the CSV one
 * line per finding GET /v1/findings lists for the same filters), and after a reload the list is
 * still there and a download asks for a fresh link. The page passes the desk checks.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { z } from 'zod';
import { type AppServer, appServer, demoProvinceId } from './support/app-server.ts';
import { closeBrowsers, launchChromium, newDesk } from './support/browser.ts';
import { screenshotOnFailure, watchPage } from './support/failures.ts';
import { consoleTexts, signInToConsole } from './support/manager.ts';
import { deskRules, screenProblems } from './support/screen-checks.ts';

const page$ = z.object({
  items: z.array(z.looseObject({ unitId: z.string().optional() })),
  nextCursor: z.string().nullable(),
});
const rankingRows = z.object({
  items: z.array(z.object({ unitId: z.string(), rank: z.number().nullable() })),
});

let server: AppServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  server = appServer();
  browser = await launchChromium();
  page = watchPage(await (await newDesk(browser, { acceptDownloads: true })).newPage());
});

afterAll(async () => {
  await closeBrowsers();
});

screenshotOnFailure(() => page);

/** The exports page's choice of data. */
const tabs = () => page.getByRole('navigation', { name: consoleTexts.exportWhat });

/** Every finding GET /v1/findings lists for `query`, page after page. */
async function allFindings(token: string, query: Record<string, string>): Promise<number> {
  let count = 0;
  let cursor: string | null = null;
  do {
    const params = new URLSearchParams({ ...query, limit: '100', ...(cursor ? { cursor } : {}) });
    const reply = await server.call('GET', `/v1/findings?${params}`, { token });
    expect(reply.status, reply.text).toBe(200);
    const body = page$.parse(reply.body);
    count += body.items.length;
    cursor = body.nextCursor;
  } while (cursor !== null);
  return count;
}

/** Clicks the download of the export in `row` and answers the file's bytes. */
async function download(row: ReturnType<Page['locator']>): Promise<Buffer> {
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    row.getByRole('button', { name: new RegExp(`^${consoleTexts.downloadOf}`) }).click(),
  ]);
  return readFileSync((await file.path()) ?? '');
}

it('a manager exports a ranking as XLSX and findings as CSV, follows them and downloads them', async () => {
  const problems: string[] = [];
  const sub = `console-exports-${randomUUID().slice(0, 8)}`;
  const token = await server.token({ role: 'manager', unitId: demoProvinceId, sub });
  await signInToConsole(page, server.url, { sub, name: 'Lê Thị Hoa' });
  await page.getByRole('link', { name: consoleTexts.exports, exact: true }).click();
  await page.getByRole('heading', { name: consoleTexts.exports, level: 1 }).waitFor();
  await page.getByText(consoleTexts.recentEmpty).waitFor();

  // The ranking of the province's wards this year (the page's defaults), as a workbook.
  await tabs().getByRole('link', { name: consoleTexts.exportRanking, exact: true }).click();
  // The ranking's form (its peer group's fields) before its format is chosen.
  await page.getByLabel(consoleTexts.parent).waitFor();
  await page.getByLabel(consoleTexts.exportFormat).selectOption('xlsx');
  await page.getByRole('button', { name: consoleTexts.startExport }).click();
  await page.waitForURL(/export=ranking/);
  const query = new URL(page.url()).searchParams;
  expect(query.get('format')).toBe('xlsx');
  expect(query.get('parentId')).toBe(demoProvinceId);
  const rows = page.locator('table.exports tbody tr');
  await expect.poll(() => rows.count()).toBe(1);
  const rankingRow = rows.first();
  await expect.poll(() => rankingRow.getAttribute('data-status'), { timeout: 30_000 }).toBe('ready');
  const scores = await server.call(
    'GET',
    `/v1/scores?${new URLSearchParams({
      templateId: query.get('templateId') ?? '',
      period: query.get('period') ?? '',
      parentId: demoProvinceId,
      kind: 'ward',
    })}`,
    { token },
  );
  expect(scores.status, scores.text).toBe(200);
  const ranked = rankingRows.parse(scores.body).items;
  expect(ranked.length).toBeGreaterThan(0);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load((await download(rankingRow)) as unknown as ExcelJS.Buffer);
  const sheet = workbook.getWorksheet('Xếp hạng');
  expect(sheet, 'the ranking sheet').toBeDefined();
  expect((sheet?.actualRowCount ?? 0) - 1).toBe(ranked.length);
  expect(await rankingRow.locator('td.num').textContent()).toBe(String(ranked.length));
  problems.push(...(await screenProblems(page, 'exports', deskRules)));

  // The high-severity findings, as CSV: one line per finding the list has for those filters.
  await tabs().getByRole('link', { name: consoleTexts.exportFindings, exact: true }).click();
  await page.getByLabel(consoleTexts.severity).selectOption('high');
  await page.getByRole('button', { name: consoleTexts.startExport }).click();
  await expect.poll(() => rows.count()).toBe(2);
  const findingsRow = rows.first();
  await expect.poll(() => findingsRow.getAttribute('data-status'), { timeout: 30_000 }).toBe('ready');
  const csv = (await download(findingsRow)).toString('utf8');
  expect(csv.charCodeAt(0)).toBe(0xfeff);
  const listed = await allFindings(token, { severity: 'high' });
  expect(csv.split('\n').filter((line) => line.trim() !== '').length).toBe(1 + listed);
  expect(await findingsRow.locator('td.num').textContent()).toBe(String(listed));

  // A reload keeps the list; a download then asks for a fresh link and still gets the file.
  await page.reload();
  await page.getByRole('heading', { name: consoleTexts.exports, level: 1 }).waitFor();
  await expect.poll(() => rows.count()).toBe(2);
  const mark = server.mark();
  const again = new ExcelJS.Workbook();
  await again.xlsx.load((await download(rows.nth(1))) as unknown as ExcelJS.Buffer);
  expect((again.getWorksheet('Xếp hạng')?.actualRowCount ?? 0) - 1).toBe(ranked.length);
  expect(
    server.requestsSince(mark).filter((r) => r.method === 'GET' && r.url.startsWith('/v1/exports/')).length,
  ).toBeGreaterThanOrEqual(1);
  problems.push(...(await screenProblems(page, 'exports after a reload', deskRules)));

  expect(problems, 'axe and labels on the exports page').toEqual([]);
});
