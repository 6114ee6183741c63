/**
 * Local mode's stand-in for the EventBridge rule with an API destination: POSTs each event, in
 * EventBridge's envelope, to a URL with the API key in `x-api-key`, retrying with exponential
 * backoff. The envelope's `id` stays the same across retries so the receiver can drop repeats.
 */
import { randomUUID } from 'node:crypto';
import type { DomainEvent, EventPublisher } from '#ports/events.ts';
import { eventSource } from './eventbridge.ts';

/** The body the receiver gets: EventBridge's event envelope. */
export interface EventEnvelope {
  version: '0';
  id: string;
  source: string;
  'detail-type': string;
  time: string;
  resources: string[];
  detail: Record<string, unknown>;
}

export interface WebhookOptions {
  url: string;
  apiKey: string;
  /** Tries in all, the first included (default 5). */
  maxAttempts?: number;
  /** Delay before the first retry; doubles each time (default 200 ms). */
  baseDelayMs?: number;
  /** Cap on any one delay (default 5 s). */
  maxDelayMs?: number;
  /** Per-request timeout (default 5 s). */
  timeoutMs?: number;
  /** For tests: the waiting between tries. */
  sleep?: (ms: number) => Promise<void>;
}

/** The receiver refused the event for good (a 4xx other than 408 and 429): retrying cannot help. */
export class WebhookRejectedError extends Error {
  constructor(
    readonly status: number,
    eventType: string,
  ) {
    super(`The webhook refused ${eventType} with HTTP ${status}`);
    this.name = 'WebhookRejectedError';
  }
}

const retryableStatus = (status: number) => status === 408 || status === 429 || status >= 500;

export class WebhookPublisher implements EventPublisher {
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly timeoutMs: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: WebhookOptions) {
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 5);
    this.baseDelayMs = options.baseDelayMs ?? 200;
    this.maxDelayMs = options.maxDelayMs ?? 5_000;
    this.timeoutMs = options.timeoutMs ?? 5_000;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /**
   * Delivers the event or throws: WebhookRejectedError at once on a permanent refusal, the last
   * failure once every attempt is spent.
   */
  async publish(event: DomainEvent): Promise<void> {
    const envelope: EventEnvelope = {
      version: '0',
      id: randomUUID(),
      source: eventSource,
      'detail-type': event.type,
      time: new Date().toISOString(),
      resources: [],
      detail: event.detail,
    };
    const body = JSON.stringify(envelope);
    let lastError: unknown;
    for (let attempt = 0; attempt < this.maxAttempts; attempt++) {
      if (attempt > 0) await this.sleep(this.delay(attempt));
      try {
        const response = await fetch(this.options.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-api-key': this.options.apiKey },
          body,
          signal: AbortSignal.timeout(this.timeoutMs),
        });
        // Drain the body so the connection can be reused.
        await response.arrayBuffer().catch(() => undefined);
        if (response.ok) return;
        if (!retryableStatus(response.status)) throw new WebhookRejectedError(response.status, event.type);
        lastError = new Error(`The webhook answered HTTP ${response.status} to ${event.type}`);
      } catch (error) {
        if (error instanceof WebhookRejectedError) throw error;
        lastError = error;
      }
    }
    throw new Error(`Could not deliver ${event.type} after ${this.maxAttempts} attempts`, {
      cause: lastError,
    });
  }

  /** Exponential backoff, capped, jittered between half and all of it so senders do not retry in step. */
  private delay(attempt: number): number {
    const ceiling = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (attempt - 1));
    return ceiling / 2 + Math.random() * (ceiling / 2);
  }
}

/**
 * The local mode publisher from the environment (`PUBLICATION_WEBHOOK_URL`,
 * `PUBLICATION_WEBHOOK_API_KEY`), or null when no URL is configured.
 */
export function webhookPublisherFromEnv(env: NodeJS.ProcessEnv = process.env): WebhookPublisher | null {
  const url = env.PUBLICATION_WEBHOOK_URL?.trim();
  if (!url) return null;
  return new WebhookPublisher({ url, apiKey: env.PUBLICATION_WEBHOOK_API_KEY ?? '' });
}
