import * as z from 'zod/mini';
import { findings, records, templates, units, visits } from '#adapters/dynamodb/parts.ts';
import { files } from '#adapters/s3/parts.ts';
import { clock, wire } from '#adapters/wiring.ts';
import { runRecord } from '#app/record-build.ts';
import { asWorker } from '#config/invocation.ts';
import { recordSettings } from '#config/record-settings.ts';
import { uuidSchema } from '#domain/ids.ts';
import { logger } from '#http/logger.ts';

const deps = wire({ units, templates, visits, findings, records, files, clock });

/** The EventBridge event (detail-type `RecordRequested`, source `par-inspect`), or its local twin. */
const recordRequestedEvent = z.object({ detail: z.object({ recordId: uuidSchema }) });

/**
 * Builds one inspection record's PDF and DOCX. Failures of the build are recorded on the record
 * (status `failed`, its number kept) rather than thrown: a retry would fail the same way, and
 * the same POST starts it again. An event that is not a record request is logged and dropped.
 */
export const handler = asWorker('buildRecord', async (event: unknown): Promise<void> => {
  const parsed = recordRequestedEvent.safeParse(event);
  if (!parsed.success) {
    logger.error('not a RecordRequested event', { issues: parsed.error.issues });
    return;
  }
  const recordId = parsed.data.detail.recordId;
  const run = await runRecord(deps(), recordId, recordSettings());
  if (run.outcome === 'failed') logger.error('record failed', { recordId, error: String(run.error) });
  else logger.info('record run', { recordId, ...run });
});
