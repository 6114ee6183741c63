/**
 * A stand-in for EventBridge: a local HTTP server speaking PutEvents' JSON protocol
 * (`X-Amz-Target: AWSEvents.PutEvents`, `application/x-amz-json-1.1`), so the publishers' real
 * SDK client, with its own retries, sends to it. Each PutEvents call (every SDK attempt of one
 * call carries the same `amz-sdk-invocation-id`) is passed to `decide`, once: `pass` accepts its
 * entries; `before` refuses them as EventBridge throttles, a 200 whose entries failed with
 * `ThrottlingException` (nothing accepted; the publisher sees FailedEntryCount); `after`
 * accepts them and answers every attempt 500 InternalException (the event is on the bus, the
 * caller does not know; the SDK's retries put it there again).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import * as z from 'zod/mini';
import { EventBridgePublisher } from '#adapters/events/eventbridge.ts';
import type { EventPublisher } from '#ports/events.ts';

export type BusDecision = 'pass' | 'before' | 'after';

/** One event the bus accepted. */
export interface AcceptedEvent {
  source: string;
  detailType: string;
  detail: unknown;
  busName: string;
}

export interface StandInBus {
  url: string;
  /** Every event accepted, in order (an `after` fault's events included: they went out). */
  accepted: AcceptedEvent[];
  /** PutEvents calls seen, and HTTP requests (attempts) seen. */
  counts: { calls: number; attempts: number; refused: number };
  /** Decides each call's fate; `pass` unless replaced. */
  decide: () => BusDecision;
  /** A publisher as the functions build it (the SDK client, its default retries) on this bus. */
  publisher(busName?: string): EventPublisher;
  close(): Promise<void>;
}

const putEventsBody = z.object({
  Entries: z.array(
    z.object({
      Source: z.string(),
      DetailType: z.string(),
      Detail: z.string(),
      EventBusName: z.optional(z.string()),
    }),
  ),
});

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function answer(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'x-amzn-requestid': randomUUID(),
  });
  response.end(JSON.stringify(body));
}

export async function startStandInBus(): Promise<StandInBus> {
  // Decisions already made, by SDK invocation: a retried attempt meets the same fate.
  const decisions = new Map<string, BusDecision>();
  const bus: StandInBus = {
    url: '',
    accepted: [],
    counts: { calls: 0, attempts: 0, refused: 0 },
    decide: () => 'pass',
    publisher(busName = 'par-inspect-proof') {
      const client = new EventBridgeClient({
        endpoint: bus.url,
        region: 'ap-southeast-1',
        credentials: { accessKeyId: 'proof', secretAccessKey: 'proof' },
      });
      return new EventBridgePublisher(client, busName);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server = createServer((request, response) => {
    void (async () => {
      const text = await readBody(request);
      if (request.headers['x-amz-target'] !== 'AWSEvents.PutEvents') {
        answer(response, 400, { __type: 'UnknownOperationException', message: 'Only PutEvents here' });
        return;
      }
      const parsed = putEventsBody.safeParse(JSON.parse(text));
      if (!parsed.success) {
        answer(response, 400, { __type: 'ValidationException', message: 'Not a PutEvents body' });
        return;
      }
      bus.counts.attempts++;
      const invocation = String(request.headers['amz-sdk-invocation-id'] ?? randomUUID());
      let decision = decisions.get(invocation);
      if (decision === undefined) {
        bus.counts.calls++;
        decision = bus.decide();
        decisions.set(invocation, decision);
      }
      if (decision === 'before') {
        bus.counts.refused++;
        answer(response, 200, {
          FailedEntryCount: parsed.data.Entries.length,
          Entries: parsed.data.Entries.map(() => ({
            ErrorCode: 'ThrottlingException',
            ErrorMessage: 'Rate exceeded (stand-in)',
          })),
        });
        return;
      }
      for (const entry of parsed.data.Entries) {
        bus.accepted.push({
          source: entry.Source,
          detailType: entry.DetailType,
          detail: JSON.parse(entry.Detail),
          busName: entry.EventBusName ?? 'default',
        });
      }
      if (decision === 'after') {
        answer(response, 500, { __type: 'InternalException', message: 'Internal failure (stand-in)' });
        return;
      }
      answer(response, 200, {
        FailedEntryCount: 0,
        Entries: parsed.data.Entries.map(() => ({ EventId: randomUUID() })),
      });
    })().catch((error: unknown) => {
      answer(response, 500, { __type: 'InternalException', message: String(error) });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  bus.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return bus;
}
