import { plans, units } from '#adapters/dynamodb/parts.ts';
import { wire } from '#adapters/wiring.ts';
import { listPlans } from '#app/plans.ts';
import { httpHandler } from '#http/handler.ts';
import { planContracts } from '#routes/contracts/plans.ts';
import { listPlansRoute } from '#routes/table.ts';

const deps = wire({ units, plans });

export const handler = httpHandler({
  route: listPlansRoute,
  query: planContracts.listPlans.query,
  async handle({ principal, query }) {
    const { limit, cursor, ...filter } = query;
    const page = await listPlans(deps(), principal, filter, { limit, cursor: cursor ?? null });
    return { status: 200, body: page };
  },
});
