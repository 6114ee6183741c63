/**
 * Submit, review (approve or return) and revoke: the moves of a visit that change scores and
 * findings. Approval may need more than one DynamoDB transaction (up to 180 findings), so it
 * runs in three steps that a retry can always finish:
 *   1. mark the visit with a pending approval (it still reads as submitted);
 *   2. write its findings (deterministic IDs and content, so rewriting is harmless);
 *   3. commit: the visit approved, its audit entry and the unit's scores in one transaction,
 *      conditional on the visit's etag and the scores' revisions, retried with jitter.
 * Findings count only once step 3 has committed (shared/app/findings.ts checks it).
 */
import { IncompleteError, InvalidStateError, PhotoPendingError } from '#domain/errors.ts';
import { deriveFindings, dismissOnRevoke } from '#domain/finding.ts';
import { type ReviewInput, transitionVisit } from '#domain/lifecycle.ts';
import { localDate, quarterOf } from '#domain/period.ts';
import { scoreVisit, unitScore } from '#domain/scoring.ts';
import type { TemplateDocument } from '#domain/template.ts';
import { completenessProblems } from '#domain/visit.ts';
import { StaleWriteError } from '#ports/errors.ts';
import type { FindingRecord, ReviewRecord, UnitScoreRecord, VisitRecord } from '#ports/records.ts';
import type { Deps } from './deps.ts';
import { withFindingEtag } from './findings.ts';
import { audit, type Caller, checkIfMatch, staleWrite } from './support.ts';
import { loadVisit, visitNotFound, visitView, withEtag } from './visits.ts';

const maxCommitAttempts = 10;

function jitter(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(1_000, 25 * 2 ** attempt)));
}

async function templateOf(deps: Deps, visit: VisitRecord): Promise<TemplateDocument> {
  const template = await deps.templates.getTemplateVersion(visit.templateId, visit.templateVersion);
  // A visit is only ever created against an existing, immutable template version.
  if (!template)
    throw new Error(
      `Template ${visit.templateId} v${visit.templateVersion} of visit ${visit.visitId} is missing`,
    );
  return template;
}

/** POST /v1/visits/{visitId}/submit: completeness, then freeze and score. */
export async function submitVisit(
  deps: Deps,
  caller: Caller,
  visitId: string,
  ifMatch: string | null,
  attempt = 0,
): Promise<VisitRecord> {
  const visit = await loadVisit(deps, caller, visitId, true);
  if (visit.inspectorId !== caller.sub) throw visitNotFound();
  // Submitting again after it took effect answers the visit as it is (phones retry).
  if (visit.submittedAt !== null && !['draft', 'returned'].includes(visit.status)) return visit;
  checkIfMatch(ifMatch, visit.etag, visitView(visit), false);
  const status = transitionVisit(visit, { type: 'submit' }, caller);

  const [template, photos] = await Promise.all([templateOf(deps, visit), deps.visits.listPhotos(visitId)]);
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
  try {
    // The verified photos the checks counted must still be there when the submit commits.
    await deps.visits.saveVisit(
      submitted,
      visit.etag,
      [audit({ type: 'visit', id: visitId }, 'submit', caller, now, { from: visit.status, to: status })],
      photos.filter((photo) => photo.status === 'verified'),
    );
  } catch (error) {
    if (!(error instanceof StaleWriteError)) throw error;
    const current = await deps.visits.getVisit(visitId, true);
    if (current && current.status === 'submitted') return current;
    // The visit is unchanged, so a photo it counted on changed meanwhile: check again from the top.
    if (current && current.etag === visit.etag && attempt === 0)
      return submitVisit(deps, caller, visitId, ifMatch, 1);
    throw staleWrite(ifMatch, current ? visitView(current) : null);
  }
  return submitted;
}

/** POST /v1/visits/{visitId}/review: approve, or return with a comment. */
export async function reviewVisit(
  deps: Deps,
  caller: Caller,
  visitId: string,
  input: ReviewInput,
  ifMatch: string | null,
): Promise<VisitRecord> {
  const visit = await loadVisit(deps, caller, visitId, true);
  const comment = input.comment ?? null;
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
        vi: 'Buổi kiểm tra đang được phê duyệt.',
        en: 'The visit is being approved.',
      });
    }
    // An approval that stopped midway: finish it as it was recorded.
    return finishApproval(deps, visit, visit.pendingApproval);
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
  const review: ReviewRecord = { decision: input.decision, comment, by: caller.sub, at: now };

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

  const pending = withEtag({ ...visit, pendingApproval: review });
  try {
    await deps.visits.saveVisit(pending, visit.etag, []);
  } catch (error) {
    if (!(error instanceof StaleWriteError)) throw error;
    // Someone else started or finished an approval meanwhile: join theirs.
    const current = await deps.visits.getVisit(visitId, true);
    if (current?.pendingApproval) return finishApproval(deps, current, current.pendingApproval);
    if (current?.status === 'approved') return current;
    throw staleWrite(ifMatch, current ? visitView(current) : null);
  }
  return finishApproval(deps, pending, review);
}

async function currentView(deps: Deps, visitId: string) {
  const current = await deps.visits.getVisit(visitId, true);
  return current ? visitView(current) : null;
}

/** The periods a visit counts in: its local year and quarter. */
export function periodsOf(startedAt: string): string[] {
  return [localDate(startedAt).slice(0, 4), quarterOf(startedAt)];
}

async function finishApproval(deps: Deps, visit: VisitRecord, approval: ReviewRecord): Promise<VisitRecord> {
  const [template, photos] = await Promise.all([
    templateOf(deps, visit),
    deps.visits.listPhotos(visit.visitId),
  ]);
  const findings: FindingRecord[] = deriveFindings(template, { ...visit, photos }, approval.at).map(
    (finding) => withFindingEtag({ ...finding, inspectorId: visit.inspectorId, updatedAt: approval.at }),
  );
  await deps.approvals.putFindings(findings);

  const actor: Caller = { sub: approval.by, name: null, roles: ['manager'], unitId: null };
  let current = visit;
  for (let attempt = 0; ; attempt++) {
    const approved = withEtag({
      ...current,
      status: 'approved',
      review: approval,
      pendingApproval: null,
      updatedAt: approval.at,
    });
    const scores = await recomputeScores(deps, approved, 'add');
    try {
      await deps.approvals.commitVisitScores({
        visit: approved,
        expectedEtag: current.etag,
        audit: [
          audit({ type: 'visit', id: visit.visitId }, 'approve', actor, approval.at, {
            from: 'submitted',
            to: 'approved',
            reason: approval.comment,
          }),
        ],
        scores,
        findings: [],
      });
      return approved;
    } catch (error) {
      if (!(error instanceof StaleWriteError) || attempt >= maxCommitAttempts) throw error;
      const latest = await deps.visits.getVisit(visit.visitId, true);
      if (!latest) throw visitNotFound();
      if (latest.status === 'approved') return latest;
      current = latest;
      await jitter(attempt);
    }
  }
}

/** The unit's score records for the visit's periods, with the visit added or removed. */
async function recomputeScores(
  deps: Deps,
  visit: VisitRecord,
  change: 'add' | 'remove',
): Promise<Array<{ record: UnitScoreRecord; expectedRevision: number | null }>> {
  const unit = await deps.units.getUnit(visit.unitId);
  const now = deps.clock.now().toISOString();
  return Promise.all(
    periodsOf(visit.startedAt).map(async (period) => {
      const existing = await deps.scores.getUnitScore(visit.unitId, visit.templateId, period, true);
      const others = (existing?.visits ?? []).filter((entry) => entry.visitId !== visit.visitId);
      const visits =
        change === 'add' && visit.score !== null && visit.sections !== null
          ? [
              ...others,
              {
                visitId: visit.visitId,
                startedAt: visit.startedAt,
                templateVersion: visit.templateVersion,
                score: visit.score,
                sections: visit.sections,
              },
            ]
          : others;
      visits.sort((a, b) =>
        a.startedAt < b.startedAt ? -1 : a.startedAt > b.startedAt ? 1 : a.visitId < b.visitId ? -1 : 1,
      );
      const score = unitScore(visits);
      const record: UnitScoreRecord = {
        unitId: visit.unitId,
        templateId: visit.templateId,
        period,
        parentId: unit?.parentId ?? existing?.parentId ?? null,
        kind: unit?.kind ?? existing?.kind ?? 'commune',
        score: score?.score ?? null,
        sections: score?.sections ?? [],
        visitCount: score?.visitCount ?? 0,
        visits,
        revision: (existing?.revision ?? 0) + 1,
        updatedAt: now,
      };
      return { record, expectedRevision: existing?.revision ?? null };
    }),
  );
}

/** POST /v1/visits/{visitId}/revoke: out of the scores, its open findings dismissed. */
export async function revokeVisit(
  deps: Deps,
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
    for (let attempt = 0; ; attempt++) {
      const revoked = withEtag({
        ...visit,
        status,
        revocation: { reason, by: caller.sub, at: now },
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
          scores: await recomputeScores(deps, revoked, 'remove'),
          findings: [],
        });
        visit = revoked;
        break;
      } catch (error) {
        if (!(error instanceof StaleWriteError) || attempt >= maxCommitAttempts) throw error;
        const latest = await loadVisit(deps, caller, visitId, true);
        if (latest.status === 'revoked') {
          visit = latest;
          break;
        }
        transitionVisit(latest, { type: 'revoke', reason }, caller);
        visit = latest;
        await jitter(attempt);
      }
    }
  }
  // After the commit point: dismiss what is still open. A retried revoke finishes this too.
  await dismissFindings(deps, caller, visit, reason);
  return visit;
}

async function dismissFindings(
  deps: Deps,
  caller: Caller,
  visit: VisitRecord,
  reason: string,
): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const findings = (await deps.findings.listVisitFindings(visit.visitId)).filter(
      (finding) => finding.createdAt === visit.review?.at,
    );
    const changed = dismissOnRevoke(findings, reason);
    if (changed.length === 0) return;
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
            audit({ type: 'finding', id: finding.findingId }, 'dismiss', caller, now, {
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
    if (results.every((result) => result.status === 'fulfilled')) return;
  }
}
