import { deps } from '#app/deps.ts';
import { putVisit, visitView } from '#app/visits.ts';
import { httpHandler } from '#http/handler.ts';
import { visitContracts } from '#routes/contracts/visits.ts';

const contract = visitContracts.putVisit;

export const handler = httpHandler({
  route: 'putVisit',
  params: contract.params,
  body: contract.body,
  async handle({ principal, params, body, ifMatch }) {
    const { created, visit } = await putVisit(deps(), principal, params.visitId, body, ifMatch);
    return { status: created ? 201 : 200, body: visitView(visit), etag: visit.etag };
  },
});
