import { exports } from '#adapters/dynamodb/parts.ts';
import { files } from '#adapters/s3/parts.ts';
import { clock, wire } from '#adapters/wiring.ts';
import { getExport } from '#app/exports.ts';
import { httpHandler } from '#http/handler.ts';
import { exportContracts } from '#routes/contracts/exports.ts';
import { getExportRoute } from '#routes/table.ts';

const deps = wire({ exports, files, clock });

export const handler = httpHandler({
  route: getExportRoute,
  params: exportContracts.getExport.params,
  async handle({ principal, params }) {
    const job = await getExport(deps(), principal, params.exportId);
    // The status changes while the worker runs, and the download URL expires: never cache.
    return { status: 200, body: job, headers: { 'cache-control': 'no-store' } };
  },
});
