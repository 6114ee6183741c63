import type { AuditEntry, Page, PageRequest, PhotoRecord, VisitRecord } from '#ports/records.ts';
import type { VisitListFilter, VisitStore } from '#ports/store.ts';
import { auditPut } from './audit.ts';
import { type Documents, type Item, withoutKeys } from './documents.ts';
import {
  auditPrefix,
  findingKey,
  type ItemKey,
  photoCounterKey,
  photoKey,
  photoPrefix,
  treeIndex,
  treePartition,
  utcSortable,
  visitKey,
} from './keys.ts';

/** A visit is editable (photos may change) only as a draft or after being returned. */
const editable = {
  expression: '#status IN (:draft, :returned)',
  values: { ':draft': 'draft', ':returned': 'returned' },
};

export function visitItem(visit: VisitRecord): Item {
  return {
    ...visitKey(visit.visitId),
    ...treeIndex('VISIT', visit.unitPath, visit.startedAt, visit.visitId),
    entity: 'visit',
    ...visit,
  };
}

export function subjectKey(subject: AuditEntry['subject']): ItemKey {
  switch (subject.type) {
    case 'visit':
      return visitKey(subject.id);
    case 'finding': {
      const [visitId, key] = splitFindingId(subject.id);
      return findingKey(visitId, key);
    }
    case 'unit':
      return { pk: `UNIT#${subject.id}`, sk: 'UNIT' };
    case 'template':
      return { pk: `TEMPLATE#${subject.id}`, sk: 'LATEST' };
  }
}

/** Finding IDs are `<visitId>.<key>`; visit IDs are UUIDs, so the first dot splits them. */
export function splitFindingId(findingId: string): [string, string] {
  const dot = findingId.indexOf('.');
  return dot < 0 ? [findingId, ''] : [findingId.slice(0, dot), findingId.slice(dot + 1)];
}

export class DynamoVisitStore implements VisitStore {
  constructor(private readonly documents: Documents) {}

  async getVisit(visitId: string, consistent = false): Promise<VisitRecord | null> {
    const item = await this.documents.get(visitKey(visitId), consistent);
    return item ? withoutKeys<VisitRecord>(item) : null;
  }

  async visitDetails(visitId: string, consistent = false) {
    const items = await this.documents.queryAll({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': visitKey(visitId).pk },
      ConsistentRead: consistent,
    });
    let visit: VisitRecord | null = null;
    const photos: PhotoRecord[] = [];
    const history: AuditEntry[] = [];
    for (const item of items) {
      if (item.entity === 'visit') visit = withoutKeys<VisitRecord>(item);
      else if (item.entity === 'photo') photos.push(withoutKeys<PhotoRecord>(item));
      else if (item.entity === 'audit') {
        const entry = withoutKeys<AuditEntry>(item);
        // The partition also holds the audit of the visit's findings.
        if (entry.subject.type === 'visit' && entry.subject.id === visitId) history.push(entry);
      }
    }
    return visit ? { visit, photos, history } : null;
  }

  async getVisits(visitIds: readonly string[]): Promise<VisitRecord[]> {
    const items = await this.documents.batchGet([...new Set(visitIds)].map(visitKey));
    return items.map((item) => withoutKeys<VisitRecord>(item));
  }

  async listVisits(filter: VisitListFilter, page: PageRequest): Promise<Page<VisitRecord>> {
    const index = `tree${filter.depth}`;
    const range = filter.from && filter.to ? ' AND treesk BETWEEN :from AND :to' : '';
    const filters: string[] = [];
    const values: Item = { ':p': treePartition('VISIT', filter.unitId) };
    if (range && filter.from && filter.to) {
      values[':from'] = utcSortable(filter.from);
      values[':to'] = utcSortable(filter.to);
    }
    if (filter.status) {
      filters.push('#status = :status');
      values[':status'] = filter.status;
    }
    if (filter.inspectorId) {
      filters.push('inspectorId = :inspector');
      values[':inspector'] = filter.inspectorId;
    }
    const result = await this.documents.queryPage(
      {
        IndexName: index,
        KeyConditionExpression: `${index}pk = :p${range}`,
        ScanIndexForward: false,
        ExpressionAttributeValues: values,
        ...(filters.length ? { FilterExpression: filters.join(' AND ') } : {}),
        ...(filter.status ? { ExpressionAttributeNames: { '#status': 'status' } } : {}),
      },
      page,
    );
    return {
      items: result.items.map((item) => withoutKeys<VisitRecord>(item)),
      nextCursor: result.nextCursor,
    };
  }

  async saveVisit(
    visit: VisitRecord,
    expectedEtag: string | null,
    audit: AuditEntry[],
    verifiedPhotos: readonly PhotoRecord[] = [],
  ): Promise<void> {
    await this.documents.transact([
      this.documents.putExpecting(visitItem(visit), expectedEtag),
      ...audit.map((entry) => auditPut(this.documents, visitKey(visit.visitId), entry)),
      ...verifiedPhotos.map((photo) =>
        this.documents.check(
          photoKey(photo.visitId, photo.photoId),
          'objectKey = :key AND #status = :verified',
          { ':key': photo.objectKey, ':verified': 'verified' },
          { '#status': 'status' },
        ),
      ),
    ]);
  }

  async deleteVisit(visit: VisitRecord, photos: readonly PhotoRecord[], audit: AuditEntry): Promise<void> {
    await this.documents.transact([
      this.documents.delete(visitKey(visit.visitId), {
        expression: 'etag = :etag',
        values: { ':etag': visit.etag },
      }),
      ...photos.map((photo) => this.documents.delete(photoKey(visit.visitId, photo.photoId))),
      this.documents.delete(photoCounterKey(visit.visitId)),
      auditPut(this.documents, visitKey(visit.visitId), audit),
    ]);
  }

  async history(subject: AuditEntry['subject']): Promise<AuditEntry[]> {
    const items = await this.documents.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :audit)',
      ExpressionAttributeValues: { ':pk': subjectKey(subject).pk, ':audit': auditPrefix },
      ConsistentRead: true,
    });
    return items
      .map((item) => withoutKeys<AuditEntry>(item))
      .filter((entry) => entry.subject.type === subject.type && entry.subject.id === subject.id);
  }

  async listPhotos(visitId: string): Promise<PhotoRecord[]> {
    const items = await this.documents.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :photo)',
      ExpressionAttributeValues: { ':pk': visitKey(visitId).pk, ':photo': photoPrefix },
      ConsistentRead: true,
    });
    return items.map((item) => withoutKeys<PhotoRecord>(item));
  }

  async getPhoto(visitId: string, photoId: string, consistent = false): Promise<PhotoRecord | null> {
    const item = await this.documents.get(photoKey(visitId, photoId), consistent);
    return item ? withoutKeys<PhotoRecord>(item) : null;
  }

  async addPhoto(photo: PhotoRecord, maxPhotos: number): Promise<void> {
    await this.documents.transact([
      this.documents.put(
        { ...photoKey(photo.visitId, photo.photoId), entity: 'photo', ...photo },
        { expression: 'attribute_not_exists(pk)' },
      ),
      this.documents.check(visitKey(photo.visitId), editable.expression, editable.values, {
        '#status': 'status',
      }),
      this.documents.update(
        photoCounterKey(photo.visitId),
        'SET photoCount = if_not_exists(photoCount, :zero) + :one',
        { ':zero': 0, ':one': 1, ':max': maxPhotos },
        'attribute_not_exists(photoCount) OR photoCount < :max',
      ),
    ]);
  }

  async replacePhoto(photo: PhotoRecord, expectedObjectKey: string): Promise<void> {
    await this.documents.transact([
      this.documents.put(
        { ...photoKey(photo.visitId, photo.photoId), entity: 'photo', ...photo },
        { expression: 'objectKey = :key', values: { ':key': expectedObjectKey } },
      ),
      this.documents.check(visitKey(photo.visitId), editable.expression, editable.values, {
        '#status': 'status',
      }),
    ]);
  }

  async settlePhoto(
    photo: PhotoRecord,
    expectedObjectKey: string,
    expectedStatus: PhotoRecord['status'] = 'pending',
  ): Promise<void> {
    await this.documents.transact([
      this.documents.put(
        { ...photoKey(photo.visitId, photo.photoId), entity: 'photo', ...photo },
        {
          expression: 'objectKey = :key AND #status = :expected',
          names: { '#status': 'status' },
          values: { ':key': expectedObjectKey, ':expected': expectedStatus },
        },
      ),
    ]);
  }

  async removePhoto(photo: PhotoRecord): Promise<void> {
    await this.documents.transact([
      this.documents.delete(photoKey(photo.visitId, photo.photoId), {
        expression: 'objectKey = :key',
        values: { ':key': photo.objectKey },
      }),
      this.documents.check(visitKey(photo.visitId), editable.expression, editable.values, {
        '#status': 'status',
      }),
      this.documents.update(photoCounterKey(photo.visitId), 'SET photoCount = photoCount - :one', {
        ':one': 1,
      }),
    ]);
  }
}
