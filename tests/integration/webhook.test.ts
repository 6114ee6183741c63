/**
 * The webhook target, one attempt at a time, against a real HTTP receiver: what it sends, and
 * how it classes each answer as the API destination does (retry 401, 407, 409, 429, 5xx,
 * timeouts and refused connections; anything else is final).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventEnvelope, retryAfter, WebhookTarget } from '#adapters/events/webhook.ts';
import { freePort } from '#local/emulators.ts';
import { eventSource, eventTypes } from '#routes/integration.ts';

interface Received {
  method: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

/** A receiver that answers each request with the next reply of its script (200 when done). */
const receiver = {
  script: [] as Array<{ status: number; headers?: Record<string, string>; delayMs?: number }>,
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
      const reply = receiver.script.shift() ?? { status: 200 };
      setTimeout(() => {
        response.writeHead(reply.status, reply.headers ?? {});
        response.end('{}');
      }, reply.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const event = {
  type: eventTypes.scoresPublished,
  detail: { publicationId: 'p-1', hash: 'ab'.repeat(32), rowCount: 3, supersedes: null },
};

function reset(script: typeof receiver.script = []) {
  receiver.received = [];
  receiver.script = script;
}

describe('the webhook target', () => {
  it('POSTs the EventBridge envelope with the API key, and a 2xx is delivered', async () => {
    reset([{ status: 204 }]);
    const envelope = eventEnvelope(event, new Date('2025-06-01T02:03:04.000Z'));
    const outcome = await new WebhookTarget({ url, apiKey: 'secret-key' }).send(envelope);

    expect(outcome).toEqual({ kind: 'delivered', status: 204 });
    expect(receiver.received).toHaveLength(1);
    const [first] = receiver.received;
    expect(first?.method).toBe('POST');
    expect(first?.headers['x-api-key']).toBe('secret-key');
    expect(first?.headers['content-type']).toBe('application/json');
    expect(first?.body).toEqual({
      version: '0',
      id: envelope.id,
      source: eventSource,
      'detail-type': eventTypes.scoresPublished,
      time: '2025-06-01T02:03:04.000Z',
      resources: [],
      detail: event.detail,
    });
  });

  it('retries what the API destination retries: 401, 407, 409, 429 and 5xx, with Retry-After', async () => {
    const target = new WebhookTarget({ url, apiKey: 'k' });
    const envelope = eventEnvelope(event, new Date());
    for (const status of [401, 409, 429, 500, 502, 503]) {
      reset([{ status, headers: status === 429 ? { 'retry-after': '7' } : {} }]);
      const outcome = await target.send(envelope);
      expect(outcome, `HTTP ${status}`).toMatchObject({
        kind: 'retry',
        errorCode: 'ERROR_FROM_TARGET',
        status,
      });
      if (status === 429) expect(outcome).toMatchObject({ retryAfterMs: 7000 });
    }
    // fetch turns a 407 (proxy authentication) into a network error: retried all the same.
    reset([{ status: 407 }]);
    expect(await target.send(envelope)).toMatchObject({ kind: 'retry' });
  });

  it('does not retry any other answer: 400, 403, 404, 408, 410, 422 or a redirect (not followed)', async () => {
    const target = new WebhookTarget({ url, apiKey: 'k' });
    const envelope = eventEnvelope(event, new Date());
    for (const status of [400, 403, 404, 408, 410, 422, 301, 302]) {
      reset([{ status, headers: { location: `${url}/elsewhere` } }]);
      expect(await target.send(envelope), `HTTP ${status}`).toMatchObject({ kind: 'rejected', status });
      // A redirect is not followed: the event is not posted to another address.
      expect(receiver.received).toHaveLength(1);
    }
  });

  it('retries a receiver that does not answer in time, and one that cannot be reached', async () => {
    reset([{ status: 200, delayMs: 1_000 }]);
    const slow = await new WebhookTarget({ url, apiKey: 'k', timeoutMs: 200 }).send(
      eventEnvelope(event, new Date()),
    );
    expect(slow).toMatchObject({ kind: 'retry', errorCode: 'TIMEOUT' });

    const closedPort = await freePort();
    const down = await new WebhookTarget({ url: `http://127.0.0.1:${closedPort}/events`, apiKey: 'k' }).send(
      eventEnvelope(event, new Date()),
    );
    expect(down).toMatchObject({ kind: 'retry', errorCode: 'CONNECTION_FAILURE' });
    expect(down.kind === 'retry' && down.message).toMatch(/ECONNREFUSED/);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2025-06-01T00:00:00Z');
    expect(retryAfter('120', now)).toBe(120_000);
    expect(retryAfter('Sun, 01 Jun 2025 00:00:30 GMT', now)).toBe(30_000);
    expect(retryAfter('soon', now)).toBeUndefined();
    expect(retryAfter(null, now)).toBeUndefined();
  });
});
