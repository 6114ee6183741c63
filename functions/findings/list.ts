import { findings, units, visits } from '#adapters/dynamodb/parts.ts';
import { clock, wire } from '#adapters/wiring.ts';
import { listFindings } from '#app/findings.ts';
import { httpHandler } from '#http/handler.ts';
import { findingContracts } from '#routes/contracts/findings.ts';
import { listFindingsRoute } from '#routes/table.ts';

const deps = wire({ units, visits, findings, clock });

export const handler = httpHandler({
  route: listFindingsRoute,
  query: findingContracts.listFindings.query,
  async handle({ principal, query }) {
    const { limit, cursor, ...filters } = query;
    const page = await listFindings(deps(), principal, filters, { limit, cursor: cursor ?? null });
    return { status: 200, body: page };
  },
});
