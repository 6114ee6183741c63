import { exports, idempotency, templates, units } from '#adapters/dynamodb/parts.ts';
import { events } from '#adapters/events/parts.ts';
import { clock, wire } from '#adapters/wiring.ts';
import { createExport } from '#app/exports.ts';
import { httpHandler } from '#http/handler.ts';
import { exportContracts } from '#routes/contracts/exports.ts';
import { createExportRoute } from '#routes/table.ts';

const deps = wire({ units, templates, idempotency, exports, events, clock });

export const handler = httpHandler({
  route: createExportRoute,
  body: exportContracts.createExport.body,
  async handle({ principal, body, language, idempotencyKey }) {
    // The CSV's headers follow the language of this request (Accept-Language).
    const outcome = await createExport(deps(), principal, body, language, idempotencyKey);
    return { status: outcome.status, body: outcome.body };
  },
});
