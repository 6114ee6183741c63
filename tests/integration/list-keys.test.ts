/**
 * Every list reads a key built for it (issue 12, target 1): the review queue, an inspector's own
 * visits, a subtree's overdue findings and a manager's publications are each one Query per page
 * whose items all belong to the answer (ScannedCount = Count: no filter threw anything away),
 * in a province where most items belong to other lists.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { findingItems } from '#adapters/dynamodb/findings.ts';
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
  visitItems,
} from '#tests/support/peer-group.ts';

const province = unit('P', 'Tỉnh Thử', 'province', null);
const c1 = unit('C1', 'Xã Một', 'commune', province);
const c2 = unit('C2', 'Xã Hai', 'commune', province);
const today = new Date('2026-06-15T03:00:00.000Z');

interface QueryRead {
  index: string | undefined;
  count: number;
  scanned: number;
}
let reads: QueryRead[] = [];
let seeded: Seeded;
const visits: VisitRecord[] = [];
const findings: FindingRecord[] = [];

const id = (n: number) => `bbbbbbbb-0000-4000-8000-${String(n).padStart(12, '0')}`;

beforeAll(async () => {
  seeded = await seededStorage('listkeys');
  configureDeps({ clock: { now: () => today } });
  // 120 visits: a few submitted (the queue), most approved; two templates; four inspectors.
  for (let n = 0; n < 120; n++) {
    const status = n % 10 === 0 ? 'submitted' : n % 17 === 0 ? 'revoked' : 'approved';
    const record = visit({
      visitId: id(n),
      unit: n % 3 === 0 ? c2 : c1,
      inspectorId: `inspector-${n % 4}`,
      startedAt: `2026-${String(1 + (n % 5)).padStart(2, '0')}-${String(1 + (n % 27)).padStart(2, '0')}T08:00:00+07:00`,
      approvedAt: '2026-06-01T03:00:00.000Z',
      status,
      templateId: n % 20 === 0 ? 'other-checklist' : 'checklist',
    });
    visits.push(record);
    if (status !== 'submitted') {
      // Most findings are closed; a few stay open, some of them overdue.
      for (let k = 0; k < 4; k++) {
        const open = (n + k) % 11 === 0;
        findings.push(
          finding(record, `A${k}`, {
            status: open ? 'open' : k % 2 ? 'resolved' : 'verified',
            dueDate: (n + k) % 2 ? '2026-03-01' : '2026-12-31',
          }),
        );
      }
    }
  }
  await batchWrite(seeded.store, [
    unitItem(province),
    unitItem(c1),
    unitItem(c2),
    ...visits.flatMap((v) => visitItems(v)),
    ...findings.flatMap((f) => findingItems(f)),
  ]);
  seeded.documents.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      if (context.commandName === 'QueryCommand') {
        const output = result.output as { Count?: number; ScannedCount?: number };
        const input = args.input as { IndexName?: string };
        reads.push({ index: input.IndexName, count: output.Count ?? 0, scanned: output.ScannedCount ?? 0 });
      }
      return result;
    },
    { step: 'initialize', name: 'countQueryReads' },
  );
});

function expectOnlyKeptReads() {
  expect(reads.length).toBeGreaterThan(0);
  for (const read of reads) expect(read, JSON.stringify(read)).toMatchObject({ scanned: read.count });
}

describe('lists on keys built for them', () => {
  it('reads the review queue of a subtree, one template, oldest first, from its status entries', async () => {
    for (const [unitId, depth] of [
      ['P', 0],
      ['C1', 1],
    ] as const) {
      reads = [];
      const expected = visits
        .filter(
          (v) => v.status === 'submitted' && v.templateId === 'checklist' && v.unitPath.includes(unitId),
        )
        .sort(
          (a, b) =>
            new Date(a.startedAt).getTime() - new Date(b.startedAt).getTime() ||
            (a.visitId < b.visitId ? -1 : 1),
        );
      expect(expected.length).toBeGreaterThan(1);
      const page = await seeded.visits.listVisits(
        { unitId, depth, status: 'submitted', templateId: 'checklist', order: 'oldest' },
        { limit: 50, cursor: null },
      );
      expect(page.items.map((v) => v.visitId)).toEqual(expected.map((v) => v.visitId));
      expect(reads).toEqual([{ index: `tree${depth}`, count: expected.length, scanned: expected.length }]);
    }
  });

  it('pages the queue of every template with a cursor, still reading only queued visits', async () => {
    reads = [];
    const expected = visits.filter((v) => v.status === 'submitted').length;
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await seeded.visits.listVisits(
        { unitId: 'P', depth: 0, status: 'submitted', order: 'oldest' },
        { limit: 5, cursor },
      );
      seen.push(...page.items.map((v) => v.visitId));
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(expected);
    expectOnlyKeptReads();
  });

  it("reads an inspector's own visits from the inspector's partition, newest first, within a period", async () => {
    reads = [];
    const expected = visits
      .filter((v) => v.inspectorId === 'inspector-1' && v.startedAt.startsWith('2026-02'))
      .sort(
        (a, b) =>
          new Date(b.startedAt).getTime() - new Date(a.startedAt).getTime() ||
          (a.visitId < b.visitId ? 1 : -1),
      );
    const page = await seeded.visits.listVisits(
      {
        unitId: 'P',
        depth: 0,
        inspectorId: 'inspector-1',
        from: '2026-01-31T17:00:00.000Z',
        to: '2026-02-28T16:59:59.999Z',
      },
      { limit: 100, cursor: null },
    );
    expect(page.items.map((v) => v.visitId)).toEqual(expected.map((v) => v.visitId));
    expect(reads).toEqual([{ index: 'gsi1', count: expected.length, scanned: expected.length }]);
  });

  it("reads a commune's overdue findings from its open entries, by due date", async () => {
    reads = [];
    const expected = findings.filter(
      (f) => f.unitPath.includes('C2') && f.status === 'open' && f.dueDate < '2026-06-15',
    );
    expect(expected.length).toBeGreaterThan(0);
    const page = await seeded.findings.listFindings(
      { unitId: 'C2', depth: 1, rootUnitId: 'P', overdueOn: '2026-06-15' },
      { limit: 100, cursor: null },
    );
    expect(page.items.map((f) => f.findingId).sort()).toEqual(expected.map((f) => f.findingId).sort());
    expect(reads).toEqual([{ index: 'tree1', count: expected.length, scanned: expected.length }]);
  });

  it('moves a finding on the open list when its due date changes, and takes it off when it closes', async () => {
    const [rescheduled, resolvedOne] = findings.filter(
      (f) => f.unitId === 'C2' && f.status === 'open' && f.dueDate === '2026-03-01',
    );
    if (!rescheduled || !resolvedOne) return expect.fail('the seed has two overdue open findings in C2');
    const manager = staff('manager-p', 'manager', 'P');
    const patch = async (f: FindingRecord, body: object) => {
      const answer = await invoke('patchFinding', {
        as: manager,
        params: { findingId: f.findingId },
        headers: { 'if-match': `"${f.etag}"` },
        body,
      });
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    };
    await patch(rescheduled, { status: 'in_progress', dueDate: '2026-12-30' });
    await patch(resolvedOne, { status: 'dismissed', reason: 'Trùng với tồn tại khác' });
    const openBy = async (day: string) =>
      (
        await seeded.findings.listFindings(
          { unitId: 'C2', depth: 1, rootUnitId: 'P', overdueOn: day },
          { limit: 100, cursor: null },
        )
      ).items.map((f) => f.findingId);
    const overdueNow = await openBy('2026-06-15');
    expect(overdueNow).not.toContain(rescheduled.findingId);
    expect(overdueNow).not.toContain(resolvedOne.findingId);
    const overdueNextYear = await openBy('2027-01-01');
    expect(overdueNextYear).toContain(rescheduled.findingId);
    expect(overdueNextYear).not.toContain(resolvedOne.findingId);
  });

  it('answers the queue through the route, oldest first, and refuses an unknown order', async () => {
    const manager = staff('manager-p', 'manager', 'P');
    const queue = await invoke('listVisits', {
      as: manager,
      query: { status: 'submitted', templateId: 'checklist', order: 'oldest', unitId: 'C1' },
    });
    expect(queue.status).toBe(200);
    const starts = (queue.body as { items: VisitRecord[] }).items.map((v) => new Date(v.startedAt).getTime());
    expect(starts.length).toBeGreaterThan(1);
    expect([...starts].sort((a, b) => a - b)).toEqual(starts);
    const bad = await invoke('listVisits', { as: manager, query: { order: 'sideways' } });
    expect(bad.status).toBe(422);
  });
});
