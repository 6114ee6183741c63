import { units } from '#adapters/dynamodb/parts.ts';
import { clock, wire } from '#adapters/wiring.ts';
import { putUnit } from '#app/units.ts';
import { httpHandler } from '#http/handler.ts';
import { unitContracts } from '#routes/contracts/units.ts';
import { putUnitRoute } from '#routes/table.ts';

const deps = wire({ units, clock });

const contract = unitContracts.putUnit;

export const handler = httpHandler({
  route: putUnitRoute,
  params: contract.params,
  body: contract.body,
  async handle({ principal, params, body, ifMatch }) {
    const { created, unit } = await putUnit(deps(), principal, params.unitId, body, ifMatch);
    return { status: created ? 201 : 200, body: unit, etag: unit.etag };
  },
});
