/**
 * Local mode's stand-in for an EventBridge API destination, one attempt at a time: POSTs an
 * event, in EventBridge's envelope, to a URL with the API key in `x-api-key`, waits at most 5 s
 * for the answer, and says whether the attempt delivered it, may be retried, or was refused for
 * good. Retrying, backing off and dead-lettering are the delivery queue's job
 * (local/deliveries.ts), as they are the rule target's in AWS, not the destination's.
 *
 * Which answers are retried follows the API destination's documented response handling
 * (EventBridge user guide, "API destinations", error codes): 401, 407, 409, 429 and 5xx are
 * retried, as are timeouts and connections that fail; any other 1xx, 3xx or 4xx is not (so a 400
 * or a 404 goes to the dead letters at once, and so does a 408, which AWS does not list). 2xx is
 * delivered; redirects are not followed.
 */
import { randomUUID } from 'node:crypto';
import * as z from 'zod/mini';
import type { DomainEvent } from '#ports/events.ts';
import { eventSource } from '#routes/integration.ts';

/**
 * The body the receiver gets: EventBridge's event envelope. Parsed wherever it is read back
 * (the local delivery queue's files, an SQS dead-letter message): those are data, not trusted
 * values. Loose: AWS adds `account` and `region`, which are kept as they are.
 */
export const eventEnvelopeSchema = z.looseObject({
  version: z.string(),
  // The ID names the local queue's files, so it must be a plain name (no path characters).
  id: z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,127}$/)),
  source: z.string().check(z.minLength(1)),
  'detail-type': z.string().check(z.minLength(1)),
  time: z.iso.datetime({ offset: true }),
  resources: z.array(z.string()),
  detail: z.record(z.string(), z.unknown()),
});
export type EventEnvelope = z.infer<typeof eventEnvelopeSchema>;

/** The envelope EventBridge gives an event it accepts at `acceptedAt`: a fresh ID, its time. */
export function eventEnvelope(event: DomainEvent, acceptedAt: Date): EventEnvelope {
  return {
    version: '0',
    id: randomUUID(),
    source: eventSource,
    'detail-type': event.type,
    time: acceptedAt.toISOString(),
    resources: [],
    detail: event.detail,
  };
}

/** Why an attempt failed, in the words of EventBridge's dead-letter `ERROR_CODE` attribute. */
export type DeliveryErrorCode = 'ERROR_FROM_TARGET' | 'TIMEOUT' | 'CONNECTION_FAILURE';

export type AttemptOutcome =
  | { kind: 'delivered'; status: number }
  /** Worth another attempt later; `retryAfterMs` is the receiver's own Retry-After, if any. */
  | { kind: 'retry'; errorCode: DeliveryErrorCode; message: string; status?: number; retryAfterMs?: number }
  /** The receiver refused the event for good: retrying cannot help. */
  | { kind: 'rejected'; errorCode: 'ERROR_FROM_TARGET'; message: string; status: number };

/** The statuses an API destination retries (and so does local delivery). */
export function isRetryableStatus(status: number): boolean {
  return status === 401 || status === 407 || status === 409 || status === 429 || status >= 500;
}

export interface WebhookTargetOptions {
  url: string;
  apiKey: string;
  /** How long an answer may take (default 5 s, the API destination's fixed limit). */
  timeoutMs?: number;
}

/** One receiver (the ranking system's endpoint, locally) that events are POSTed to. */
export class WebhookTarget {
  readonly url: string;
  private readonly apiKey: string;
  private readonly timeoutMs: number;

  constructor(options: WebhookTargetOptions) {
    this.url = options.url;
    this.apiKey = options.apiKey;
    this.timeoutMs = options.timeoutMs ?? 5_000;
  }

  /** One attempt; never throws (every failure is an outcome the caller decides on). */
  async send(envelope: EventEnvelope): Promise<AttemptOutcome> {
    let response: Response;
    try {
      response = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': this.apiKey },
        body: JSON.stringify(envelope),
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      // Drain the body (within the same time limit) so the connection can be reused.
      await response.arrayBuffer();
    } catch (error) {
      return failedRequest(error, this.timeoutMs);
    }
    const { status } = response;
    if (status >= 200 && status < 300) return { kind: 'delivered', status };
    const message = `the webhook answered HTTP ${status}`;
    if (!isRetryableStatus(status))
      return { kind: 'rejected', errorCode: 'ERROR_FROM_TARGET', message, status };
    const retryAfterMs = retryAfter(response.headers.get('retry-after'), Date.now());
    return {
      kind: 'retry',
      errorCode: 'ERROR_FROM_TARGET',
      message,
      status,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    };
  }
}

function failedRequest(error: unknown, timeoutMs: number): AttemptOutcome {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return { kind: 'retry', errorCode: 'TIMEOUT', message: `no answer within ${timeoutMs} ms` };
  }
  // fetch wraps the socket's error (ECONNREFUSED, ENOTFOUND, a reset) in `cause`.
  const cause = error instanceof Error ? error.cause : undefined;
  const code = cause instanceof Error && 'code' in cause ? String(cause.code) : undefined;
  const reason = code ?? (error instanceof Error ? error.message : String(error));
  return {
    kind: 'retry',
    errorCode: 'CONNECTION_FAILURE',
    message: `the webhook cannot be reached (${reason})`,
  };
}

/** Retry-After in seconds or as an HTTP date, as a delay from `now`; undefined when absent or odd. */
export function retryAfter(header: string | null, now: number): number | undefined {
  if (header === null) return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
