import { deps } from '#app/deps.ts';
import { listMyAssignments } from '#app/plans.ts';
import { httpHandler } from '#http/handler.ts';
import { planContracts } from '#routes/contracts/plans.ts';

export const handler = httpHandler({
  route: 'listAssignments',
  query: planContracts.listAssignments.query,
  async handle({ principal, query }) {
    const page = await listMyAssignments(deps(), principal, {
      limit: query.limit,
      cursor: query.cursor ?? null,
    });
    return { status: 200, body: page };
  },
});
