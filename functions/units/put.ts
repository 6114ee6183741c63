import { deps } from '#app/deps.ts';
import { putUnit } from '#app/units.ts';
import { httpHandler } from '#http/handler.ts';
import { unitContracts } from '#routes/contracts/units.ts';

const contract = unitContracts.putUnit;

export const handler = httpHandler({
  route: 'putUnit',
  params: contract.params,
  body: contract.body,
  async handle({ principal, params, body, ifMatch }) {
    const { created, unit } = await putUnit(deps(), principal, params.unitId, body, ifMatch);
    return { status: created ? 201 : 200, body: unit, etag: unit.etag };
  },
});
