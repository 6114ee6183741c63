import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Clock } from '#ports/clock.ts';
import type { IdempotencyStore, Reservation, StoredResponse } from '#ports/store.ts';
import type { Documents } from './documents.ts';
import { idempotencyKey } from './keys.ts';

const dayInSeconds = 24 * 3600;

/**
 * One item per key: `state` pending (with a lease and the holder's token) while the action
 * runs, then done with the response. `expiresAt` is the TTL attribute (24 h); DynamoDB deletes
 * lazily, so reads check it. Leases and expiry are measured on the injected clock, so tests can
 * let a lease run out and the table agrees with the rest of the use case on what time it is.
 */
export class DynamoIdempotencyStore implements IdempotencyStore {
  constructor(
    private readonly documents: Documents,
    private readonly clock: Clock,
  ) {}

  private nowSeconds(): number {
    return Math.floor(this.clock.now().getTime() / 1000);
  }

  async reserve(scope: string, key: string, requestHash: string, leaseSeconds: number): Promise<Reservation> {
    const now = this.nowSeconds();
    // Drawn per attempt: a holder whose lease ran out cannot pass for the twin that took over.
    const holder = randomUUID();
    try {
      await this.documents.client.send(
        new PutCommand({
          TableName: this.documents.tableName,
          Item: {
            ...idempotencyKey(scope, key),
            entity: 'idempotency',
            state: 'pending',
            holder,
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
      return { state: 'reserved', holder };
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

  async saveResponse(scope: string, key: string, holder: string, response: StoredResponse): Promise<boolean> {
    try {
      await this.documents.client.send(
        new PutCommand({
          TableName: this.documents.tableName,
          Item: {
            ...idempotencyKey(scope, key),
            entity: 'idempotency',
            state: 'done',
            // Kept, so that the SDK retrying a put that did land finds its own write again.
            holder,
            ...response,
            expiresAt: this.nowSeconds() + dayInSeconds,
          },
          ConditionExpression: 'holder = :holder',
          ExpressionAttributeValues: { ':holder': holder },
        }),
      );
      return true;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      return false;
    }
  }

  async release(scope: string, key: string, holder: string): Promise<void> {
    try {
      await this.documents.client.send(
        new DeleteCommand({
          TableName: this.documents.tableName,
          Key: idempotencyKey(scope, key),
          ConditionExpression: '#state = :pending AND holder = :holder',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':pending': 'pending', ':holder': holder },
        }),
      );
    } catch (error) {
      // Not ours any more (taken over, answered, or gone): nothing to give up.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}
