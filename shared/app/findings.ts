/**
 * Findings (tồn tại, hạn chế): listing in scope, reading one with its history, and moving one
 * through its lifecycle. The findings export (shared/app/exports.ts) lists through the same code.
 *
 * Approval writes a visit's findings before its final transaction commits, so a finding only
 * counts once that commit happened: its visit is `approved` (or later `revoked`) by an approving
 * review whose instant is the finding's `createdAt`. Anything else (an approval still under way,
 * or one that died and was followed by a return) is invisible here, as if it did not exist.
 */
import { applyFindingPatch, type FindingPatch, type FindingStatus, isOverdue } from '#domain/finding.ts';
import { localDate, parsePeriod } from '#domain/period.ts';
import type { Severity } from '#domain/template.ts';
import { StaleWriteError } from '#ports/errors.ts';
import type { FindingRecord, Page, PageRequest, VisitRecord } from '#ports/records.ts';
import type { FindingListFilter, VisitReview } from '#ports/store.ts';
import type { Deps } from './deps.ts';
import {
  audit,
  type Caller,
  checkIfMatch,
  etagOf,
  inJurisdiction,
  isReviewer,
  notFound,
  staleWrite,
} from './support.ts';
import { canSee, historyView } from './visits.ts';

/** The filters of `GET /v1/findings` (and of a findings export), parsed. */
export interface FindingQuery {
  unitId?: string | undefined;
  period?: string | undefined;
  status?: FindingStatus | undefined;
  severity?: Severity | undefined;
  sectionCode?: string | undefined;
  itemCode?: string | undefined;
  overdue?: boolean | undefined;
}

/** 404 for a finding that is missing, out of scope or not yet committed: they look the same. */
export const findingNotFound = () =>
  notFound({ vi: 'Không tìm thấy tồn tại, hạn chế.', en: 'Finding not found.' });

/**
 * Whether the approval that wrote `finding` has committed: the visit is approved or revoked by
 * an approving review made at the finding's creation instant.
 */
export function approvalCommitted(
  visit: Pick<VisitRecord, 'status' | 'review'> | null | undefined,
  finding: Pick<FindingRecord, 'createdAt'>,
): boolean {
  if (!visit || (visit.status !== 'approved' && visit.status !== 'revoked')) return false;
  return visit.review?.decision === 'approve' && visit.review.at === finding.createdAt;
}

/** A finding as clients see it: the tree path left out, `overdue` computed for `now`. */
export function findingView(finding: FindingRecord, now: Date) {
  const { unitPath: _path, ...rest } = finding;
  return { ...rest, inspectorName: finding.inspectorName ?? null, overdue: isOverdue(finding, now) };
}
export type FindingView = ReturnType<typeof findingView>;

/**
 * The stored finding with its etag computed from its content, so equal findings have equal
 * etags (approval retries write the same etag).
 */
export function withFindingEtag(finding: Omit<FindingRecord, 'etag'>): FindingRecord {
  return { ...finding, etag: etagOf(finding) };
}

/**
 * Turns the caller and the query into a store filter: the subtree of `unitId` (the caller's own
 * unit when absent), which must be in the caller's jurisdiction (404 otherwise); inspectors only
 * ever get the findings of their own visits.
 */
export async function findingListFilter(
  deps: Pick<Deps, 'clock' | 'units'>,
  caller: Caller,
  query: FindingQuery,
): Promise<FindingListFilter> {
  const unitId = query.unitId ?? caller.unitId;
  const unit = unitId ? await deps.units.getUnit(unitId) : null;
  if (!unit || !inJurisdiction(caller, unit.path))
    throw notFound({ vi: 'Không tìm thấy đơn vị.', en: 'Unit not found.' });
  const period = query.period ? parsePeriod(query.period) : null;
  return {
    unitId: unit.unitId,
    depth: unit.path.length - 1,
    rootUnitId: unit.path[0] ?? unit.unitId,
    from: period?.start.toISOString(),
    to: period?.end.toISOString(),
    status: query.status,
    severity: query.severity,
    sectionCode: query.sectionCode,
    itemCode: query.itemCode,
    inspectorId: isReviewer(caller) ? undefined : caller.sub,
    overdueOn: query.overdue === true ? localDate(deps.clock.now()) : undefined,
  };
}

/** Options of listFindings for long walks (the export worker). */
export interface FindingListOptions {
  /**
   * Visits already read, by ID (null: missing). Findings come sorted by their visit's start, so
   * a visit's findings sit together and a walk over many pages reads each visit about once.
   */
  visitCache?: Map<string, VisitReview | null>;
}

// Bounds the export worker's cache: memory must stay flat however many findings it walks.
export const visitCacheLimit = 2_000;

/**
 * GET /v1/findings: one page of the findings in scope, newest visit first, each page one Query
 * plus one BatchGet of the page's visits (to keep only findings whose approval committed).
 * `overdue: true` keeps findings past their due date and still open or in progress;
 * `overdue: false` keeps the others. A page may hold fewer than `limit` findings while
 * `nextCursor` is not null.
 */
export async function listFindings(
  deps: Pick<Deps, 'clock' | 'findings' | 'units' | 'visits'>,
  caller: Caller,
  query: FindingQuery,
  page: PageRequest,
  options: FindingListOptions = {},
): Promise<Page<FindingView>> {
  const filter = await findingListFilter(deps, caller, query);
  const result = await deps.findings.listFindings(filter, page);
  const visits = options.visitCache ?? new Map<string, VisitReview | null>();
  const needed = new Set(result.items.map((f) => f.visitId));
  // Trim before deciding what to read: a visit cached on the previous page may be needed here.
  if (visits.size > visitCacheLimit) {
    for (const id of visits.keys()) if (!needed.has(id)) visits.delete(id);
  }
  const missing = [...needed].filter((id) => !visits.has(id));
  if (missing.length > 0) {
    const found = await deps.visits.getVisitReviews(missing);
    for (const id of missing) visits.set(id, null);
    for (const visit of found) visits.set(visit.visitId, visit);
  }
  const now = deps.clock.now();
  const items = result.items
    .filter((finding) => approvalCommitted(visits.get(finding.visitId), finding))
    .map((finding) => findingView(finding, now))
    .filter((finding) => query.overdue !== false || !finding.overdue);
  return { items, nextCursor: result.nextCursor };
}

/** A finding the caller may see and whose approval committed; anything else is 404. */
async function loadFinding(
  deps: Pick<Deps, 'findings' | 'visits'>,
  caller: Caller,
  findingId: string,
  consistent = false,
): Promise<FindingRecord> {
  const finding = await deps.findings.getFinding(findingId, consistent);
  if (!finding || !canSee(caller, finding)) throw findingNotFound();
  const visit = await deps.visits.getVisit(finding.visitId, consistent);
  if (!approvalCommitted(visit, finding)) throw findingNotFound();
  return finding;
}

async function findingDetail(deps: Pick<Deps, 'visits'>, finding: FindingRecord, now: Date) {
  const history = await deps.visits.history({ type: 'finding', id: finding.findingId });
  return { ...findingView(finding, now), history: history.map(historyView) };
}
export type FindingDetail = Awaited<ReturnType<typeof findingDetail>>;

/** GET /v1/findings/{findingId}: the finding with its history (oldest change first). */
export async function getFinding(
  deps: Pick<Deps, 'clock' | 'findings' | 'visits'>,
  caller: Caller,
  findingId: string,
): Promise<FindingDetail> {
  const finding = await loadFinding(deps, caller, findingId);
  return findingDetail(deps, finding, deps.clock.now());
}

/**
 * PATCH /v1/findings/{findingId}: a lifecycle move and/or a note, reason or due date, under
 * `If-Match` (428 without, 412 with the current finding when stale). A patch that changes
 * nothing answers the finding as it is and writes no audit entry.
 */
export async function patchFinding(
  deps: Pick<Deps, 'clock' | 'findings' | 'visits'>,
  caller: Caller,
  findingId: string,
  patch: FindingPatch,
  ifMatch: string | null,
): Promise<FindingDetail> {
  const current = await loadFinding(deps, caller, findingId, true);
  const now = deps.clock.now();
  if (ifMatch === null || (ifMatch !== '*' && ifMatch !== current.etag)) {
    checkIfMatch(ifMatch, current.etag, await findingDetail(deps, current, now), true);
  }
  const patched = applyFindingPatch(current, patch);
  const unchanged =
    patched.status === current.status &&
    patched.note === current.note &&
    patched.reason === current.reason &&
    patched.dueDate === current.dueDate;
  if (unchanged) return findingDetail(deps, current, now);

  const at = now.toISOString();
  const { etag: _etag, ...content } = { ...current, ...patched, updatedAt: at };
  const next = withFindingEtag(content);
  // The audit trail says what moved: the status first, else the due date, else the note.
  const subject = { type: 'finding', id: findingId } as const;
  const entry =
    patched.status !== current.status
      ? audit(subject, 'status', caller, at, {
          from: current.status,
          to: patched.status,
          reason: patch.reason ?? patch.note ?? null,
        })
      : patched.dueDate !== current.dueDate
        ? audit(subject, 'due_date', caller, at, {
            from: current.dueDate,
            to: patched.dueDate,
            reason: patch.note ?? null,
          })
        : audit(subject, 'note', caller, at, { reason: patch.note ?? null });
  try {
    await deps.findings.saveFinding(next, current.etag, entry);
  } catch (error) {
    if (!(error instanceof StaleWriteError)) throw error;
    // Someone changed it between our read and our write: 412 with what is there now.
    const latest = await loadFinding(deps, caller, findingId, true);
    throw staleWrite(ifMatch, await findingDetail(deps, latest, now));
  }
  return findingDetail(deps, next, now);
}
