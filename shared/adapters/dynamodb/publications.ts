/**
 * Publications: a header item (on gsi1 for its ranking and gsi2 for all publications) and the
 * frozen rows in chunk items beside it, all in the publication's partition, plus the ranking's
 * head naming its latest publication, and an outbox marker while its event has not gone out.
 * DynamoDB items stop at 400 KB while a 3,300-unit ranking is about 1 MB of rows, hence the
 * chunks.
 */
import type { Page, PageRequest, PublicationRecord, PublicationSummary } from '#ports/records.ts';
import type { PublicationStore } from '#ports/store.ts';
import { type Documents, type Item, withoutKeys } from './documents.ts';
import {
  publicationIndex,
  publicationKey,
  publicationOutboxKey,
  publicationOutboxPartition,
  publicationRowsKey,
  publicationRowsPrefix,
  publicationsPartition,
  publicationsView,
  rankingKey,
  rankingPublicationsPartition,
  treeIndexSorted,
  treePartition,
  utcSortable,
} from './keys.ts';

/**
 * Serialised bytes of rows per chunk. DynamoDB sizes a map as its names and values plus a few
 * bytes per element, which for these rows stays below their JSON length, so 300 KB of JSON
 * keeps every chunk item well under the 400 KB limit.
 */
export const rowChunkBytes = 300_000;

// A transaction holds at most 100 items and 4 MB: header, head, outbox marker and chunks must fit.
const maxChunks = 12;

/** Splits rows into consecutive chunks of at most `budget` serialised bytes each. */
export function chunkRows<T>(rows: readonly T[], budget = rowChunkBytes): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let size = 0;
  for (const row of rows) {
    const bytes = Buffer.byteLength(JSON.stringify(row), 'utf8') + 1;
    if (current.length > 0 && size + bytes > budget) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push(row);
    size += bytes;
  }
  if (current.length > 0 || chunks.length === 0) chunks.push(current);
  return chunks;
}

// What the header item carries besides the summary, to be left out of what readers get.
type HeaderItem = PublicationSummary & { chunkCount: number };

function summaryOf(item: Item): PublicationSummary {
  const { chunkCount: _chunks, ...summary } = withoutKeys<HeaderItem>(item);
  return summary;
}

export class DynamoPublicationStore implements PublicationStore {
  constructor(private readonly documents: Documents) {}

  async latestPublicationId(
    templateId: string,
    period: string,
    parentId: string,
    kind: string,
  ): Promise<string | null> {
    const head = await this.documents.get(rankingKey(templateId, period, parentId, kind), true);
    return typeof head?.publicationId === 'string' ? head.publicationId : null;
  }

  /**
   * One transaction: the header and row chunks (new items), the outbox marker and the ranking
   * head, conditional on the head still naming `supersedes`; a lost race is StaleWriteError,
   * nothing written. The marker carries the summary, so the sweeper announces from one Query.
   */
  async savePublication(publication: PublicationRecord): Promise<void> {
    const { rows, ...summary } = publication;
    const chunks = chunkRows(rows);
    if (chunks.length > maxChunks) {
      throw new Error(
        `A publication of ${rows.length} rows needs ${chunks.length} chunks, over ${maxChunks}`,
      );
    }
    const { publicationId, templateId, period, parentId, kind, createdAt, supersedes } = publication;
    const isNew = { expression: 'attribute_not_exists(pk)' };
    await this.documents.transact([
      this.documents.put(
        {
          ...publicationKey(publicationId),
          ...publicationIndex(templateId, period, parentId, kind, createdAt, publicationId),
          ...treeIndexSorted(
            publicationsView,
            publication.parentPath,
            `${utcSortable(createdAt)}#${publicationId}`,
          ),
          entity: 'publication',
          ...summary,
          chunkCount: chunks.length,
        },
        isNew,
      ),
      ...chunks.map((chunk, index) =>
        this.documents.put(
          { ...publicationRowsKey(publicationId, index), entity: 'publicationRows', rows: chunk },
          isNew,
        ),
      ),
      this.documents.put(
        { ...publicationOutboxKey(createdAt, publicationId), entity: 'outbox', ...summary },
        isNew,
      ),
      this.documents.put(
        {
          ...rankingKey(templateId, period, parentId, kind),
          entity: 'rankingHead',
          publicationId,
          createdAt,
        },
        supersedes === null
          ? isNew
          : { expression: 'publicationId = :previous', values: { ':previous': supersedes } },
      ),
    ]);
  }

  /** The header and every row chunk: one strongly consistent Query of the partition. */
  async getPublication(publicationId: string): Promise<PublicationRecord | null> {
    const items = await this.documents.queryAll({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': publicationKey(publicationId).pk },
      ConsistentRead: true,
    });
    const header = items.find((item) => item.sk === publicationKey(publicationId).sk);
    if (!header) return null;
    const chunks = items
      .filter((item) => typeof item.sk === 'string' && item.sk.startsWith(publicationRowsPrefix))
      .sort((a, b) => String(a.sk).localeCompare(String(b.sk)));
    const rows = chunks.flatMap((chunk) => withoutKeys<{ rows: PublicationRecord['rows'] }>(chunk).rows);
    return { ...summaryOf(header), rows };
  }

  async listPublications(
    filter: Parameters<PublicationStore['listPublications']>[0],
    page: PageRequest,
  ): Promise<Page<PublicationSummary>> {
    const { templateId, period, parentId, kind, within } = filter;
    const values: Item = {};
    const names: Record<string, string> = {};
    const filters: string[] = [];
    let index: string;
    let key: string;
    const refine = (fields: Record<string, string | undefined>) => {
      for (const [name, value] of Object.entries(fields)) {
        if (value === undefined) continue;
        names[`#${name}`] = name;
        values[`:${name}`] = value;
        filters.push(`#${name} = :${name}`);
      }
    };
    if (templateId !== undefined && period !== undefined && parentId !== undefined && kind !== undefined) {
      // One ranking: its own partition (a ranking inside the caller's subtree: checked on the rows).
      index = 'gsi1';
      key = 'gsi1pk = :p';
      values[':p'] = rankingPublicationsPartition(templateId, period, parentId, kind);
      if (within !== undefined) {
        values[':within'] = within.unitId;
        filters.push('contains(parentPath, :within)');
      }
    } else if (within !== undefined) {
      // The caller's subtree: the publications whose ranking's parent lies in it, on tree<depth>.
      index = `tree${within.depth}`;
      key = `${index}pk = :p`;
      values[':p'] = treePartition(publicationsView, within.unitId);
      refine({ templateId, period, parentId, kind });
    } else {
      // The ranking client: every publication; a few a period, so the fields refine them.
      index = 'gsi2';
      key = 'gsi2pk = :p';
      values[':p'] = publicationsPartition;
      refine({ templateId, period, parentId, kind });
    }
    const result = await this.documents.queryPage(
      {
        IndexName: index,
        KeyConditionExpression: key,
        ScanIndexForward: false,
        ExpressionAttributeValues: values,
        ...(filters.length ? { FilterExpression: filters.join(' AND ') } : {}),
        ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
      },
      page,
    );
    return { items: result.items.map(summaryOf), nextCursor: result.nextCursor };
  }

  /**
   * Oldest first, one strongly consistent Query of the outbox partition: a marker just deleted
   * by the request that announced it is not read again (which would send the event twice).
   */
  async listUnannounced(createdBefore: string, limit: number): Promise<PublicationSummary[]> {
    const result = await this.documents.queryPage(
      {
        KeyConditionExpression: 'pk = :pk AND sk < :before',
        ExpressionAttributeValues: {
          ':pk': publicationOutboxPartition,
          ':before': utcSortable(createdBefore),
        },
        ConsistentRead: true,
      },
      { limit, cursor: null },
    );
    return result.items.map((item) => withoutKeys<PublicationSummary>(item));
  }

  /** The flag and the outbox marker change together, so the marker means exactly "not sent". */
  async markEventPublished(
    publication: Pick<PublicationSummary, 'publicationId' | 'createdAt'>,
  ): Promise<void> {
    await this.documents.transact([
      this.documents.update(
        publicationKey(publication.publicationId),
        'SET eventPublished = :yes',
        { ':yes': true },
        'attribute_exists(pk)',
      ),
      this.documents.delete(publicationOutboxKey(publication.createdAt, publication.publicationId)),
    ]);
  }
}
