import { templates } from '#adapters/dynamodb/parts.ts';
import { wire } from '#adapters/wiring.ts';
import { getTemplateVersion } from '#app/templates.ts';
import { httpHandler } from '#http/handler.ts';
import { templateContracts } from '#routes/contracts/templates.ts';
import { getTemplateVersionRoute } from '#routes/table.ts';

const deps = wire({ templates });

export const handler = httpHandler({
  route: getTemplateVersionRoute,
  params: templateContracts.getTemplateVersion.params,
  async handle({ params }) {
    return { status: 200, body: await getTemplateVersion(deps(), params.templateId, params.version) };
  },
});
