import { deps } from '#app/deps.ts';
import { getExport } from '#app/exports.ts';
import { httpHandler } from '#http/handler.ts';
import { exportContracts } from '#routes/contracts/exports.ts';

export const handler = httpHandler({
  route: 'getExport',
  params: exportContracts.getExport.params,
  async handle({ principal, params }) {
    const job = await getExport(deps(), principal, params.exportId);
    // The status changes while the worker runs, and the download URL expires: never cache.
    return { status: 200, body: job, headers: { 'cache-control': 'no-store' } };
  },
});
