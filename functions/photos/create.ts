import { deps } from '#app/deps.ts';
import { createPhoto } from '#app/photos.ts';
import { httpHandler } from '#http/handler.ts';
import { visitContracts } from '#routes/contracts/visits.ts';

const contract = visitContracts.createPhoto;

export const handler = httpHandler({
  route: 'createPhoto',
  params: contract.params,
  body: contract.body,
  async handle({ principal, params, body }) {
    return createPhoto(deps(), principal, params.visitId, body);
  },
});
