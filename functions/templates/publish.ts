import { idempotency, templates } from '#adapters/dynamodb/parts.ts';
import { clock, wire } from '#adapters/wiring.ts';
import { publishTemplate } from '#app/templates.ts';
import { httpHandler } from '#http/handler.ts';
import { templateContracts } from '#routes/contracts/templates.ts';
import { publishTemplateVersionRoute } from '#routes/table.ts';

const deps = wire({ templates, idempotency, clock });

const contract = templateContracts.publishTemplateVersion;

export const handler = httpHandler({
  route: publishTemplateVersionRoute,
  params: contract.params,
  body: contract.body,
  async handle({ principal, params, body, idempotencyKey }) {
    const outcome = await publishTemplate(deps(), principal, params.templateId, body, idempotencyKey);
    return { status: outcome.status, body: outcome.body };
  },
});
