/**
 * `npm start` itself, for the browser tests, the web benchmarks and the screenshots: local/main.ts
 * with its own DynamoDB Local and s3rver (as on a fresh clone), the demo data, and the built app
 * at `/`, on a free port and a fresh data folder. Its output (the banner, then one line per
 * request, `HH:MM:SS METHOD URL STATUS N ms`) is kept, and appended to `logFile` when given, so
 * that the test files can read what reached the server.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '#local/emulators.ts';
import { stopChild } from '#tests/e2e/support/local-server.ts';

export const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

export interface StartedApp {
  /** `http://localhost:PORT` */
  url: string;
  /** What the server printed so far. */
  output(): string;
  /** SIGTERM (the Ctrl-C path, which stops its emulators too), SIGKILL if it hangs. */
  stop(): Promise<void>;
}

/** Starts the runner and waits for its banner; fails if it serves no app. */
export async function startApp(
  options: { logFile?: string; env?: Record<string, string> } = {},
): Promise<StartedApp> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'par-inspect-app-'));
  const env: NodeJS.ProcessEnv = { ...process.env, POWERTOOLS_LOG_LEVEL: 'WARN', ...options.env };
  // Its own emulators, as `npm start` on a fresh clone.
  delete env.DYNAMODB_ENDPOINT;
  delete env.S3_ENDPOINT;
  delete env.S3_EVENTS_URL;
  // The test run's own Node (24) with tsx's loader, as the e2e tests start it: no npx round trip.
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'local/main.ts', '--port', String(port), '--data-dir', dataDir],
    { cwd: repositoryRoot, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const keep = (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    output += text;
    if (options.logFile) appendFileSync(options.logFile, text);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const stop = async () => {
    await stopChild(child);
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const deadline = Date.now() + 120_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`npm start exited (${child.exitCode}):\n${output}`);
      if (output.includes('local API ready at')) break;
      if (Date.now() > deadline) throw new Error(`npm start was not ready within 120 s:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    if (/web app not served/.test(output)) throw new Error(`npm start serves no app:\n${output}`);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `http://localhost:${port}`, output: () => output, stop };
}

/** Runs `body`, then `cleanups` in reverse order whatever happened; Ctrl-C runs them too. */
export async function withCleanups<T>(
  body: (cleanups: Array<() => Promise<void>>) => Promise<T>,
): Promise<T> {
  const cleanups: Array<() => Promise<void>> = [];
  const runAll = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  };
  const onSignal = () => void runAll().finally(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await body(cleanups);
  } finally {
    await runAll();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
