import { deps } from '#app/deps.ts';
import { deleteVisit } from '#app/visits.ts';
import { httpHandler } from '#http/handler.ts';
import { visitContracts } from '#routes/contracts/visits.ts';

export const handler = httpHandler({
  route: 'deleteVisit',
  params: visitContracts.deleteVisit.params,
  async handle({ principal, params, ifMatch }) {
    await deleteVisit(deps(), principal, params.visitId, ifMatch);
    return { status: 204 };
  },
});
