import { randomBytes } from 'node:crypto';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { freshStorage } from '#tests/support/services.ts';

describe('the emulators, through the project client factories', () => {
  it('DynamoDB Local serves the table with its GSIs, and a failed transaction condition writes nothing', async () => {
    const { documents, tableName } = await freshStorage('emu');
    await documents.send(
      new PutCommand({
        TableName: tableName,
        Item: { pk: 'UNIT#a', sk: 'UNIT', gsi1pk: 'PARENT#root', gsi1sk: 'a' },
      }),
    );
    const byParent = await documents.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :p',
        ExpressionAttributeValues: { ':p': 'PARENT#root' },
      }),
    );
    expect(byParent.Items?.map((item) => item.pk)).toEqual(['UNIT#a']);

    const transaction = documents.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: tableName, Item: { pk: 'UNIT#b', sk: 'UNIT' } } },
          {
            Put: {
              TableName: tableName,
              Item: { pk: 'UNIT#a', sk: 'UNIT' },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ],
      }),
    );
    const error = await transaction.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransactionCanceledException);
    const reasons = error instanceof TransactionCanceledException ? error.CancellationReasons : [];
    expect(reasons?.map((r) => r.Code)).toEqual(['None', 'ConditionalCheckFailed']);
    const afterwards = await documents.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': 'UNIT#b' },
      }),
    );
    expect(afterwards.Items).toEqual([]);
  });

  it('s3rver stores a binary object and gives it back byte for byte', async () => {
    const { s3, bucketName } = await freshStorage('emu');
    const bytes = randomBytes(256 * 1024);
    await s3.send(
      new PutObjectCommand({
        Bucket: bucketName,
        Key: 'photos/x.bin',
        Body: bytes,
        ContentType: 'image/jpeg',
      }),
    );
    const object = await s3.send(new GetObjectCommand({ Bucket: bucketName, Key: 'photos/x.bin' }));
    const body = Buffer.from((await object.Body?.transformToByteArray()) ?? []);
    expect(body.length).toBe(bytes.length);
    expect(body.equals(bytes)).toBe(true);
  });
});
