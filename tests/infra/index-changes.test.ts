/**
 * DynamoDB creates or deletes one global secondary index per table update, and CloudFormation
 * fails a deploy that asks for more (DynamoDB Local does not enforce it, so no other test would
 * notice). A change may therefore add or remove at most one index compared with main; changing
 * an index's keys is a removal and an addition. Compared with the commit this branch started
 * from, or on main itself with the previous commit.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { globalIndexes } from '#adapters/dynamodb/table.ts';

interface IndexShape {
  indexName: string;
  partitionKey: string;
  sortKey: string;
}

/** The indexes that a deploy from `before` to `after` creates and deletes. */
function indexChanges(before: readonly IndexShape[], after: readonly IndexShape[]) {
  const shape = (i: IndexShape) => `${i.indexName}(${i.partitionKey},${i.sortKey})`;
  const was = new Set(before.map(shape));
  const is = new Set(after.map(shape));
  return {
    created: after.filter((i) => !was.has(shape(i))).map((i) => i.indexName),
    deleted: before.filter((i) => !is.has(shape(i))).map((i) => i.indexName),
  };
}

/** The `globalIndexes` literal of table.ts as it was at a commit. */
function indexesAt(ref: string): IndexShape[] {
  const source = execFileSync('git', ['show', `${ref}:shared/adapters/dynamodb/table.ts`], {
    encoding: 'utf8',
  });
  const block = source.slice(source.indexOf('export const globalIndexes'));
  const list = block.slice(0, block.indexOf('] as const'));
  return [...list.matchAll(/indexName: '([^']+)', partitionKey: '([^']+)', sortKey: '([^']+)'/g)].map(
    (m) => ({
      indexName: m[1] as string,
      partitionKey: m[2] as string,
      sortKey: m[3] as string,
    }),
  );
}

function git(...args: string[]): string | null {
  try {
    return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

/** What the deployed table looks like before this change: main where this branch left it. */
function baseRef(): string | null {
  const head = git('rev-parse', 'HEAD');
  if (head === null) return null;
  const base = git('merge-base', 'HEAD', 'main') ?? git('merge-base', 'HEAD', 'origin/main');
  if (base !== null && base !== head) return base;
  // On main itself (CI clones main): the commit before, when the clone has it.
  return git('rev-parse', '--verify', '--quiet', 'HEAD^');
}

describe('global secondary indexes', () => {
  it('counts an index whose keys change as one deleted and one created', () => {
    const before = [
      { indexName: 'gsi1', partitionKey: 'a', sortKey: 'b' },
      { indexName: 'gsi2', partitionKey: 'c', sortKey: 'd' },
    ];
    const after = [
      { indexName: 'gsi1', partitionKey: 'a', sortKey: 'x' },
      { indexName: 'gsi2', partitionKey: 'c', sortKey: 'd' },
      { indexName: 'gsi3', partitionKey: 'e', sortKey: 'f' },
    ];
    expect(indexChanges(before, after)).toEqual({ created: ['gsi1', 'gsi3'], deleted: ['gsi1'] });
    expect(indexChanges(before, before)).toEqual({ created: [], deleted: [] });
  });

  it('reads the index list of table.ts from git as the module defines it', () => {
    const head = git('rev-parse', 'HEAD');
    if (head === null) return expect.fail('this check needs the git history of the repository');
    // Uncommitted edits to table.ts would make HEAD differ from the module; compare only when clean.
    if (git('status', '--porcelain', 'shared/adapters/dynamodb/table.ts') === '') {
      expect(indexesAt('HEAD')).toEqual(globalIndexes.map((i) => ({ ...i })));
    }
    expect(indexesAt('HEAD').length).toBeGreaterThan(0);
  });

  it('adds or removes at most one index compared with main', (context) => {
    const base = baseRef();
    // A shallow clone of main alone has nothing to compare with; every branch and full clone does.
    if (base === null) return context.skip('no earlier commit in this clone to compare the indexes with');
    const { created, deleted } = indexChanges(indexesAt(base), globalIndexes);
    expect(
      created.length + deleted.length,
      `Compared with ${base.slice(0, 12)}, this change creates [${created.join(', ')}] and deletes ` +
        `[${deleted.join(', ')}]: DynamoDB changes one index per deploy, so split it into deploys.`,
    ).toBeLessThanOrEqual(1);
    // The limit of the table (20), with room left for the patterns still to come.
    expect(globalIndexes.length).toBeLessThanOrEqual(20);
  });
});
