/**
 * The local bus's webhook delivery (local/deliveries.ts) with a real receiver, real files and
 * a shrunk retry policy: an event the bus accepted is on disk before `accept` returns, is
 * retried while the receiver is down or failing and delivered once it is back, survives a
 * restart, and ends in the dead letters when too old, out of retries or refused, from where
 * `npm run dead-letters` lists and replays it.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { type EventEnvelope, eventEnvelope, WebhookTarget } from '#adapters/events/webhook.ts';
import { dataLayout } from '#local/data-dir.ts';
import {
  DeliveryFolders,
  type DeliveryPolicy,
  defaultDeliveryPolicy,
  WebhookDeliveries,
} from '#local/deliveries.ts';
import { freePort } from '#local/emulators.ts';
import { BackgroundTasks, localEventPublisher } from '#local/events.ts';
import type { RunnerLog } from '#local/log.ts';
import { eventTypes } from '#routes/integration.ts';

const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Milliseconds instead of minutes; a test that needs a limit sets it. */
const quick: DeliveryPolicy = {
  ...defaultDeliveryPolicy,
  firstRetryMs: 20,
  maxDelayMs: 80,
  timeoutMs: 1_000,
  sweepEveryMs: 60_000,
};

const event = (publicationId: string) => ({
  type: eventTypes.scoresPublished,
  detail: { publicationId, hash: 'cd'.repeat(32), rowCount: 6, supersedes: null },
});

/** A receiver on a fixed port that can be down (the port refuses), and answers from a script. */
class Receiver {
  readonly received: Array<{ id: string; status: number; apiKey: string | undefined }> = [];
  script: number[] = [];
  /** What it answers once the script is used up. */
  otherwise = 200;
  private server: Server | null = null;

  constructor(readonly port: number) {}

  get url() {
    return `http://127.0.0.1:${this.port}/ranking-events`;
  }

  async up(): Promise<void> {
    const server = createServer((request, response) => {
      let text = '';
      request.on('data', (chunk: Buffer) => {
        text += chunk.toString('utf8');
      });
      request.on('end', () => {
        const status = this.script.shift() ?? this.otherwise;
        const body = JSON.parse(text) as { id: string };
        const key = request.headers['x-api-key'];
        this.received.push({ id: body.id, status, apiKey: typeof key === 'string' ? key : undefined });
        response.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.server = server;
  }

  async down(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

function capturingLog(): RunnerLog & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (message) => lines.push(`info ${message}`),
    warn: (message) => lines.push(`warn ${message}`),
    error: (message, error) =>
      lines.push(`error ${message}${error instanceof Error ? `: ${error.message}` : ''}`),
  };
}

async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 10_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setUp(policy: Partial<DeliveryPolicy> = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'par-inspect-deliveries-'));
  const folders = DeliveryFolders.of(dataLayout(dataDir));
  const receiver = new Receiver(await freePort());
  const log = capturingLog();
  const start = async (overrides: Partial<DeliveryPolicy> = {}) => {
    const queue = new WebhookDeliveries({
      folders,
      target: new WebhookTarget({ url: receiver.url, apiKey: 'test-key', timeoutMs: quick.timeoutMs }),
      policy: { ...quick, ...policy, ...overrides },
      log,
    });
    const counts = await queue.start();
    cleanups.push(() => queue.stop());
    return { queue, counts };
  };
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  cleanups.push(() => receiver.down());
  return { dataDir, folders, receiver, log, start };
}

/** `npm run dead-letters -- ...`, as a user runs it (without npm's Node check). */
async function deadLetters(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/dead-letters.ts', ...args], {
    cwd: repositoryRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, output };
}

describe('webhook delivery from the local bus', () => {
  it('keeps an accepted event on disk and retries while the receiver refuses, then fails, until it answers 2xx', async () => {
    const { folders, receiver, log, start } = await setUp();
    const { queue } = await start();

    const envelope = await queue.accept(event('pub-down-then-up'));
    // Durable before `accept` returned: this is what lets the outbox marker go.
    expect(existsSync(folders.file('pending', envelope.id))).toBe(true);

    // Nothing listens on the port: attempts fail with a refused connection and are retried.
    const failing = await eventually('three refused attempts', async () => {
      const record = await folders.readPending(envelope.id);
      return record && record.attempts >= 3 ? record : undefined;
    });
    expect(failing.lastFailure).toMatchObject({ errorCode: 'CONNECTION_FAILURE' });

    // The receiver comes up but fails twice more before it accepts.
    receiver.script = [500, 500];
    await receiver.up();
    await eventually('the delivery', () =>
      receiver.received.some((r) => r.status === 200) ? true : undefined,
    );
    await eventually('the pending file removed', async () =>
      (await folders.ids('pending')).length === 0 ? true : undefined,
    );
    await sleep(300);

    // One event: the same ID in every attempt, delivered once, and nothing sent after that.
    expect(receiver.received.map((r) => r.status)).toEqual([500, 500, 200]);
    expect(new Set(receiver.received.map((r) => r.id))).toEqual(new Set([envelope.id]));
    expect(receiver.received.every((r) => r.apiKey === 'test-key')).toBe(true);
    expect(await folders.ids('dead')).toEqual([]);
    expect(
      log.lines.some((line) => /publicationId=pub-down-then-up delivered to the webhook after/.test(line)),
    ).toBe(true);
  });

  it('moves an event past its maximum age to the dead letters, and dead-letters replay delivers it', async () => {
    // Long enough for several attempts on a machine loaded by other work (400 ms gave only 2
    // under a load average of 17), short enough for the test.
    const maxAgeMs = 1_500;
    const { dataDir, folders, receiver, log, start } = await setUp({ maxAgeMs });
    receiver.otherwise = 503;
    await receiver.up();
    const { queue } = await start();

    const envelope = await queue.accept(event('pub-too-old'));
    const letter = await eventually('the dead letter', () =>
      folders.readDead(envelope.id).then((l) => l ?? undefined),
    );
    const attemptsAtDeath = receiver.received.length;
    expect(letter).toMatchObject({
      exhaustedRetryCondition: 'MaximumEventAge',
      attempts: attemptsAtDeath,
      lastFailure: { errorCode: 'ERROR_FROM_TARGET', status: 503 },
    });
    expect(attemptsAtDeath).toBeGreaterThanOrEqual(3);
    // The last attempt falls on the age limit, not a whole backoff after it (timers may run late
    // on a busy machine, hence the margin).
    expect(Date.parse(letter.deadAt) - Date.parse(envelope.time)).toBeLessThan(maxAgeMs + 1_000);
    // Written dead first, then removed from pending (so a crash in between loses nothing).
    await eventually('the pending file removed', async () =>
      (await folders.ids('pending')).length === 0 ? true : undefined,
    );
    // The line is logged once the burial returns, which may be a tick after the pending file went.
    await eventually('the dead-letter log line', async () =>
      log.lines.some((line) => /dead letters .*npm run dead-letters/.test(line)) ? true : undefined,
    );
    await sleep(200);
    expect(receiver.received).toHaveLength(attemptsAtDeath);

    const env = { PUBLICATION_WEBHOOK_URL: receiver.url, PUBLICATION_WEBHOOK_API_KEY: 'test-key' };
    const listed = await deadLetters(['list', '--data-dir', dataDir], env);
    expect(listed.code, listed.output).toBe(0);
    expect(listed.output).toContain(envelope.id);
    expect(listed.output).toMatch(/publicationId=pub-too-old/);
    expect(listed.output).toMatch(/MaximumEventAge/);
    expect(listed.output).toMatch(/HTTP 503/);

    receiver.otherwise = 200;
    const replayed = await deadLetters(['replay', envelope.id, '--data-dir', dataDir], env);
    expect(replayed.code, replayed.output).toBe(0);
    expect(replayed.output).toMatch(/1 of 1 dead letters replayed/);
    expect(receiver.received.at(-1)).toEqual({ id: envelope.id, status: 200, apiKey: 'test-key' });
    expect(await folders.ids('dead')).toEqual([]);
  });

  it('gives up after the maximum retries (185 in AWS; here 2)', async () => {
    const { folders, receiver, start } = await setUp({ maxRetries: 2 });
    receiver.otherwise = 500;
    await receiver.up();
    const { queue } = await start();

    const envelope = await queue.accept(event('pub-retries'));
    const letter = await eventually('the dead letter', () =>
      folders.readDead(envelope.id).then((l) => l ?? undefined),
    );
    expect(letter).toMatchObject({ exhaustedRetryCondition: 'MaximumRetryAttempts', attempts: 3 });
    expect(receiver.received).toHaveLength(3);
  });

  it('sends a refused event (400) to the dead letters at once, and a replay that fails again keeps it', async () => {
    const { dataDir, folders, receiver, start } = await setUp();
    receiver.otherwise = 400;
    await receiver.up();
    const { queue } = await start();

    const envelope = await queue.accept(event('pub-refused'));
    const letter = await eventually('the dead letter', () =>
      folders.readDead(envelope.id).then((l) => l ?? undefined),
    );
    expect(letter).toMatchObject({
      exhaustedRetryCondition: null,
      attempts: 1,
      lastFailure: { status: 400 },
    });
    expect(receiver.received).toHaveLength(1);

    const env = { PUBLICATION_WEBHOOK_URL: receiver.url, PUBLICATION_WEBHOOK_API_KEY: 'test-key' };
    const replayed = await deadLetters(['replay', '--all', '--data-dir', dataDir], env);
    expect(replayed.code, replayed.output).toBe(1);
    expect(replayed.output).toMatch(/not delivered \(the webhook answered HTTP 400\), dead letter kept/);
    expect(await folders.ids('dead')).toEqual([envelope.id]);
  });

  it('resumes a pending delivery after a restart, with the attempts it had made', async () => {
    const { folders, receiver, start } = await setUp();
    const first = await start();
    const envelope = await first.queue.accept(event('pub-restart'));
    await eventually('a failed attempt', async () =>
      (await folders.readPending(envelope.id))?.attempts ? true : undefined,
    );
    await first.queue.stop();
    const left = await folders.readPending(envelope.id);
    expect(left?.attempts).toBeGreaterThanOrEqual(1);

    await receiver.up();
    const second = await start();
    expect(second.counts.pending).toBe(1);
    await eventually('the delivery after the restart', () =>
      receiver.received.length > 0 ? true : undefined,
    );
    expect(receiver.received).toEqual([{ id: envelope.id, status: 200, apiKey: 'test-key' }]);
    await eventually('the pending file removed', async () =>
      (await folders.ids('pending')).length === 0 ? true : undefined,
    );
  });

  it('sweeps up a pending file that no timer waits on (put back by hand while it runs)', async () => {
    const { folders, receiver, start } = await setUp({ sweepEveryMs: 100 });
    await receiver.up();
    await start();
    const envelope: EventEnvelope = eventEnvelope(event('pub-swept'), new Date());
    await folders.savePending({
      event: envelope,
      attempts: 4,
      nextAttemptAt: envelope.time,
      lastFailure: null,
    });

    await eventually('the swept delivery', () => (receiver.received.length > 0 ? true : undefined));
    expect(receiver.received[0]?.id).toBe(envelope.id);
  });

  it('moves an unreadable pending file to the dead letters, where list reports it', async () => {
    const { dataDir, folders, receiver, log, start } = await setUp();
    await receiver.up();
    await folders.ensure();
    writeFileSync(join(folders.pending, 'broken-1.json'), '{"event": 42');
    await start();

    expect(await folders.ids('pending')).toEqual([]);
    expect(await folders.ids('dead')).toEqual(['broken-1']);
    expect(log.lines.some((line) => /unreadable pending delivery/.test(line))).toBe(true);
    const listed = await deadLetters(['list', '--data-dir', dataDir], {});
    expect(listed.output).toMatch(/broken-1 {2}unreadable/);
    expect(receiver.received).toEqual([]);
  });

  it('after a crash, drops temporary files and keeps a delivery that is both pending and dead dead', async () => {
    const { folders, receiver, start } = await setUp();
    await receiver.up();
    await folders.ensure();
    const envelope = eventEnvelope(event('pub-crash'), new Date());
    await folders.savePending({
      event: envelope,
      attempts: 1,
      nextAttemptAt: envelope.time,
      lastFailure: null,
    });
    await folders.bury({
      event: envelope,
      attempts: 2,
      deadAt: new Date().toISOString(),
      lastFailure: { errorCode: 'TIMEOUT', errorMessage: 'no answer', at: new Date().toISOString() },
      exhaustedRetryCondition: 'MaximumEventAge',
    });
    // As if the crash came between writing the dead letter and removing the pending file.
    await folders.savePending({
      event: envelope,
      attempts: 1,
      nextAttemptAt: envelope.time,
      lastFailure: null,
    });
    writeFileSync(join(folders.pending, `.${envelope.id}.half-written.tmp`), '{"ev');

    await start();
    expect(readdirSync(folders.pending)).toEqual([]);
    expect(await folders.ids('dead')).toEqual([envelope.id]);
    await sleep(100);
    expect(receiver.received).toEqual([]);
  });

  it('fails the publish when the event cannot be written, so the outbox marker stays for the sweeper', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'par-inspect-deliveries-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    // A file where the folder should be: even root cannot write under it.
    writeFileSync(join(dataDir, 'not-a-folder'), '');
    const folders = new DeliveryFolders(join(dataDir, 'not-a-folder', 'pending'), join(dataDir, 'dead'));
    const log = capturingLog();
    const queue = new WebhookDeliveries({
      folders,
      target: new WebhookTarget({ url: 'http://127.0.0.1:9/never', apiKey: '' }),
      policy: quick,
      log,
    });
    cleanups.push(() => queue.stop());
    const bus = await localEventPublisher({ tasks: new BackgroundTasks(log), log, deliveries: queue });

    await expect(bus.publish(event('pub-disk'))).rejects.toThrow(/ENOTDIR/);
  });
});
