import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { allDeps } from '#adapters/all-parts.ts';
import { DynamoExportStore } from '#adapters/dynamodb/exports.ts';
import { findingItems } from '#adapters/dynamodb/findings.ts';
import { configureDeps } from '#adapters/wiring.ts';
import { findingStatuses } from '#domain/finding.ts';
import { localDate } from '#domain/period.ts';
import { severities } from '#domain/template.ts';
import { handler as runExportWorker } from '#functions/exports/worker.ts';
import type { ExportRecord, FindingRecord, VisitRecord } from '#ports/records.ts';
import { eventSource, eventTypes } from '#routes/integration.ts';
import { invoke } from '#tests/support/invoke.ts';
import {
  batchWrite,
  finding,
  type Seeded,
  seededStorage,
  staff,
  unit,
  unitItem,
  visit,
  visitItems,
} from '#tests/support/peer-group.ts';

const today = new Date('2026-06-15T03:00:00.000Z');

const manager = staff('manager-p', 'manager', 'P');
const otherManager = staff('manager-q', 'manager', 'P');
const communeManager = staff('manager-c1', 'manager', 'C1');

const province = unit('P', 'Tỉnh Mẫu', 'province', null);
const units = {
  C1: unit('C1', 'Xã An Bình', 'commune', province),
  C2: unit('C2', 'Xã "Bình, Minh"', 'commune', province),
  W1: unit('W1', '=Phường Một', 'ward', province),
};

const findingsPerVisit = 50;
const tricky = [
  '=SUM(A1:A9)',
  '+84 912 345 678',
  '-5 điểm',
  '@quản trị',
  'Có dấu "ngoặc kép", dấu phẩy\r\nvà xuống dòng',
];

function seedVisits(): { visits: VisitRecord[]; visible: FindingRecord[]; hidden: FindingRecord[] } {
  const visits: VisitRecord[] = [];
  const visible: FindingRecord[] = [];
  const hidden: FindingRecord[] = [];
  const where = [...Array(40).fill(units.C1), ...Array(30).fill(units.C2), ...Array(10).fill(units.W1)];
  for (let v = 0; v < where.length + 2; v++) {
    const pending = v >= where.length;
    const day = String(1 + (v % 28)).padStart(2, '0');
    const month = String(1 + (v % 12)).padStart(2, '0');
    const record = visit({
      visitId: `aaaaaaaa-0000-4000-8000-${String(v).padStart(12, '0')}`,
      unit: where[v] ?? units.C1,
      inspectorId: `inspector-${v % 3}`,
      startedAt: `2026-${month}-${day}T08:30:00+07:00`,
      approvedAt: `2026-${month}-${day}T10:00:00.000Z`,
      status: pending ? 'submitted' : v % 9 === 0 ? 'revoked' : 'approved',
    });
    visits.push(record);
    for (let n = 0; n < findingsPerVisit; n++) {
      const status = findingStatuses[n % findingStatuses.length] ?? 'open';
      const made = finding(record, n % 10 === 9 ? `I${n}` : `m${n + 1}`, {
        status,
        severity: severities[n % severities.length] ?? 'low',
        dueDate: n % 2 === 0 ? '2026-03-01' : '2026-12-31',
        title: { vi: tricky[n] ?? `Tồn tại số ${n} — thiếu biển tên`, en: `Finding number ${n}` },
        sectionCode: n % 10 === 9 ? 'B' : null,
        inspectorNote: n % 7 === 0 ? 'Ghi chú; có chấm phẩy' : null,
        note: status === 'resolved' || status === 'verified' ? 'Đã khắc phục' : null,
        reason: status === 'dismissed' ? 'Trùng lặp' : null,
      });
      (pending ? hidden : visible).push(made);
    }
  }
  return { visits, visible, hidden };
}

const { visits, visible, hidden } = seedVisits();
let seeded: Seeded;

beforeAll(async () => {
  seeded = await seededStorage('exports');
  configureDeps({ clock: { now: () => today } });
  await batchWrite(seeded.store, [
    unitItem(province),
    ...Object.values(units).map(unitItem),
    ...visits.flatMap(visitItems),
    ...[...visible, ...hidden].flatMap(findingItems),
  ]);
});

/** RFC 4180, as a spreadsheet reads it: quoted cells may hold commas, quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(cell);
      cell = '';
    } else if (char === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += char;
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell]);
  return rows;
}

async function exportAndDownload(body: unknown, headers: Record<string, string> = {}) {
  const started = await invoke('createExport', { as: manager, body, headers });
  expect(started.status).toBe(202);
  const { exportId } = started.body as { exportId: string; status: string };
  expect(started.body).toEqual({ exportId, status: 'running' });
  expect(seeded.events.published.at(-1)).toEqual({ type: eventTypes.exportRequested, detail: { exportId } });

  const running = await invoke('getExport', { as: manager, params: { exportId } });
  expect(running.body).toEqual({ exportId, status: 'running' });

  await runExportWorker({
    source: eventSource,
    'detail-type': eventTypes.exportRequested,
    detail: { exportId },
  });

  const ready = await invoke('getExport', { as: manager, params: { exportId } });
  expect(ready.status).toBe(200);
  const job = ready.body as { status: string; rowCount: number; downloadUrl: string; expiresAt: string };
  expect(job.status).toBe('ready');
  const lifetime = new Date(job.expiresAt).getTime() - Date.now();
  expect(lifetime).toBeGreaterThan(0);
  expect(lifetime).toBeLessThanOrEqual(300_000);
  const download = await fetch(job.downloadUrl);
  expect(download.status).toBe(200);
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await download.arrayBuffer());
  return { exportId, job, text };
}

const severityVi = { low: 'Thấp', medium: 'Trung bình', high: 'Cao', critical: 'Nghiêm trọng' };
const statusVi = {
  open: 'Mới',
  in_progress: 'Đang khắc phục',
  resolved: 'Đã khắc phục',
  verified: 'Đã xác nhận khắc phục',
  dismissed: 'Đã bỏ qua',
};
const formula = /^[=+\-@]/;
const unitNames = new Map(Object.values(units).map((u) => [u.unitId, u.name]));
const isOverdue = (f: FindingRecord) =>
  f.dueDate < localDate(today) && (f.status === 'open' || f.status === 'in_progress');

describe('findings export', () => {
  it('writes every finding in scope as CSV with a BOM, Vietnamese headers and formula-safe cells', async () => {
    const { job, text } = await exportAndDownload({ kind: 'findings', filters: {} });
    expect(text.startsWith('\uFEFF')).toBe(true);
    const [header, ...rows] = parseCsv(text.slice(1));
    expect(header).toEqual([
      'Mã tồn tại',
      'Mã đơn vị',
      'Tên đơn vị',
      'Mục',
      'Tiêu chí',
      'Nội dung',
      'Mức độ',
      'Trạng thái',
      'Hạn khắc phục',
      'Quá hạn',
      'Mã buổi kiểm tra',
      'Ngày kiểm tra',
      'Ghi chú của kiểm tra viên',
      'Ghi chú xử lý',
      'Lý do bỏ qua',
    ]);
    expect(visible.length).toBeGreaterThanOrEqual(4_000);
    expect(job.rowCount).toBe(visible.length);
    expect(rows).toHaveLength(visible.length);

    const byId = new Map(visible.map((f) => [f.findingId, f]));
    const safe = (text: string | null) => (text === null ? '' : formula.test(text) ? `'${text}` : text);
    for (const row of rows) {
      const f = byId.get(row[0] ?? '');
      expect(f, row[0]).toBeDefined();
      if (!f) continue;
      byId.delete(f.findingId);
      expect(row).toEqual([
        f.findingId,
        f.unitId,
        safe(unitNames.get(f.unitId) ?? ''),
        f.sectionCode ?? '',
        f.itemCode ?? '',
        safe(f.title.vi),
        severityVi[f.severity],
        statusVi[f.status],
        f.dueDate,
        isOverdue(f) ? 'Có' : 'Không',
        f.visitId,
        localDate(f.periodStartedAt),
        f.inspectorNote ?? '',
        f.note ?? '',
        f.reason ?? '',
      ]);
    }
    expect(byId.size).toBe(0);
    // The raw text: formula starts are neutralised, the multi-line title stays one quoted cell.
    expect(text).toContain(",'=SUM(A1:A9),");
    expect(text).toContain(",'+84 912 345 678,");
    expect(text).toContain(',"Có dấu ""ngoặc kép"", dấu phẩy\r\nvà xuống dòng",');
  });

  it('applies the filters and writes English headers when the request preferred English', async () => {
    const filters = { unitId: 'C2', status: 'open', overdue: true };
    const { text } = await exportAndDownload(
      { kind: 'findings', filters },
      { 'accept-language': 'en-GB,en;q=0.9' },
    );
    const [header, ...rows] = parseCsv(text.slice(1));
    expect(header?.slice(0, 3)).toEqual(['Finding ID', 'Unit ID', 'Unit name']);
    const expected = visible.filter((f) => f.unitId === 'C2' && f.status === 'open' && isOverdue(f));
    expect(expected.length).toBeGreaterThan(0);
    expect(rows.map((row) => row[0]).sort()).toEqual(expected.map((f) => f.findingId).sort());
    expect(rows.every((row) => row[9] === 'Yes' && row[7] === 'Open')).toBe(true);
    expect(rows[0]?.[5]).toMatch(/^(Finding number \d+|'[=+\-@].*)$/);
  });

  it('is visible to its creator only, and honours Idempotency-Key', async () => {
    const headers = { 'idempotency-key': 'export-once' };
    const body = { kind: 'findings', filters: { period: '2026-Q1' } };
    const first = await invoke('createExport', { as: manager, body, headers });
    const count = seeded.events.published.length;
    const replay = await invoke('createExport', { as: manager, body, headers });
    expect(replay.status).toBe(202);
    expect(replay.body).toEqual(first.body);
    expect(seeded.events.published).toHaveLength(count);
    const { exportId } = first.body as { exportId: string };
    expect((await invoke('getExport', { as: otherManager, params: { exportId } })).status).toBe(404);
    expect((await invoke('getExport', { as: manager, params: { exportId } })).status).toBe(200);
    // A repeated event for a finished job changes nothing.
    await runExportWorker({ detail: { exportId } });
    const done = await invoke('getExport', { as: manager, params: { exportId } });
    await runExportWorker({ detail: { exportId } });
    const again = await invoke('getExport', { as: manager, params: { exportId } });
    expect((again.body as { rowCount: number }).rowCount).toBe((done.body as { rowCount: number }).rowCount);
  });

  it('stays failed when a late retry of its worker runs after the cutoff', async () => {
    const started = await invoke('createExport', { as: manager, body: { kind: 'findings', filters: {} } });
    const { exportId } = started.body as { exportId: string };
    // Lambda retries a timed-out run: here it starts 21 minutes after the request.
    configureDeps({ clock: { now: () => new Date(today.getTime() + 21 * 60_000) } });
    try {
      expect((await invoke('getExport', { as: manager, params: { exportId } })).body).toMatchObject({
        status: 'failed',
      });
      await runExportWorker({ detail: { exportId } });
      expect((await invoke('getExport', { as: manager, params: { exportId } })).body).toMatchObject({
        status: 'failed',
      });
    } finally {
      configureDeps({ clock: { now: () => today } });
    }
  });

  it('refuses inspectors (403), units out of scope (422), bad bodies (422); 503 when it cannot start', async () => {
    const inspector = staff('inspector-0', 'inspector', 'P');
    expect(
      (await invoke('createExport', { as: inspector, body: { kind: 'findings', filters: {} } })).status,
    ).toBe(403);
    const outside = await invoke('createExport', {
      as: communeManager,
      body: { kind: 'findings', filters: { unitId: 'C2' } },
    });
    expect(outside.status).toBe(422);
    expect(outside.body).toMatchObject({ code: 'unknown_reference', errors: [{ path: 'filters.unitId' }] });
    for (const body of [
      { kind: 'visits', filters: {} },
      { kind: 'findings', filters: { overdue: 'true' } },
      { kind: 'findings', filters: { colour: 'red' } },
      { kind: 'findings', filters: {}, status: 'ready' },
    ]) {
      expect((await invoke('createExport', { as: manager, body })).status, JSON.stringify(body)).toBe(422);
    }
    seeded.events.state.failing = true;
    const down = await invoke('createExport', { as: manager, body: { kind: 'findings', filters: {} } });
    seeded.events.state.failing = false;
    expect(down.status).toBe(503);
    expect(
      (
        await invoke('getExport', {
          as: manager,
          params: { exportId: '99999999-9999-4999-8999-999999999999' },
        })
      ).status,
    ).toBe(404);
  });

  describe('with an Idempotency-Key, when a first attempt was not remembered', () => {
    /**
     * Every export job written from now on, as stored: the real store, with the IDs of the jobs
     * it is asked to write noted on the way (exports sit on no index to list them by).
     */
    function watchJobs(): () => Promise<Array<ExportRecord | null>> {
      const real = allDeps().exports;
      const written = new Set<string>();
      configureDeps({
        exports: {
          getExport: (exportId) => real.getExport(exportId),
          saveExport: (record, expectedUpdatedAt) => {
            written.add(record.exportId);
            return real.saveExport(record, expectedUpdatedAt);
          },
        },
      });
      return () => Promise.all([...written].map((exportId) => real.getExport(exportId)));
    }
    afterEach(() => configureDeps({ exports: new DynamoExportStore(seeded.store) }));

    const announced = (from: number) =>
      seeded.events.published.slice(from).filter((event) => event.type === eventTypes.exportRequested);

    it('finds the first export on a retry after its answer could not be saved, instead of starting a second', async () => {
      const headers = { 'idempotency-key': 'export-answer-lost' };
      const jobs = watchJobs();
      const body = { kind: 'findings', filters: { period: '2026-Q3' } };
      const real = allDeps().idempotency;
      const before = seeded.events.published.length;
      // The export is stored and announced; then remembering the answer fails.
      configureDeps({
        idempotency: {
          reserve: (...args) => real.reserve(...args),
          release: (...args) => real.release(...args),
          saveResponse: async () => {
            throw new Error('injected: the answer could not be saved');
          },
        },
      });
      try {
        expect((await invoke('createExport', { as: manager, body, headers })).status).toBe(500);
      } finally {
        configureDeps({ idempotency: real });
      }
      const [first, ...others] = await jobs();
      expect(others).toEqual([]);
      expect(first?.status).toBe('running');

      const retried = await invoke('createExport', { as: manager, body, headers });
      expect([retried.status, retried.body]).toEqual([202, { exportId: first?.exportId, status: 'running' }]);
      expect((await jobs()).map((job) => job?.exportId)).toEqual([first?.exportId]);
      // Announced again (the first attempt might have died before its event went out), for the
      // same job: the worker runs it, and skips it once it is no longer running.
      expect(new Set(announced(before).map((event) => event.detail.exportId))).toEqual(
        new Set([first?.exportId]),
      );
      // This time the answer is remembered: a replay sends nothing more.
      const sent = seeded.events.published.length;
      expect((await invoke('createExport', { as: manager, body, headers })).body).toEqual(retried.body);
      expect(seeded.events.published).toHaveLength(sent);
    });

    it('leaves a finished export as it is when a retry finds it', async () => {
      const headers = { 'idempotency-key': 'export-answer-lost-then-ready' };
      const jobs = watchJobs();
      const body = { kind: 'findings', filters: { period: '2026-Q2' } };
      const real = allDeps().idempotency;
      configureDeps({
        idempotency: {
          reserve: (...args) => real.reserve(...args),
          release: (...args) => real.release(...args),
          saveResponse: async () => {
            throw new Error('injected: the answer could not be saved');
          },
        },
      });
      try {
        expect((await invoke('createExport', { as: manager, body, headers })).status).toBe(500);
      } finally {
        configureDeps({ idempotency: real });
      }
      const [job] = await jobs();
      const exportId = job?.exportId ?? '';
      await runExportWorker({ detail: { exportId } });
      const ready = await allDeps().exports.getExport(exportId);
      expect(ready?.status).toBe('ready');

      const before = seeded.events.published.length;
      const retried = await invoke('createExport', { as: manager, body, headers });
      expect([retried.status, retried.body]).toEqual([202, { exportId, status: 'running' }]);
      // Not overwritten by a fresh running job, and not announced again.
      expect(await jobs()).toEqual([ready]);
      expect(seeded.events.published).toHaveLength(before);
    });

    it('starts the same export again on a retry after the bus was down', async () => {
      const headers = { 'idempotency-key': 'export-bus-was-down' };
      const jobs = watchJobs();
      const body = { kind: 'findings', filters: { period: '2026-Q4' } };
      seeded.events.state.failing = true;
      try {
        expect((await invoke('createExport', { as: manager, body, headers })).status).toBe(503);
      } finally {
        seeded.events.state.failing = false;
      }
      const [failed, ...others] = await jobs();
      expect(others).toEqual([]);
      expect(failed?.status).toBe('failed');

      const before = seeded.events.published.length;
      const retried = await invoke('createExport', { as: manager, body, headers });
      expect([retried.status, retried.body]).toEqual([
        202,
        { exportId: failed?.exportId, status: 'running' },
      ]);
      expect((await jobs()).map((job) => [job?.exportId, job?.status, job?.error])).toEqual([
        [failed?.exportId, 'running', null],
      ]);
      expect(announced(before).map((event) => event.detail.exportId)).toEqual([failed?.exportId]);
      await runExportWorker({ detail: { exportId: failed?.exportId } });
      expect(
        (await invoke('getExport', { as: manager, params: { exportId: failed?.exportId ?? '' } })).body,
      ).toMatchObject({ status: 'ready' });
    });
  });

  describe('after a fault in the worker', () => {
    /** The bucket, failing the next `times` writes with `error`. */
    function failingWrites(error: () => Error, times = 1) {
      const real = allDeps().files;
      const state = { left: times };
      configureDeps({
        files: Object.assign(Object.create(real), {
          write: (...args: Parameters<typeof real.write>) => {
            if (state.left > 0) {
              state.left--;
              return Promise.reject(error());
            }
            return real.write(...args);
          },
        }),
      });
      return () => configureDeps({ files: real });
    }
    const timeout = () =>
      Object.assign(new Error('injected: S3 did not answer in time'), { name: 'TimeoutError' });
    const announcedIds = (from: number) =>
      seeded.events.published
        .slice(from)
        .filter((event) => event.type === eventTypes.exportRequested)
        .map((event) => event.detail.exportId);
    const job = async (exportId: string) =>
      (await invoke('getExport', { as: manager, params: { exportId } })).body as { status: string };

    it('leaves the job running on a transient fault and finishes it when the event comes again', async () => {
      const started = await invoke('createExport', {
        as: manager,
        body: { kind: 'findings', filters: { period: '2026-Q1' } },
        headers: { 'idempotency-key': 'export-transient-fault' },
      });
      const { exportId } = started.body as { exportId: string };
      const restore = failingWrites(timeout);
      try {
        // Thrown, so Lambda delivers the event again; the job is not marked failed.
        await expect(runExportWorker({ detail: { exportId } })).rejects.toThrow(/did not answer in time/);
      } finally {
        restore();
      }
      expect(await job(exportId)).toEqual({ exportId, status: 'running' });
      await runExportWorker({ detail: { exportId } });
      expect(await job(exportId)).toMatchObject({ status: 'ready' });
    });

    it('starts a failed job again on a replay of its remembered answer, once', async () => {
      const headers = { 'idempotency-key': 'export-failed-then-retried' };
      const body = { kind: 'findings', filters: { period: '2026-Q1', severity: 'high' } };
      const started = await invoke('createExport', { as: manager, body, headers });
      expect(started.status).toBe(202);
      const { exportId } = started.body as { exportId: string };
      // A fault the worker cannot tell from a permanent one: the job is marked failed.
      const restore = failingWrites(() => new Error('injected: a fault that running again would not fix'));
      try {
        await runExportWorker({ detail: { exportId } });
      } finally {
        restore();
      }
      expect(await job(exportId)).toEqual({ exportId, status: 'failed' });

      // The same request again (its answer was remembered): the same job, running again, announced.
      const before = seeded.events.published.length;
      const replay = await invoke('createExport', { as: manager, body, headers });
      expect([replay.status, replay.body]).toEqual([202, { exportId, status: 'running' }]);
      expect(await job(exportId)).toEqual({ exportId, status: 'running' });
      expect((await allDeps().exports.getExport(exportId))?.error).toBeNull();
      expect(announcedIds(before)).toEqual([exportId]);
      // While it runs, and once it is ready, a replay changes nothing and announces nothing.
      expect((await invoke('createExport', { as: manager, body, headers })).body).toEqual(replay.body);
      await runExportWorker({ detail: { exportId } });
      const ready = await allDeps().exports.getExport(exportId);
      expect(ready?.status).toBe('ready');
      expect((await invoke('createExport', { as: manager, body, headers })).body).toEqual(replay.body);
      expect(await allDeps().exports.getExport(exportId)).toEqual(ready);
      expect(announcedIds(before)).toEqual([exportId]);
    });

    it('starts a job that died with its worker again on a replay, once it is reported failed', async () => {
      const headers = { 'idempotency-key': 'export-died' };
      const body = { kind: 'findings', filters: { period: '2026-Q1', severity: 'low' } };
      const started = await invoke('createExport', { as: manager, body, headers });
      const { exportId } = started.body as { exportId: string };
      // No worker ever ran it: 21 minutes on, GET reports it failed, and the replay restarts it.
      const later = new Date(today.getTime() + 21 * 60_000);
      configureDeps({ clock: { now: () => later } });
      try {
        expect(await job(exportId)).toEqual({ exportId, status: 'failed' });
        const before = seeded.events.published.length;
        expect((await invoke('createExport', { as: manager, body, headers })).body).toEqual(started.body);
        expect(announcedIds(before)).toEqual([exportId]);
        await runExportWorker({ detail: { exportId } });
        expect(await job(exportId)).toMatchObject({ status: 'ready' });
      } finally {
        configureDeps({ clock: { now: () => today } });
      }
    });
  });
});
