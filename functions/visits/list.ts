import { approvals, units, visits } from '#adapters/dynamodb/parts.ts';
import { wire } from '#adapters/wiring.ts';
import { listVisits, withEvidence } from '#app/visits.ts';
import { httpHandler } from '#http/handler.ts';
import { visitContracts } from '#routes/contracts/visits.ts';
import { listVisitsRoute } from '#routes/table.ts';

const deps = wire({ units, visits, approvals });

export const handler = httpHandler({
  route: listVisitsRoute,
  query: visitContracts.listVisits.query,
  async handle({ principal, query }) {
    const { pendingApproval, ...filters } = query;
    const page = await listVisits(
      deps(),
      principal,
      { ...filters, pendingApproval: pendingApproval === 'true' },
      { limit: query.limit, cursor: query.cursor ?? null },
    );
    // The review queue (a status list) shows each visit's evidence, read with one BatchGet.
    const items = await withEvidence(deps(), page, filters.status !== undefined);
    return { status: 200, body: { items, nextCursor: page.nextCursor } };
  },
});
