import { templates } from '#adapters/dynamodb/parts.ts';
import { wire } from '#adapters/wiring.ts';
import { listTemplates } from '#app/templates.ts';
import { httpHandler } from '#http/handler.ts';
import { templateContracts } from '#routes/contracts/templates.ts';
import { listTemplatesRoute } from '#routes/table.ts';

const deps = wire({ templates });

export const handler = httpHandler({
  route: listTemplatesRoute,
  query: templateContracts.listTemplates.query,
  async handle({ query }) {
    return {
      status: 200,
      body: await listTemplates(deps(), { limit: query.limit, cursor: query.cursor ?? null }),
    };
  },
});
