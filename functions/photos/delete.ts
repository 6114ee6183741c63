import { visits } from '#adapters/dynamodb/parts.ts';
import { files } from '#adapters/s3/parts.ts';
import { clock, wire } from '#adapters/wiring.ts';
import { deletePhoto } from '#app/photos.ts';
import { httpHandler } from '#http/handler.ts';
import { visitContracts } from '#routes/contracts/visits.ts';
import { deletePhotoRoute } from '#routes/table.ts';

const deps = wire({ visits, files, clock });

export const handler = httpHandler({
  route: deletePhotoRoute,
  params: visitContracts.deletePhoto.params,
  async handle({ principal, params }) {
    await deletePhoto(deps(), principal, params.visitId, params.photoId);
    return { status: 204 };
  },
});
