import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { PhotoFacts, PhotoMatch } from '#domain/evidence.ts';
import { planIdOf } from '#domain/plan.ts';
import type { AuditEntry, PageRequest, PhotoRecord, VisitRecord } from '#ports/records.ts';
import type {
  ObjectDeletion,
  VisitEvidence,
  VisitListFilter,
  VisitPage,
  VisitReview,
  VisitStore,
} from '#ports/store.ts';
import { auditPut } from './audit.ts';
import { type Documents, type Item, withoutKeys } from './documents.ts';
import {
  auditPrefixOf,
  evidenceAttribute,
  evidenceKey,
  findingKey,
  type ItemKey,
  inspectorPartition,
  inspectorPhotoPrefix,
  inspectorVisitIndex,
  inspectorVisitPrefix,
  objectDeletionKey,
  objectDeletionPartition,
  photoCounterKey,
  photoEvidenceIndex,
  photoKey,
  photoPrefix,
  photosView,
  planKey,
  planVisitIndex,
  sha256Partition,
  staffKey,
  templateVersionKey,
  treeIndex,
  treePartition,
  unitKey,
  utcSortable,
  visitKey,
  visitStatusEntryKey,
  visitStatusView,
} from './keys.ts';

/** A visit is editable (photos may change) only as a draft or after being returned. */
const editable = {
  expression: '#status IN (:draft, :returned)',
  values: { ':draft': 'draft', ':returned': 'returned' },
};

/** An object deletion (ports/store.ts) as it is stored. */
function objectDeletionItem(deletion: ObjectDeletion): Item {
  return { ...objectDeletionKey(deletion.since, deletion.deletionId), entity: 'objectDeletion', ...deletion };
}

export function visitItem(visit: VisitRecord): Item {
  return {
    ...visitKey(visit.visitId),
    ...treeIndex('VISIT', visit.unitPath, visit.startedAt, visit.visitId),
    ...inspectorVisitIndex(visit.inspectorId, visit.startedAt, visit.visitId),
    // Only a visit that names an assignment is among its plan's visits (assignment states).
    ...(visit.assignmentId === undefined
      ? {}
      : planVisitIndex(planIdOf(visit.assignmentId), visit.assignmentId, visit.visitId)),
    entity: 'visit',
    ...visit,
  };
}

/**
 * The visit's two status entries (keys.ts): where it stands in the lists of its status, with and
 * without its template. They carry only what a list needs to find the visit and check it.
 */
export function visitStatusEntries(visit: VisitRecord): Item[] {
  return [false, true].map((byTemplate) => ({
    ...visitStatusEntryKey(visit.visitId, byTemplate),
    ...treeIndex(
      visitStatusView(visit.status, byTemplate ? visit.templateId : undefined),
      visit.unitPath,
      visit.startedAt,
      visit.visitId,
    ),
    entity: 'visitStatus',
    visitId: visit.visitId,
    status: visit.status,
    templateId: visit.templateId,
    startedAt: visit.startedAt,
  }));
}

/** Every item that stores a visit: the visit and its status entries (bulk loads, tests). */
export function visitItems(visit: VisitRecord): Item[] {
  return [visitItem(visit), ...visitStatusEntries(visit)];
}

/**
 * The writes of a visit inside a transaction: the visit (conditional on its etag) and its
 * status entries, which follow it unconditionally since the visit's condition guards them all.
 */
export function visitWrites(documents: Documents, visit: VisitRecord, expectedEtag: string | null) {
  return [
    documents.putExpecting(visitItem(visit), expectedEtag),
    ...visitStatusEntries(visit).map((entry) => documents.put(entry)),
  ];
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
    case 'plan':
      return planKey(subject.id);
    case 'staff':
      return staffKey(subject.id);
  }
}

/** The photos' facts of an evidence item: its `photo#<id>` attributes. */
function factsOf(item: Item): PhotoFacts[] {
  return Object.entries(item)
    .filter(([name]) => name.startsWith('photo#'))
    .map(([, value]) => value as PhotoFacts);
}

function officeOf(unit: Item | undefined) {
  const office = unit?.office;
  if (typeof office !== 'object' || office === null) return null;
  const { lat, lng } = office as { lat?: unknown; lng?: unknown };
  return typeof lat === 'number' && typeof lng === 'number' ? { lat, lng } : null;
}

function radiusOf(template: Item | undefined): number | null {
  const evidence = template?.evidence as { radiusM?: unknown } | undefined;
  return typeof evidence?.radiusM === 'number' ? evidence.radiusM : null;
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
    let evidence: PhotoFacts[] = [];
    for (const item of items) {
      if (item.entity === 'evidence') evidence = factsOf(item);
      else if (item.entity === 'visit') visit = withoutKeys<VisitRecord>(item);
      else if (item.entity === 'photo') photos.push(withoutKeys<PhotoRecord>(item));
      else if (item.entity === 'audit') {
        const entry = withoutKeys<AuditEntry>(item);
        // The partition also holds the audit of the visit's findings.
        if (entry.subject.type === 'visit' && entry.subject.id === visitId) history.push(entry);
      }
    }
    return visit ? { visit, photos, history, evidence } : null;
  }

  async evidenceOf(
    visits: readonly VisitRecord[],
    known: ReadonlyMap<string, PhotoFacts[]> = new Map(),
  ): Promise<Map<string, VisitEvidence>> {
    // Visits created before they carried their evidence context need their unit and template.
    const uncarried = visits.filter((visit) => visit.evidenceContext === undefined);
    const keys = [
      ...visits.filter((visit) => !known.has(visit.visitId)).map((visit) => evidenceKey(visit.visitId)),
      ...[...new Set(uncarried.map((visit) => visit.unitId))].map(unitKey),
      ...[...new Set(uncarried.map((visit) => `${visit.templateId}#${visit.templateVersion}`))].map((id) => {
        const [templateId = '', version = '0'] = id.split('#');
        return templateVersionKey(templateId, Number(version));
      }),
    ];
    // At most one BatchGet (100 keys per call: a page of 25 visits, their units and templates).
    const items = keys.length > 0 ? await this.documents.batchGet(keys) : [];
    const byKey = new Map(items.map((item) => [`${String(item.pk)}|${String(item.sk)}`, item]));
    const find = (key: ItemKey) => byKey.get(`${key.pk}|${key.sk}`);
    return new Map(
      visits.map((visit) => {
        const evidence = find(evidenceKey(visit.visitId));
        const facts = known.get(visit.visitId) ?? (evidence ? factsOf(evidence) : []);
        const context = visit.evidenceContext ?? {
          office: officeOf(find(unitKey(visit.unitId))),
          radiusM: radiusOf(find(templateVersionKey(visit.templateId, visit.templateVersion))),
        };
        return [visit.visitId, { facts, ...context }];
      }),
    );
  }

  async recordPhotoFacts(visitId: string, facts: PhotoFacts): Promise<void> {
    // One attribute per photo, set without reading: two photos verified at once never clash.
    await this.documents.transact([
      this.documents.update(
        evidenceKey(visitId),
        'SET #photo = :facts, entity = :entity, visitId = :visitId',
        { ':facts': facts, ':entity': 'evidence', ':visitId': visitId },
        undefined,
        { '#photo': evidenceAttribute(facts.photoId) },
      ),
    ]);
  }

  async photosWithSha256(sha256: string): Promise<PhotoMatch[]> {
    const items = await this.documents.queryAll({
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :p',
      ExpressionAttributeValues: { ':p': sha256Partition(sha256) },
      ProjectionExpression: 'visitId, photoId',
    });
    return items.map((item) => ({ visitId: String(item.visitId), photoId: String(item.photoId) }));
  }

  async photoHashesNear(unit: { unitId: string; depth: number }, inspectorId: string) {
    const index = `tree${unit.depth}`;
    const projection = { ProjectionExpression: 'visitId, photoId, dHash' };
    const [ofUnit, ofInspector] = await Promise.all([
      this.documents.queryAll({
        IndexName: index,
        KeyConditionExpression: `${index}pk = :p`,
        ExpressionAttributeValues: { ':p': treePartition(photosView, unit.unitId) },
        ...projection,
      }),
      this.documents.queryAll({
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :p AND begins_with(gsi1sk, :prefix)',
        ExpressionAttributeValues: { ':p': inspectorPartition(inspectorId), ':prefix': inspectorPhotoPrefix },
        ...projection,
      }),
    ]);
    return [...ofUnit, ...ofInspector].flatMap((item) =>
      typeof item.dHash === 'string'
        ? [{ visitId: String(item.visitId), photoId: String(item.photoId), dHash: item.dHash }]
        : [],
    );
  }

  async getVisits(visitIds: readonly string[]): Promise<VisitRecord[]> {
    const items = await this.documents.batchGet([...new Set(visitIds)].map(visitKey));
    return items.map((item) => withoutKeys<VisitRecord>(item));
  }

  async getVisitReviews(visitIds: readonly string[]): Promise<VisitReview[]> {
    const items = await this.documents.batchGet([...new Set(visitIds)].map(visitKey), [
      'visitId',
      'status',
      'review',
    ]);
    return items.map((item) => ({
      visitId: String(item.visitId),
      status: item.status as VisitReview['status'],
      review: (item.review ?? null) as VisitReview['review'],
    }));
  }

  async visitedUnits(unitId: string, depth: number, from: string, to: string): Promise<Set<string>> {
    const index = `tree${depth}`;
    const items = await this.documents.queryAll({
      IndexName: index,
      KeyConditionExpression: `${index}pk = :p AND treesk BETWEEN :from AND :to`,
      ExpressionAttributeValues: {
        ':p': treePartition('VISIT', unitId),
        ':from': utcSortable(from),
        ':to': utcSortable(to),
      },
      ProjectionExpression: 'unitId',
    });
    return new Set(items.map((item) => String(item.unitId)));
  }

  /**
   * One Query per page on the key built for the filter: an inspector's own visits on gsi1; a
   * status (the review queue) on its status entries, then one BatchGet of the page's visits; else
   * the subtree on tree<depth>. What remains a filter keeps most of what it reads (docs/data-model.md).
   */
  async listVisits(filter: VisitListFilter, page: PageRequest): Promise<VisitPage> {
    const forward = filter.order === 'oldest';
    const values: Item = {};
    const names: Record<string, string> = {};
    const filters: string[] = [];
    const range = (attribute: string, prefix = '') => {
      if (!filter.from || !filter.to) return '';
      values[':from'] = `${prefix}${utcSortable(filter.from)}`;
      values[':to'] = `${prefix}${utcSortable(filter.to)}`;
      return ` AND ${attribute} BETWEEN :from AND :to`;
    };
    const equal = (attribute: string, value: string | undefined) => {
      if (value === undefined) return;
      names[`#${attribute}`] = attribute;
      values[`:${attribute}`] = value;
      filters.push(`#${attribute} = :${attribute}`);
    };
    let input: Parameters<Documents['queryPage']>[0];
    if (filter.inspectorId !== undefined) {
      values[':p'] = inspectorPartition(filter.inspectorId);
      let key = 'gsi1pk = :p';
      const within = range('gsi1sk', inspectorVisitPrefix);
      if (within) key += within;
      else {
        values[':prefix'] = inspectorVisitPrefix;
        key += ' AND begins_with(gsi1sk, :prefix)';
      }
      // An inspector's visits are few (dozens a year): the subtree, status and template refine them.
      if (filter.depth > 0) {
        values[':unit'] = filter.unitId;
        filters.push('contains(unitPath, :unit)');
      }
      equal('status', filter.status);
      equal('templateId', filter.templateId);
      input = { IndexName: 'gsi1', KeyConditionExpression: key };
    } else if (filter.status !== undefined) {
      const index = `tree${filter.depth}`;
      values[':p'] = treePartition(visitStatusView(filter.status, filter.templateId), filter.unitId);
      input = { IndexName: index, KeyConditionExpression: `${index}pk = :p${range('treesk')}` };
      const result = await this.documents.queryPage(
        { ...input, ScanIndexForward: forward, ExpressionAttributeValues: values },
        page,
      );
      // The visits the entries point to, with their evidence items when the page shows them: one
      // BatchGet (the review queue).
      const visitIds = [...new Set(result.items.map((entry) => String(entry.visitId)))];
      const read = await this.documents.batchGet([
        ...visitIds.map(visitKey),
        ...(filter.evidence ? visitIds.map(evidenceKey) : []),
      ]);
      const visits = new Map<string, VisitRecord>();
      const evidence = new Map<string, PhotoFacts[]>();
      for (const item of read) {
        if (item.entity === 'evidence') evidence.set(String(item.visitId), factsOf(item));
        else if (item.entity === 'visit') {
          const visit = withoutKeys<VisitRecord>(item);
          visits.set(visit.visitId, visit);
        }
      }
      // The index lags the table a little: a visit that has moved on since is left out of the page.
      const items = result.items
        .map((entry) => visits.get(String(entry.visitId)))
        .filter((visit): visit is VisitRecord => visit !== undefined && visit.status === filter.status);
      if (filter.evidence)
        for (const visit of items) if (!evidence.has(visit.visitId)) evidence.set(visit.visitId, []);
      return { items, nextCursor: result.nextCursor, ...(filter.evidence ? { evidence } : {}) };
    } else {
      const index = `tree${filter.depth}`;
      values[':p'] = treePartition('VISIT', filter.unitId);
      input = { IndexName: index, KeyConditionExpression: `${index}pk = :p${range('treesk')}` };
      // Without a status, a template refines the subtree: a province has one or two checklists.
      equal('templateId', filter.templateId);
    }
    const result = await this.documents.queryPage(
      {
        ...input,
        ScanIndexForward: forward,
        ExpressionAttributeValues: values,
        ...(filters.length ? { FilterExpression: filters.join(' AND ') } : {}),
        ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
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
      ...visitWrites(this.documents, visit, expectedEtag),
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

  async deleteVisit(
    visit: VisitRecord,
    photos: readonly PhotoRecord[],
    audit: AuditEntry,
    deletion: ObjectDeletion | null,
  ): Promise<void> {
    await this.documents.transact([
      ...(deletion ? [this.documents.put(objectDeletionItem(deletion))] : []),
      this.documents.delete(visitKey(visit.visitId), {
        expression: 'etag = :etag',
        values: { ':etag': visit.etag },
      }),
      ...photos.map((photo) => this.documents.delete(photoKey(visit.visitId, photo.photoId))),
      this.documents.delete(photoCounterKey(visit.visitId)),
      // What the verifier recorded about its photos goes with them.
      this.documents.delete(evidenceKey(visit.visitId)),
      this.documents.delete(visitStatusEntryKey(visit.visitId, false)),
      this.documents.delete(visitStatusEntryKey(visit.visitId, true)),
      auditPut(this.documents, visitKey(visit.visitId), audit),
    ]);
  }

  async history(subject: AuditEntry['subject']): Promise<AuditEntry[]> {
    const items = await this.documents.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :audit)',
      ExpressionAttributeValues: {
        ':pk': subjectKey(subject).pk,
        ':audit': auditPrefixOf(subjectKey(subject)),
      },
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
    placement?: { unitPath: readonly string[]; inspectorId: string; capturedAt: string },
  ): Promise<void> {
    const indexed =
      placement && photo.status === 'verified'
        ? photoEvidenceIndex(
            placement.unitPath,
            placement.inspectorId,
            photo.sha256,
            placement.capturedAt,
            photo.visitId,
            photo.photoId,
          )
        : {};
    await this.documents.transact([
      this.documents.put(
        { ...photoKey(photo.visitId, photo.photoId), ...indexed, entity: 'photo', ...photo },
        {
          expression: 'objectKey = :key AND #status = :expected',
          names: { '#status': 'status' },
          values: { ':key': expectedObjectKey, ':expected': expectedStatus },
        },
      ),
    ]);
  }

  async removePhoto(photo: PhotoRecord, deletion: ObjectDeletion): Promise<void> {
    await this.documents.transact([
      this.documents.put(objectDeletionItem(deletion)),
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
      // Its facts go with it, so no list derives a flag from a photo the visit no longer has
      // (set without reading: the evidence item may not exist yet, and then holds no facts).
      this.documents.update(
        evidenceKey(photo.visitId),
        'SET entity = :entity, visitId = :visitId REMOVE #photo',
        { ':entity': 'evidence', ':visitId': photo.visitId },
        undefined,
        { '#photo': evidenceAttribute(photo.photoId) },
      ),
    ]);
  }

  async dueObjectDeletions(before: string, limit: number): Promise<ObjectDeletion[]> {
    const result = await this.documents.client.send(
      new QueryCommand({
        TableName: this.documents.tableName,
        KeyConditionExpression: 'pk = :pk AND sk < :before',
        ExpressionAttributeValues: { ':pk': objectDeletionPartition, ':before': utcSortable(before) },
        Limit: limit,
        ConsistentRead: true,
      }),
    );
    return (result.Items ?? []).map((item) => withoutKeys<ObjectDeletion>(item));
  }

  async closeObjectDeletion(deletion: ObjectDeletion): Promise<void> {
    await this.documents.transact([
      this.documents.delete(objectDeletionKey(deletion.since, deletion.deletionId)),
    ]);
  }
}
