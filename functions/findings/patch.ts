import { findings, visits } from '#adapters/dynamodb/parts.ts';
import { clock, wire } from '#adapters/wiring.ts';
import { patchFinding } from '#app/findings.ts';
import { httpHandler } from '#http/handler.ts';
import { findingContracts } from '#routes/contracts/findings.ts';
import { patchFindingRoute } from '#routes/table.ts';

const deps = wire({ visits, findings, clock });

const contract = findingContracts.patchFinding;

export const handler = httpHandler({
  route: patchFindingRoute,
  params: contract.params,
  body: contract.body,
  async handle({ principal, params, body, ifMatch }) {
    const finding = await patchFinding(deps(), principal, params.findingId, body, ifMatch);
    return { status: 200, body: finding, etag: finding.etag };
  },
});
