/**
 * `npm run smoke -- --local` against a local server of this test run, as an operator runs it
 * after `npm start`: every check passes with one line each, the test ScoresPublished reaches the
 * webhook marked as a test, and against a server that is not there it fails with exit code 1.
 */
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '#local/emulators.ts';
import { eventTypes } from '#routes/integration.ts';
import { eventually } from './support/http.ts';
import { type LocalServerChild, startLocalServerChild } from './support/local-server.ts';

const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));
let server: LocalServerChild;
let receiver: Server;
const received: Array<Record<string, unknown>> = [];

beforeAll(async () => {
  receiver = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    request.on('end', () => {
      received.push(JSON.parse(body) as Record<string, unknown>);
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const port = (receiver.address() as AddressInfo).port;
  server = await startLocalServerChild({
    env: { PUBLICATION_WEBHOOK_URL: `http://127.0.0.1:${port}/events` },
  });
});

afterAll(async () => {
  await server?.stop();
  await new Promise((resolve) => receiver?.close(resolve));
});

function runSmoke(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/smoke.ts', ...args], {
    cwd: repositoryRoot,
    env: process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

describe('npm run smoke -- --local', () => {
  it('passes every check with one line each, and the test event reaches the webhook marked as a test', async () => {
    const result = await runSmoke(['--local', '--url', server.url]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines.map((line) => line.replace(/:.*$/, ''))).toEqual([
      'ok    health',
      'ok    openapi',
      'ok    unauthenticated refused',
      'ok    ranking client',
      'ok    signed-in read',
      'ok    test delivery',
      'smoke test passed',
    ]);
    expect(lines[4]).toMatch(/an inspector read GET \/v1\/units: nghe-an/);
    const publicationId = /ScoresPublished (smoke-test-[0-9a-f-]+)/.exec(lines[5] ?? '')?.[1];
    expect(publicationId).toBeDefined();
    const event = await eventually('the test event at the webhook', async () =>
      received.find((each) => (each.detail as { publicationId?: string }).publicationId === publicationId),
    );
    expect(event).toMatchObject({
      'detail-type': eventTypes.scoresPublished,
      detail: { test: true, templateId: 'smoke-test', rowCount: 0 },
    });
  });

  it('fails with exit code 1 and a FAIL line per check when nothing answers', async () => {
    const result = await runSmoke(['--local', '--url', `http://127.0.0.1:${await freePort()}`]);
    expect(result.code).toBe(1);
    const failures = result.stdout.split('\n').filter((line) => line.startsWith('FAIL'));
    expect(failures).toHaveLength(6);
    expect(result.stdout).toMatch(/smoke test failed: 6 check\(s\)/);
  });
});
