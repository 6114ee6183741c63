import { deps } from '#app/deps.ts';
import { getFinding } from '#app/findings.ts';
import { httpHandler } from '#http/handler.ts';
import { findingContracts } from '#routes/contracts/findings.ts';

export const handler = httpHandler({
  route: 'getFinding',
  params: findingContracts.getFinding.params,
  async handle({ principal, params }) {
    const finding = await getFinding(deps(), principal, params.findingId);
    return { status: 200, body: finding, etag: finding.etag };
  },
});
