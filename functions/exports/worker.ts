import * as z from 'zod/mini';
import { exports, findings, scores, templates, units, visits } from '#adapters/dynamodb/parts.ts';
import { files } from '#adapters/s3/parts.ts';
import { clock, wire } from '#adapters/wiring.ts';
import { runExport } from '#app/exports.ts';
import { asWorker } from '#config/invocation.ts';
import { uuidSchema } from '#domain/ids.ts';
import { logger } from '#http/logger.ts';
import { isStoreUnavailable } from '#http/problem.ts';

const deps = wire({ units, templates, visits, scores, findings, exports, files, clock });

/** The EventBridge event (detail-type `ExportRequested`, source `par-inspect`), or its local twin. */
const exportRequestedEvent = z.object({ detail: z.object({ exportId: uuidSchema }) });

/**
 * Builds one findings export. Failures of the export itself are recorded on the job (status
 * `failed`) rather than thrown: a retry would redo the same work and fail the same way. A
 * transient fault of the table or the bucket (throttled, timed out, unreachable) is thrown with
 * the job left running, so Lambda delivers the event again (twice, as for any asynchronous
 * invocation) and the rerun finishes it. An event that is not an export request is logged and
 * dropped.
 */
export const handler = asWorker('runExport', async (event: unknown): Promise<void> => {
  const parsed = exportRequestedEvent.safeParse(event);
  if (!parsed.success) {
    logger.error('not an ExportRequested event', { issues: parsed.error.issues });
    return;
  }
  const exportId = parsed.data.detail.exportId;
  const run = await runExport(deps(), exportId, isStoreUnavailable);
  if (run.outcome === 'interrupted') {
    logger.warn('export interrupted by a transient fault; the event is retried', {
      exportId,
      error: run.error,
    });
    throw run.error;
  }
  if (run.outcome === 'failed') logger.error('export failed', { exportId, error: run.error });
  else logger.info('export run', { exportId, ...run });
});
