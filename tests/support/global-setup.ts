/**
 * Starts DynamoDB Local and s3rver once per test run, on free loopback ports, and hands their
 * endpoints to the tests through `inject`. Both stop when the run ends, also when it fails or
 * is interrupted (signal handlers here, and a watchdog in local/emulators.ts for SIGKILL).
 */
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
  }
}

const needEmulators = new Set(['integration', 'e2e']);

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
    console.log('DynamoDB Local and s3rver stopped');
  };
}
