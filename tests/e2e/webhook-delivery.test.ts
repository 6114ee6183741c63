/**
 * `npm start` does not lose a ScoresPublished the ranking system's webhook missed: published
 * while the receiver is down, the event waits in the data folder's delivery queue through a
 * restart of the server, and is delivered once the receiver is up.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { freePort } from '#local/emulators.ts';
import { eventTypes } from '#routes/integration.ts';
import { client, eventually } from './support/http.ts';
import { type LocalServerChild, startLocalServerChild } from './support/local-server.ts';

const suffix = `hook-${Date.now().toString(36)}`;

let server: LocalServerChild | undefined;
const receiver = { server: null as Server | null, received: [] as Array<{ apiKey: unknown; body: unknown }> };

afterAll(async () => {
  await server?.stop();
  await receiverDown();
});

/** The ranking system's endpoint on a fixed port: down means the port refuses connections. */
async function receiverUp(port: number): Promise<void> {
  const listening = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
    });
    request.on('end', () => {
      receiver.received.push({ apiKey: request.headers['x-api-key'], body: JSON.parse(text) });
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => listening.listen(port, '127.0.0.1', resolve));
  receiver.server = listening;
}

async function receiverDown(): Promise<void> {
  const listening = receiver.server;
  receiver.server = null;
  listening?.closeAllConnections();
  await new Promise((resolve) => (listening ? listening.close(resolve) : resolve(undefined)));
}

const pendingRecord = z.object({
  event: z.object({ id: z.string(), detail: z.looseObject({ publicationId: z.string() }) }).loose(),
  attempts: z.number(),
});

function pendingDeliveries(dataDir: string) {
  const folder = join(dataDir, 'deliveries', 'pending');
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((name) => name.endsWith('.json'))
    .map((name) => pendingRecord.parse(JSON.parse(readFileSync(join(folder, name), 'utf8'))));
}

const deliveredFor = (publicationId: string) =>
  receiver.received.filter(
    (hook) =>
      z
        .object({ detail: z.object({ publicationId: z.literal(publicationId) }).loose() })
        .loose()
        .safeParse(hook.body).success,
  );

describe('ScoresPublished delivery under npm start', () => {
  it('retries while the receiver is down and delivers once it is up, also after a restart of the server', async () => {
    const receiverPort = await freePort();
    const env = {
      PUBLICATION_WEBHOOK_URL: `http://127.0.0.1:${receiverPort}/ranking-events`,
      PUBLICATION_WEBHOOK_API_KEY: 'e2e-delivery-key',
      // Shrunk backoff: retries every few hundred milliseconds instead of up to 5 minutes.
      LOCAL_DELIVERY_FIRST_RETRY_MS: '100',
      LOCAL_DELIVERY_MAX_DELAY_MS: '400',
    };
    server = await startLocalServerChild({ keepData: true, storageSuffix: suffix, env });
    const dataDir = server.dataDir;
    const call = client(server.url);
    const tokenReply = await call('POST', '/local/tokens', { body: { role: 'admin', unitId: 'nghe-an' } });
    const admin = z.object({ token: z.string() }).parse(tokenReply.body).token;
    const publish = async () => {
      const published = await call('POST', '/v1/publications', {
        token: admin,
        body: {
          templateId: 'one-stop-counter',
          period: String(new Date().getUTCFullYear()),
          parentId: 'nghe-an',
          kind: 'ward',
        },
      });
      expect(published.status, published.text).toBe(201);
      return z.object({ publicationId: z.string() }).parse(published.body).publicationId;
    };

    // 1. Published while the receiver is down, for longer than the old in-memory retries lasted
    // (5 attempts, about 3 s, then the event was dropped): delivered once the receiver is up.
    const first = await publish();
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    await receiverUp(receiverPort);
    await eventually('the first delivery', async () => (deliveredFor(first).length > 0 ? true : undefined));
    expect(deliveredFor(first)).toHaveLength(1);
    expect(deliveredFor(first)[0]?.apiKey).toBe('e2e-delivery-key');
    await eventually('no delivery pending', async () =>
      pendingDeliveries(dataDir).length === 0 ? true : undefined,
    );

    // 2. Published while the receiver is down, and the server stopped before it comes up: the
    // event waits in the data folder and the restarted server delivers it.
    await receiverDown();
    const second = await publish();
    const waiting = await eventually('three refused attempts', async () => {
      const [record] = pendingDeliveries(dataDir);
      return record && record.attempts >= 3 ? record : undefined;
    });
    expect(waiting.event.detail.publicationId).toBe(second);
    await server.stop();
    expect(server.exitCode()).toBe(0);
    expect(pendingDeliveries(dataDir).map((record) => record.event.id)).toEqual([waiting.event.id]);

    await receiverUp(receiverPort);
    server = await startLocalServerChild({ port: server.port, dataDir, storageSuffix: suffix, env });
    expect(server.output()).toMatch(/1 delivery\(ies\) pending from an earlier run/);
    await eventually('the delivery after the restart', async () =>
      deliveredFor(second).length > 0 ? true : undefined,
    );
    expect(deliveredFor(second)).toEqual([
      {
        apiKey: 'e2e-delivery-key',
        body: expect.objectContaining({ id: waiting.event.id, 'detail-type': eventTypes.scoresPublished }),
      },
    ]);
    await eventually('no delivery pending', async () =>
      pendingDeliveries(dataDir).length === 0 ? true : undefined,
    );
    expect(deliveredFor(first)).toHaveLength(1);
  });
});
