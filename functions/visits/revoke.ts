import { approvals, findings, templates, units, visits } from '#adapters/dynamodb/parts.ts';
import { clock, wire } from '#adapters/wiring.ts';
import { revokeVisit } from '#app/review.ts';
import { visitDetail } from '#app/visits.ts';
import { httpHandler } from '#http/handler.ts';
import { visitContracts } from '#routes/contracts/visits.ts';
import { revokeVisitRoute } from '#routes/table.ts';

const deps = wire({ units, templates, visits, approvals, findings, clock });

const contract = visitContracts.revokeVisit;

export const handler = httpHandler({
  route: revokeVisitRoute,
  params: contract.params,
  body: contract.body,
  async handle({ principal, params, body, ifMatch }) {
    await revokeVisit(deps(), principal, params.visitId, body.reason, ifMatch);
    const { visit, body: detail } = await visitDetail(deps(), principal, params.visitId, true);
    return { status: 200, body: detail, etag: visit.etag };
  },
});
