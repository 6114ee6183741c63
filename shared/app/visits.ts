import { ConflictError, ForbiddenError, UnknownReferenceError, ValidationError } from '#domain/errors.ts';
import { evidenceRules, evidenceSummary, type PhotoFacts, visitWindowEnd } from '#domain/evidence.ts';
import type { Place } from '#domain/geo.ts';
import { transitionVisit } from '#domain/lifecycle.ts';
import { parsePeriod } from '#domain/period.ts';
import { problem } from '#domain/problems.ts';
import type { TemplateDocument } from '#domain/template.ts';
import { answerProblems, type VisitInput } from '#domain/visit.ts';
import { StaleWriteError } from '#ports/errors.ts';
import type { AuditEntry, Page, PageRequest, PhotoRecord, VisitRecord } from '#ports/records.ts';
import type { VisitPage } from '#ports/store.ts';
import type { Deps } from './deps.ts';
import { deleteObjectsSoon } from './object-deletions.ts';
import { checkVisitAssignment } from './plans.ts';
import {
  audit,
  type Caller,
  checkIfMatch,
  etagOf,
  inJurisdiction,
  isAdmin,
  isReviewer,
  newId,
  notFound,
  sameJson,
  staleWrite,
} from './support.ts';

export const visitNotFound = () => notFound({ vi: 'Không tìm thấy buổi kiểm tra.', en: 'Visit not found.' });

/** The visit as clients see it: internal progress markers and denormalised keys left out. */
export function visitView(visit: VisitRecord) {
  const { unitPath: _path, evidenceContext: _context, pendingApproval, review, revocation, ...rest } = visit;
  return {
    ...rest,
    // Reviews and revocations stored before names were kept have no byName: null, not absent.
    review: review ? { ...review, byName: review.byName ?? null } : null,
    revocation: revocation ? { ...revocation, byName: revocation.byName ?? null } : null,
    // An approval still writing its findings is not finished: it reads as submitted until it
    // commits, and says since when and by whom it is pending.
    status: pendingApproval && visit.status === 'submitted' ? 'submitted' : visit.status,
    pendingApproval: pendingApproval
      ? { since: pendingApproval.at, by: pendingApproval.by, byName: pendingApproval.byName ?? null }
      : null,
  };
}
export type VisitView = ReturnType<typeof visitView>;

export function photoView(photo: PhotoRecord) {
  const { objectKey: _key, visitId: _visit, versionId: _version, dHash: _hash, ...rest } = photo;
  return rest;
}

/**
 * A visit's evidence summary (docs/evidence.md): the flags derived now from the facts recorded
 * at verification, the unit's office and the template's radius, for the photos it still has.
 */
export function evidenceView(
  visit: VisitRecord,
  evidence: { facts: readonly PhotoFacts[]; office: Place | null; radiusM: number | null },
  photos?: readonly PhotoRecord[],
) {
  const current = photos
    ? new Set(photos.filter((p) => p.status === 'verified').map((p) => p.photoId))
    : null;
  return evidenceSummary(
    evidence.facts.filter((facts) => current === null || current.has(facts.photoId)),
    {
      office: evidence.office,
      radiusM: evidence.radiusM ?? evidenceRules.defaultRadiusM,
      window: { startedAt: visit.startedAt, endedAt: visitWindowEnd(visit) },
    },
    visit.location ?? null,
  );
}

/** Whether the caller may see the visit: reviewers their subtree, inspectors their own visits. */
export function canSee(caller: Caller, visit: Pick<VisitRecord, 'unitPath' | 'inspectorId'>): boolean {
  if (!inJurisdiction(caller, visit.unitPath)) return false;
  return isReviewer(caller) || visit.inspectorId === caller.sub;
}

export async function loadVisit(
  deps: Pick<Deps, 'visits'>,
  caller: Caller,
  visitId: string,
  consistent = false,
): Promise<VisitRecord> {
  const visit = await deps.visits.getVisit(visitId, consistent);
  if (!visit || !canSee(caller, visit)) throw visitNotFound();
  return visit;
}

/** The client's part of a visit, for comparing a PUT with what is stored. */
function inputOf(visit: VisitRecord | VisitInput): VisitInput {
  return {
    unitId: visit.unitId,
    templateId: visit.templateId,
    templateVersion: visit.templateVersion,
    startedAt: visit.startedAt,
    ...(visit.endedAt !== undefined ? { endedAt: visit.endedAt } : {}),
    ...(visit.location !== undefined ? { location: visit.location } : {}),
    answers: visit.answers,
    ...(visit.deductions?.length ? { deductions: visit.deductions } : {}),
    ...(visit.manualFindings?.length ? { manualFindings: visit.manualFindings } : {}),
    ...(visit.team?.length ? { team: visit.team } : {}),
    ...(visit.unitRepresentatives?.length ? { unitRepresentatives: visit.unitRepresentatives } : {}),
    ...(visit.assignmentId !== undefined ? { assignmentId: visit.assignmentId } : {}),
  };
}

/**
 * The etag covers the whole record, internal markers included, so that two approvals that both
 * read the same visit cannot both record themselves as the pending one.
 */
export function withEtag(visit: Omit<VisitRecord, 'etag'>): VisitRecord {
  const { etag: _old, ...content } = { ...visit, etag: '' };
  return { ...visit, etag: etagOf(content) };
}

async function loadTemplate(
  deps: Pick<Deps, 'templates'>,
  input: Pick<VisitInput, 'templateId' | 'templateVersion'>,
): Promise<TemplateDocument> {
  const template = await deps.templates.getTemplateVersion(input.templateId, input.templateVersion);
  if (!template) {
    throw new UnknownReferenceError(
      { vi: 'Phiếu kiểm tra không tồn tại.', en: 'The template version does not exist.' },
      [
        problem(
          'templateVersion',
          `Không có phiên bản ${input.templateVersion} của "${input.templateId}".`,
          `There is no version ${input.templateVersion} of "${input.templateId}".`,
        ),
      ],
    );
  }
  return template;
}

function reusedId(): ConflictError {
  return new ConflictError({
    vi: 'Mã buổi kiểm tra này đã được dùng cho một buổi kiểm tra khác.',
    en: 'This visit ID is already used by a different visit.',
  });
}

/**
 * PUT /v1/visits/{visitId}: creates a draft (201) or updates a draft or returned visit (200).
 * A body equal to what is stored answers 200 with the stored visit and changes nothing, so
 * phones can retry freely; the same ID for another unit, template or inspector is 409.
 */
export async function putVisit(
  deps: Pick<Deps, 'clock' | 'plans' | 'templates' | 'units' | 'visits'>,
  caller: Caller,
  visitId: string,
  input: VisitInput,
  ifMatch: string | null,
): Promise<{ created: boolean; visit: VisitRecord }> {
  const existing = await deps.visits.getVisit(visitId, true);
  if (existing) return updateVisit(deps, caller, existing, input, ifMatch);

  const unit = await deps.units.getUnit(input.unitId);
  if (!unit || !inJurisdiction(caller, unit.path)) {
    throw new UnknownReferenceError({ vi: 'Đơn vị không tồn tại.', en: 'The unit does not exist.' }, [
      problem(
        'unitId',
        `Không có đơn vị "${input.unitId}" trong phạm vi của bạn.`,
        `There is no unit "${input.unitId}" in your jurisdiction.`,
      ),
    ]);
  }
  const template = await loadTemplate(deps, input);
  const problems = answerProblems(template, input);
  if (problems.length > 0)
    throw new ValidationError(
      { vi: 'Kết quả kiểm tra không hợp lệ.', en: 'The answers are not valid.' },
      problems,
    );
  await checkVisitAssignment(deps, caller, input);

  const now = deps.clock.now().toISOString();
  const visit = withEtag({
    ...inputOf(input),
    visitId,
    unitPath: unit.path,
    inspectorId: caller.sub,
    inspectorName: caller.name,
    status: 'draft',
    score: null,
    base: null,
    sections: null,
    submittedAt: null,
    review: null,
    pendingApproval: null,
    revocation: null,
    // The flags are measured by the office and radius of the visit's creation, carried with it.
    evidenceContext: { office: unit.office ?? null, radiusM: template.evidence?.radiusM ?? null },
    createdAt: now,
    updatedAt: now,
  });
  try {
    await deps.visits.saveVisit(visit, null, [
      audit({ type: 'visit', id: visitId }, 'create', caller, now, { to: 'draft' }),
    ]);
    return { created: true, visit };
  } catch (error) {
    if (!(error instanceof StaleWriteError)) throw error;
    // A concurrent twin of this request created it first: answer as a replay, or 409.
    const winner = await deps.visits.getVisit(visitId, true);
    if (!winner) throw error;
    return updateVisit(deps, caller, winner, input, ifMatch);
  }
}

async function updateVisit(
  deps: Pick<Deps, 'clock' | 'plans' | 'templates' | 'visits'>,
  caller: Caller,
  existing: VisitRecord,
  input: VisitInput,
  ifMatch: string | null,
): Promise<{ created: boolean; visit: VisitRecord }> {
  if (
    existing.inspectorId !== caller.sub ||
    existing.unitId !== input.unitId ||
    existing.templateId !== input.templateId ||
    existing.templateVersion !== input.templateVersion
  ) {
    throw reusedId();
  }
  if (sameJson(inputOf(existing), inputOf(input))) return { created: false, visit: existing };
  checkIfMatch(ifMatch, existing.etag, visitView(existing), true);
  transitionVisit(existing, { type: 'edit' }, caller);
  const template = await loadTemplate(deps, input);
  const problems = answerProblems(template, input);
  if (problems.length > 0)
    throw new ValidationError(
      { vi: 'Kết quả kiểm tra không hợp lệ.', en: 'The answers are not valid.' },
      problems,
    );
  // An assignment named before stays valid for later edits, even once cancelled.
  if (input.assignmentId !== existing.assignmentId) await checkVisitAssignment(deps, caller, input);

  const now = deps.clock.now().toISOString();
  const {
    deductions: _d,
    manualFindings: _m,
    endedAt: _e,
    location: _l,
    team: _t,
    unitRepresentatives: _u,
    assignmentId: _a,
    ...kept
  } = existing;
  const visit = withEtag({ ...kept, ...inputOf(input), updatedAt: now });
  try {
    await deps.visits.saveVisit(visit, existing.etag, [
      audit({ type: 'visit', id: existing.visitId }, 'update', caller, now, {
        from: existing.status,
        to: existing.status,
      }),
    ]);
  } catch (error) {
    if (!(error instanceof StaleWriteError)) throw error;
    const current = await deps.visits.getVisit(existing.visitId, true);
    if (current && sameJson(inputOf(current), inputOf(input))) return { created: false, visit: current };
    throw staleWrite(ifMatch, current ? visitView(current) : null);
  }
  return { created: false, visit };
}

/**
 * The one shape of a visit that every route answering a visit returns (GET, PUT, submit,
 * review, revoke): the visit with its photos and audit history, read with one Query of its
 * partition. After a write it is read strongly, so the answer shows the write.
 */
export async function visitDetail(
  deps: Pick<Deps, 'templates' | 'units' | 'visits'>,
  caller: Caller,
  visitId: string,
  consistent = false,
) {
  return detailOf(await loadVisitDetails(deps, caller, visitId, consistent));
}

/** A visit with its photos and audit history, as one Query of its partition reads them. */
export interface VisitDetails {
  visit: VisitRecord;
  photos: PhotoRecord[];
  history: AuditEntry[];
  /** What the verifier recorded about each photo (the visit's evidence item). */
  evidence: PhotoFacts[];
  /** The unit's office and the template's radius, which the evidence flags are measured by. */
  evidenceContext?: { office: Place | null; radiusM: number | null };
}

/** The visit's partition in one read, if the caller may see it. */
export async function loadVisitDetails(
  deps: Pick<Deps, 'templates' | 'units' | 'visits'>,
  caller: Caller,
  visitId: string,
  consistent = false,
): Promise<VisitDetails> {
  const details = await deps.visits.visitDetails(visitId, consistent);
  if (!details || !canSee(caller, details.visit)) throw visitNotFound();
  const { visit } = details;
  if (visit.evidenceContext) return { ...details, evidenceContext: visit.evidenceContext };
  // A visit created before it carried its context: its unit and template version, read now.
  const [unit, template] = await Promise.all([
    deps.units.getUnit(visit.unitId),
    deps.templates.getTemplateVersion(visit.templateId, visit.templateVersion),
  ]);
  return {
    ...details,
    evidenceContext: { office: unit?.office ?? null, radiusM: template?.evidence?.radiusM ?? null },
  };
}

/** The answer of every route that answers one visit whole. */
export function detailOf({ visit, photos, history, evidence, evidenceContext }: VisitDetails) {
  // Without its context (a caller that read the partition alone) no office is known: no `far`.
  const summary = evidenceView(
    visit,
    { facts: evidence, ...(evidenceContext ?? { office: null, radiusM: null }) },
    photos,
  );
  return {
    visit,
    body: {
      ...visitView(visit),
      photos: photos.map(photoView),
      evidence: summary,
      history: history.map(historyView),
    },
  };
}

/**
 * The visits of a list page as clients see them; with `evidence`, each with its evidence
 * summary: from the evidence items read with the page and the context each visit carries, or
 * else one BatchGet of what is missing (evidence items, units and template versions).
 */
export async function withEvidence(deps: Pick<Deps, 'visits'>, page: VisitPage, evidence: boolean) {
  const visits = page.items;
  if (!evidence || visits.length === 0) return visits.map(visitView);
  const found = await deps.visits.evidenceOf(visits, page.evidence);
  return visits.map((visit) => {
    const own = found.get(visit.visitId) ?? { facts: [], office: null, radiusM: null };
    return { ...visitView(visit), evidence: evidenceView(visit, own) };
  });
}

/** GET /v1/visits/{visitId}: the visit with its photos, last review and audit history. */
export function getVisit(
  deps: Pick<Deps, 'templates' | 'units' | 'visits'>,
  caller: Caller,
  visitId: string,
) {
  return visitDetail(deps, caller, visitId);
}

export function historyView(entry: AuditEntry) {
  return {
    action: entry.action,
    by: entry.actor,
    byName: entry.actorName ?? null,
    at: entry.at,
    from: entry.from,
    to: entry.to,
    reason: entry.reason,
  };
}

/**
 * GET /v1/visits: a subtree's visits by start, newest first unless `order=oldest` (the review
 * queue: `status=submitted`, optionally one template); inspectors see only their own.
 */
export async function listVisits(
  deps: Pick<Deps, 'approvals' | 'units' | 'visits'>,
  caller: Caller,
  query: {
    unitId?: string | undefined;
    period?: string | undefined;
    status?: string | undefined;
    templateId?: string | undefined;
    inspectorId?: string | undefined;
    order?: 'newest' | 'oldest' | undefined;
    pendingApproval?: boolean | undefined;
  },
  page: PageRequest,
): Promise<VisitPage> {
  const unitId = query.unitId ?? caller.unitId;
  const unit = unitId ? await deps.units.getUnit(unitId) : null;
  if (!unit || !inJurisdiction(caller, unit.path))
    throw notFound({ vi: 'Không tìm thấy đơn vị.', en: 'Unit not found.' });
  if (query.pendingApproval) return listPendingApprovals(deps, caller, unit.unitId, query, page);
  const period = query.period ? parsePeriod(query.period) : null;
  const result = await deps.visits.listVisits(
    {
      unitId: unit.unitId,
      depth: unit.path.length - 1,
      from: period?.start.toISOString(),
      to: period?.end.toISOString(),
      status: query.status,
      templateId: query.templateId,
      inspectorId: isReviewer(caller) ? query.inspectorId : caller.sub,
      order: query.order,
      // A status list (the review queue) shows each visit's evidence.
      evidence: query.status !== undefined,
    },
    page,
  );
  return result;
}

/**
 * GET /v1/visits?pendingApproval=true (admins): approvals that began and have not committed,
 * oldest first, from their repair marks (one Query per page, one BatchGet of the visits). The
 * scheduled repair completes those older than its lease; this shows them meanwhile.
 */
async function listPendingApprovals(
  deps: Pick<Deps, 'approvals' | 'visits'>,
  caller: Caller,
  unitId: string,
  query: { period?: string | undefined; status?: string | undefined; inspectorId?: string | undefined },
  page: PageRequest,
): Promise<Page<VisitRecord>> {
  if (!isAdmin(caller)) {
    throw new ForbiddenError({
      vi: 'Chỉ quản trị viên xem được danh sách phê duyệt đang dở dang.',
      en: 'Only admins can list pending approvals.',
    });
  }
  const combined = (['period', 'status', 'inspectorId'] as const).filter((name) => query[name] !== undefined);
  if (combined.length > 0) {
    throw new ValidationError(
      { vi: 'Dữ liệu gửi lên không hợp lệ.', en: 'The request is not valid.' },
      combined.map((name) =>
        problem(
          name,
          `Không dùng được cùng pendingApproval=true (chỉ kết hợp được với unitId).`,
          `Cannot be combined with pendingApproval=true (only unitId can).`,
        ),
      ),
    );
  }
  const marks = await deps.approvals.listRepairs('approval', page);
  const inScope = marks.items.filter((mark) => mark.unitPath.includes(unitId));
  const visits = await deps.visits.getVisits(inScope.map((mark) => mark.visitId));
  const byId = new Map(visits.map((visit) => [visit.visitId, visit]));
  return {
    items: inScope.flatMap((mark) => {
      const visit = byId.get(mark.visitId);
      return visit?.pendingApproval && canSee(caller, visit) ? [visit] : [];
    }),
    nextCursor: marks.nextCursor,
  };
}

/** DELETE /v1/visits/{visitId}: a draft and its photos (records now, objects right after). */
export async function deleteVisit(
  deps: Pick<Deps, 'clock' | 'files' | 'visits'>,
  caller: Caller,
  visitId: string,
  ifMatch: string | null,
): Promise<void> {
  const visit = await deps.visits.getVisit(visitId, true);
  if (!visit || visit.inspectorId !== caller.sub || !inJurisdiction(caller, visit.unitPath))
    throw visitNotFound();
  checkIfMatch(ifMatch, visit.etag, visitView(visit), false);
  transitionVisit(visit, { type: 'delete' }, caller);
  const photos = await deps.visits.listPhotos(visitId);
  const now = deps.clock.now().toISOString();
  // Its photos' objects are deleted after the records, or by the repair if that fails.
  const deletion =
    photos.length === 0
      ? null
      : { deletionId: newId(), visitId, objectKeys: photos.map((photo) => photo.objectKey), since: now };
  try {
    await deps.visits.deleteVisit(
      visit,
      photos,
      audit({ type: 'visit', id: visitId }, 'delete', caller, now, { from: visit.status }),
      deletion,
    );
  } catch (error) {
    if (!(error instanceof StaleWriteError)) throw error;
    const current = await deps.visits.getVisit(visitId, true);
    // A twin DELETE got there first: the visit is gone, which is what was asked.
    if (!current) return;
    throw staleWrite(ifMatch, visitView(current));
  }
  if (deletion) await deleteObjectsSoon(deps, deletion);
}
