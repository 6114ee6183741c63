/**
 * Every key shape of the one table, in one place. docs/data-model.md explains which access
 * pattern each serves. Keys are strings; `#` separates parts (IDs cannot contain it).
 */
import { maxTreeDepth } from './table.ts';

export interface ItemKey {
  pk: string;
  sk: string;
}

const ROOT = '~root';

/** Sortable UTC form of an instant, so sort keys order by time whatever offset the client sent. */
export function utcSortable(instant: string): string {
  return new Date(instant).toISOString();
}

export const unitKey = (unitId: string): ItemKey => ({ pk: `UNIT#${unitId}`, sk: 'UNIT' });

/** gsi1: a unit among its parent's children, sorted by kind then ID (unit lists, peer groups). */
export const unitChildIndex = (parentId: string | null, kind: string, unitId: string) => ({
  gsi1pk: childrenPartition(parentId),
  gsi1sk: `${kind}#${unitId}`,
});
export const childrenPartition = (parentId: string | null) => `CHILDREN#${parentId ?? ROOT}`;

export const templateVersionKey = (templateId: string, version: number): ItemKey => ({
  pk: `TEMPLATE#${templateId}`,
  sk: `VERSION#${String(version).padStart(6, '0')}`,
});
export const templateLatestKey = (templateId: string): ItemKey => ({
  pk: `TEMPLATE#${templateId}`,
  sk: 'LATEST',
});
/** gsi2: the latest version of every template. */
export const templateLatestIndex = (templateId: string) => ({ gsi2pk: 'TEMPLATES', gsi2sk: templateId });
export const templatesPartition = 'TEMPLATES';

export const visitKey = (visitId: string): ItemKey => ({ pk: `VISIT#${visitId}`, sk: 'VISIT' });
export const photoKey = (visitId: string, photoId: string): ItemKey => ({
  pk: `VISIT#${visitId}`,
  sk: `PHOTO#${photoId}`,
});
export const photoPrefix = 'PHOTO#';
/** How many photos a visit has, kept apart from the visit so that editing it never races a count. */
export const photoCounterKey = (visitId: string): ItemKey => ({ pk: `VISIT#${visitId}`, sk: 'PHOTOCOUNT' });
export const findingKey = (visitId: string, key: string): ItemKey => ({
  pk: `VISIT#${visitId}`,
  sk: `FINDING#${key}`,
});
export const findingPrefix = 'FINDING#';

/**
 * tree0..tree4: an item of `kind` (VISIT or FINDING) under each unit of its unit's path. The
 * sort key starts with the visit's startedAt in UTC, so period filters are key ranges and
 * "newest first" is a reverse Query.
 */
export function treeIndex(
  kind: 'VISIT' | 'FINDING',
  unitPath: readonly string[],
  startedAt: string,
  id: string,
) {
  const attributes: Record<string, string> = { treesk: `${utcSortable(startedAt)}#${id}` };
  unitPath.slice(0, maxTreeDepth).forEach((unitId, depth) => {
    attributes[`tree${depth}pk`] = treePartition(kind, unitId);
  });
  return attributes;
}
export const treePartition = (kind: 'VISIT' | 'FINDING', unitId: string) => `${kind}#${unitId}`;

/** open (sparse): present only while a finding is open or in progress. */
export const openFindingIndex = (rootUnitId: string, dueDate: string, findingId: string) => ({
  openpk: openPartition(rootUnitId),
  opensk: `${dueDate}#${findingId}`,
});
export const openPartition = (rootUnitId: string) => `OPEN#${rootUnitId}`;

/** Audit entries live in the partition of what they describe, oldest first. */
export const auditKey = (subject: ItemKey, at: string, entryId: string): ItemKey => ({
  pk: subject.pk,
  sk: `AUDIT#${utcSortable(at)}#${entryId}`,
});
export const auditPrefix = 'AUDIT#';

export const unitScoreKey = (unitId: string, templateId: string, period: string): ItemKey => ({
  pk: `UNIT#${unitId}`,
  sk: `SCORE#${templateId}#${period}`,
});
/** gsi1: every unit score of a peer group for one template and period. */
export const peerScoreIndex = (
  templateId: string,
  period: string,
  parentId: string | null,
  kind: string,
  unitId: string,
) => ({
  gsi1pk: peerScorePartition(templateId, period, parentId, kind),
  gsi1sk: unitId,
});
export const peerScorePartition = (
  templateId: string,
  period: string,
  parentId: string | null,
  kind: string,
) => `SCORES#${templateId}#${period}#${parentId ?? ROOT}#${kind}`;

export const rankingKey = (templateId: string, period: string, parentId: string, kind: string): ItemKey => ({
  pk: `RANKING#${templateId}#${period}#${parentId}#${kind}`,
  sk: 'LATEST_PUBLICATION',
});
export const publicationKey = (publicationId: string): ItemKey => ({
  pk: `PUBLICATION#${publicationId}`,
  sk: 'PUBLICATION',
});
export const publicationRowsKey = (publicationId: string, chunk: number): ItemKey => ({
  pk: `PUBLICATION#${publicationId}`,
  sk: `ROWS#${String(chunk).padStart(4, '0')}`,
});
export const publicationRowsPrefix = 'ROWS#';
/** gsi1: the publications of one ranking; gsi2: all publications; both newest last. */
export const publicationIndex = (
  templateId: string,
  period: string,
  parentId: string,
  kind: string,
  createdAt: string,
  publicationId: string,
) => ({
  gsi1pk: rankingPublicationsPartition(templateId, period, parentId, kind),
  gsi1sk: `${utcSortable(createdAt)}#${publicationId}`,
  gsi2pk: 'PUBLICATIONS',
  gsi2sk: `${utcSortable(createdAt)}#${publicationId}`,
});
export const rankingPublicationsPartition = (
  templateId: string,
  period: string,
  parentId: string,
  kind: string,
) => `PUBLICATIONS#${templateId}#${period}#${parentId}#${kind}`;
export const publicationsPartition = 'PUBLICATIONS';

export const exportKey = (exportId: string): ItemKey => ({ pk: `EXPORT#${exportId}`, sk: 'EXPORT' });

export const idempotencyKey = (scope: string, key: string): ItemKey => ({
  pk: `IDEMPOTENCY#${scope}#${key}`,
  sk: 'IDEMPOTENCY',
});

/**
 * Outbox: a marker for each publication whose `ScoresPublished` has not gone out yet, written in
 * the publication's own transaction and deleted with the flag that records the event. The sort
 * key starts with the creation time in UTC, so the sweeper reads the oldest first and "older
 * than a minute" is a key range.
 */
export const publicationOutboxPartition = 'OUTBOX#ScoresPublished';
export const publicationOutboxKey = (createdAt: string, publicationId: string): ItemKey => ({
  pk: publicationOutboxPartition,
  sk: `${utcSortable(createdAt)}#${publicationId}`,
});

/**
 * Repair marks: a visit whose approval spans several transactions, or whose revocation still has
 * findings to dismiss, set in the transaction that begins it and cleared in the one that ends
 * it. The sort key starts with when it began, so "older than the lease" is a key range and
 * the repair reads the oldest first. Rare by design (most approvals are one transaction).
 */
export const repairPartition = (kind: 'approval' | 'revocation') => `REPAIR#${kind}`;
export const repairKey = (kind: 'approval' | 'revocation', since: string, visitId: string): ItemKey => ({
  pk: repairPartition(kind),
  sk: `${utcSortable(since)}#${visitId}`,
});
