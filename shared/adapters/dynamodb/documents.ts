/**
 * Thin wrapper over the document client: the only code that speaks DynamoDB's dialect (keys,
 * expressions, cursors, transaction cancellation). The per-aggregate stores build on it.
 */
import { createHash } from 'node:crypto';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { ValidationError } from '#domain/errors.ts';
import { StaleWriteError } from '#ports/errors.ts';
import type { ItemKey } from './keys.ts';

export type Item = Record<string, unknown>;
export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** Strips the key attributes so records come back as the use cases stored them. */
const storageAttributes = /^(pk|sk|gsi\dpk|gsi\dsk|tree\dpk|treesk|openpk|opensk|entity|expiresAt)$/;

export function withoutKeys<T>(item: Item): T {
  const record: Item = {};
  for (const [name, value] of Object.entries(item)) {
    if (!storageAttributes.test(name)) record[name] = value;
  }
  // The item was written from a T by the same store; the key attributes are all we added.
  return record as T;
}

/**
 * What a cursor belongs to: the query's index, key condition, filter and values. A cursor from
 * another query (a list whose filters changed, another route) is refused with 422 instead of
 * reaching DynamoDB as a key it cannot use.
 */
function queryFingerprint(
  input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey' | 'Limit'>,
  unbound: readonly string[],
): string {
  const { IndexName, KeyConditionExpression, FilterExpression, ScanIndexForward } = input;
  const ExpressionAttributeValues = Object.fromEntries(
    Object.entries(input.ExpressionAttributeValues ?? {}).filter(([name]) => !unbound.includes(name)),
  );
  const signature = JSON.stringify([
    IndexName,
    KeyConditionExpression,
    FilterExpression,
    ScanIndexForward,
    ExpressionAttributeValues,
  ]);
  return createHash('sha256').update(signature).digest('base64url').slice(0, 16);
}

export function encodeCursor(key: Item | undefined, fingerprint: string): string | null {
  return key ? Buffer.from(JSON.stringify({ k: key, q: fingerprint }), 'utf8').toString('base64url') : null;
}

export function invalidCursor(): ValidationError {
  return new ValidationError({ vi: 'Con trỏ trang (cursor) không hợp lệ.', en: 'The cursor is not valid.' }, [
    {
      path: 'cursor',
      message: {
        vi: 'Con trỏ trang không hợp lệ hoặc thuộc về một truy vấn khác.',
        en: 'The cursor is invalid or belongs to another query.',
      },
    },
  ]);
}

export function decodeCursor(cursor: string | null, fingerprint: string): Item | undefined {
  if (cursor === null) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      typeof parsed === 'object' &&
      parsed !== null &&
      'k' in parsed &&
      'q' in parsed &&
      parsed.q === fingerprint
    ) {
      const raw = parsed.k;
      if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) {
        const key: Item = {};
        for (const [name, value] of Object.entries(raw)) {
          if (typeof value !== 'string' || !storageAttributes.test(name)) throw invalidCursor();
          key[name] = value;
        }
        return key;
      }
    }
  } catch {
    // fall through
  }
  throw invalidCursor();
}

export class Documents {
  constructor(
    readonly client: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  async get(key: ItemKey, consistent = false): Promise<Item | null> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: consistent }),
    );
    return result.Item ?? null;
  }

  async batchGet(
    keys: ItemKey[],
    /** Only these attributes (each given by name, so reserved words need no care). */
    attributes?: readonly string[],
  ): Promise<Item[]> {
    const projection = attributes?.length
      ? {
          ProjectionExpression: attributes.map((_, i) => `#a${i}`).join(', '),
          ExpressionAttributeNames: Object.fromEntries(attributes.map((name, i) => [`#a${i}`, name])),
        }
      : {};
    const items: Item[] = [];
    for (let i = 0; i < keys.length; i += 100) {
      let request: Record<string, { Keys: ItemKey[] }> | undefined = {
        [this.tableName]: { Keys: keys.slice(i, i + 100), ...projection },
      };
      for (let attempt = 0; request && Object.keys(request).length > 0; attempt++) {
        const result: BatchGetCommandOutput = await this.client.send(
          new BatchGetCommand({ RequestItems: request }),
        );
        items.push(...(result.Responses?.[this.tableName] ?? []));
        const unprocessed: Item[] | undefined = result.UnprocessedKeys?.[this.tableName]?.Keys;
        request = unprocessed?.length
          ? {
              [this.tableName]: {
                Keys: unprocessed.map((k) => ({ pk: String(k.pk), sk: String(k.sk) })),
                ...projection,
              },
            }
          : undefined;
        if (request) await sleep(Math.min(1000, 50 * 2 ** attempt));
      }
    }
    return items;
  }

  /** One Query: one page. */
  async queryPage(
    input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey' | 'Limit'>,
    page: { limit: number; cursor: string | null },
    /** Values that may change between pages of one walk (today's date), left out of the binding. */
    unbound: readonly string[] = [],
  ): Promise<{ items: Item[]; nextCursor: string | null }> {
    const fingerprint = queryFingerprint(input, unbound);
    const command = new QueryCommand({
      ...input,
      TableName: this.tableName,
      Limit: page.limit,
      ExclusiveStartKey: decodeCursor(page.cursor, fingerprint),
    });
    try {
      const result = await this.client.send(command);
      return { items: result.Items ?? [], nextCursor: encodeCursor(result.LastEvaluatedKey, fingerprint) };
    } catch (error) {
      // A tampered start key of the right query: DynamoDB refuses it as a client mistake.
      if (page.cursor !== null && error instanceof Error && error.name === 'ValidationException')
        throw invalidCursor();
      throw error;
    }
  }

  /** Every item of a Query, page after page (bounded collections: a peer group, a visit's photos). */
  async queryAll(input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>): Promise<Item[]> {
    const items: Item[] = [];
    let start: Item | undefined;
    do {
      const result = await this.client.send(
        new QueryCommand({ ...input, TableName: this.tableName, ExclusiveStartKey: start }),
      );
      items.push(...(result.Items ?? []));
      start = result.LastEvaluatedKey;
    } while (start);
    return items;
  }

  /**
   * All-or-nothing write. A failed condition becomes StaleWriteError; a conflict with another
   * transaction is retried here a few times with jitter (`conflictRetries`, default 4) before it
   * surfaces as StaleWriteError too.
   */
  async transact(items: TransactItem[], options: { conflictRetries?: number } = {}): Promise<void> {
    if (items.length === 0) return;
    if (items.length > 100) throw new Error(`A transaction holds at most 100 items, got ${items.length}`);
    const conflictRetries = options.conflictRetries ?? 4;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.client.send(new TransactWriteCommand({ TransactItems: items }));
        return;
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const codes = (error.CancellationReasons ?? []).map((reason) => reason.Code ?? 'None');
        if (codes.includes('TransactionConflict') && !codes.includes('ConditionalCheckFailed')) {
          if (attempt < conflictRetries) {
            await sleep(jitter(attempt));
            continue;
          }
        }
        if (codes.includes('ConditionalCheckFailed'))
          throw new StaleWriteError(`Condition failed: ${codes.join(',')}`);
        if (codes.includes('TransactionConflict')) throw new StaleWriteError('Transaction conflict');
        throw error;
      }
    }
  }

  put(
    item: Item,
    condition?: { expression: string; names?: Record<string, string>; values?: Item },
  ): TransactItem {
    return {
      Put: {
        TableName: this.tableName,
        Item: item,
        ...(condition
          ? {
              ConditionExpression: condition.expression,
              ...(condition.names ? { ExpressionAttributeNames: condition.names } : {}),
              ...(condition.values ? { ExpressionAttributeValues: condition.values } : {}),
            }
          : {}),
      },
    };
  }

  /** Put that requires the item to be new, or to still carry `etag` (optimistic concurrency). */
  putExpecting(item: Item, expectedEtag: string | null): TransactItem {
    return expectedEtag === null
      ? this.put(item, { expression: 'attribute_not_exists(pk)' })
      : this.put(item, { expression: 'etag = :expected', values: { ':expected': expectedEtag } });
  }

  delete(key: ItemKey, condition?: { expression: string; values?: Item }): TransactItem {
    return {
      Delete: {
        TableName: this.tableName,
        Key: key,
        ...(condition
          ? {
              ConditionExpression: condition.expression,
              ...(condition.values ? { ExpressionAttributeValues: condition.values } : {}),
            }
          : {}),
      },
    };
  }

  /** A condition on another item, checked in the same transaction. */
  check(key: ItemKey, expression: string, values: Item, names?: Record<string, string>): TransactItem {
    return {
      ConditionCheck: {
        TableName: this.tableName,
        Key: key,
        ConditionExpression: expression,
        ExpressionAttributeValues: values,
        ...(names ? { ExpressionAttributeNames: names } : {}),
      },
    };
  }

  update(
    key: ItemKey,
    expression: string,
    values: Item,
    condition?: string,
    names?: Record<string, string>,
  ): TransactItem {
    return {
      Update: {
        TableName: this.tableName,
        Key: key,
        UpdateExpression: expression,
        ExpressionAttributeValues: values,
        ...(names ? { ExpressionAttributeNames: names } : {}),
        ...(condition ? { ConditionExpression: condition } : {}),
      },
    };
  }
}

/** Full jitter: concurrent writers spread out instead of colliding again. */
export function jitter(attempt: number): number {
  return Math.random() * Math.min(2_000, 50 * 2 ** attempt);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
