import { records } from '#adapters/dynamodb/parts.ts';
import { files } from '#adapters/s3/parts.ts';
import { clock, wire } from '#adapters/wiring.ts';
import { createRecordScan } from '#app/record-scans.ts';
import { httpHandler } from '#http/handler.ts';
import { recordContracts } from '#routes/contracts/records.ts';
import { createRecordScanRoute } from '#routes/table.ts';

const deps = wire({ records, files, clock });

export const handler = httpHandler({
  route: createRecordScanRoute,
  params: recordContracts.createRecordScan.params,
  body: recordContracts.createRecordScan.body,
  async handle({ principal, params, body }) {
    const outcome = await createRecordScan(deps(), principal, params.recordId, body);
    // The form expires: never cache.
    return { status: outcome.status, body: outcome.body, headers: { 'cache-control': 'no-store' } };
  },
});
