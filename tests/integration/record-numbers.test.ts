/**
 * Record numbers (issue 17): given in the record's own transaction, per agency and year, with
 * no gap and no repeat, under concurrent requests on the real DynamoDB Local.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoInspectionRecordStore } from '#adapters/dynamodb/inspection-records.ts';
import { recordNumberKey } from '#adapters/dynamodb/keys.ts';
import type { InspectionRecord } from '#ports/records.ts';
import { type Seeded, seededStorage } from '#tests/support/peer-group.ts';

let seeded: Seeded;
let store: DynamoInspectionRecordStore;

beforeAll(async () => {
  seeded = await seededStorage('record-numbers');
  store = new DynamoInspectionRecordStore(seeded.store);
});

function draft(overrides: Partial<InspectionRecord> = {}): Omit<InspectionRecord, 'number'> {
  const at = new Date().toISOString();
  return {
    recordId: randomUUID(),
    visitId: randomUUID(),
    visitEtag: randomUUID(),
    unitPath: ['NA', 'W1'],
    agency: 'SNV',
    year: 2026,
    status: 'running',
    pdfKey: null,
    docxKey: null,
    error: null,
    createdBy: 'manager-1',
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}

describe('record numbers', () => {
  it('gives 20 records requested at once the numbers 1 to 20, each once', async () => {
    const drafts = Array.from({ length: 20 }, () => draft());
    const results = await Promise.all(drafts.map((d) => store.createRecord(d)));
    expect(results.every((r) => r.created)).toBe(true);
    expect(results.map((r) => r.record.number).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    // Stored as answered, and the counter stands at the last number given.
    for (const { record } of results) {
      expect((await store.getRecord(record.recordId))?.number).toBe(record.number);
    }
    expect(await seeded.store.get(recordNumberKey('SNV', 2026), true)).toMatchObject({ last: 20 });
  });

  it('makes one record, with one number, of 20 concurrent requests for the same record', async () => {
    const before = (await seeded.store.get(recordNumberKey('SNV', 2026), true))?.last;
    const one = draft();
    const results = await Promise.all(Array.from({ length: 20 }, () => store.createRecord({ ...one })));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.record.number)).size).toBe(1);
    expect(results[0]?.record.number).toBe(Number(before) + 1);
    expect(await seeded.store.get(recordNumberKey('SNV', 2026), true)).toMatchObject({
      last: Number(before) + 1,
    });
  });

  it('numbers each agency and year on its own, and a failed build keeps its number', async () => {
    const first = await store.createRecord(draft({ year: 2027 }));
    const other = await store.createRecord(draft({ agency: 'STP', year: 2026 }));
    expect(first.record.number).toBe(1);
    expect(other.record.number).toBe(1);
    const failed = {
      ...first.record,
      status: 'failed' as const,
      error: 'font missing',
      updatedAt: new Date().toISOString(),
    };
    await store.saveRecord(failed, first.record.updatedAt);
    expect(await store.getRecord(first.record.recordId)).toMatchObject({ status: 'failed', number: 1 });
    const next = await store.createRecord(draft({ year: 2027 }));
    expect(next.record.number).toBe(2);
  });
});
