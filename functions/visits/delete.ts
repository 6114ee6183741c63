import { visits } from '#adapters/dynamodb/parts.ts';
import { files } from '#adapters/s3/parts.ts';
import { clock, wire } from '#adapters/wiring.ts';
import { deleteVisit } from '#app/visits.ts';
import { httpHandler } from '#http/handler.ts';
import { visitContracts } from '#routes/contracts/visits.ts';
import { deleteVisitRoute } from '#routes/table.ts';

const deps = wire({ visits, files, clock });

export const handler = httpHandler({
  route: deleteVisitRoute,
  params: visitContracts.deleteVisit.params,
  async handle({ principal, params, ifMatch }) {
    await deleteVisit(deps(), principal, params.visitId, ifMatch);
    return { status: 204 };
  },
});
