/**
 * Runs `local/main.ts` (what `npm start` runs) as a child process on a free port, over the
 * emulators this test run already started (no second Java process), with its own table, bucket
 * and data folder so it shares nothing with other tests.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';
import { freePort } from '#local/emulators.ts';

const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

export interface LocalServerChild {
  /** `http://localhost:PORT`, or `https://localhost:PORT` with `https`. */
  url: string;
  port: number;
  dataDir: string;
  /** The child's exit code once stopped. */
  exitCode(): number | null;
  /** What the child printed so far (stdout and stderr), for failure messages. */
  output(): string;
  /** SIGTERM (the Ctrl-C path), SIGKILL if it hangs; removes the data folder. */
  stop(): Promise<void>;
}

export interface ChildOptions {
  /** Extra or overriding environment variables. */
  env?: Record<string, string>;
  /** Reuse a port and data folder (a restart); by default fresh ones. */
  port?: number;
  dataDir?: string;
  /** Keep the data folder on stop (to start again on it). */
  keepData?: boolean;
  /** Names of the table and bucket; unique by default. */
  storageSuffix?: string;
  /**
   * Build (or reuse) and serve the web app. Off by default (`--no-web`): parallel test workers
   * should not all build the app; the tests of the app's serving turn it on.
   */
  web?: boolean;
  /** Start with `--https`; readiness is then checked over TLS. */
  https?: boolean;
  /** More command-line arguments. */
  args?: string[];
}

/** The environment of a child on the test run's emulators, with its own table and bucket. */
export function childEnvironment(suffix: string, env: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DYNAMODB_ENDPOINT: inject('dynamodbEndpoint'),
    S3_ENDPOINT: inject('s3Endpoint'),
    S3_EVENTS_URL: inject('s3EventsUrl'),
    LOCAL_TABLE_NAME: `e2e-${suffix}`,
    LOCAL_BUCKET_NAME: `e2e-${suffix}`,
    POWERTOOLS_LOG_LEVEL: 'WARN',
    ...env,
  };
}

/** Spawns `local/main.ts` with the test run's own Node (24) and tsx's loader: no npx round trip. */
export function spawnLocalMain(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'local/main.ts', ...args], {
    cwd: repositoryRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Runs the runner expecting it to stop by itself (a setup failure): its exit code and output. */
export async function runUntilExit(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawnLocalMain(args, env);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const code = await new Promise<number | null>((resolve) =>
    child.once('exit', (exitCode) => resolve(exitCode)),
  );
  clearTimeout(timer);
  return { code, stdout, stderr };
}

/** Starts the local server and waits until it has printed its banner and answers /v1/health. */
export async function startLocalServerChild(options: ChildOptions = {}): Promise<LocalServerChild> {
  const port = options.port ?? (await freePort());
  const suffix = options.storageSuffix ?? randomUUID().slice(0, 8);
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'par-inspect-e2e-'));
  const child = spawnLocalMain(
    [
      '--port',
      String(port),
      '--data-dir',
      dataDir,
      ...(options.web ? [] : ['--no-web']),
      ...(options.https ? ['--https'] : []),
      ...(options.args ?? []),
    ],
    childEnvironment(suffix, options.env),
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  const url = `${options.https ? 'https' : 'http'}://localhost:${port}`;
  const server: LocalServerChild = {
    url,
    port,
    dataDir,
    exitCode: () => child.exitCode,
    output: () => output,
    stop: async () => {
      await stopChild(child);
      if (!options.keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  try {
    await waitUntilReady(url, child, () => output);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}

async function waitUntilReady(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 45_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the local server exited (${child.exitCode}):\n${output()}`);
    try {
      // Ready is when the banner is out (printed once seeding is done), and the API answers.
      const status = url.startsWith('https:')
        ? (await insecureGet(`${url}/v1/health`)).status
        : (await fetch(`${url}/v1/health`, { signal: AbortSignal.timeout(2_000) })).status;
      if (status === 200 && output().includes('local API ready at')) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`the local server was not ready within 45 s:\n${output()}`);
}

/**
 * A GET over TLS that accepts the local server's certificate whatever its authority (or checks
 * it against `ca` when given). fetch cannot be told either without an extra dependency.
 */
export function insecureGet(
  url: string,
  options: { ca?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer; authorized: boolean }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      url,
      {
        method: 'GET',
        headers: options.headers ?? {},
        ...(options.ca ? { ca: options.ca } : { rejectUnauthorized: false }),
        timeout: 5_000,
      },
      (res) => {
        // Read now: the socket is detached from the response once it has ended.
        const authorized = 'authorized' in res.socket && res.socket.authorized === true;
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
            authorized,
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timed out: ${url}`)));
    req.on('error', reject);
    req.end();
  });
}

/** SIGTERM (the Ctrl-C path), then SIGKILL if the child has not exited within 15 s. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

/** One request a test webhook received. */
export interface ReceivedHook {
  headers: IncomingHttpHeaders;
  body: unknown;
}

/** A stand-in for the ranking system's endpoint: records every POST, answers 200. */
export async function startWebhookReceiver(): Promise<{
  url: string;
  received: ReceivedHook[];
  /** Resolves with the first request `matches` accepts (waiting for it if need be). */
  waitFor(matches: (hook: ReceivedHook) => boolean, timeoutMs?: number): Promise<ReceivedHook>;
  stop(): Promise<void>;
}> {
  const received: ReceivedHook[] = [];
  const server = createServer((req, res) => {
    void (async () => {
      let text = '';
      for await (const chunk of req) text += chunk;
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // kept as text
      }
      received.push({ headers: req.headers, body });
      res.writeHead(200).end();
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/ranking-events`,
    received,
    async waitFor(matches, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const found = received.find(matches);
        if (found) return found;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`the webhook received nothing matching within ${timeoutMs} ms`);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
