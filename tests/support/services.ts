/** Test helpers for the emulators the global setup started: fresh, isolated table and bucket names. */
import { randomUUID } from 'node:crypto';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { inject } from 'vitest';
import { createDocumentClient, createDynamoDbClient, createS3Client } from '#adapters/clients.ts';
import { ensureTable } from '#adapters/dynamodb/table.ts';

export function emulatorEndpoints() {
  return { dynamodb: inject('dynamodbEndpoint'), s3: inject('s3Endpoint'), s3Events: inject('s3EventsUrl') };
}

/** A new table and bucket for one test file, so files can run in parallel without sharing state. */
export async function freshStorage(prefix = 'test') {
  const endpoints = emulatorEndpoints();
  const suffix = randomUUID().slice(0, 8);
  const tableName = `${prefix}-${suffix}`;
  const bucketName = `${prefix}-${suffix}`.toLowerCase();
  const dynamodb = createDynamoDbClient({ endpoint: endpoints.dynamodb });
  const s3 = createS3Client({ endpoint: endpoints.s3 });
  await ensureTable(dynamodb, tableName);
  await s3.send(new CreateBucketCommand({ Bucket: bucketName }));
  return {
    endpoints,
    tableName,
    bucketName,
    dynamodb,
    documents: createDocumentClient({ endpoint: endpoints.dynamodb }),
    s3,
  };
}
