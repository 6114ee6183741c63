import { plans, staff, templates, units, visits } from '#adapters/dynamodb/parts.ts';
import { clock, wire } from '#adapters/wiring.ts';
import { planDetail, putPlan } from '#app/plans.ts';
import { httpHandler } from '#http/handler.ts';
import { planContracts } from '#routes/contracts/plans.ts';
import { putPlanRoute } from '#routes/table.ts';

const deps = wire({ units, templates, visits, plans, staff, clock });

const contract = planContracts.putPlan;

export const handler = httpHandler({
  route: putPlanRoute,
  params: contract.params,
  body: contract.body,
  async handle({ principal, params, body, ifMatch }) {
    await putPlan(deps(), principal, params.planId, body, ifMatch);
    const { plan, body: detail } = await planDetail(deps(), principal, params.planId, true);
    return { status: 200, body: detail, etag: plan.etag };
  },
});
