import { deps } from '#app/deps.ts';
import { deletePhoto } from '#app/photos.ts';
import { httpHandler } from '#http/handler.ts';
import { visitContracts } from '#routes/contracts/visits.ts';

export const handler = httpHandler({
  route: 'deletePhoto',
  params: visitContracts.deletePhoto.params,
  async handle({ principal, params }) {
    await deletePhoto(deps(), principal, params.visitId, params.photoId);
    return { status: 204 };
  },
});
