import { findings, visits } from '#adapters/dynamodb/parts.ts';
import { clock, wire } from '#adapters/wiring.ts';
import { getFinding } from '#app/findings.ts';
import { httpHandler } from '#http/handler.ts';
import { findingContracts } from '#routes/contracts/findings.ts';
import { getFindingRoute } from '#routes/table.ts';

const deps = wire({ visits, findings, clock });

export const handler = httpHandler({
  route: getFindingRoute,
  params: findingContracts.getFinding.params,
  async handle({ principal, params }) {
    const finding = await getFinding(deps(), principal, params.findingId);
    return { status: 200, body: finding, etag: finding.etag };
  },
});
