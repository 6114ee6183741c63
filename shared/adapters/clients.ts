/**
 * The only place that builds AWS SDK clients. In AWS the endpoints are the real services; in
 * local mode and tests DYNAMODB_ENDPOINT / S3_ENDPOINT point at DynamoDB Local and s3rver.
 *
 * The functions' clients are lazy module-scope singletons (`shared*`): created on first use, once
 * per process, and only in a function whose wiring asks for them, so esbuild leaves the SDKs a
 * function never calls out of its bundle (the packages are marked free of side effects).
 */
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { loadConfig } from '#config/env.ts';
import { attachCallLog } from './call-log.ts';
import { attachFaultInjector } from './fault-injector.ts';
import { attachRoundTripMeter } from './round-trip-meter.ts';

export interface ClientOptions {
  /** An emulator's URL; absent in AWS. */
  endpoint?: string | undefined;
  region?: string | undefined;
}

// DynamoDB Local partitions its data by access key and region: emulators always get one fixed
// fake credential so every process sees the same tables; s3rver accepts only this one.
const emulatorCredentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/**
 * The tests' and benchmarks' middlewares, each off unless asked: the SDK call log (tests/proof),
 * the round-trip meter (the round-trip test, the benchmarks) and the fault injector (the fault
 * proofs). The deployed bundles never carry them: infra/bundling.ts defines
 * `process.env.PAR_TEST_HOOKS` as "off" when esbuild builds a function, so this returns at once
 * and esbuild drops the three modules (about 4.7 kB of every function's bundle). Under tsx and
 * Vitest (local mode, every test) the variable is unset and the hooks are there.
 */
function attachTestHooks(
  stack: DynamoDBClient['middlewareStack'] | S3Client['middlewareStack'],
  service: 'dynamodb' | 's3',
): void {
  if (process.env.PAR_TEST_HOOKS === 'off') return;
  attachCallLog(stack, service);
  attachRoundTripMeter(stack, service);
  attachFaultInjector(stack, service);
}

export function createDynamoDbClient(options: ClientOptions = {}): DynamoDBClient {
  const client = new DynamoDBClient({
    region: options.region ?? process.env.AWS_REGION ?? 'ap-southeast-1',
    ...(options.endpoint ? { endpoint: options.endpoint, credentials: emulatorCredentials } : {}),
    maxAttempts: 3,
  });
  attachTestHooks(client.middlewareStack, 'dynamodb');
  return client;
}

export function createDocumentClient(options: ClientOptions = {}): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(createDynamoDbClient(options), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}

export function createS3Client(options: ClientOptions = {}): S3Client {
  const client = new S3Client({
    region: options.region ?? process.env.AWS_REGION ?? 'ap-southeast-1',
    // Without these, streamed uploads reach s3rver with aws-chunked framing stored in the object.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...(options.endpoint
      ? { endpoint: options.endpoint, forcePathStyle: true, credentials: emulatorCredentials }
      : {}),
  });
  attachTestHooks(client.middlewareStack, 's3');
  return client;
}

/** Cognito's admin APIs (staff accounts); never an emulator: local mode has its own directory. */
export function createCognitoClient(options: ClientOptions = {}): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    region: options.region ?? process.env.AWS_REGION ?? 'ap-southeast-1',
    maxAttempts: 3,
  });
}

/** The clients of this process, each made on first use from the environment (shared/config/env.ts). */
let shared: {
  documents?: DynamoDBDocumentClient;
  s3?: S3Client;
  s3Presigner?: S3Client;
  eventBridge?: EventBridgeClient;
  cognito?: CognitoIdentityProviderClient;
} = {};

/** The table's document client (DYNAMODB_ENDPOINT in local mode and tests). */
export function sharedDocumentClient(): DynamoDBDocumentClient {
  shared.documents ??= createDocumentClient({ endpoint: loadConfig().DYNAMODB_ENDPOINT });
  return shared.documents;
}

/** The bucket's client (S3_ENDPOINT in local mode and tests). */
export function sharedS3Client(): S3Client {
  shared.s3 ??= createS3Client({ endpoint: loadConfig().S3_ENDPOINT });
  return shared.s3;
}

/**
 * The client that signs URLs for browsers: the bucket's own, except in local mode, where the
 * browser reaches s3rver through the API's origin (S3_PUBLIC_ENDPOINT).
 */
export function sharedS3Presigner(): S3Client {
  const publicEndpoint = loadConfig().S3_PUBLIC_ENDPOINT;
  shared.s3Presigner ??= publicEndpoint ? createS3Client({ endpoint: publicEndpoint }) : sharedS3Client();
  return shared.s3Presigner;
}

/** EventBridge (no emulator: local mode and tests replace the publisher, never this client). */
export function sharedEventBridgeClient(): EventBridgeClient {
  shared.eventBridge ??= new EventBridgeClient({});
  return shared.eventBridge;
}

/** Cognito's admin APIs, for the functions that manage staff (no emulator: see LocalDirectory). */
export function sharedCognitoClient(): CognitoIdentityProviderClient {
  shared.cognito ??= createCognitoClient();
  return shared.cognito;
}

/**
 * Forgets the clients, so the next use builds them again from the environment: tests that point
 * the environment at fresh emulators, or install an SDK meter, before their first call.
 */
export function resetSharedClients(): void {
  shared = {};
}
