/**
 * What the stores keep: the domain's entities plus what persistence and the API need around
 * them (etags, audit, internal progress markers). Use cases build these; adapters store them.
 */
import type { Finding } from '#domain/finding.ts';
import type { Place } from '#domain/geo.ts';
import type { Assignment } from '#domain/plan.ts';
import type { RankingRow } from '#domain/ranking.ts';
import type { ScanContentType } from '#domain/scan.ts';
import type { SectionPercent } from '#domain/scoring.ts';
import type { Template } from '#domain/template.ts';
import type { Unit } from '#domain/unit.ts';
import type { PhotoInput, PhotoStatus, VisitInput, VisitStatus } from '#domain/visit.ts';

export interface UnitRecord extends Unit {
  etag: string;
}

export type TemplateRecord = Template;

export interface ReviewRecord {
  decision: 'approve' | 'return';
  comment: string | null;
  /** An approval's requests (kiến nghị) to the unit, when the manager gave any. */
  requests?: string[];
  by: string;
  /** The reviewer's display name from the token, null without one; absent on reviews stored before it was kept. */
  byName?: string | null;
  at: string;
}

export interface VisitRecord extends VisitInput {
  visitId: string;
  unitPath: string[];
  inspectorId: string;
  inspectorName: string | null;
  status: VisitStatus;
  /** Set once submitted: the frozen score. */
  score: number | null;
  base: number | null;
  sections: SectionPercent[] | null;
  submittedAt: string | null;
  review: ReviewRecord | null;
  /**
   * An approval that has begun but whose findings may not all be written yet. While set, the
   * visit still reads as `submitted`; the approval's last transaction clears it. A retry of the
   * same review (by anyone allowed to approve) completes it with the recorded decision.
   */
  pendingApproval: ReviewRecord | null;
  /** `byName` as in ReviewRecord. */
  revocation: { reason: string; by: string; byName?: string | null; at: string } | null;
  /**
   * What the visit's evidence flags are measured by, copied when the visit was created: the
   * unit's office then (null when it had none) and the template version's evidence radius (null:
   * the default). Carried so that reading a visit, submitting it and the review queue need no
   * read of its unit or template (issue 12). Internal: not in the API's answers. Absent on visits
   * created before it was carried; those read the unit and the template version.
   */
  evidenceContext?: EvidenceContext;
  createdAt: string;
  updatedAt: string;
  etag: string;
}

/** The unit's office and the template's radius that a visit's `far` flag is measured by. */
export interface EvidenceContext {
  office: Place | null;
  radiusM: number | null;
}

export interface PhotoRecord extends PhotoInput {
  visitId: string;
  status: PhotoStatus;
  reason: string | null;
  /** The object key the current upload form names; every form names a fresh one. */
  objectKey: string;
  /**
   * The object version the verifier settled on (null where the store keeps no versions). A form
   * stays usable for its lifetime; an upload posted again with it makes a new version, which the
   * verifier deletes, and downloads name this version, so verified evidence never changes.
   */
  versionId: string | null;
  /** The verified picture's 64-bit dHash (null when its type is not decoded); internal. */
  dHash?: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface AuditEntry {
  entryId: string;
  subject: { type: 'unit' | 'template' | 'visit' | 'finding' | 'plan' | 'staff'; id: string };
  action: string;
  actor: string;
  /** The actor's display name from the token, null without one; absent on entries stored before it was kept. */
  actorName?: string | null;
  at: string;
  from: string | null;
  to: string | null;
  reason: string | null;
}

/**
 * A finding as stored: the domain's finding plus who inspected (inspectors see the findings of
 * their own visits) and the etag. `createdAt` is the approval instant: a finding counts only
 * once its visit's approval with that instant has completed (see shared/app/findings.ts).
 */
export interface FindingRecord extends Finding {
  inspectorId: string;
  /** The visit's inspectorName, copied at approval; absent on findings stored before it was. */
  inspectorName?: string | null;
  updatedAt: string;
  etag: string;
}

export interface UnitScoreVisit {
  visitId: string;
  startedAt: string;
  templateVersion: number;
  score: number;
  sections: SectionPercent[];
}

export interface UnitScoreRecord {
  unitId: string;
  templateId: string;
  period: string;
  parentId: string | null;
  kind: string;
  /** Derived from `visits` when read; null once every visit behind it has been revoked. */
  score: number | null;
  sections: SectionPercent[];
  visitCount: number;
  visits: UnitScoreVisit[];
  /** How many changes it has had (each approval or revocation of one of its visits). */
  revision: number;
  updatedAt: string;
}

export interface PublicationRecord {
  publicationId: string;
  templateId: string;
  period: string;
  parentId: string;
  kind: string;
  rows: RankingRow[];
  rowCount: number;
  hash: string;
  createdAt: string;
  createdBy: string;
  /** The publisher's display name from the token, null without one; absent on older publications. */
  createdByName?: string | null;
  supersedes: string | null;
  /** The parent's path at publication time: managers read publications under their jurisdiction. */
  parentPath: string[];
  /**
   * Whether `ScoresPublished` went out. Delivery bookkeeping, not content: the publication itself
   * never changes; a replay of the creating request retries the event while this is false.
   */
  eventPublished: boolean;
}

export type PublicationSummary = Omit<PublicationRecord, 'rows'>;

export interface ExportRecord {
  exportId: string;
  kind: 'findings' | 'ranking';
  /** Jobs stored before workbooks existed have none: they are CSV. */
  format: 'csv' | 'xlsx';
  status: 'running' | 'ready' | 'failed';
  filters: Record<string, string>;
  language: 'vi' | 'en';
  createdBy: string;
  /** The creator's scope, so the worker lists only what the creator may see. */
  scope: { unitId: string; roles: string[]; sub: string };
  rowCount: number | null;
  objectKey: string | null;
  error: string | null;
  createdAt: string;
  updatedAt: string;
}

/**
 * An inspection plan as stored: one item holding its assignments, so that creating or replacing
 * a plan is one conditional write whatever its size (docs/plans.md). `scopePath` places it on the
 * tree indexes; `lastAssignmentNumber` is the highest `<n>` ever given, so an assignment ID is
 * never given twice, even after its assignment was removed.
 */
export interface PlanRecord {
  planId: string;
  title: string;
  period: string;
  templateId: string;
  scopeUnitId: string;
  scopePath: string[];
  assignments: Assignment[];
  lastAssignmentNumber: number;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  etag: string;
}

/** A visit that names an assignment, as the plan's visit list (gsi2) gives it. */
export interface PlanVisit {
  visitId: string;
  assignmentId: string;
  unitId: string;
  status: VisitRecord['status'];
  startedAt: string;
}

/** Where one person stands on one assignment: an entry of their assignment list. */
export interface AssignmentEntry {
  planId: string;
  assignmentId: string;
  userId: string;
  windowTo: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PageRequest {
  limit: number;
  cursor: string | null;
}

/**
 * An inspection record (biên bản kiểm tra) of an approved visit: its number, given once and
 * kept whatever becomes of the build, and the state of its PDF and DOCX.
 */
export interface InspectionRecord {
  recordId: string;
  visitId: string;
  /** The visit's etag it was made from: the same visit, unchanged, has the same record. */
  visitEtag: string;
  /** The visit's unit path: who may read the record (the reviewers of that subtree). */
  unitPath: string[];
  /** The agency's symbol (`SNV`) and the year whose numbering it belongs to. */
  agency: string;
  year: number;
  /** 1, 2, ... per agency and year, with no gap and no repeat. */
  number: number;
  status: 'running' | 'ready' | 'failed';
  pdfKey: string | null;
  docxKey: string | null;
  error: string | null;
  /**
   * The files of its signed scan (a PDF, or photos of the pages), each registered with a
   * presigned form and settled by the verifier. Absent until the first is registered.
   */
  scans?: RecordScanFile[];
  /** When the first scan file was verified: from then on the record reads as `signed`. */
  signedAt?: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

/** One file of a record's signed scan. */
export interface RecordScanFile {
  fileId: string;
  contentType: ScanContentType;
  sizeBytes: number;
  sha256: string;
  /** The key the current upload form names (`scans/<recordId>/<fileId>/<nonce>`). */
  objectKey: string;
  status: 'pending' | 'verified' | 'rejected';
  reason: string | null;
  /** The verified object version (null where the store keeps none). */
  versionId: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}
