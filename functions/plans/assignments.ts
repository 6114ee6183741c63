import { plans } from '#adapters/dynamodb/parts.ts';
import { clock, wire } from '#adapters/wiring.ts';
import { listMyAssignments } from '#app/plans.ts';
import { httpHandler } from '#http/handler.ts';
import { planContracts } from '#routes/contracts/plans.ts';
import { listAssignmentsRoute } from '#routes/table.ts';

const deps = wire({ plans, clock });

export const handler = httpHandler({
  route: listAssignmentsRoute,
  query: planContracts.listAssignments.query,
  async handle({ principal, query }) {
    const page = await listMyAssignments(deps(), principal, {
      limit: query.limit,
      cursor: query.cursor ?? null,
    });
    return { status: 200, body: page };
  },
});
