import { plans, units, visits } from '#adapters/dynamodb/parts.ts';
import { clock, wire } from '#adapters/wiring.ts';
import { planDetail } from '#app/plans.ts';
import { httpHandler } from '#http/handler.ts';
import { planContracts } from '#routes/contracts/plans.ts';
import { getPlanRoute } from '#routes/table.ts';

const deps = wire({ units, visits, plans, clock });

export const handler = httpHandler({
  route: getPlanRoute,
  params: planContracts.getPlan.params,
  async handle({ principal, params }) {
    const { plan, body } = await planDetail(deps(), principal, params.planId);
    return { status: 200, body, etag: plan.etag };
  },
});
