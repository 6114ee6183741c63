import { deps } from '#app/deps.ts';
import { listPublications } from '#app/publications.ts';
import { httpHandler } from '#http/handler.ts';
import { publicationContracts } from '#routes/contracts/publications.ts';

export const handler = httpHandler({
  route: 'listPublications',
  query: publicationContracts.listPublications.query,
  async handle({ principal, query }) {
    const { limit, cursor, ...filter } = query;
    const page = await listPublications(deps(), principal, filter, { limit, cursor: cursor ?? null });
    return { status: 200, body: page };
  },
});
