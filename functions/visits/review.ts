import { approvals, templates, units, visits } from '#adapters/dynamodb/parts.ts';
import { clock, wire } from '#adapters/wiring.ts';
import { reviewVisit } from '#app/review.ts';
import { visitDetail } from '#app/visits.ts';
import { httpHandler } from '#http/handler.ts';
import { visitContracts } from '#routes/contracts/visits.ts';
import { reviewVisitRoute } from '#routes/table.ts';

const deps = wire({ units, templates, visits, approvals, clock });

const contract = visitContracts.reviewVisit;

export const handler = httpHandler({
  route: reviewVisitRoute,
  params: contract.params,
  body: contract.body,
  async handle({ principal, params, body, ifMatch }) {
    await reviewVisit(deps(), principal, params.visitId, body, ifMatch);
    const { visit, body: detail } = await visitDetail(deps(), principal, params.visitId, true);
    return { status: 200, body: detail, etag: visit.etag };
  },
});
