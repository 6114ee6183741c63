import { beforeAll, describe, expect, it } from 'vitest';
import { configureDeps } from '#adapters/wiring.ts';
import type { FindingRecord, VisitRecord } from '#ports/records.ts';
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
} from '#tests/support/peer-group.ts';

// Pinned "today" (Asia/Ho_Chi_Minh 2026-06-15): overdue is decided against it. The clock ticks a
// second per reading so audit entries keep their order.
const today = new Date('2026-06-15T03:00:00.000Z');
const ticks = { count: 0 };
const clock = { now: () => new Date(today.getTime() + 1000 * ticks.count++) };

const province = unit('P', 'Tỉnh Mẫu', 'province', null);
const district = unit('D1', 'Huyện Cũ', 'district', province);
const commune1 = unit('C1', 'Xã An Bình', 'commune', district);
const commune2 = unit('C2', 'Xã Bình Minh', 'commune', district);
const ward = unit('W3', 'Phường Đông', 'ward', province);

const managerP = staff('manager-p', 'manager', 'P');
const managerC1 = staff('manager-c1', 'manager', 'C1');
const inspector1 = staff('inspector-1', 'inspector', 'P');
const inspector2 = staff('inspector-2', 'inspector', 'P');

const v1 = visit({
  visitId: '11111111-1111-4111-8111-111111111111',
  unit: commune1,
  inspectorId: inspector1.sub,
  startedAt: '2026-02-10T03:00:00+07:00',
  approvedAt: '2026-02-12T02:00:00.000Z',
});
const v2 = visit({
  visitId: '22222222-2222-4222-8222-222222222222',
  unit: commune2,
  inspectorId: inspector2.sub,
  startedAt: '2026-05-05T08:00:00+07:00',
  approvedAt: '2026-05-06T02:00:00.000Z',
});
const v3 = visit({
  visitId: '33333333-3333-4333-8333-333333333333',
  unit: ward,
  inspectorId: inspector1.sub,
  startedAt: '2025-11-01T08:00:00+07:00',
  approvedAt: '2025-11-03T02:00:00.000Z',
  status: 'revoked',
});
// An approval that began (findings written) but never committed.
const pending = visit({
  visitId: '44444444-4444-4444-8444-444444444444',
  unit: commune1,
  inspectorId: inspector1.sub,
  startedAt: '2026-03-01T08:00:00+07:00',
  approvedAt: '2026-03-02T02:00:00.000Z',
  status: 'submitted',
});
// Approved, but this finding was left by an earlier approval attempt at another instant.
const v5 = visit({
  visitId: '55555555-5555-4555-8555-555555555555',
  unit: commune1,
  inspectorId: inspector1.sub,
  startedAt: '2026-04-01T08:00:00+07:00',
  approvedAt: '2026-04-03T02:00:00.000Z',
});

const visible: FindingRecord[] = [
  finding(v1, 'A1', { status: 'open', dueDate: '2026-03-01', severity: 'high', sectionCode: 'A' }),
  finding(v1, 'A2', { status: 'in_progress', dueDate: '2026-12-31', sectionCode: 'A' }),
  finding(v1, 'm1', { status: 'resolved', dueDate: '2026-01-15', note: 'Đã sửa', sectionCode: null }),
  finding(v2, 'B1', { status: 'open', dueDate: '2026-03-01', severity: 'critical', sectionCode: 'B' }),
  finding(v2, 'B2', { status: 'dismissed', reason: 'Trùng lặp', sectionCode: 'B' }),
  finding(v3, 'C1', { status: 'dismissed', reason: 'Thu hồi', sectionCode: 'C' }),
];
const hidden: FindingRecord[] = [
  finding(pending, 'A1', { status: 'open', dueDate: '2026-03-01' }),
  finding(v5, 'A1', { status: 'open', dueDate: '2026-03-01', createdAt: '2026-04-02T02:00:00.000Z' }),
];

const ids = (body: unknown) =>
  ((body as { items: Array<{ findingId: string }> }).items ?? []).map((f) => f.findingId).sort();
const idsOf = (records: FindingRecord[]) => records.map((f) => f.findingId).sort();

let seeded: Seeded;

beforeAll(async () => {
  seeded = await seededStorage('findings');
  configureDeps({ clock });
  await batchWrite(seeded.store, [province, district, commune1, commune2, ward].map(unitItem));
  for (const v of [v1, v2, v3, pending, v5]) await seeded.visits.saveVisit(v, null, []);
  await seeded.findings.putFindings([...visible, ...hidden]);
});

describe('GET /v1/findings', () => {
  it('lists only findings whose approval committed, newest visit first', async () => {
    const res = await invoke('listFindings', { as: managerP });
    expect(res.status).toBe(200);
    expect(ids(res.body)).toEqual(idsOf(visible));
    const body = res.body as { items: Array<{ visitId: string; overdue: boolean }> };
    const order = body.items.map((f) => f.visitId);
    expect(order.indexOf(v2.visitId)).toBeLessThan(order.indexOf(v1.visitId));
    expect(order.indexOf(v1.visitId)).toBeLessThan(order.indexOf(v3.visitId));
    expect(body.items[0]).not.toHaveProperty('unitPath');
  });

  it('selects a whole subtree by unitId', async () => {
    const district = await invoke('listFindings', { as: managerP, query: { unitId: 'D1' } });
    expect(ids(district.body)).toEqual(idsOf(visible.filter((f) => f.visitId !== v3.visitId)));
    const commune = await invoke('listFindings', { as: managerP, query: { unitId: 'C1' } });
    expect(ids(commune.body)).toEqual(idsOf(visible.filter((f) => f.visitId === v1.visitId)));
  });

  it('filters by the period of the visit start, status, severity and section', async () => {
    const q1 = await invoke('listFindings', { as: managerP, query: { period: '2026-Q1' } });
    expect(ids(q1.body)).toEqual(idsOf(visible.filter((f) => f.visitId === v1.visitId)));
    const year2025 = await invoke('listFindings', { as: managerP, query: { period: '2025' } });
    expect(ids(year2025.body)).toEqual([`${v3.visitId}.C1`]);
    const open = await invoke('listFindings', { as: managerP, query: { status: 'open' } });
    expect(ids(open.body)).toEqual([`${v1.visitId}.A1`, `${v2.visitId}.B1`].sort());
    const critical = await invoke('listFindings', { as: managerP, query: { severity: 'critical' } });
    expect(ids(critical.body)).toEqual([`${v2.visitId}.B1`]);
    const sectionB = await invoke('listFindings', { as: managerP, query: { sectionCode: 'B' } });
    expect(ids(sectionB.body)).toEqual([`${v2.visitId}.B1`, `${v2.visitId}.B2`].sort());
  });

  it('overdue=true keeps findings past due and still open or in progress; false keeps the rest', async () => {
    const overdue = await invoke('listFindings', { as: managerP, query: { overdue: 'true' } });
    expect(ids(overdue.body)).toEqual([`${v1.visitId}.A1`, `${v2.visitId}.B1`].sort());
    expect((overdue.body as { items: Array<{ overdue: boolean }> }).items.every((f) => f.overdue)).toBe(true);
    const inCommune = await invoke('listFindings', {
      as: managerP,
      query: { overdue: 'true', unitId: 'C1' },
    });
    expect(ids(inCommune.body)).toEqual([`${v1.visitId}.A1`]);
    const inPeriod = await invoke('listFindings', {
      as: managerP,
      query: { overdue: 'true', period: '2026-Q2' },
    });
    expect(ids(inPeriod.body)).toEqual([`${v2.visitId}.B1`]);
    const notOverdue = await invoke('listFindings', { as: managerP, query: { overdue: 'false' } });
    expect(ids(notOverdue.body)).toEqual(
      idsOf(visible.filter((f) => ![`${v1.visitId}.A1`, `${v2.visitId}.B1`].includes(f.findingId))),
    );
  });

  it('pages with an opaque cursor, never repeating or losing a finding', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: Record<string, string> = { limit: '2', ...(cursor ? { cursor } : {}) };
      const res = await invoke('listFindings', { as: managerP, query });
      expect(res.status).toBe(200);
      const body = res.body as { items: Array<{ findingId: string }>; nextCursor: string | null };
      expect(body.items.length).toBeLessThanOrEqual(2);
      seen.push(...body.items.map((f) => f.findingId));
      cursor = body.nextCursor;
      pages++;
    } while (cursor !== null && pages < 20);
    expect(seen.sort()).toEqual(idsOf(visible));
    expect(pages).toBeGreaterThanOrEqual(3);
  });

  it('keeps a visit read on the previous page when the export worker trims its visit cache', async () => {
    // Regression found by bench/export-memory.ts: the cache was cleared after deciding which
    // visits to read, dropping findings of a visit cached on the page before.
    const { allDeps } = await import('#adapters/all-parts.ts');
    const { listFindings, visitCacheLimit } = await import('#app/findings.ts');
    const cache = new Map<string, VisitRecord | null>([
      [v1.visitId, v1],
      [v2.visitId, v2],
      [v3.visitId, v3],
    ]);
    for (let i = 0; i <= visitCacheLimit; i++) cache.set(`unrelated-${i}`, null);
    const page = await listFindings(
      allDeps(),
      { ...managerP, name: null },
      {},
      { limit: 100, cursor: null },
      { visitCache: cache },
    );
    expect(page.items.map((f) => f.findingId).sort()).toEqual(idsOf(visible));
    expect(cache.size).toBeLessThanOrEqual(visitCacheLimit);
  });

  it('shows inspectors the findings of their own visits only', async () => {
    const mine = await invoke('listFindings', { as: inspector1 });
    expect(ids(mine.body)).toEqual(idsOf(visible.filter((f) => f.inspectorId === inspector1.sub)));
    const theirs = await invoke('listFindings', { as: inspector2 });
    expect(ids(theirs.body)).toEqual(idsOf(visible.filter((f) => f.inspectorId === inspector2.sub)));
  });

  it('answers 404 for a unit outside the jurisdiction and 422 for bad filters', async () => {
    const outside = await invoke('listFindings', { as: managerC1, query: { unitId: 'D1' } });
    expect(outside.status).toBe(404);
    const own = await invoke('listFindings', { as: managerC1 });
    expect(ids(own.body)).toEqual(idsOf(visible.filter((f) => f.unitId === 'C1')));
    const invalid: Array<Record<string, string>> = [
      { limit: '0' },
      { period: '2026-Q5' },
      { overdue: 'yes' },
      { colour: 'red' },
    ];
    for (const query of invalid) {
      const res = await invoke('listFindings', { as: managerP, query });
      expect(res.status, JSON.stringify(query)).toBe(422);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
  });
});

describe('GET /v1/findings/{findingId}', () => {
  it('answers the finding with its etag and history', async () => {
    const res = await invoke('getFinding', { as: managerP, params: { findingId: `${v2.visitId}.B1` } });
    expect(res.status).toBe(200);
    expect(res.etag).toBe((res.body as { etag: string }).etag);
    expect(res.body).toMatchObject({
      findingId: `${v2.visitId}.B1`,
      status: 'open',
      overdue: true,
      history: [],
    });
  });

  it('accepts the visit part in upper case', async () => {
    const res = await invoke('getFinding', {
      as: managerP,
      params: { findingId: `${v2.visitId.toUpperCase()}.B1` },
    });
    expect(res.status).toBe(200);
  });

  it('answers 404 out of scope, to other inspectors and before the approval committed', async () => {
    const cases = [
      { as: managerC1, findingId: `${v2.visitId}.B1` },
      { as: inspector2, findingId: `${v1.visitId}.A1` },
      { as: managerP, findingId: `${pending.visitId}.A1` },
      { as: managerP, findingId: `${v5.visitId}.A1` },
      { as: managerP, findingId: `${v1.visitId}.Z9` },
    ];
    for (const { as, findingId } of cases) {
      const res = await invoke('getFinding', { as, params: { findingId } });
      expect(res.status, findingId).toBe(404);
    }
    const malformed = await invoke('getFinding', { as: managerP, params: { findingId: 'nope' } });
    expect(malformed.status).toBe(422);
  });
});

describe('PATCH /v1/findings/{findingId}', () => {
  const findingId = `${v1.visitId}.A1`;

  it('walks the lifecycle under If-Match, with an audit entry per change', async () => {
    const first = await invoke('getFinding', { as: managerP, params: { findingId } });
    const etag0 = first.etag ?? '';

    const missing = await invoke('patchFinding', {
      as: managerP,
      params: { findingId },
      body: { status: 'in_progress' },
    });
    expect(missing.status).toBe(428);

    const stale = await invoke('patchFinding', {
      as: managerP,
      params: { findingId },
      body: { status: 'in_progress' },
      headers: { 'if-match': '"not-the-etag"' },
    });
    expect(stale.status).toBe(412);
    expect(stale.body).toMatchObject({ code: 'precondition_failed', current: { findingId, etag: etag0 } });

    const started = await invoke('patchFinding', {
      as: managerP,
      params: { findingId },
      body: { status: 'in_progress', note: 'Đang sửa biển tên' },
      headers: { 'if-match': `"${etag0}"` },
    });
    expect(started.status).toBe(200);
    expect(started.body).toMatchObject({ status: 'in_progress', note: 'Đang sửa biển tên', overdue: true });
    expect(started.etag).not.toBe(etag0);

    const noNote = await invoke('patchFinding', {
      as: managerP,
      params: { findingId },
      body: { status: 'resolved' },
      headers: { 'if-match': `"${started.etag}"` },
    });
    expect(noNote.status).toBe(422);
    expect(noNote.body).toMatchObject({ code: 'validation_failed', errors: [{ path: 'note' }] });

    const resolved = await invoke('patchFinding', {
      as: managerP,
      params: { findingId },
      body: { status: 'resolved', note: 'Đã thay biển tên mới' },
      headers: { 'if-match': `"${started.etag}"`, 'accept-language': 'en' },
    });
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({ status: 'resolved', overdue: false });

    const verified = await invoke('patchFinding', {
      as: managerP,
      params: { findingId },
      body: { status: 'verified' },
      headers: { 'if-match': `"${resolved.etag}"` },
    });
    expect(verified.status).toBe(200);

    const afterVerified = await invoke('patchFinding', {
      as: managerP,
      params: { findingId },
      body: { status: 'dismissed', reason: 'Muộn' },
      headers: { 'if-match': `"${verified.etag}"` },
    });
    expect(afterVerified.status).toBe(409);
    expect(afterVerified.body).toMatchObject({ code: 'invalid_state' });

    const read = await invoke('getFinding', { as: managerP, params: { findingId } });
    const history = (
      read.body as { history: Array<{ action: string; from: string; to: string; by: string }> }
    ).history;
    expect(history.map((h) => [h.from, h.to])).toEqual([
      ['open', 'in_progress'],
      ['in_progress', 'resolved'],
      ['resolved', 'verified'],
    ]);
    expect(history.every((h) => h.by === managerP.sub)).toBe(true);

    const overdue = await invoke('listFindings', { as: managerP, query: { overdue: 'true' } });
    expect(ids(overdue.body)).toEqual([`${v2.visitId}.B1`]);
  });

  it('moves the due date and dismisses with a reason', async () => {
    const target = `${v2.visitId}.B1`;
    const read = await invoke('getFinding', { as: managerP, params: { findingId: target } });
    const moved = await invoke('patchFinding', {
      as: managerP,
      params: { findingId: target },
      body: { dueDate: '2026-09-30' },
      headers: { 'if-match': `"${read.etag}"` },
    });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ dueDate: '2026-09-30', overdue: false });
    const dismissed = await invoke('patchFinding', {
      as: managerP,
      params: { findingId: target },
      body: { status: 'dismissed', reason: 'Đơn vị đã sáp nhập' },
      headers: { 'if-match': `"${moved.etag}"` },
    });
    expect(dismissed.body).toMatchObject({ status: 'dismissed', reason: 'Đơn vị đã sáp nhập' });
    const history = (dismissed.body as { history: Array<{ action: string; reason: string | null }> }).history;
    expect(history.map((h) => h.action)).toEqual(['due_date', 'status']);
    expect(history[1]?.reason).toBe('Đơn vị đã sáp nhập');
  });

  it('refuses inspectors (403), callers out of scope (404) and unknown fields (422)', async () => {
    const target = `${v1.visitId}.A2`;
    const read = await invoke('getFinding', { as: managerP, params: { findingId: target } });
    const ifMatch = { 'if-match': `"${read.etag}"` };
    const byInspector = await invoke('patchFinding', {
      as: inspector1,
      params: { findingId: target },
      body: { note: 'x' },
      headers: ifMatch,
    });
    expect(byInspector.status).toBe(403);
    const outside = await invoke('patchFinding', {
      as: staff('manager-c2', 'manager', 'C2'),
      params: { findingId: target },
      body: { note: 'x' },
      headers: ifMatch,
    });
    expect(outside.status).toBe(404);
    const unknown = await invoke('patchFinding', {
      as: managerP,
      params: { findingId: target },
      body: { note: 'x', etag: 'mine' },
      headers: ifMatch,
    });
    expect(unknown.status).toBe(422);
    const empty = await invoke('patchFinding', {
      as: managerP,
      params: { findingId: target },
      body: {},
      headers: ifMatch,
    });
    expect(empty.status).toBe(422);
  });
});
