/**
 * The record worker as it deploys: its bundle is made by CDK itself (a ProjectFunction with the
 * route table's worker entry, synthesised with bundling on: the local esbuild and the
 * afterBundling hook that copies the Tinos faces), put in a folder outside the repository (no
 * node_modules anywhere above it), and run in a Node child process on a RecordRequested event
 * against DynamoDB Local and s3rver. The record it builds embeds the fonts found in the bundle;
 * the same bundle without its fonts/ folder fails the build, so the fonts come from the bundle
 * and nowhere else.
 */
import { execFile, execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { App, Stack } from 'aws-cdk-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configureDeps } from '#adapters/wiring.ts';
import { bundledFilesOf } from '#infra/bundling.ts';
import { ProjectFunction } from '#infra/constructs/project-function.ts';
import { eventSource, eventTypes } from '#routes/integration.ts';
import { workers } from '#routes/table.ts';
import { people, seedProvince, startApi, submittedVisit } from '#tests/support/api.ts';
import { invoke } from '#tests/support/invoke.ts';
import { recordingPublisher } from '#tests/support/peer-group.ts';

const run = promisify(execFile);
let api: Awaited<ReturnType<typeof startApi>>;
const work = mkdtempSync(join(tmpdir(), 'par-record-bundle-'));
let bundle: string;

beforeAll(async () => {
  api = await startApi('record-bundle');
  // No worker runs in this process: records stay running until the bundle builds them.
  configureDeps({ events: recordingPublisher() });
  await seedProvince();

  const worker = workers.find((candidate) => candidate.name === 'buildRecord');
  if (!worker) throw new Error('no buildRecord worker in the route table');
  const app = new App({ outdir: join(work, 'cdk.out') });
  new ProjectFunction(new Stack(app, 'RecordBundle'), worker.name, {
    entry: worker.handler,
    access: {},
    environment: {},
    description: worker.summary,
    bundledFiles: bundledFilesOf(worker.name),
  });
  app.synth();
  const asset = readdirSync(join(work, 'cdk.out')).find((name) => name.startsWith('asset.'));
  if (!asset) throw new Error('CDK made no asset');
  // Outside the repository: nothing above it has a node_modules folder to fall back on.
  bundle = join(work, 'bundle');
  cpSync(join(work, 'cdk.out', asset), bundle, { recursive: true });
}, 120_000);
afterAll(async () => {
  await api.close();
  rmSync(work, { recursive: true, force: true });
});

/** An approved visit's record, asked for and left running (no worker here). */
async function runningRecord(): Promise<string> {
  const { visitId } = await submittedVisit({ unitId: 'W2' });
  const approved = await invoke('reviewVisit', {
    params: { visitId },
    body: { decision: 'approve', comment: 'Đạt yêu cầu.' },
    as: people.manager,
  });
  expect(approved.status, JSON.stringify(approved.body)).toBe(200);
  const started = await invoke('createRecord', { params: { visitId }, as: people.manager });
  expect(started.status).toBe(202);
  return (started.body as { recordId: string }).recordId;
}

/** Runs the bundled handler on the record's event in a fresh Node process, as Lambda would. */
async function runBundle(recordId: string): Promise<string> {
  const event = { source: eventSource, 'detail-type': eventTypes.recordRequested, detail: { recordId } };
  const script = `const { handler } = await import(${JSON.stringify(join(bundle, 'index.mjs'))}); await handler(${JSON.stringify(event)});`;
  const { stdout, stderr } = await run(process.execPath, ['--input-type=module', '-e', script], {
    cwd: bundle,
    env: {
      PATH: process.env.PATH ?? '',
      TABLE_NAME: process.env.TABLE_NAME ?? '',
      BUCKET_NAME: process.env.BUCKET_NAME ?? '',
      DYNAMODB_ENDPOINT: process.env.DYNAMODB_ENDPOINT ?? '',
      S3_ENDPOINT: process.env.S3_ENDPOINT ?? '',
      AWS_REGION: 'ap-southeast-1',
      POWERTOOLS_LOG_LEVEL: 'INFO',
    },
    timeout: 60_000,
  });
  return stdout + stderr;
}

async function recordOf(recordId: string) {
  const read = await invoke('getRecord', { params: { recordId }, as: people.manager });
  expect(read.status).toBe(200);
  return read.body as { status: string; numberText: string; pdfUrl?: string };
}

describe('the record worker’s bundle', () => {
  it('carries the four Tinos faces beside its handler', () => {
    expect(readdirSync(join(bundle, 'fonts')).sort()).toEqual([
      'Tinos_400Regular.ttf',
      'Tinos_400Regular_Italic.ttf',
      'Tinos_700Bold.ttf',
      'Tinos_700Bold_Italic.ttf',
    ]);
    expect(existsSync(join(bundle, 'node_modules'))).toBe(false);
  });

  it('builds a record in a child process with the fonts it carries', async () => {
    const recordId = await runningRecord();
    const log = await runBundle(recordId);
    const record = await recordOf(recordId);
    expect(record.status, log).toBe('ready');
    const response = await fetch(record.pdfUrl ?? '');
    const pdfPath = join(work, 'bundled.pdf');
    writeFileSync(pdfPath, Buffer.from(await response.arrayBuffer()));
    // The faces drawn are Tinos, embedded (subset) from the bundle's TTFs.
    const fonts = execFileSync('pdffonts', [pdfPath], { encoding: 'utf8' });
    expect(fonts).toMatch(/\+Tinos-Regular\s+CID TrueType\s+Identity-H\s+yes/);
    expect(fonts).toMatch(/\+Tinos-Bold\s+CID TrueType\s+Identity-H\s+yes/);
    expect(fonts).not.toMatch(/Helvetica|Times-Roman/);
    const text = execFileSync('pdftotext', [pdfPath, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(text).toContain('BIÊN BẢN KIỂM TRA');
    expect(text).toContain(record.numberText);
  });

  it('fails the build (its number kept) when the bundle has lost its fonts', async () => {
    rmSync(join(bundle, 'fonts'), { recursive: true });
    const recordId = await runningRecord();
    const log = await runBundle(recordId);
    const record = await recordOf(recordId);
    expect(record.status).toBe('failed');
    // It looked for the package the bundle does not have.
    expect(log).toContain('@expo-google-fonts/tinos');
    expect(record.numberText).toMatch(/^Số: \d+\/BB-SNV$/);
  });
});
