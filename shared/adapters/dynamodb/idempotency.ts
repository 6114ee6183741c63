import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { IdempotencyStore, StoredResponse } from '#ports/store.ts';
import type { Documents } from './documents.ts';
import { idempotencyKey } from './keys.ts';

const dayInSeconds = 24 * 3600;

export class DynamoIdempotencyStore implements IdempotencyStore {
  constructor(private readonly documents: Documents) {}

  async getResponse(scope: string, key: string): Promise<StoredResponse | null> {
    const item = await this.documents.get(idempotencyKey(scope, key), true);
    // DynamoDB's TTL deletes lazily: an expired record may still be read, so check the time too.
    if (!item || typeof item.expiresAt !== 'number' || item.expiresAt * 1000 < Date.now()) return null;
    return { requestHash: String(item.requestHash), status: Number(item.status), body: item.body };
  }

  async saveResponse(scope: string, key: string, response: StoredResponse): Promise<void> {
    try {
      await this.documents.client.send(
        new PutCommand({
          TableName: this.documents.tableName,
          Item: {
            ...idempotencyKey(scope, key),
            entity: 'idempotency',
            ...response,
            expiresAt: Math.floor(Date.now() / 1000) + dayInSeconds,
          },
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
          ExpressionAttributeValues: { ':now': Math.floor(Date.now() / 1000) },
        }),
      );
    } catch (error) {
      // Another request with the same key got there first; its response stands.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}
