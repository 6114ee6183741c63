import { units } from '#adapters/dynamodb/parts.ts';
import { wire } from '#adapters/wiring.ts';
import { getUnit } from '#app/units.ts';
import { httpHandler } from '#http/handler.ts';
import { unitContracts } from '#routes/contracts/units.ts';
import { getUnitRoute } from '#routes/table.ts';

const deps = wire({ units });

export const handler = httpHandler({
  route: getUnitRoute,
  params: unitContracts.getUnit.params,
  async handle({ principal, params }) {
    const unit = await getUnit(deps(), principal, params.unitId);
    return { status: 200, body: unit, etag: unit.etag };
  },
});
