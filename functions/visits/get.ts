import { templates, units, visits } from '#adapters/dynamodb/parts.ts';
import { wire } from '#adapters/wiring.ts';
import { getVisit } from '#app/visits.ts';
import { httpHandler } from '#http/handler.ts';
import { visitContracts } from '#routes/contracts/visits.ts';
import { getVisitRoute } from '#routes/table.ts';

const deps = wire({ units, templates, visits });

export const handler = httpHandler({
  route: getVisitRoute,
  params: visitContracts.getVisit.params,
  async handle({ principal, params }) {
    const { visit, body } = await getVisit(deps(), principal, params.visitId);
    return { status: 200, body, etag: visit.etag };
  },
});
