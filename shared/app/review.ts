/**
 * Submit, review (approve or return) and revoke: the moves of a visit that change scores and
 * findings. An approval is one transaction whenever its writes fit one (the visit, its audit
 * entry, the unit's scores and every finding: up to 100 items and 4 MB), so it is all or
 * nothing. A larger one (up to 150 items and 30 manual findings) runs in three steps that a
 * retry, or the scheduled repair, always finishes:
 *   1. mark the visit with a pending approval and a repair mark (it still reads as submitted);
 *   2. write its findings (deterministic IDs and content, so rewriting is harmless);
 *   3. commit: the visit approved, its audit entry and the unit's scores in one transaction,
 *      conditional on the visit's etag and the scores' revisions, clearing the repair mark.
 * Findings count only once the commit is done (shared/app/findings.ts checks it).
 */
import {
  ConflictError,
  DomainError,
  IncompleteError,
  InvalidStateError,
  PhotoPendingError,
  ValidationError,
} from '#domain/errors.ts';
import { deriveFindings, dismissOnRevoke } from '#domain/finding.ts';
import { type ReviewInput, transitionVisit } from '#domain/lifecycle.ts';
import { localDate, quarterOf } from '#domain/period.ts';
import { problem } from '#domain/problems.ts';
import { scoreVisit } from '#domain/scoring.ts';
import type { TemplateDocument } from '#domain/template.ts';
import { completenessProblems } from '#domain/visit.ts';
import { StaleWriteError } from '#ports/errors.ts';
import type { FindingRecord, ReviewRecord, UnitRecord, VisitRecord } from '#ports/records.ts';
import type { ApprovalCommit, RepairMark, UnitScoreChange } from '#ports/store.ts';
import type { Deps } from './deps.ts';
import { withFindingEtag } from './findings.ts';
import { completeObjectDeletion } from './object-deletions.ts';
import { audit, type Caller, checkIfMatch, staleWrite } from './support.ts';
import {
  loadVisit,
  loadVisitDetails,
  type VisitDetails,
  visitNotFound,
  visitView,
  withEtag,
} from './visits.ts';

async function templateOf(deps: Pick<Deps, 'templates'>, visit: VisitRecord): Promise<TemplateDocument> {
  const template = await deps.templates.getTemplateVersion(visit.templateId, visit.templateVersion);
  // A visit is only ever created against an existing, immutable template version.
  if (!template)
    throw new Error(
      `Template ${visit.templateId} v${visit.templateVersion} of visit ${visit.visitId} is missing`,
    );
  return template;
}

/**
 * POST /v1/visits/{visitId}/submit: completeness, then freeze and score. One read of the visit's
 * partition (the visit, its photos and history) and one transaction; the template version is
 * immutable, so the store may answer it from memory. Returns the visit as the answer shows it,
 * without reading it back.
 */
export async function submitVisit(
  deps: Pick<Deps, 'clock' | 'templates' | 'units' | 'visits'>,
  caller: Caller,
  visitId: string,
  ifMatch: string | null,
  attempt = 0,
): Promise<VisitDetails> {
  const details = await loadVisitDetails(deps, caller, visitId, true);
  const { visit, photos, history } = details;
  if (visit.inspectorId !== caller.sub) throw visitNotFound();
  // Submitting again after it took effect answers the visit as it is (phones retry).
  if (visit.submittedAt !== null && !['draft', 'returned'].includes(visit.status)) return details;
  checkIfMatch(ifMatch, visit.etag, visitView(visit), false);
  const status = transitionVisit(visit, { type: 'submit' }, caller);

  const template = await templateOf(deps, visit);
  const completeness = completenessProblems(template, visit, photos);
  if (completeness.problems.length > 0) {
    if (completeness.pendingOnly) {
      throw new PhotoPendingError(
        {
          vi: 'Ảnh minh chứng đang được xác minh; hãy gửi lại sau ít giây.',
          en: 'Photos are still being verified; submit again in a few seconds.',
        },
        completeness.problems,
      );
    }
    throw new IncompleteError(
      { vi: 'Buổi kiểm tra chưa đầy đủ để gửi.', en: 'The visit is not complete enough to submit.' },
      completeness.problems,
    );
  }
  const score = scoreVisit(template, visit.answers, visit.deductions ?? []);
  const now = deps.clock.now().toISOString();
  const submitted = withEtag({
    ...visit,
    status,
    score: score.score,
    base: score.base,
    sections: score.sections,
    submittedAt: now,
    updatedAt: now,
  });
  const entry = audit({ type: 'visit', id: visitId }, 'submit', caller, now, {
    from: visit.status,
    to: status,
  });
  try {
    // The verified photos the checks counted must still be there when the submit commits.
    await deps.visits.saveVisit(
      submitted,
      visit.etag,
      [entry],
      photos.filter((photo) => photo.status === 'verified'),
    );
  } catch (error) {
    if (!(error instanceof StaleWriteError)) throw error;
    const current = await deps.visits.visitDetails(visitId, true);
    if (current && current.visit.status === 'submitted')
      return { ...current, evidenceContext: details.evidenceContext };
    // The visit is unchanged, so a photo it counted on changed meanwhile: check again from the top.
    if (current && current.visit.etag === visit.etag && attempt === 0)
      return submitVisit(deps, caller, visitId, ifMatch, 1);
    throw staleWrite(ifMatch, current ? visitView(current.visit) : null);
  }
  // The transaction changed the visit and added this entry; the photos are as they were read.
  return { ...details, visit: submitted, history: [...history, entry] };
}

/** POST /v1/visits/{visitId}/review: approve, or return with a comment. */
export async function reviewVisit(
  deps: Pick<Deps, 'approvals' | 'clock' | 'templates' | 'units' | 'visits'>,
  caller: Caller,
  visitId: string,
  input: ReviewInput,
  ifMatch: string | null,
): Promise<VisitRecord> {
  const visit = await loadVisit(deps, caller, visitId, true);
  const comment = input.comment ?? null;
  if (input.decision === 'return' && input.requests?.length) {
    throw new ValidationError({ vi: 'Nội dung phê duyệt không hợp lệ.', en: 'The review is not valid.' }, [
      problem(
        'requests',
        'Chỉ ghi kiến nghị khi phê duyệt, không khi trả lại.',
        'Requests go with an approval, not with a return.',
      ),
    ]);
  }
  // The same decision again, after it took effect, answers the visit as it is.
  if (input.decision === 'approve' && visit.review?.decision === 'approve' && visit.status !== 'submitted')
    return visit;
  if (
    input.decision === 'return' &&
    visit.status === 'returned' &&
    visit.review?.decision === 'return' &&
    visit.review.comment === comment
  ) {
    return visit;
  }
  if (visit.pendingApproval) {
    if (input.decision !== 'approve') {
      throw new InvalidStateError({
        vi: 'Buổi kiểm tra đang được phê duyệt; hãy thử lại sau ít phút.',
        en: 'The visit is being approved; try again in a few minutes.',
      });
    }
    // An approval that stopped midway: finish it as it was recorded.
    return finishApproval(deps, visit);
  }
  checkIfMatch(ifMatch, visit.etag, visitView(visit), false);
  const status = transitionVisit(
    visit,
    input.decision === 'approve'
      ? { type: 'approve', comment: input.comment }
      : { type: 'return', comment: input.comment },
    caller,
  );
  const now = deps.clock.now().toISOString();
  const requests = input.decision === 'approve' && input.requests?.length ? { requests: input.requests } : {};
  const review: ReviewRecord = {
    decision: input.decision,
    comment,
    ...requests,
    by: caller.sub,
    byName: caller.name,
    at: now,
  };

  if (input.decision === 'return') {
    const returned = withEtag({ ...visit, status, review, updatedAt: now });
    try {
      await deps.visits.saveVisit(returned, visit.etag, [
        audit({ type: 'visit', id: visitId }, 'return', caller, now, {
          from: visit.status,
          to: status,
          reason: comment,
        }),
      ]);
    } catch (error) {
      if (!(error instanceof StaleWriteError)) throw error;
      throw staleWrite(ifMatch, await currentView(deps, visitId));
    }
    return returned;
  }
  return approve(deps, visit, review, ifMatch);
}

async function currentView(deps: Pick<Deps, 'visits'>, visitId: string) {
  const current = await deps.visits.getVisit(visitId, true);
  return current ? visitView(current) : null;
}

/** The periods a visit counts in: its local year and quarter. */
export function periodsOf(startedAt: string): string[] {
  return [localDate(startedAt).slice(0, 4), quarterOf(startedAt)];
}

/**
 * How long a commit keeps retrying races it lost (other approvals of the same unit move its
 * score records on) before answering 409: with the store's own retries of transaction
 * conflicts inside, the slowest of 20 concurrent approvals of one unit stays under 3 s
 * (bench/approvals.ts, figures in docs/benchmarks.md).
 */
const commitBudgetMs = 2_500;

/** Full jitter, capped low: the contenders are requests a person is waiting for. */
function backoff(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(150, 10 * 2 ** attempt)));
}

/**
 * An approval the domain cannot complete: its template version is gone, or its content cannot
 * be turned into findings. Nothing of it counts; the repair rolls a pending one back to
 * `submitted` so that it can be returned to the inspector.
 */
export class ApprovalRefusedError extends InvalidStateError {}

interface ApprovalPlan {
  approval: ReviewRecord;
  findings: FindingRecord[];
}

/** What an approval writes besides the visit and scores; pure once the template and photos are read. */
async function planApproval(
  deps: Pick<Deps, 'templates' | 'visits'>,
  visit: VisitRecord,
  approval: ReviewRecord,
): Promise<ApprovalPlan> {
  const [template, photos] = await Promise.all([
    deps.templates.getTemplateVersion(visit.templateId, visit.templateVersion),
    deps.visits.listPhotos(visit.visitId),
  ]);
  if (!template) {
    throw new ApprovalRefusedError({
      vi: `Không thể phê duyệt: phiếu kiểm tra ${visit.templateId} phiên bản ${visit.templateVersion} không còn.`,
      en: `Cannot approve: template ${visit.templateId} version ${visit.templateVersion} is missing.`,
    });
  }
  try {
    const findings = deriveFindings(template, { ...visit, photos }, approval.at).map((finding) =>
      withFindingEtag({
        ...finding,
        inspectorId: visit.inspectorId,
        inspectorName: visit.inspectorName,
        updatedAt: approval.at,
      }),
    );
    return { approval, findings };
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw new ApprovalRefusedError({
      vi: 'Không thể phê duyệt: nội dung buổi kiểm tra không tạo được tồn tại, hạn chế.',
      en: 'Cannot approve: the visit’s content cannot be turned into findings.',
    });
  }
}

function approvedVisit(current: VisitRecord, approval: ReviewRecord): VisitRecord {
  return withEtag({
    ...current,
    status: 'approved',
    review: approval,
    pendingApproval: null,
    updatedAt: approval.at,
  });
}

function approvalAudit(visitId: string, approval: ReviewRecord) {
  const actor: Caller = { sub: approval.by, name: approval.byName ?? null, roles: ['manager'], unitId: null };
  return audit({ type: 'visit', id: visitId }, 'approve', actor, approval.at, {
    from: 'submitted',
    to: 'approved',
    reason: approval.comment,
  });
}

function approvalMark(visit: VisitRecord, approval: ReviewRecord): RepairMark {
  return {
    kind: 'approval',
    visitId: visit.visitId,
    unitPath: visit.unitPath,
    since: approval.at,
    by: approval.by,
  };
}

/** A new approval: one transaction when it fits, otherwise the pending mark and the chunked path. */
async function approve(
  deps: Pick<Deps, 'approvals' | 'templates' | 'units' | 'visits'>,
  visit: VisitRecord,
  approval: ReviewRecord,
  ifMatch: string | null,
): Promise<VisitRecord> {
  const [plan, unit] = await Promise.all([
    planApproval(deps, visit, approval),
    deps.units.getUnit(visit.unitId),
  ]);
  const started = performance.now();
  let current = visit;
  for (let attempt = 0; ; attempt++) {
    const approved = approvedVisit(current, approval);
    const commit: ApprovalCommit = {
      visit: approved,
      expectedEtag: current.etag,
      audit: [approvalAudit(visit.visitId, approval)],
      scores: scoreChanges(approved, unit, 'add'),
      findings: plan.findings,
    };
    if (attempt === 0 && !deps.approvals.fitsOneCommit(commit))
      return approveInSteps(deps, visit, plan, ifMatch);
    try {
      await deps.approvals.commitVisitScores(commit);
      return approved;
    } catch (error) {
      if (!(error instanceof StaleWriteError)) throw error;
      if (performance.now() - started > commitBudgetMs) throw error;
      const latest = await deps.visits.getVisit(visit.visitId, true);
      if (!latest) throw visitNotFound();
      // Another reviewer approved it meanwhile, or began a chunked approval: join theirs.
      if (latest.status === 'approved') return latest;
      if (latest.pendingApproval) return finishApproval(deps, latest);
      // Returned meanwhile: this approval is stale. Unchanged: the commit kept conflicting with
      // other approvals of the unit; try again.
      if (latest.etag !== current.etag) throw staleWrite(ifMatch, visitView(latest));
      current = latest;
      await backoff(attempt);
    }
  }
}

async function approveInSteps(
  deps: Pick<Deps, 'approvals' | 'templates' | 'units' | 'visits'>,
  visit: VisitRecord,
  plan: ApprovalPlan,
  ifMatch: string | null,
): Promise<VisitRecord> {
  const pending = withEtag({ ...visit, pendingApproval: plan.approval });
  try {
    await deps.approvals.beginApproval(pending, visit.etag, approvalMark(visit, plan.approval));
  } catch (error) {
    if (!(error instanceof StaleWriteError)) throw error;
    // Someone else started or finished an approval meanwhile: join theirs.
    const current = await deps.visits.getVisit(visit.visitId, true);
    if (current?.pendingApproval) return finishApproval(deps, current);
    if (current?.status === 'approved') return current;
    throw staleWrite(ifMatch, current ? visitView(current) : null);
  }
  return finishApproval(deps, pending, plan);
}

/** Steps 2 and 3 of a chunked approval, as its pending mark recorded it. */
export async function finishApproval(
  deps: Pick<Deps, 'approvals' | 'templates' | 'units' | 'visits'>,
  visit: VisitRecord,
  known?: ApprovalPlan,
): Promise<VisitRecord> {
  const approval = visit.pendingApproval;
  if (!approval) return visit;
  const plan = known ?? (await planApproval(deps, visit, approval));
  await deps.approvals.putFindings(plan.findings);

  const unit = await deps.units.getUnit(visit.unitId);
  const started = performance.now();
  let current = visit;
  for (let attempt = 0; ; attempt++) {
    const approved = approvedVisit(current, approval);
    try {
      await deps.approvals.commitVisitScores({
        visit: approved,
        expectedEtag: current.etag,
        audit: [approvalAudit(visit.visitId, approval)],
        scores: scoreChanges(approved, unit, 'add'),
        findings: [],
        closeRepair: approvalMark(visit, approval),
      });
      return approved;
    } catch (error) {
      if (!(error instanceof StaleWriteError)) throw error;
      if (performance.now() - started > commitBudgetMs) throw error;
      const latest = await deps.visits.getVisit(visit.visitId, true);
      if (!latest) throw visitNotFound();
      if (latest.status === 'approved' || !latest.pendingApproval) return latest;
      current = latest;
      await backoff(attempt);
    }
  }
}

/**
 * A pending approval the domain refuses (ApprovalRefusedError): back to `submitted`, its
 * uncounted findings removed, audited, so a manager can return it to the inspector.
 */
async function rollBackApproval(
  deps: Pick<Deps, 'approvals' | 'clock' | 'findings'>,
  visit: VisitRecord,
  reason: string,
): Promise<VisitRecord> {
  const approval = visit.pendingApproval;
  if (!approval) return visit;
  const written = (await deps.findings.listVisitFindings(visit.visitId)).filter(
    (finding) => finding.createdAt === approval.at,
  );
  await deps.approvals.removeFindings(written);
  const now = deps.clock.now().toISOString();
  const rolledBack = withEtag({ ...visit, pendingApproval: null, updatedAt: now });
  await deps.approvals.commitVisitScores({
    visit: rolledBack,
    expectedEtag: visit.etag,
    audit: [
      audit({ type: 'visit', id: visit.visitId }, 'approval_rolled_back', repairActor, now, {
        from: 'submitted',
        to: 'submitted',
        reason,
      }),
    ],
    scores: [],
    findings: [],
    closeRepair: approvalMark(visit, approval),
  });
  return rolledBack;
}

/** Who the audit trail names for what the scheduled repair does. */
const repairActor: Caller = { sub: 'system:repair', name: null, roles: [], unitId: null };

/**
 * The visit added to or removed from the unit's score records for its periods (year and
 * quarter). Nothing is read: the store keeps each visit apart and derives the score from them,
 * so concurrent approvals of one unit never make each other's changes stale.
 */
function scoreChanges(
  visit: VisitRecord,
  unit: UnitRecord | null,
  change: 'add' | 'remove',
): UnitScoreChange[] {
  const entry =
    change === 'add' && visit.score !== null && visit.sections !== null
      ? {
          visitId: visit.visitId,
          startedAt: visit.startedAt,
          templateVersion: visit.templateVersion,
          score: visit.score,
          sections: visit.sections,
        }
      : null;
  return periodsOf(visit.startedAt).map((period) => ({
    unitId: visit.unitId,
    templateId: visit.templateId,
    period,
    // A unit with visits keeps its parent and kind (units.ts), so these are its peer group.
    parentId: unit?.parentId ?? null,
    kind: unit?.kind ?? 'commune',
    visitId: visit.visitId,
    entry,
  }));
}

function revocationMark(visit: VisitRecord): RepairMark | null {
  if (!visit.revocation) return null;
  return {
    kind: 'revocation',
    visitId: visit.visitId,
    unitPath: visit.unitPath,
    since: visit.revocation.at,
    by: visit.revocation.by,
  };
}

/**
 * POST /v1/visits/{visitId}/revoke: out of the scores, its open findings dismissed. The commit
 * sets a repair mark that stays until every open finding is dismissed, so a revoke that could
 * not finish is completed by a retry or by the scheduled repair, never left half-done.
 */
export async function revokeVisit(
  deps: Pick<Deps, 'approvals' | 'clock' | 'findings' | 'units' | 'visits'>,
  caller: Caller,
  visitId: string,
  reason: string,
  ifMatch: string | null,
): Promise<VisitRecord> {
  let visit = await loadVisit(deps, caller, visitId, true);
  if (!(visit.status === 'revoked' && visit.revocation?.reason === reason)) {
    checkIfMatch(ifMatch, visit.etag, visitView(visit), false);
    const status = transitionVisit(visit, { type: 'revoke', reason }, caller);
    const now = deps.clock.now().toISOString();
    const unit = await deps.units.getUnit(visit.unitId);
    const started = performance.now();
    for (let attempt = 0; ; attempt++) {
      const revoked = withEtag({
        ...visit,
        status,
        revocation: { reason, by: caller.sub, byName: caller.name, at: now },
        updatedAt: now,
      });
      try {
        await deps.approvals.commitVisitScores({
          visit: revoked,
          expectedEtag: visit.etag,
          audit: [
            audit({ type: 'visit', id: visitId }, 'revoke', caller, now, {
              from: visit.status,
              to: status,
              reason,
            }),
          ],
          scores: scoreChanges(revoked, unit, 'remove'),
          findings: [],
          openRepair: revocationMark(revoked) ?? undefined,
        });
        visit = revoked;
        break;
      } catch (error) {
        if (!(error instanceof StaleWriteError) || performance.now() - started > commitBudgetMs) throw error;
        const latest = await loadVisit(deps, caller, visitId, true);
        if (latest.status === 'revoked') {
          visit = latest;
          break;
        }
        transitionVisit(latest, { type: 'revoke', reason }, caller);
        visit = latest;
        await backoff(attempt);
      }
    }
  }
  // After the commit point: dismiss what is still open. A retried revoke finishes this too.
  await completeRevocation(deps, visit, caller);
  return visit;
}

const dismissAttempts = 8;

/**
 * Dismisses the revoked visit's open and in-progress findings, then clears its repair mark.
 * Each lost race (someone changed a finding meanwhile) is read again and retried; what still
 * cannot be dismissed fails visibly (409), and the mark makes a retry or the repair finish it.
 */
async function completeRevocation(
  deps: Pick<Deps, 'approvals' | 'clock' | 'findings'>,
  visit: VisitRecord,
  actor: Caller,
): Promise<void> {
  const reason = visit.revocation?.reason ?? '';
  for (let attempt = 0; attempt < dismissAttempts; attempt++) {
    const findings = (await deps.findings.listVisitFindings(visit.visitId)).filter(
      (finding) => finding.createdAt === visit.review?.at,
    );
    const changed = dismissOnRevoke(findings, reason);
    if (changed.length === 0) {
      const mark = revocationMark(visit);
      if (mark) await deps.approvals.closeRepair(mark);
      return;
    }
    const now = deps.clock.now().toISOString();
    const before = new Map(findings.map((finding) => [finding.findingId, finding]));
    const results = await Promise.allSettled(
      changed.flatMap((finding) => {
        const previous = before.get(finding.findingId);
        if (!previous) return [];
        const { etag: _etag, ...content } = { ...previous, ...finding, updatedAt: now };
        return [
          deps.findings.saveFinding(
            withFindingEtag(content),
            previous.etag,
            audit({ type: 'finding', id: finding.findingId }, 'dismiss', actor, now, {
              from: previous.status,
              to: 'dismissed',
              reason,
            }),
          ),
        ];
      }),
    );
    const failure = results.find(
      (result) => result.status === 'rejected' && !(result.reason instanceof StaleWriteError),
    );
    if (failure && failure.status === 'rejected') throw failure.reason;
    if (results.some((result) => result.status === 'rejected')) await backoff(attempt);
  }
  throw new ConflictError({
    vi: 'Đã thu hồi kết quả, nhưng một số tồn tại, hạn chế đang được thay đổi đồng thời nên chưa hủy được; hãy gửi lại yêu cầu thu hồi (hệ thống cũng sẽ tự hoàn tất).',
    en: 'The approval is revoked, but some findings were being changed concurrently and are not dismissed yet; send the revoke again (the system also completes it by itself).',
  });
}

/** What one run of the scheduled repair did. */
export interface RepairReport {
  rolledForward: number;
  rolledBack: Array<{ visitId: string; reason: string }>;
  revocationsCompleted: number;
  /** Deletions of photo objects finished for requests that could not delete them. */
  objectsDeleted: number;
  /** Work left for the next run, with why (a store error, a lost race). */
  failed: Array<{ visitId: string; error: string }>;
}

/** How long a pending approval, revocation or object deletion is left to the request that began it. */
export const repairLeaseSeconds = 120;

/**
 * The scheduled repair: rolls forward every pending approval older than its lease (or back to
 * `submitted` when the domain refuses it), completes revocations whose findings are not all
 * dismissed, and deletes the photo objects whose records went without them. Bounded per run;
 * the next run takes what is left.
 */
export async function repairPendingWork(
  deps: Pick<Deps, 'approvals' | 'clock' | 'files' | 'findings' | 'templates' | 'units' | 'visits'>,
  limit = 25,
): Promise<RepairReport> {
  const report: RepairReport = {
    rolledForward: 0,
    rolledBack: [],
    revocationsCompleted: 0,
    objectsDeleted: 0,
    failed: [],
  };
  const before = new Date(deps.clock.now().getTime() - repairLeaseSeconds * 1000).toISOString();
  for (const mark of await deps.approvals.dueRepairs('approval', before, limit)) {
    const visit = await deps.visits.getVisit(mark.visitId, true);
    try {
      if (visit?.pendingApproval?.at !== mark.since) {
        // Finished, rolled back or gone since the mark was read: nothing to complete.
        await deps.approvals.closeRepair(mark);
        continue;
      }
      try {
        await finishApproval(deps, visit);
        report.rolledForward++;
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        await rollBackApproval(deps, visit, error.detail.en);
        report.rolledBack.push({ visitId: visit.visitId, reason: error.detail.en });
      }
    } catch (error) {
      report.failed.push({ visitId: mark.visitId, error: String(error) });
    }
  }
  for (const mark of await deps.approvals.dueRepairs('revocation', before, limit)) {
    try {
      const visit = await deps.visits.getVisit(mark.visitId, true);
      if (visit?.status !== 'revoked' || visit.revocation?.at !== mark.since) {
        await deps.approvals.closeRepair(mark);
        continue;
      }
      await completeRevocation(deps, visit, repairActor);
      report.revocationsCompleted++;
    } catch (error) {
      report.failed.push({ visitId: mark.visitId, error: String(error) });
    }
  }
  for (const deletion of await deps.visits.dueObjectDeletions(before, limit)) {
    try {
      await completeObjectDeletion(deps, deletion);
      report.objectsDeleted += deletion.objectKeys.length;
    } catch (error) {
      report.failed.push({ visitId: deletion.visitId, error: String(error) });
    }
  }
  return report;
}
