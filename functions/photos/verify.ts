import type { S3Event } from 'aws-lambda';
import { records, visits } from '#adapters/dynamodb/parts.ts';
import { images } from '#adapters/images/parts.ts';
import { files } from '#adapters/s3/parts.ts';
import { clock, wire } from '#adapters/wiring.ts';
import { verifyPhotoObject } from '#app/photos.ts';
import { parseScanObjectKey, verifyScanObject } from '#app/record-scans.ts';
import { asWorker } from '#config/invocation.ts';
import { logger } from '#http/logger.ts';

const deps = wire({ visits, records, files, images, clock });

/**
 * S3 object-created events for `photos/` and `scans/` (a signed record's scan files). Each
 * record is checked on its own; a failure is thrown so Lambda retries the event (verification
 * is idempotent).
 */
export const handler = asWorker('verifyPhoto', async (event: S3Event): Promise<void> => {
  for (const record of event.Records) {
    if (!record.eventName.startsWith('ObjectCreated')) continue;
    // S3 URL-encodes keys in events, with + for spaces.
    const key = decodeURIComponent(record.s3.object.key.replace(/\+/g, ' '));
    const object = { key, versionId: record.s3.object.versionId ?? null };
    if (parseScanObjectKey(key)) {
      logger.info('scan verification', { key, outcome: await verifyScanObject(deps(), object) });
      continue;
    }
    const outcome = await verifyPhotoObject(deps(), object);
    logger.info('photo verification', { key, outcome });
  }
});
