import { publications, units } from '#adapters/dynamodb/parts.ts';
import { wire } from '#adapters/wiring.ts';
import { listPublications } from '#app/publications.ts';
import { httpHandler } from '#http/handler.ts';
import { publicationContracts } from '#routes/contracts/publications.ts';
import { listPublicationsRoute } from '#routes/table.ts';

const deps = wire({ units, publications });

export const handler = httpHandler({
  route: listPublicationsRoute,
  query: publicationContracts.listPublications.query,
  async handle({ principal, query }) {
    const { limit, cursor, ...filter } = query;
    const page = await listPublications(deps(), principal, filter, { limit, cursor: cursor ?? null });
    return { status: 200, body: page };
  },
});
