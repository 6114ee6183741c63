import { visits } from '#adapters/dynamodb/parts.ts';
import { files } from '#adapters/s3/parts.ts';
import { wire } from '#adapters/wiring.ts';
import { getPhoto } from '#app/photos.ts';
import { httpHandler } from '#http/handler.ts';
import { visitContracts } from '#routes/contracts/visits.ts';
import { getPhotoRoute } from '#routes/table.ts';

const deps = wire({ visits, files });

export const handler = httpHandler({
  route: getPhotoRoute,
  params: visitContracts.getPhoto.params,
  async handle({ principal, params }) {
    return { status: 200, body: await getPhoto(deps(), principal, params.visitId, params.photoId) };
  },
});
