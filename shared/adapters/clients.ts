/**
 * The only place that builds AWS SDK clients. In AWS the endpoints are the real services; in
 * local mode and tests DYNAMODB_ENDPOINT / S3_ENDPOINT point at DynamoDB Local and s3rver.
 */
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
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

export function createDynamoDbClient(options: ClientOptions = {}): DynamoDBClient {
  const client = new DynamoDBClient({
    region: options.region ?? process.env.AWS_REGION ?? 'ap-southeast-1',
    ...(options.endpoint ? { endpoint: options.endpoint, credentials: emulatorCredentials } : {}),
    maxAttempts: 3,
  });
  // Only when tests ask for the SDK call log (tests/proof); nothing is added otherwise.
  attachCallLog(client.middlewareStack, 'dynamodb');
  // Only when a benchmark or the round-trip test installs a meter.
  attachRoundTripMeter(client.middlewareStack, 'dynamodb');
  // Only when the fault proofs install an injector.
  attachFaultInjector(client.middlewareStack, 'dynamodb');
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
  attachCallLog(client.middlewareStack, 's3');
  attachRoundTripMeter(client.middlewareStack, 's3');
  attachFaultInjector(client.middlewareStack, 's3');
  return client;
}

/** Cognito's admin APIs (staff accounts); never an emulator: local mode has its own directory. */
export function createCognitoClient(options: ClientOptions = {}): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    region: options.region ?? process.env.AWS_REGION ?? 'ap-southeast-1',
    maxAttempts: 3,
  });
}
