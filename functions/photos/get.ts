import { deps } from '#app/deps.ts';
import { getPhoto } from '#app/photos.ts';
import { httpHandler } from '#http/handler.ts';
import { visitContracts } from '#routes/contracts/visits.ts';

export const handler = httpHandler({
  route: 'getPhoto',
  params: visitContracts.getPhoto.params,
  async handle({ principal, params }) {
    return { status: 200, body: await getPhoto(deps(), principal, params.visitId, params.photoId) };
  },
});
