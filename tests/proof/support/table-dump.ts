/**
 * The whole table as one string, in key order: what the proof suites compare before and after
 * requests that must change nothing. A Scan is fine here (a test's own small table); no request
 * path of the API scans.
 */
import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';

export async function dumpTable(documents: DynamoDBDocumentClient, tableName: string): Promise<string> {
  const items: Array<Record<string, unknown>> = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(
      new ScanCommand({ TableName: tableName, ExclusiveStartKey: start, ConsistentRead: true }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  const key = (item: Record<string, unknown>) => `${String(item.pk)}\u0000${String(item.sk)}`;
  return JSON.stringify(items.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0)));
}

/** The items that differ between two dumps, for a readable failure. */
export function dumpDifference(before: string, after: string): string[] {
  const parse = (dump: string) =>
    new Map(
      (JSON.parse(dump) as Array<Record<string, unknown>>).map((item) => [
        `${String(item.pk)} ${String(item.sk)}`,
        JSON.stringify(item),
      ]),
    );
  const was = parse(before);
  const is = parse(after);
  const keys = new Set([...was.keys(), ...is.keys()]);
  return [...keys]
    .filter((key) => was.get(key) !== is.get(key))
    .map((key) => (!was.has(key) ? `added ${key}` : !is.has(key) ? `removed ${key}` : `changed ${key}`));
}
