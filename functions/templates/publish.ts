import { deps } from '#app/deps.ts';
import { publishTemplate } from '#app/templates.ts';
import { httpHandler } from '#http/handler.ts';
import { templateContracts } from '#routes/contracts/templates.ts';

const contract = templateContracts.publishTemplateVersion;

export const handler = httpHandler({
  route: 'publishTemplateVersion',
  params: contract.params,
  body: contract.body,
  async handle({ principal, params, body, idempotencyKey }) {
    const outcome = await publishTemplate(deps(), principal, params.templateId, body, idempotencyKey);
    return { status: outcome.status, body: outcome.body };
  },
});
