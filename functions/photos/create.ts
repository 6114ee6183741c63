import { templates, visits } from '#adapters/dynamodb/parts.ts';
import { files } from '#adapters/s3/parts.ts';
import { clock, wire } from '#adapters/wiring.ts';
import { createPhoto } from '#app/photos.ts';
import { httpHandler } from '#http/handler.ts';
import { visitContracts } from '#routes/contracts/visits.ts';
import { createPhotoRoute } from '#routes/table.ts';

const deps = wire({ templates, visits, files, clock });

const contract = visitContracts.createPhoto;

export const handler = httpHandler({
  route: createPhotoRoute,
  params: contract.params,
  body: contract.body,
  async handle({ principal, params, body }) {
    return createPhoto(deps(), principal, params.visitId, body);
  },
});
