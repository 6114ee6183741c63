/**
 * S3 object-created notifications from s3rver, delivered to the photo verifier the way the
 * bucket notifications do in AWS: only `photos/` and `scans/` objects of our bucket, keys
 * URL-encoded as S3 encodes them, one record per invocation, retried on failure like an
 * asynchronous invocation.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as z from 'zod/mini';
import { workers } from '#routes/table.ts';
import { lambdaContext, loadHandler } from './lambda.ts';
import type { RunnerLog } from './log.ts';

/**
 * The prefixes the bucket notifications filter on: photos and signed records' scans (see
 * shared/app/photos.ts and record-scans.ts for the key shapes).
 */
export const photoPrefix = 'photos/';
export const scanPrefix = 'scans/';

const recordSchema = z.looseObject({
  eventName: z.string(),
  s3: z.looseObject({
    bucket: z.looseObject({ name: z.string() }),
    object: z.looseObject({
      key: z.string(),
      size: z.optional(z.number()),
      versionId: z.optional(z.string()),
    }),
  }),
});
const notificationSchema = z.looseObject({ Records: z.array(recordSchema) });

/** S3 URL-encodes keys in notifications (form style: `+` for spaces); s3rver does not. */
export function encodeEventKey(key: string): string {
  return encodeURIComponent(key).replace(/%2F/g, '/').replace(/%20/g, '+');
}

export type S3EventSink = (notification: unknown) => Promise<void>;

/**
 * Builds the function that hands one s3rver notification to the verifier. It throws when the
 * verifier fails, so the caller can retry (in process) or answer 500 (the relay then retries).
 */
export async function photoEventSink(bucket: string, log: RunnerLog): Promise<S3EventSink> {
  const worker = workers.find((candidate) => candidate.trigger === 'photo-object-created');
  const verify = worker ? await loadHandler(worker.handler) : null;
  if (!verify) log.warn(`no photo verifier (${worker?.handler}): uploaded photos will stay pending`);

  return async (notification) => {
    const parsed = notificationSchema.safeParse(notification);
    if (!parsed.success) {
      log.warn('ignored an S3 notification of an unknown shape');
      return;
    }
    for (const record of parsed.data.Records) {
      const { key } = record.s3.object;
      if (record.s3.bucket.name !== bucket || !record.eventName.startsWith('ObjectCreated:')) continue;
      if (!(key.startsWith(photoPrefix) || key.startsWith(scanPrefix)) || !verify) continue;
      const event = {
        Records: [
          { ...record, s3: { ...record.s3, object: { ...record.s3.object, key: encodeEventKey(key) } } },
        ],
      };
      await verify(event, lambdaContext(worker?.name ?? 'verifyPhoto'));
    }
  };
}

/** Lambda retries a failed asynchronous invocation twice, about a minute apart; here, 1 and 2 s. */
export async function withRetries(sink: S3EventSink, notification: unknown, log: RunnerLog): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await sink(notification);
      return;
    } catch (error) {
      if (attempt === 3) {
        log.error('the photo verifier failed three times on an upload', error);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, attempt * 1_000));
    }
  }
}

/**
 * A loopback listener for the event relay of an s3rver in another process (S3_EVENTS_URL): it
 * answers 204 once the verifier is done, 500 when it failed (the relay then retries).
 */
export async function listenForRelayedEvents(
  sink: S3EventSink,
  log: RunnerLog,
): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    void (async () => {
      let body = '';
      for await (const chunk of req) body += chunk;
      try {
        await sink(JSON.parse(body));
        res.writeHead(204).end();
      } catch (error) {
        log.error('the photo verifier failed on a relayed upload event (the relay retries)', error);
        res.writeHead(500).end();
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/s3-events`, server };
}

/** Subscribes the listener to the relay for our bucket. */
export async function subscribeToRelay(eventsUrl: string, bucket: string, url: string): Promise<void> {
  const response = await fetch(eventsUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ bucket, url }),
    signal: AbortSignal.timeout(5_000),
  });
  if (!response.ok) throw new Error(`the S3 event relay at ${eventsUrl} answered ${response.status}`);
}
