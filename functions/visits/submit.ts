import { deps } from '#app/deps.ts';
import { submitVisit } from '#app/review.ts';
import { visitDetail } from '#app/visits.ts';
import { httpHandler } from '#http/handler.ts';
import { visitContracts } from '#routes/contracts/visits.ts';

export const handler = httpHandler({
  route: 'submitVisit',
  params: visitContracts.submitVisit.params,
  async handle({ principal, params, ifMatch }) {
    await submitVisit(deps(), principal, params.visitId, ifMatch);
    const { visit, body: detail } = await visitDetail(deps(), principal, params.visitId, true);
    return { status: 200, body: detail, etag: visit.etag };
  },
});
