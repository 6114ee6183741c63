/**
 * Bulk seeding for the benchmarks: items shaped exactly like the store adapters write them,
 * written with parallel BatchWriteItem, because going through the review use cases would make
 * seeding 100,000 findings take far longer than the export being measured.
 */
import { BatchWriteCommand, type BatchWriteCommandOutput } from '@aws-sdk/lib-dynamodb';
import { type Documents, type Item, jitter, sleep } from '#adapters/dynamodb/documents.ts';
import { peerScoreIndex, unitChildIndex, unitKey, unitScoreKey } from '#adapters/dynamodb/keys.ts';
import type { UnitRecord, UnitScoreRecord } from '#ports/records.ts';

/** When seeded records say they were made. */
export const seededAt = '2026-01-01T00:00:00.000Z';

/**
 * Writes `items` 25 per BatchWriteItem with `parallel` requests in flight, retrying what
 * DynamoDB leaves unprocessed. Items are pulled from the iterable as batches go out, so a
 * generator of 100,000 findings never sits in memory whole. Returns how many were written.
 */
export async function batchWrite(documents: Documents, items: Iterable<Item>, parallel = 8): Promise<number> {
  const source = items[Symbol.iterator]();
  const state = { written: 0, done: false };
  const nextBatch = (): Item[] => {
    const batch: Item[] = [];
    while (!state.done && batch.length < 25) {
      const next = source.next();
      if (next.done) state.done = true;
      else batch.push(next.value);
    }
    return batch;
  };
  const worker = async () => {
    for (let batch = nextBatch(); batch.length > 0; batch = nextBatch()) {
      let requests = batch.map((item) => ({ PutRequest: { Item: item } }));
      for (let attempt = 0; requests.length > 0; attempt++) {
        if (attempt > 0) await sleep(jitter(attempt));
        const result: BatchWriteCommandOutput = await documents.client.send(
          new BatchWriteCommand({ RequestItems: { [documents.tableName]: requests } }),
        );
        requests = (result.UnprocessedItems?.[documents.tableName] ?? []).flatMap((request) =>
          request.PutRequest?.Item ? [{ PutRequest: { Item: request.PutRequest.Item } }] : [],
        );
      }
      state.written += batch.length;
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return state.written;
}

/** A unit record under `parent` (null: a root). */
export function unit(
  unitId: string,
  name: string,
  kind: UnitRecord['kind'],
  parent: Pick<UnitRecord, 'unitId' | 'path'> | null,
  extra: { code?: string } = {},
): UnitRecord {
  return {
    unitId,
    name,
    kind,
    parentId: parent?.unitId ?? null,
    path: [...(parent?.path ?? []), unitId],
    ...extra,
    createdAt: seededAt,
    updatedAt: seededAt,
    etag: `etag-${unitId}`,
  };
}

/**
 * The item DynamoUnitStore.saveUnit writes for a unit, without its audit entry (the adapter
 * builds it inline, so it cannot be imported).
 */
export function unitItem(record: UnitRecord): Item {
  return {
    ...unitKey(record.unitId),
    ...unitChildIndex(record.parentId, record.kind, record.unitId),
    entity: 'unit',
    ...record,
  };
}

/**
 * The item approvals write for a unit score: the same shape as the private `scoreItem` of
 * shared/adapters/dynamodb/findings.ts.
 */
export function scoreItem(score: UnitScoreRecord): Item {
  return {
    ...unitScoreKey(score.unitId, score.templateId, score.period),
    ...peerScoreIndex(score.templateId, score.period, score.parentId, score.kind, score.unitId),
    entity: 'unitScore',
    ...score,
  };
}
