import { deps } from '#app/deps.ts';
import { submitVisit } from '#app/review.ts';
import { detailOf } from '#app/visits.ts';
import { httpHandler } from '#http/handler.ts';
import { visitContracts } from '#routes/contracts/visits.ts';

export const handler = httpHandler({
  route: 'submitVisit',
  params: visitContracts.submitVisit.params,
  async handle({ principal, params, ifMatch }) {
    const { visit, body: detail } = detailOf(await submitVisit(deps(), principal, params.visitId, ifMatch));
    return { status: 200, body: detail, etag: visit.etag };
  },
});
