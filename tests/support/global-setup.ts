/**
 * Starts DynamoDB Local and s3rver once per test run, on free loopback ports, and hands their
 * endpoints to the tests through `inject`. Both stop when the run ends, also when it fails or
 * is interrupted (signal handlers here, and a watchdog in local/emulators.ts for SIGKILL).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import {
  EmulatorSetupError,
  type RunningService,
  startDynamoDbLocal,
  startS3rver,
} from '#local/emulators.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamodbEndpoint: string;
    s3Endpoint: string;
    s3EventsUrl: string;
    /** Where the SDK call log of this run goes (one JSONL file per process); see tests/proof/calls. */
    sdkCallLogDir: string;
    /** The projects of this run that record SDK calls: the call proof checks only what ran. */
    recordingProjects: string[];
  }
}

const needEmulators = new Set(['integration', 'e2e', 'proof']);

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const names = project.vitest.projects.map((p) => p.name);
  if (!names.some((name) => needEmulators.has(name))) return undefined;

  const started: RunningService[] = [];
  const stopAll = async () => {
    await Promise.allSettled(started.splice(0).map((service) => service.stop()));
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      void stopAll().finally(() => process.exit(130));
    });
  }
  // A fresh folder per run: the call proof reads every file in it once the other projects are done.
  const callLogDir = mkdtempSync(join(tmpdir(), 'par-inspect-sdk-calls-'));
  project.provide('sdkCallLogDir', callLogDir);
  project.provide(
    'recordingProjects',
    names.filter((name) => needEmulators.has(name)),
  );
  try {
    const t0 = Date.now();
    const [dynamodb, s3] = await Promise.all([startDynamoDbLocal(), startS3rver()]);
    started.push(dynamodb, s3);
    console.log(
      `DynamoDB Local started at ${dynamodb.endpoint}; s3rver started at ${s3.endpoint} (${Date.now() - t0} ms)`,
    );
    project.provide('dynamodbEndpoint', dynamodb.endpoint);
    project.provide('s3Endpoint', s3.endpoint);
    project.provide('s3EventsUrl', s3.eventsUrl);
  } catch (error) {
    await stopAll();
    if (error instanceof EmulatorSetupError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  return async () => {
    await stopAll();
    rmSync(callLogDir, { recursive: true, force: true });
    console.log('DynamoDB Local and s3rver stopped');
  };
}
