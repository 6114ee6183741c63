import { records, visits } from '#adapters/dynamodb/parts.ts';
import { events } from '#adapters/events/parts.ts';
import { clock, wire } from '#adapters/wiring.ts';
import { createRecord } from '#app/records.ts';
import { recordSettings } from '#config/record-settings.ts';
import { httpHandler } from '#http/handler.ts';
import { recordContracts } from '#routes/contracts/records.ts';
import { createRecordRoute } from '#routes/table.ts';

const deps = wire({ visits, records, events, clock });

export const handler = httpHandler({
  route: createRecordRoute,
  params: recordContracts.createRecord.params,
  async handle({ principal, params }) {
    const outcome = await createRecord(deps(), principal, params.visitId, recordSettings());
    return { status: outcome.status, body: outcome.body, headers: { 'cache-control': 'no-store' } };
  },
});
