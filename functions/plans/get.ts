import { deps } from '#app/deps.ts';
import { planDetail } from '#app/plans.ts';
import { httpHandler } from '#http/handler.ts';
import { planContracts } from '#routes/contracts/plans.ts';

export const handler = httpHandler({
  route: 'getPlan',
  params: planContracts.getPlan.params,
  async handle({ principal, params }) {
    const { plan, body } = await planDetail(deps(), principal, params.planId);
    return { status: 200, body, etag: plan.etag };
  },
});
