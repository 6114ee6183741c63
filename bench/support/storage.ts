/**
 * Emulators and storage for the benchmarks: each benchmark starts its own DynamoDB Local and
 * s3rver (the same ones `npm start` and the tests use), so its figures do not depend on state
 * left by anything else, and stops them when it ends, including when it fails.
 */
import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, createDynamoDbClient, createS3Client } from '#adapters/clients.ts';
import { Documents } from '#adapters/dynamodb/documents.ts';
import { ensureTable } from '#adapters/dynamodb/table.ts';
import { type RunningService, startDynamoDbLocal, startS3rver } from '#local/emulators.ts';

export interface Endpoints {
  dynamodb: string;
  s3: string;
}

/**
 * Runs `body` with DynamoDB Local and s3rver started, and stops both afterwards whether it
 * succeeded or threw. Ctrl-C also stops them: s3rver lives in this process, and DynamoDB Local
 * has a watchdog (local/emulators.ts) that kills it when this process dies.
 */
export async function withEmulators<T>(body: (endpoints: Endpoints) => Promise<T>): Promise<T> {
  const started: RunningService[] = [];
  const stopAll = () => Promise.allSettled(started.map((service) => service.stop()));
  try {
    const [dynamodb, s3] = await Promise.all([
      startDynamoDbLocal().then((service) => {
        started.push(service);
        return service;
      }),
      startS3rver().then((service) => {
        started.push(service);
        return service;
      }),
    ]);
    return await body({ dynamodb: dynamodb.endpoint, s3: s3.endpoint });
  } finally {
    await stopAll();
  }
}

export interface BenchStorage {
  endpoints: Endpoints;
  tableName: string;
  bucketName: string;
  client: DynamoDBDocumentClient;
  documents: Documents;
  s3: S3Client;
}

/** Creates the table (with every index of the real one) and the bucket if they are missing. */
export async function createStorage(
  endpoints: Endpoints,
  tableName: string,
  bucketName: string,
): Promise<BenchStorage> {
  await ensureTable(createDynamoDbClient({ endpoint: endpoints.dynamodb }), tableName);
  const s3 = createS3Client({ endpoint: endpoints.s3 });
  try {
    await s3.send(new CreateBucketCommand({ Bucket: bucketName }));
  } catch (error) {
    // A second table of the same run shares the bucket.
    if (!(error instanceof Error && /BucketAlready(OwnedByYou|Exists)/.test(error.name))) throw error;
  }
  const client = createDocumentClient({ endpoint: endpoints.dynamodb });
  return { endpoints, tableName, bucketName, client, documents: new Documents(client, tableName), s3 };
}

/** The environment the wirings read (shared/adapters/wiring.ts), pointed at this storage. */
export function storageEnv(storage: Pick<BenchStorage, 'endpoints' | 'tableName' | 'bucketName'>) {
  return {
    TABLE_NAME: storage.tableName,
    BUCKET_NAME: storage.bucketName,
    DYNAMODB_ENDPOINT: storage.endpoints.dynamodb,
    S3_ENDPOINT: storage.endpoints.s3,
    AWS_REGION: 'ap-southeast-1',
  };
}
