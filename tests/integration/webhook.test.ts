import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebhookPublisher, WebhookRejectedError } from '#adapters/events/webhook.ts';

interface Received {
  method: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

/** A receiver that answers each request with the next status of its script (200 when done). */
const receiver = {
  script: [] as number[],
  received: [] as Received[],
};
let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      receiver.received.push({
        method: request.method ?? '',
        headers: request.headers,
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
      });
      response.statusCode = receiver.script.shift() ?? 200;
      response.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function publisher(delays: number[], maxAttempts = 4) {
  return new WebhookPublisher({
    url,
    apiKey: 'secret-key',
    maxAttempts,
    baseDelayMs: 100,
    sleep: async (ms) => {
      delays.push(ms);
    },
  });
}

const event = {
  type: 'ScoresPublished',
  detail: { publicationId: 'p-1', hash: 'ab'.repeat(32), rowCount: 3, supersedes: null },
};

describe('the webhook event publisher', () => {
  it('POSTs the EventBridge envelope with the API key, retrying 5xx and 429 with growing delays', async () => {
    receiver.received = [];
    receiver.script = [503, 429, 500];
    const delays: number[] = [];
    await publisher(delays).publish(event);

    expect(receiver.received).toHaveLength(4);
    const [firstTry] = receiver.received;
    expect(firstTry?.method).toBe('POST');
    expect(firstTry?.headers['x-api-key']).toBe('secret-key');
    expect(firstTry?.headers['content-type']).toBe('application/json');
    expect(firstTry?.body).toMatchObject({
      version: '0',
      source: 'par-inspect',
      'detail-type': 'ScoresPublished',
      detail: event.detail,
      resources: [],
    });
    const envelope = firstTry?.body as { id: string; time: string };
    expect(new Date(envelope.time).toISOString()).toBe(envelope.time);
    // One event, one ID: the receiver can recognise the retries as the same event.
    expect(new Set(receiver.received.map((r) => (r.body as { id: string }).id)).size).toBe(1);
    // Exponential backoff: each delay within [cap/2, cap] for caps 100, 200, 400 ms.
    expect(delays).toHaveLength(3);
    delays.forEach((delay, i) => {
      expect(delay).toBeGreaterThanOrEqual(50 * 2 ** i);
      expect(delay).toBeLessThanOrEqual(100 * 2 ** i);
    });
  });

  it('gives up after the last attempt and says so', async () => {
    receiver.received = [];
    receiver.script = [502, 502, 502, 502, 502];
    const delays: number[] = [];
    await expect(publisher(delays, 3).publish(event)).rejects.toThrow(/after 3 attempts/);
    expect(receiver.received).toHaveLength(3);
    receiver.script = [];
  });

  it('does not retry a permanent refusal (4xx)', async () => {
    receiver.received = [];
    receiver.script = [401];
    await expect(publisher([]).publish(event)).rejects.toBeInstanceOf(WebhookRejectedError);
    expect(receiver.received).toHaveLength(1);
  });

  it('retries when the receiver cannot be reached at all', async () => {
    const delays: number[] = [];
    const unreachable = new WebhookPublisher({
      url: 'http://127.0.0.1:9/unreachable',
      apiKey: 'k',
      maxAttempts: 3,
      baseDelayMs: 1,
      sleep: async (ms) => {
        delays.push(ms);
      },
    });
    await expect(unreachable.publish(event)).rejects.toThrow(/after 3 attempts/);
    expect(delays).toHaveLength(2);
  });
});
