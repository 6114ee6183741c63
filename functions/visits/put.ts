import { plans, templates, units, visits } from '#adapters/dynamodb/parts.ts';
import { clock, wire } from '#adapters/wiring.ts';
import { putVisit, visitDetail } from '#app/visits.ts';
import { httpHandler } from '#http/handler.ts';
import { visitContracts } from '#routes/contracts/visits.ts';
import { putVisitRoute } from '#routes/table.ts';

const deps = wire({ units, templates, visits, plans, clock });

const contract = visitContracts.putVisit;

export const handler = httpHandler({
  route: putVisitRoute,
  params: contract.params,
  body: contract.body,
  async handle({ principal, params, body, ifMatch }) {
    const { created } = await putVisit(deps(), principal, params.visitId, body, ifMatch);
    const { visit, body: detail } = await visitDetail(deps(), principal, params.visitId, true);
    return { status: created ? 201 : 200, body: detail, etag: visit.etag };
  },
});
