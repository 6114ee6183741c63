import { templates, units, visits } from '#adapters/dynamodb/parts.ts';
import { clock, wire } from '#adapters/wiring.ts';
import { submitVisit } from '#app/review.ts';
import { detailOf } from '#app/visits.ts';
import { httpHandler } from '#http/handler.ts';
import { visitContracts } from '#routes/contracts/visits.ts';
import { submitVisitRoute } from '#routes/table.ts';

const deps = wire({ units, templates, visits, clock });

export const handler = httpHandler({
  route: submitVisitRoute,
  params: visitContracts.submitVisit.params,
  async handle({ principal, params, ifMatch }) {
    const { visit, body: detail } = detailOf(await submitVisit(deps(), principal, params.visitId, ifMatch));
    return { status: 200, body: detail, etag: visit.etag };
  },
});
