import { deps } from '#app/deps.ts';
import { createPlan, planDetail } from '#app/plans.ts';
import { httpHandler } from '#http/handler.ts';
import { planContracts } from '#routes/contracts/plans.ts';

export const handler = httpHandler({
  route: 'createPlan',
  body: planContracts.createPlan.body,
  async handle({ principal, body, idempotencyKey }) {
    const { status, planId } = await createPlan(deps(), principal, body, idempotencyKey);
    const { plan, body: detail } = await planDetail(deps(), principal, planId, true);
    return { status, body: detail, etag: plan.etag };
  },
});
