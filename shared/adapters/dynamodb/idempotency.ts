import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { IdempotencyStore, Reservation, StoredResponse } from '#ports/store.ts';
import type { Documents } from './documents.ts';
import { idempotencyKey } from './keys.ts';

const dayInSeconds = 24 * 3600;
const nowSeconds = () => Math.floor(Date.now() / 1000);

/**
 * One item per key: `state` pending (with a lease) while the action runs, then done with the
 * response. `expiresAt` is the TTL attribute (24 h); DynamoDB deletes lazily, so reads check it.
 */
export class DynamoIdempotencyStore implements IdempotencyStore {
  constructor(private readonly documents: Documents) {}

  async reserve(scope: string, key: string, requestHash: string, leaseSeconds: number): Promise<Reservation> {
    const now = nowSeconds();
    try {
      await this.documents.client.send(
        new PutCommand({
          TableName: this.documents.tableName,
          Item: {
            ...idempotencyKey(scope, key),
            entity: 'idempotency',
            state: 'pending',
            requestHash,
            leaseUntil: now + leaseSeconds,
            expiresAt: now + dayInSeconds,
          },
          ConditionExpression:
            'attribute_not_exists(pk) OR expiresAt < :now OR (#state = :pending AND leaseUntil < :now)',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':now': now, ':pending': 'pending' },
        }),
      );
      return { state: 'reserved' };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    const item = await this.documents.get(idempotencyKey(scope, key), true);
    if (!item) return this.reserve(scope, key, requestHash, leaseSeconds);
    if (item.state === 'done') {
      return {
        state: 'done',
        response: { requestHash: String(item.requestHash), status: Number(item.status), body: item.body },
      };
    }
    return { state: 'busy', requestHash: String(item.requestHash) };
  }

  async saveResponse(scope: string, key: string, response: StoredResponse): Promise<void> {
    await this.documents.client.send(
      new PutCommand({
        TableName: this.documents.tableName,
        Item: {
          ...idempotencyKey(scope, key),
          entity: 'idempotency',
          state: 'done',
          ...response,
          expiresAt: nowSeconds() + dayInSeconds,
        },
      }),
    );
  }

  async release(scope: string, key: string): Promise<void> {
    try {
      await this.documents.client.send(
        new DeleteCommand({
          TableName: this.documents.tableName,
          Key: idempotencyKey(scope, key),
          ConditionExpression: '#state = :pending',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':pending': 'pending' },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}
