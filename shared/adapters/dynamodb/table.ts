/**
 * The one table's physical shape: keys and indexes. The CDK stack, the local runner and the
 * tests create the table from this definition, so they cannot drift apart. What each key holds
 * is in keys.ts and docs/data-model.md.
 */
import { CreateTableCommand, type DynamoDBClient, ResourceInUseException } from '@aws-sdk/client-dynamodb';

export const keyAttributes = { partitionKey: 'pk', sortKey: 'sk' } as const;

/** Overloaded global secondary indexes; every one projects all attributes. */
export const globalIndexes = [
  { indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  { indexName: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
  { indexName: 'gsi3', partitionKey: 'gsi3pk', sortKey: 'gsi3sk' },
] as const;

export type IndexName = (typeof globalIndexes)[number]['indexName'];

/** Creates the table if it does not exist (local mode and tests; AWS uses the CDK stack). */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<void> {
  const attributes = [keyAttributes.partitionKey, keyAttributes.sortKey, ...globalIndexes.flatMap((i) => [i.partitionKey, i.sortKey])];
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: attributes.map((name) => ({ AttributeName: name, AttributeType: 'S' })),
        KeySchema: [
          { AttributeName: keyAttributes.partitionKey, KeyType: 'HASH' },
          { AttributeName: keyAttributes.sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: globalIndexes.map((index) => ({
          IndexName: index.indexName,
          KeySchema: [
            { AttributeName: index.partitionKey, KeyType: 'HASH' },
            { AttributeName: index.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        })),
      }),
    );
  } catch (error) {
    if (error instanceof ResourceInUseException) return;
    throw error;
  }
}
