/**
 * Findings and ranking exports as XLSX (and the ranking as CSV), read back with exceljs as a
 * spreadsheet would read them: sheets, typed cells, the frozen and filtered header, widths.
 */
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { findingItems } from '#adapters/dynamodb/findings.ts';
import { configureDeps } from '#adapters/wiring.ts';
import { findingColumns } from '#app/exports.ts';
import { localDate } from '#domain/period.ts';
import { severities } from '#domain/template.ts';
import { handler as runExportWorker } from '#functions/exports/worker.ts';
import type { FindingRecord, VisitRecord } from '#ports/records.ts';
import { invoke } from '#tests/support/invoke.ts';
import {
  batchWrite,
  checklist,
  expectedRanking,
  finding,
  type Seeded,
  seededStorage,
  seedPeerGroup,
  staff,
  visit,
  visitItems,
} from '#tests/support/peer-group.ts';

const today = new Date('2026-06-15T03:00:00.000Z');
const manager = staff('manager-p', 'manager', 'P');
const communeManager = staff('manager-c01', 'manager', 'C01');
const ranking2026 = { templateId: checklist, period: '2026', parentId: 'P', kind: 'commune' };
const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

let seeded: Seeded;
const visits: VisitRecord[] = [];
const findings: FindingRecord[] = [];

beforeAll(async () => {
  seeded = await seededStorage('workbooks');
  configureDeps({ clock: { now: () => today } });
  const { communes } = await seedPeerGroup(seeded);
  const where = [communes.C01, communes.C02, communes.C01, communes.C03];
  where.forEach((unit, v) => {
    const record = visit({
      visitId: `cccccccc-0000-4000-8000-${String(v).padStart(12, '0')}`,
      unit,
      inspectorId: 'inspector-1',
      startedAt: `2026-0${v + 1}-1${v}T08:30:00+07:00`,
      approvedAt: `2026-0${v + 1}-1${v}T10:00:00.000Z`,
    });
    visits.push(record);
    for (let n = 0; n < 30; n++) {
      findings.push(
        finding(record, `m${n + 1}`, {
          title: {
            vi: n === 0 ? '=SUM(A1:A9)' : `Tồn tại số ${n}: thiếu biển tên, chức danh`,
            en: `Finding number ${n}`,
          },
          severity: severities[n % severities.length] ?? 'low',
          dueDate: n % 2 === 0 ? '2026-03-01' : '2026-12-31',
          inspectorNote: n % 3 === 0 ? 'Đã nhắc nhở trực tiếp.\nHẹn kiểm tra lại.' : null,
        }),
      );
    }
  });
  await batchWrite(seeded.store, [...visits.flatMap(visitItems), ...findings.flatMap(findingItems)]);
});

async function exportFile(body: unknown, headers: Record<string, string> = {}) {
  const started = await invoke('createExport', { as: manager, body, headers });
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  const { exportId } = started.body as { exportId: string };
  await runExportWorker({ detail: { exportId } });
  const ready = await invoke('getExport', { as: manager, params: { exportId } });
  const job = ready.body as { status: string; rowCount: number; downloadUrl: string };
  expect(job.status).toBe('ready');
  const download = await fetch(job.downloadUrl);
  expect(download.status).toBe(200);
  return { job, download, bytes: Buffer.from(await download.arrayBuffer()) };
}

async function readWorkbook(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  // exceljs's own types want its older Buffer type.
  await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  return workbook;
}

const rowValues = (sheet: ExcelJS.Worksheet, n: number) =>
  Array.from({ length: sheet.columnCount }, (_, i) => sheet.getRow(n).getCell(i + 1).value);

/** The wall-clock time in Vietnam of an instant, as a spreadsheet date holds it. */
const vietnamWallClock = (instant: Date) => new Date(instant.getTime() + 7 * 3600_000);

describe('findings as XLSX', () => {
  it('has a cover and a findings sheet with a frozen, filtered, Vietnamese header and typed cells', async () => {
    const { job, download, bytes } = await exportFile({ kind: 'findings', format: 'xlsx', filters: {} });
    expect(download.headers.get('content-disposition')).toMatch(/findings-2026-06-15-.{8}\.xlsx/);
    expect(download.headers.get('content-type')).toBe(xlsxType);
    expect(job.rowCount).toBe(findings.length);
    const workbook = await readWorkbook(bytes);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['Thông tin', 'Tồn tại, hạn chế']);
    const [cover, sheet] = workbook.worksheets;
    if (!cover || !sheet) throw new Error('sheets missing');

    expect(cover.getCell('A1').value).toBe('Danh sách tồn tại, hạn chế');
    expect(cover.getCell('A2').value).toBe('Thời điểm xuất (giờ Việt Nam)');
    expect(cover.getCell('B2').value).toEqual(vietnamWallClock(today));
    expect(cover.getCell('B2').numFmt).toBe('dd/mm/yyyy hh:mm');
    expect(cover.getCell('B3').value).toBe(manager.sub);
    expect(cover.getCell('B5').value).toBe('Không có (mọi tồn tại trong phạm vi)');

    expect(rowValues(sheet, 1)).toEqual(findingColumns.vi);
    expect(sheet.getRow(1).font?.bold).toBe(true);
    expect(sheet.views).toMatchObject([{ state: 'frozen', ySplit: 1 }]);
    expect(sheet.autoFilter).toBe('A1:O1');
    expect(sheet.columns.map((column) => column.width)).toEqual([
      44, 16, 30, 8, 10, 60, 14, 22, 14, 10, 38, 14, 40, 40, 30,
    ]);
    expect(sheet.rowCount).toBe(findings.length + 1);

    const byId = new Map(findings.map((f) => [f.findingId, f]));
    for (let n = 2; n <= sheet.rowCount; n++) {
      const row = sheet.getRow(n);
      const f = byId.get(String(row.getCell(1).value));
      if (!f) throw new Error(`row ${n}: unknown finding ${String(row.getCell(1).value)}`);
      byId.delete(f.findingId);
      expect(row.getCell(6).value).toBe(f.title.vi);
      // Dates are dates (the day itself, as a spreadsheet has no time zone), shown as dd/mm/yyyy.
      expect(row.getCell(9).value).toEqual(new Date(`${f.dueDate}T00:00:00.000Z`));
      expect(row.getCell(9).numFmt).toBe('dd/mm/yyyy');
      expect(row.getCell(12).value).toEqual(new Date(`${localDate(f.periodStartedAt)}T00:00:00.000Z`));
      expect(row.getCell(10).value).toBe(f.dueDate < '2026-06-15' ? 'Có' : 'Không');
      expect(row.getCell(13).value).toBe(f.inspectorNote);
    }
    expect(byId.size).toBe(0);

    // A text that looks like a formula stays a text cell: no spreadsheet runs it.
    const formulaLike = sheet.getColumn(6).values.indexOf('=SUM(A1:A9)');
    expect(formulaLike).toBeGreaterThan(1);
    expect(sheet.getRow(formulaLike).getCell(6).type).toBe(ExcelJS.ValueType.String);
  });

  it('writes English sheets and lists the filters on the cover when asked in English', async () => {
    const { bytes, job } = await exportFile(
      { kind: 'findings', format: 'xlsx', filters: { unitId: 'C01', severity: 'high', overdue: true } },
      { 'accept-language': 'en' },
    );
    const expected = findings.filter(
      (f) => f.unitId === 'C01' && f.severity === 'high' && f.dueDate < '2026-06-15',
    );
    expect(expected.length).toBeGreaterThan(0);
    expect(job.rowCount).toBe(expected.length);
    const workbook = await readWorkbook(bytes);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['About', 'Findings']);
    const [cover, sheet] = workbook.worksheets;
    if (!cover || !sheet) throw new Error('sheets missing');
    expect(rowValues(cover, 6)).toEqual(['Unit (and the units under it)', 'Xã Đông Hòa (C01)']);
    expect(rowValues(cover, 7)).toEqual(['Severity', 'High']);
    expect(rowValues(cover, 8)).toEqual(['Overdue findings only', 'Yes']);
    expect(rowValues(sheet, 1)).toEqual(findingColumns.en);
    expect(sheet.rowCount).toBe(expected.length + 1);
    expect(sheet.getRow(2).getCell(7).value).toBe('High');
  });
});

describe('ranking exports', () => {
  it('writes the peer group as GET /v1/scores ranks it, as CSV with Vietnamese headers', async () => {
    const { bytes, job, download } = await exportFile({ kind: 'ranking', filters: ranking2026 });
    expect(download.headers.get('content-disposition')).toMatch(/ranking-2026-06-15-.{8}\.csv/);
    expect(job.rowCount).toBe(expectedRanking.length);
    const text = bytes.toString('utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    const lines = text.slice(1).trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'Hạng,Mã đơn vị,Mã hành chính,Tên đơn vị,Điểm,Mã xếp loại,Xếp loại,Số buổi kiểm tra,A. Phần A (%),B. Phần B (%),C. Phần C (%)',
    );
    expect(lines.slice(1).map((line) => line.split(',').slice(0, 2))).toEqual(
      expectedRanking.map(([unitId, rank]) => [rank === null ? '' : String(rank), unitId]),
    );
    expect(lines[1]).toBe('1,C01,30001,Xã Đông Hòa,91,XS,Xuất sắc,1,95,87,');
  });

  it('writes the ranking as XLSX with numbers as numbers, in English on request', async () => {
    const { bytes } = await exportFile(
      { kind: 'ranking', format: 'xlsx', filters: ranking2026 },
      { 'accept-language': 'en' },
    );
    const workbook = await readWorkbook(bytes);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['About', 'Ranking']);
    const [cover, sheet] = workbook.worksheets;
    if (!cover || !sheet) throw new Error('sheets missing');
    expect(cover.getCell('A1').value).toBe('Ranking: One-stop counter checklist');
    expect(rowValues(cover, 6)).toEqual(['Template', 'One-stop counter checklist (checklist)']);
    expect(rowValues(cover, 8)).toEqual(['Parent unit', 'Tỉnh Mẫu (P)']);
    expect(rowValues(cover, 9)).toEqual(['Kind of unit', 'Commune']);
    expect(rowValues(sheet, 1)).toEqual([
      'Rank',
      'Unit ID',
      'Official code',
      'Unit name',
      'Score',
      'Band code',
      'Band',
      'Visits',
      'A. Section A (%)',
      'B. Section B (%)',
      'C. Section C (%)',
    ]);
    expect(sheet.autoFilter).toBe('A1:K1');
    expect(sheet.rowCount).toBe(expectedRanking.length + 1);
    expectedRanking.forEach(([unitId, rank, score, band], i) => {
      const row = sheet.getRow(i + 2);
      expect(row.getCell(2).value).toBe(unitId);
      expect(row.getCell(1).value).toBe(rank);
      expect(row.getCell(5).value).toBe(score);
      expect(row.getCell(6).value).toBe(band);
    });
    const c09 = sheet.getRow(5);
    expect(c09.getCell(5).type).toBe(ExcelJS.ValueType.Number);
    expect(c09.getCell(5).numFmt).toBe('0.00');
    expect(c09.getCell(9).value).toBe(82.75);
    expect(c09.getCell(8).value).toBe(2);
  });

  it('refuses a parent out of scope, an unknown template and an unknown format (422)', async () => {
    const outside = await invoke('createExport', {
      as: communeManager,
      body: { kind: 'ranking', format: 'xlsx', filters: ranking2026 },
    });
    expect(outside.status).toBe(422);
    expect(outside.body).toMatchObject({ code: 'unknown_reference', errors: [{ path: 'filters.parentId' }] });
    const noTemplate = await invoke('createExport', {
      as: manager,
      body: { kind: 'ranking', filters: { ...ranking2026, templateId: 'no-such-checklist' } },
    });
    expect(noTemplate.status).toBe(422);
    expect(noTemplate.body).toMatchObject({
      code: 'unknown_reference',
      errors: [{ path: 'filters.templateId' }],
    });
    for (const body of [
      { kind: 'findings', format: 'pdf', filters: {} },
      { kind: 'ranking', filters: { ...ranking2026, kind: undefined } },
      { kind: 'ranking', filters: { ...ranking2026, unitId: 'P' } },
    ]) {
      const res = await invoke('createExport', { as: manager, body });
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.body).toMatchObject({ code: 'validation_failed' });
    }
  });
});
