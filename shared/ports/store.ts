/**
 * What the use cases need from storage, one interface per aggregate. The DynamoDB adapter
 * implements them over one table (shared/adapters/dynamodb); every write that changes state
 * carries its audit entries so both land in one transaction. Conditional writes that lose throw
 * StaleWriteError (shared/ports/errors.ts).
 */
import type { PhotoFacts, PhotoMatch } from '#domain/evidence.ts';
import type { Place } from '#domain/geo.ts';
import type {
  AssignmentEntry,
  AuditEntry,
  ExportRecord,
  FindingRecord,
  InspectionRecord,
  Page,
  PageRequest,
  PhotoRecord,
  PlanRecord,
  PlanVisit,
  PublicationRecord,
  PublicationSummary,
  TemplateRecord,
  UnitRecord,
  UnitScoreRecord,
  UnitScoreVisit,
  VisitRecord,
} from './records.ts';
import type { StaffStore } from './staff.ts';

/**
 * How many levels the unit tree may have (root included). The store keeps one index per level
 * so that any subtree is one Query.
 */
export const maxTreeDepth = 5;

export interface UnitStore {
  /**
   * Every unit below `unitId` (itself left out), level by level: one Query for each unit that can
   * hold others (a province or a district).
   */
  allDescendants(unitId: string): Promise<UnitRecord[]>;
  getUnit(unitId: string, consistent?: boolean): Promise<UnitRecord | null>;
  getUnits(unitIds: readonly string[]): Promise<UnitRecord[]>;
  /** Children of a unit (roots when null), optionally of one kind; one Query per page. */
  listChildren(
    parentId: string | null,
    kind: string | undefined,
    page: PageRequest,
  ): Promise<Page<UnitRecord>>;
  /** A whole peer group's units (every page). */
  allChildren(parentId: string, kind: string): Promise<UnitRecord[]>;
  hasChildren(unitId: string): Promise<boolean>;
  hasVisits(unit: Pick<UnitRecord, 'unitId' | 'path'>): Promise<boolean>;
  /** Writes the unit; `expectedEtag` null means it must not exist yet. */
  saveUnit(unit: UnitRecord, expectedEtag: string | null, audit: AuditEntry): Promise<void>;
}

export interface TemplateStore {
  getTemplateVersion(templateId: string, version: number): Promise<TemplateRecord | null>;
  getLatestTemplate(templateId: string, consistent?: boolean): Promise<TemplateRecord | null>;
  listLatestTemplates(page: PageRequest): Promise<Page<TemplateRecord>>;
  /** Publishes `template.version`; fails with StaleWriteError when another version won the race. */
  publishTemplate(template: TemplateRecord, audit: AuditEntry): Promise<void>;
}

export interface StoredResponse {
  requestHash: string;
  status: number;
  body: unknown;
}

/**
 * What reserving an Idempotency-Key found. A reservation names its `holder`: a token drawn for
 * this attempt alone, which saving the response and releasing the key must present.
 */
export type Reservation =
  | { state: 'reserved'; holder: string }
  | { state: 'done'; response: StoredResponse }
  | { state: 'busy'; requestHash: string };

export interface IdempotencyStore {
  /**
   * Claims a key before the action runs, so concurrent twins cannot both run it: `reserved`
   * (ours now, for `leaseSeconds`), `done` (answered before), or `busy` (a twin holds it). An
   * expired lease (its holder died, or is too slow) can be claimed again, with a new holder.
   */
  reserve(scope: string, key: string, requestHash: string, leaseSeconds: number): Promise<Reservation>;
  /**
   * Remembers the response for 24 hours, if `holder` still holds the key: false when its lease
   * ran out and a twin took the key over, whose reservation is then left as it is.
   */
  saveResponse(scope: string, key: string, holder: string, response: StoredResponse): Promise<boolean>;
  /**
   * Gives the reservation up, so a retry need not wait for the lease; only if `holder` still
   * holds it (a twin's reservation is never deleted) and it holds no response yet.
   */
  release(scope: string, key: string, holder: string): Promise<void>;
}

export interface VisitListFilter {
  /** The unit whose subtree is listed, with its depth in the tree. */
  unitId: string;
  depth: number;
  from?: string | undefined;
  to?: string | undefined;
  status?: string | undefined;
  templateId?: string | undefined;
  inspectorId?: string | undefined;
  /** By visit start: newest first (the default) or oldest first (the review queue). */
  order?: 'newest' | 'oldest' | undefined;
  /**
   * The page will show each visit's evidence (status lists): read the evidence items with the
   * visits where the store reads them anyway, in the same BatchGet.
   */
  evidence?: boolean | undefined;
}

/** A page of visits; `evidence` holds the evidence items read with it (by visit ID), if any. */
export interface VisitPage extends Page<VisitRecord> {
  evidence?: ReadonlyMap<string, PhotoFacts[]>;
}

/** What a findings list reads of each finding's visit. */
export type VisitReview = Pick<VisitRecord, 'visitId' | 'status' | 'review'>;

export interface VisitStore {
  getVisit(visitId: string, consistent?: boolean): Promise<VisitRecord | null>;
  /** The visit with its photos and its audit history: one Query of the visit's partition. */
  visitDetails(
    visitId: string,
    consistent?: boolean,
  ): Promise<{
    visit: VisitRecord;
    photos: PhotoRecord[];
    history: AuditEntry[];
    evidence: PhotoFacts[];
  } | null>;
  /**
   * What the review queue shows of a page of visits: each visit's evidence, its unit's office
   * and its template version's radius. What `known` holds (evidence items read with the page)
   * and what the visits carry (`evidenceContext`) is not read again; the rest is one BatchGet,
   * none when nothing is missing.
   */
  evidenceOf(
    visits: readonly VisitRecord[],
    known?: ReadonlyMap<string, PhotoFacts[]>,
  ): Promise<Map<string, VisitEvidence>>;
  /** Records what the verifier found about one photo in the visit's evidence (never the visit). */
  recordPhotoFacts(visitId: string, facts: PhotoFacts): Promise<void>;
  /** Verified photos with this SHA-256, in any visit. */
  photosWithSha256(sha256: string): Promise<PhotoMatch[]>;
  /** The dHashes of the verified photos of a unit (at its depth) and of an inspector. */
  photoHashesNear(
    unit: { unitId: string; depth: number },
    inspectorId: string,
  ): Promise<(PhotoMatch & { dHash: string })[]>;
  getVisits(visitIds: readonly string[]): Promise<VisitRecord[]>;
  /**
   * Only what decides whether a visit's findings are visible (status and review), for many
   * visits: the findings lists need no answers, photos or people, which are most of a visit.
   */
  getVisitReviews(visitIds: readonly string[]): Promise<VisitReview[]>;
  /** The units of a subtree that have a visit starting in [from, to): one Query (all pages). */
  visitedUnits(unitId: string, depth: number, from: string, to: string): Promise<Set<string>>;
  listVisits(filter: VisitListFilter, page: PageRequest): Promise<VisitPage>;
  /**
   * Creates (expectedEtag null) or replaces the visit, with its audit entries. `verifiedPhotos`
   * must still be there and verified when it commits (submit counts on them).
   */
  saveVisit(
    visit: VisitRecord,
    expectedEtag: string | null,
    audit: AuditEntry[],
    verifiedPhotos?: readonly PhotoRecord[],
  ): Promise<void>;
  /**
   * Deletes a draft visit and its photo records, conditional on the etag, and sets `deletion`
   * (their objects to delete; null without photos) in the same transaction.
   */
  deleteVisit(
    visit: VisitRecord,
    photos: readonly PhotoRecord[],
    audit: AuditEntry,
    deletion: ObjectDeletion | null,
  ): Promise<void>;
  history(subject: AuditEntry['subject']): Promise<AuditEntry[]>;

  listPhotos(visitId: string): Promise<PhotoRecord[]>;
  getPhoto(visitId: string, photoId: string, consistent?: boolean): Promise<PhotoRecord | null>;
  /**
   * A new photo: counts it on the visit (at most `maxPhotos`) while the visit is still
   * editable, all in one transaction.
   */
  addPhoto(photo: PhotoRecord, maxPhotos: number): Promise<void>;
  /** Replaces a photo record if it still names `expectedObjectKey` and the visit is editable. */
  replacePhoto(photo: PhotoRecord, expectedObjectKey: string): Promise<void>;
  /**
   * Records the verifier's verdict if the photo still names that object and has that status;
   * with `placement`, a verified photo joins the lists that find its copies (reused, near duplicate).
   */
  settlePhoto(
    photo: PhotoRecord,
    expectedObjectKey: string,
    expectedStatus?: PhotoRecord['status'],
    placement?: { unitPath: readonly string[]; inspectorId: string; capturedAt: string },
  ): Promise<void>;
  /** Removes a photo record while the visit is editable, and sets `deletion` in the same transaction. */
  removePhoto(photo: PhotoRecord, deletion: ObjectDeletion): Promise<void>;
  /** Object deletions set before `before`, oldest first: one bounded page. */
  dueObjectDeletions(before: string, limit: number): Promise<ObjectDeletion[]>;
  /** Clears an object deletion whose objects are gone from the bucket. */
  closeObjectDeletion(deletion: ObjectDeletion): Promise<void>;
}

/**
 * Bucket objects whose photo records are gone. Set in the transaction that deletes the records,
 * so an object is never left behind unknown: the request deletes the objects right after and
 * clears it, and the scheduled repair deletes what a request could not (S3 failing or the
 * function dying in between).
 */
export interface ObjectDeletion {
  /** Unique per deletion: two deletions of one visit never share a mark. */
  deletionId: string;
  visitId: string;
  objectKeys: string[];
  /** When the records were deleted: the repair waits its lease after it. */
  since: string;
}

export interface VisitEvidence {
  facts: PhotoFacts[];
  office: Place | null;
  radiusM: number | null;
}

export interface ScoreStore {
  getUnitScore(
    unitId: string,
    templateId: string,
    period: string,
    consistent?: boolean,
  ): Promise<UnitScoreRecord | null>;
  /** Every unit score of a peer group for a template and period. */
  peerScores(templateId: string, period: string, parentId: string, kind: string): Promise<UnitScoreRecord[]>;
}

/**
 * A visit whose approval or revocation has begun but may not have finished: an approval that
 * needed more than one transaction (its findings written before the commit), or a revocation
 * whose findings are still to be dismissed. The scheduled repair completes what is older than
 * its lease; admins list the pending approvals.
 */
export interface RepairMark {
  kind: 'approval' | 'revocation';
  visitId: string;
  unitPath: string[];
  /** When the approval or revocation began (the review's or the revocation's instant). */
  since: string;
  by: string;
}

/**
 * One visit added to (`entry`) or removed from (`entry: null`) a unit's score for a template and
 * period. It depends on nothing read before, so concurrent approvals of one unit never make each
 * other's changes stale; the score is derived from the visits when read.
 */
export interface UnitScoreChange {
  unitId: string;
  templateId: string;
  period: string;
  parentId: string | null;
  kind: string;
  visitId: string;
  entry: UnitScoreVisit | null;
}

/** The commit point of an approval or a revocation, as one transaction. */
export interface ApprovalCommit {
  visit: VisitRecord;
  expectedEtag: string;
  audit: AuditEntry[];
  /** The visit added to or removed from the unit's score records (year and quarter). */
  scores: UnitScoreChange[];
  /** Findings written in the same transaction, each only if new or still exactly as derived. */
  findings: readonly FindingRecord[];
  /** A repair mark this commit sets (a revocation's dismissals still to do). */
  openRepair?: RepairMark;
  /** A repair mark this commit clears (the pending approval it completes or rolls back). */
  closeRepair?: RepairMark;
}

export interface ApprovalStore {
  /**
   * Writes an approval's findings: each one only if it is new or still exactly as derived (its
   * etag), so a late retry never undoes a change made after the approval committed.
   */
  putFindings(findings: readonly FindingRecord[]): Promise<void>;
  /**
   * Deletes findings that an approval wrote before it was rolled back (they never counted), each
   * only if still as derived.
   */
  removeFindings(findings: readonly FindingRecord[]): Promise<void>;
  /** Whether `commit` fits one transaction of the store (DynamoDB: 100 items, 4 MB). */
  fitsOneCommit(commit: ApprovalCommit): boolean;
  /** Marks the visit with its pending approval, and sets the repair mark, in one transaction. */
  beginApproval(visit: VisitRecord, expectedEtag: string, mark: RepairMark): Promise<void>;
  /**
   * The commit point of an approval or a revocation: the visit, its audit entry, the unit
   * scores, any findings and repair marks, in one transaction.
   */
  commitVisitScores(commit: ApprovalCommit): Promise<void>;
  /** Repair marks of a kind set before `before`, oldest first: one bounded page. */
  dueRepairs(kind: RepairMark['kind'], before: string, limit: number): Promise<RepairMark[]>;
  /** Repair marks of a kind, oldest first, one Query per page (the admins' list). */
  listRepairs(kind: RepairMark['kind'], page: PageRequest): Promise<Page<RepairMark>>;
  /** Removes a repair mark whose work is done. */
  closeRepair(mark: RepairMark): Promise<void>;
}

export interface FindingListFilter {
  unitId: string;
  depth: number;
  rootUnitId: string;
  from?: string | undefined;
  to?: string | undefined;
  status?: string | undefined;
  severity?: string | undefined;
  sectionCode?: string | undefined;
  itemCode?: string | undefined;
  inspectorId?: string | undefined;
  /** Local date: with it, only findings due before it and still open or in progress. */
  overdueOn?: string | undefined;
}

export interface FindingStore {
  getFinding(findingId: string, consistent?: boolean): Promise<FindingRecord | null>;
  listVisitFindings(visitId: string): Promise<FindingRecord[]>;
  listFindings(filter: FindingListFilter, page: PageRequest): Promise<Page<FindingRecord>>;
  saveFinding(finding: FindingRecord, expectedEtag: string, audit: AuditEntry): Promise<void>;
}

export interface PublicationStore {
  /** The latest publication of a ranking, read strongly so `supersedes` is exact. */
  latestPublicationId(
    templateId: string,
    period: string,
    parentId: string,
    kind: string,
  ): Promise<string | null>;
  /** Stores the publication and moves the ranking's head from `supersedes` to it, atomically. */
  savePublication(publication: PublicationRecord): Promise<void>;
  getPublication(publicationId: string): Promise<PublicationRecord | null>;
  /**
   * Newest first. `within` keeps publications whose parent lies in that unit's subtree (a
   * manager's jurisdiction; its depth picks the tree index).
   */
  listPublications(
    filter: {
      templateId?: string;
      period?: string;
      parentId?: string;
      kind?: string;
      within?: { unitId: string; depth: number };
    },
    page: PageRequest,
  ): Promise<Page<PublicationSummary>>;
  /**
   * Publications whose event has not gone out (their outbox markers), created before
   * `createdBefore`, oldest first: one bounded page of at most `limit`.
   */
  listUnannounced(createdBefore: string, limit: number): Promise<PublicationSummary[]>;
  /** Records that the publication's event went out, and removes it from the outbox. */
  markEventPublished(publication: Pick<PublicationSummary, 'publicationId' | 'createdAt'>): Promise<void>;
}

export interface ExportStore {
  getExport(exportId: string): Promise<ExportRecord | null>;
  /**
   * Writes the job. `expectedUpdatedAt`: left out, unconditionally; null, only if no job has
   * that ID yet; a time, only if the stored job still has that `updatedAt`. A lost condition
   * throws StaleWriteError.
   */
  saveExport(record: ExportRecord, expectedUpdatedAt?: string | null): Promise<void>;
}

export interface PlanStore {
  getPlan(planId: string, consistent?: boolean): Promise<PlanRecord | null>;
  getPlans(planIds: readonly string[]): Promise<PlanRecord[]>;
  /** Plans of a subtree (the unit at `depth`) whose period begins in [from, to), by period start. */
  listPlans(
    filter: { unitId: string; depth: number; from?: string | undefined; to?: string | undefined },
    page: PageRequest,
  ): Promise<Page<PlanRecord>>;
  /** Creates (expectedEtag null) or replaces the plan with its audit entries, in one transaction. */
  savePlan(plan: PlanRecord, expectedEtag: string | null, audit: AuditEntry[]): Promise<void>;
  /**
   * Brings the assignment entries of everyone on the plan's assignments to what the plan says:
   * puts each one's entry and deletes those of people (or assignments) it no longer has.
   * Idempotent: a retry of the same change, or of a replayed PUT, repairs what a crash left.
   */
  syncAssignmentEntries(plan: PlanRecord, previous: PlanRecord | null): Promise<void>;
  /** One person's assignment entries whose window ends on or after `fromDate`, nearest end first. */
  listAssignmentEntries(userId: string, fromDate: string, page: PageRequest): Promise<Page<AssignmentEntry>>;
  /** The visits that name one of the plan's assignments (or, with `assignmentId`, that one). */
  planVisits(planId: string, assignmentId?: string): Promise<PlanVisit[]>;
  history(planId: string): Promise<AuditEntry[]>;
}

/** Inspection records (biên bản) and their numbers (shared/adapters/dynamodb/inspection-records.ts). */
export interface InspectionRecordStore {
  getRecord(recordId: string, consistent?: boolean): Promise<InspectionRecord | null>;
  /**
   * Creates the record with the next number of its agency and year, in the same transaction,
   * or answers the record that already has its ID (`created: false`).
   */
  createRecord(
    record: Omit<InspectionRecord, 'number'>,
  ): Promise<{ record: InspectionRecord; created: boolean }>;
  /** Replaces the record (its build's state), only while it still has `expectedUpdatedAt`. */
  saveRecord(record: InspectionRecord, expectedUpdatedAt: string): Promise<void>;
}

/** Every store the use cases may touch; each use case takes only those it uses (shared/app/deps.ts). */
export interface Stores {
  units: UnitStore;
  templates: TemplateStore;
  idempotency: IdempotencyStore;
  visits: VisitStore;
  scores: ScoreStore;
  approvals: ApprovalStore;
  findings: FindingStore;
  publications: PublicationStore;
  exports: ExportStore;
  plans: PlanStore;
  records: InspectionRecordStore;
  staff: StaffStore;
}
