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
/**
 * A visit's evidence: what the verifier recorded about each photo (one attribute `photo#<id>`
 * each), in the visit's partition but never in the visit's item, so verification never changes
 * the visit's etag. Read with the visit's partition; a page of the review queue reads its
 * visits' with one BatchGet.
 */
export const evidenceKey = (visitId: string): ItemKey => ({ pk: `VISIT#${visitId}`, sk: 'EVIDENCE' });
export const evidenceAttribute = (photoId: string) => `photo#${photoId}`;
/**
 * A verified photo's places in the lists that find its copies: gsi2 by SHA-256 (`reused`),
 * tree<depth> of its unit and gsi1 of its inspector by capture time (`near_duplicate`).
 */
export const photoEvidenceIndex = (
  unitPath: readonly string[],
  inspectorId: string,
  sha256: string,
  capturedAt: string,
  visitId: string,
  photoId: string,
) => ({
  gsi2pk: sha256Partition(sha256),
  gsi2sk: `${visitId}#${photoId}`,
  [`tree${unitPath.length - 1}pk`]: treePartition(photosView, unitPath[unitPath.length - 1] ?? ''),
  treesk: `${utcSortable(capturedAt)}#${photoId}`,
  gsi1pk: inspectorPartition(inspectorId),
  gsi1sk: `${inspectorPhotoPrefix}${utcSortable(capturedAt)}#${photoId}`,
});
export const sha256Partition = (sha256: string) => `SHA256#${sha256}`;
export const photosView = 'PHOTO';
export const inspectorPhotoPrefix = 'PHOTO#';
/** How many photos a visit has, kept apart from the visit so that editing it never races a count. */
export const photoCounterKey = (visitId: string): ItemKey => ({ pk: `VISIT#${visitId}`, sk: 'PHOTOCOUNT' });
/**
 * A visit's findings share a partition of their own, beside the visit's: reading a visit (its
 * photos and history) never reads its findings, and the findings of a visit are one consistent
 * Query (revocation) whatever else the visit holds.
 */
export const findingsPartition = (visitId: string) => `FINDINGS#${visitId}`;
export const findingKey = (visitId: string, key: string): ItemKey => ({
  pk: findingsPartition(visitId),
  sk: `FINDING#${key}`,
});
export const findingPrefix = 'FINDING#';

/**
 * Status entries: small items that place a visit in the list of its status, on the same tree
 * indexes (partitions `VISIT#<status>#<unit>` and `VISIT#<status>#<templateId>#<unit>`), so
 * "submitted visits of this subtree, oldest first" (the review queue), with or without a
 * template, is one Query on a key built for it. Written in every transaction that writes the
 * visit; the list reads a page of entries and one BatchGet of their visits.
 */
export const visitStatusEntryKey = (visitId: string, byTemplate: boolean): ItemKey => ({
  pk: `VISIT#${visitId}`,
  sk: byTemplate ? 'STATUS#TEMPLATE' : 'STATUS',
});
export const visitStatusView = (status: string, templateId?: string) =>
  templateId === undefined ? `VISIT#${status}` : `VISIT#${status}#${templateId}`;

/**
 * The open entry of a finding while it is open or in progress: a copy of the finding on the
 * tree indexes under `OPEN#<unit>`, sorted by due date, so the overdue findings of any subtree
 * are one Query (`treesk < today`). Deleted when the finding closes.
 */
export const openFindingKey = (visitId: string, key: string): ItemKey => ({
  pk: findingsPartition(visitId),
  sk: `OPEN#${key}`,
});

/** gsi1 on a visit: an inspector's own visits, newest first, period as a key range. */
export const inspectorVisitIndex = (inspectorId: string, startedAt: string, visitId: string) => ({
  gsi1pk: inspectorPartition(inspectorId),
  gsi1sk: `${inspectorVisitPrefix}${utcSortable(startedAt)}#${visitId}`,
});
/**
 * The partition of one inspector's work on gsi1: visits (`VISIT#…`) and assignments
 * (`ASSIGNMENT#<window to>#<assignmentId>`), each under its own sort key prefix.
 */
export const inspectorPartition = (inspectorId: string) => `INSPECTOR#${inspectorId}`;
export const inspectorVisitPrefix = 'VISIT#';

/**
 * Plans: the plan (with its assignments) at `PLAN#<planId>` / `PLAN`, and beside it one entry
 * per person and assignment (`MEMBER#<assignmentId>#<userId>`) on gsi1 in that person's
 * partition, sorted by the window's last day: their assignments, nearest first.
 */
export const planKey = (planId: string): ItemKey => ({ pk: `PLAN#${planId}`, sk: 'PLAN' });
export const plansView = 'PLAN';
export const assignmentEntryKey = (planId: string, assignmentId: string, userId: string): ItemKey => ({
  pk: `PLAN#${planId}`,
  sk: `MEMBER#${assignmentId}#${userId}`,
});
export const assignmentEntryPrefix = 'MEMBER#';
export const inspectorAssignmentPrefix = 'ASSIGNMENT#';
export const assignmentEntryIndex = (userId: string, windowTo: string, assignmentId: string) => ({
  gsi1pk: inspectorPartition(userId),
  gsi1sk: `${inspectorAssignmentPrefix}${windowTo}#${assignmentId}`,
});
/** gsi2 on a visit that names an assignment: the plan's visits, by assignment. */
export const planVisitsPartition = (planId: string) => `PLANVISITS#${planId}`;
export const planVisitIndex = (planId: string, assignmentId: string, visitId: string) => ({
  gsi2pk: planVisitsPartition(planId),
  gsi2sk: `${assignmentId}#${visitId}`,
});

/**
 * Staff: a person's record at `USER#<userId>` / `USER`, on the tree indexes under `STAFF#<unit>`
 * for every unit of its unit's path, sorted by role then ID (a subtree's staff, one role of it
 * as a key prefix); and the claim of their e-mail at `EMAIL#<email>` / `EMAIL`, put with the
 * record on condition that it is new, so an address is one account across the pool.
 */
export const staffKey = (userId: string): ItemKey => ({ pk: `USER#${userId}`, sk: 'USER' });
export const staffEmailKey = (email: string): ItemKey => ({ pk: `EMAIL#${email}`, sk: 'EMAIL' });
export const staffView = 'STAFF';
export const staffSortKey = (role: string, userId: string) => `${role}#${userId}`;

/**
 * tree0..tree4: an item of `kind` (VISIT or FINDING) under each unit of its unit's path. The
 * sort key starts with the visit's startedAt in UTC, so period filters are key ranges and
 * "newest first" is a reverse Query.
 */
export function treeIndex(view: TreeView, unitPath: readonly string[], startedAt: string, id: string) {
  return treeIndexSorted(view, unitPath, `${utcSortable(startedAt)}#${id}`);
}

/**
 * The tree indexes are overloaded by view: each kind of list that a subtree needs gets its own
 * partition prefix (`<view>#<unitId>`) and its own sort key, so a new list of a subtree needs no
 * new index. Views in use: `VISIT` and `FINDING` (by visit start), `VISIT#<status>` and
 * `VISIT#<status>#<templateId>` (status entries, by visit start), `OPEN` (open findings, by due
 * date), `PUBLICATION` (publications by the path of their ranking's parent, by creation), `PLAN`
 * (plans by the path of their scope, by period start), `STAFF` (staff by role and ID). Unit
 * IDs cannot contain `#`, so no view's partition can be mistaken for another's.
 */
export function treeIndexSorted(view: TreeView, unitPath: readonly string[], sortKey: string) {
  const attributes: Record<string, string> = { treesk: sortKey };
  unitPath.slice(0, maxTreeDepth).forEach((unitId, depth) => {
    attributes[`tree${depth}pk`] = treePartition(view, unitId);
  });
  return attributes;
}
export type TreeView = string;
export const treePartition = (view: TreeView, unitId: string) => `${view}#${unitId}`;
export const openFindingsView = 'OPEN';
export const publicationsView = 'PUBLICATION';

/**
 * Audit entries live in the partition of what they describe, oldest first. A finding shares its
 * partition with its visit's other findings, so its entries carry its key too: its history is a
 * key prefix of its own.
 */
export const auditKey = (subject: ItemKey, at: string, entryId: string): ItemKey => ({
  pk: subject.pk,
  sk: `${auditPrefixOf(subject)}${utcSortable(at)}#${entryId}`,
});
export const auditPrefix = 'AUDIT#';
export const auditPrefixOf = (subject: ItemKey) =>
  subject.sk.startsWith(findingPrefix)
    ? `${auditPrefix}${subject.sk.slice(findingPrefix.length)}#`
    : auditPrefix;

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

/**
 * Object deletions (ObjectDeletion in ports/store.ts): photo objects to delete from the bucket,
 * set with the deletion of their records and cleared once the objects are gone. The sort key
 * starts with the deletion's time in UTC, so the repair's "older than the lease" is a key range.
 */
export const objectDeletionPartition = 'REPAIR#objects';
export const objectDeletionKey = (since: string, deletionId: string): ItemKey => ({
  pk: objectDeletionPartition,
  sk: `${utcSortable(since)}#${deletionId}`,
});

/**
 * An inspection record of a visit (one per visit etag: its ID is named from both), with the
 * visit's records on gsi2, newest last.
 */
export const recordKey = (recordId: string): ItemKey => ({ pk: `RECORD#${recordId}`, sk: 'RECORD' });
export const visitRecordsIndex = (visitId: string, createdAt: string) => ({
  gsi2pk: `VISITRECORDS#${visitId}`,
  gsi2sk: utcSortable(createdAt),
});

/**
 * The last record number of an agency in a year, moved on in the transaction that creates the
 * record it numbers: numbers run without gap or repeat.
 */
export const recordNumberKey = (agency: string, year: number): ItemKey => ({
  pk: `RECORDNUMBER#${agency}#${year}`,
  sk: 'COUNTER',
});
