import { deps } from '#app/deps.ts';
import { getTemplateVersion } from '#app/templates.ts';
import { httpHandler } from '#http/handler.ts';
import { templateContracts } from '#routes/contracts/templates.ts';

export const handler = httpHandler({
  route: 'getTemplateVersion',
  params: templateContracts.getTemplateVersion.params,
  async handle({ params }) {
    return { status: 200, body: await getTemplateVersion(deps(), params.templateId, params.version) };
  },
});
