import type { S3Event } from 'aws-lambda';
import { visits } from '#adapters/dynamodb/parts.ts';
import { images } from '#adapters/images/parts.ts';
import { files } from '#adapters/s3/parts.ts';
import { clock, wire } from '#adapters/wiring.ts';
import { verifyPhotoObject } from '#app/photos.ts';
import { asWorker } from '#config/invocation.ts';
import { logger } from '#http/logger.ts';

const deps = wire({ visits, files, images, clock });

/**
 * S3 object-created events for `photos/`. Each record is checked on its own; a failure is
 * thrown so Lambda retries the event (verification is idempotent).
 */
export const handler = asWorker('verifyPhoto', async (event: S3Event): Promise<void> => {
  for (const record of event.Records) {
    if (!record.eventName.startsWith('ObjectCreated')) continue;
    // S3 URL-encodes keys in events, with + for spaces.
    const key = decodeURIComponent(record.s3.object.key.replace(/\+/g, ' '));
    const outcome = await verifyPhotoObject(deps(), { key, versionId: record.s3.object.versionId ?? null });
    logger.info('photo verification', { key, outcome });
  }
});
