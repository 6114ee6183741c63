/**
 * The one table's physical shape: keys and indexes. The CDK stack, the local runner and the
 * tests create the table from this definition, so they cannot drift apart. What each key holds
 * is in keys.ts and docs/data-model.md.
 */
import { CreateTableCommand, type DynamoDBClient, ResourceInUseException } from '@aws-sdk/client-dynamodb';
import { maxTreeDepth } from '#ports/store.ts';

export { maxTreeDepth };

export const keyAttributes = { partitionKey: 'pk', sortKey: 'sk' } as const;

/**
 * Overloaded global secondary indexes; every one projects all attributes.
 * - gsi1: children of a unit by kind (unit lists, peer groups), a peer group's unit scores,
 *   a ranking's publications.
 * - gsi2: collections without a natural parent: latest template versions, all publications.
 * - tree0..tree4: the lists of a subtree, one Query whatever its size: an item of each view
 *   (keys.ts `treeIndexSorted`) under the unit at that depth of its path.
 * - open: reserved. It held open findings province-wide; the subtree's open entries on the tree
 *   indexes replaced it. Kept because deleting it would be a deploy of its own, and free for a
 *   sparse list that needs its own sort key beside gsi1 and gsi2.
 *
 * DynamoDB adds or deletes one index per update: tests/infra/index-changes.test.ts refuses a
 * change that adds or removes more than one compared with main.
 */
export const globalIndexes = [
  { indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  { indexName: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
  { indexName: 'tree0', partitionKey: 'tree0pk', sortKey: 'treesk' },
  { indexName: 'tree1', partitionKey: 'tree1pk', sortKey: 'treesk' },
  { indexName: 'tree2', partitionKey: 'tree2pk', sortKey: 'treesk' },
  { indexName: 'tree3', partitionKey: 'tree3pk', sortKey: 'treesk' },
  { indexName: 'tree4', partitionKey: 'tree4pk', sortKey: 'treesk' },
  { indexName: 'open', partitionKey: 'openpk', sortKey: 'opensk' },
] as const;

/** Every attribute that is a key of the table or an index (all strings). */
export const keyAttributeNames = [
  ...new Set<string>([
    keyAttributes.partitionKey,
    keyAttributes.sortKey,
    ...globalIndexes.flatMap((i) => [i.partitionKey, i.sortKey]),
  ]),
];

export type IndexName = (typeof globalIndexes)[number]['indexName'];

/** Creates the table if it does not exist (local mode and tests; AWS uses the CDK stack). */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: keyAttributeNames.map((name) => ({ AttributeName: name, AttributeType: 'S' })),
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
