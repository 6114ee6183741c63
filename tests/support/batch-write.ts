/**
 * Bulk seeding for tests and benchmarks: parallel BatchWriteItem of items shaped exactly like
 * the store adapters write them (their exported item builders), far faster than going through
 * the use cases when a test needs thousands of records.
 */
import { BatchWriteCommand, type BatchWriteCommandOutput } from '@aws-sdk/lib-dynamodb';
import { type Documents, type Item, jitter, sleep } from '#adapters/dynamodb/documents.ts';

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
