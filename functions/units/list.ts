import { units } from '#adapters/dynamodb/parts.ts';
import { wire } from '#adapters/wiring.ts';
import { listUnits } from '#app/units.ts';
import { httpHandler } from '#http/handler.ts';
import { unitContracts } from '#routes/contracts/units.ts';
import { listUnitsRoute } from '#routes/table.ts';

const deps = wire({ units });

const contract = unitContracts.listUnits;

export const handler = httpHandler({
  route: listUnitsRoute,
  query: contract.query,
  async handle({ principal, query }) {
    const page = await listUnits(deps(), principal, query, {
      limit: query.limit,
      cursor: query.cursor ?? null,
    });
    return { status: 200, body: page };
  },
});
