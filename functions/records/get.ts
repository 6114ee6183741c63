import { records } from '#adapters/dynamodb/parts.ts';
import { files } from '#adapters/s3/parts.ts';
import { clock, wire } from '#adapters/wiring.ts';
import { getRecord } from '#app/records.ts';
import { httpHandler } from '#http/handler.ts';
import { recordContracts } from '#routes/contracts/records.ts';
import { getRecordRoute } from '#routes/table.ts';

const deps = wire({ records, files, clock });

export const handler = httpHandler({
  route: getRecordRoute,
  params: recordContracts.getRecord.params,
  async handle({ principal, params }) {
    const record = await getRecord(deps(), principal, params.recordId);
    // The status changes while the worker runs, and the download links expire: never cache.
    return { status: 200, body: record, headers: { 'cache-control': 'no-store' } };
  },
});
