import { idempotency, plans, staff, templates, units, visits } from '#adapters/dynamodb/parts.ts';
import { clock, wire } from '#adapters/wiring.ts';
import { createPlan, planDetail } from '#app/plans.ts';
import { httpHandler } from '#http/handler.ts';
import { planContracts } from '#routes/contracts/plans.ts';
import { createPlanRoute } from '#routes/table.ts';

const deps = wire({ units, templates, idempotency, visits, plans, staff, clock });

export const handler = httpHandler({
  route: createPlanRoute,
  body: planContracts.createPlan.body,
  async handle({ principal, body, idempotencyKey }) {
    const { status, planId } = await createPlan(deps(), principal, body, idempotencyKey);
    const { plan, body: detail } = await planDetail(deps(), principal, planId, true);
    return { status, body: detail, etag: plan.etag };
  },
});
