import { publications } from '#adapters/dynamodb/parts.ts';
import { wire } from '#adapters/wiring.ts';
import { prefersCsv } from '#app/csv.ts';
import { getPublication, publicationCsv } from '#app/publications.ts';
import { httpHandler } from '#http/handler.ts';
import { publicationContracts } from '#routes/contracts/publications.ts';
import { getPublicationRoute } from '#routes/table.ts';

const deps = wire({ publications });

export const handler = httpHandler({
  route: getPublicationRoute,
  params: publicationContracts.getPublication.params,
  async handle({ principal, params, accept, language }) {
    const publication = await getPublication(deps(), principal, params.publicationId);
    // A publication never changes, so either representation may be cached for good.
    const headers = {
      vary: 'Accept, Accept-Language',
      'cache-control': 'private, max-age=31536000, immutable',
    };
    if (!prefersCsv(accept)) return { status: 200, body: publication, headers };
    return {
      status: 200,
      body: publicationCsv(publication, language),
      contentType: 'text/csv; charset=utf-8',
      headers: {
        ...headers,
        'content-disposition': `attachment; filename="publication-${publication.publicationId}.csv"`,
      },
    };
  },
});
