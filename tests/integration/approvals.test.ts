/**
 * Approval and revocation never stay half-done (issue 10): ill-formed text is refused before it
 * is stored, an approval that fits is one transaction, a larger one is chunked with a repair
 * mark that the scheduled repair rolls forward (or back, when the domain refuses it), and a
 * revocation that could not dismiss every finding fails visibly and is completed later.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { allDeps } from '#adapters/all-parts.ts';
import { configureDeps, resetDeps } from '#adapters/wiring.ts';
import { repairPendingWork } from '#app/review.ts';
import { withEtag } from '#app/visits.ts';
import { StaleWriteError } from '#ports/errors.ts';
import type { ApprovalStore, FindingStore } from '#ports/store.ts';
import { people, seedProvince, startApi, submittedVisit, visitBody } from '#tests/support/api.ts';
import { invoke } from '#tests/support/invoke.ts';

let api: Awaited<ReturnType<typeof startApi>>;

beforeAll(async () => {
  api = await startApi('approvals');
  await seedProvince();
});
afterAll(async () => {
  await api.close();
});
afterEach(() => resetDeps());

const lone = 'Biển tên \ud800 sai';

function problemOf(response: { status: number; body: unknown }) {
  const body = response.body as { code: string; errors?: Array<{ path: string; message: string }> };
  return { status: response.status, code: body.code, paths: (body.errors ?? []).map((e) => e.path) };
}

/** A clock some minutes ahead, as the scheduled repair sees pending work after its lease. */
function later(minutes: number) {
  return { now: () => new Date(Date.now() + minutes * 60_000) };
}

/** Wraps the real approval store, replacing some of its methods. */
function approvalsWith(overrides: Partial<ApprovalStore>): ApprovalStore & { calls: Record<string, number> } {
  const real = allDeps().approvals;
  const calls: Record<string, number> = {};
  const store = new Proxy(real, {
    get(target, name: string) {
      const override = overrides[name as keyof ApprovalStore];
      const original = Reflect.get(target, name);
      if (typeof original !== 'function') return original;
      return (...args: unknown[]) => {
        calls[name] = (calls[name] ?? 0) + 1;
        return override
          ? (override as (...a: unknown[]) => unknown)(...args)
          : (original as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return Object.assign(store, { calls });
}

describe('ill-formed UTF-16 is refused by the body parser, with its path', () => {
  it('answers 422 on every write that takes text, and stores nothing', async () => {
    const unit = await invoke('putUnit', {
      params: { unitId: 'X9' },
      body: { name: lone, kind: 'ward', parentId: 'NA' },
      as: people.admin,
    });
    expect(problemOf(unit)).toEqual({ status: 422, code: 'validation_failed', paths: ['name'] });
    expect(await allDeps().units.getUnit('X9', true)).toBeNull();

    const visitId = randomUUID();
    const visit = await invoke('putVisit', {
      params: { visitId },
      body: visitBody({
        deductions: [{ code: 'X1', count: 1, note: lone }],
        manualFindings: [{ title: lone, severity: 'low' }],
      }),
      as: people.inspector,
    });
    expect(problemOf(visit)).toEqual({
      status: 422,
      code: 'validation_failed',
      paths: ['deductions.0.note', 'manualFindings.0.title'],
    });
    expect(await allDeps().visits.getVisit(visitId, true)).toBeNull();

    const template = await invoke('publishTemplateVersion', {
      params: { templateId: 'bad-text' },
      body: {
        title: { vi: 'Phiếu' },
        sections: [
          {
            code: 'A',
            title: { vi: 'A' },
            items: [
              {
                code: 'A1',
                text: { vi: lone },
                answer: { type: 'yes_no' },
                maxPoints: 1,
                severity: 'low',
                photo: 'none',
              },
            ],
          },
        ],
        bands: [],
      },
      as: people.admin,
    });
    expect(problemOf(template)).toEqual({
      status: 422,
      code: 'validation_failed',
      paths: ['sections.0.items.0.text.vi'],
    });
    expect(await allDeps().templates.getLatestTemplate('bad-text', true)).toBeNull();

    const { visitId: submitted } = await submittedVisit({ unitId: 'W2' });
    const review = await invoke('reviewVisit', {
      params: { visitId: submitted },
      body: { decision: 'return', comment: lone },
      as: people.manager,
    });
    expect(problemOf(review)).toEqual({ status: 422, code: 'validation_failed', paths: ['comment'] });
    expect((await allDeps().visits.getVisit(submitted, true))?.status).toBe('submitted');

    await invoke('reviewVisit', {
      params: { visitId: submitted },
      body: { decision: 'approve' },
      as: people.manager,
    });
    const revoke = await invoke('revokeVisit', {
      params: { visitId: submitted },
      body: { reason: lone },
      as: people.admin,
    });
    expect(problemOf(revoke)).toEqual({ status: 422, code: 'validation_failed', paths: ['reason'] });

    const [finding] = await allDeps().findings.listVisitFindings(submitted);
    if (!finding) throw new Error('the approval made findings');
    const patch = await invoke('patchFinding', {
      params: { findingId: finding.findingId },
      body: { note: lone },
      headers: { 'if-match': `"${finding.etag}"` },
      as: people.manager,
    });
    expect(problemOf(patch)).toEqual({ status: 422, code: 'validation_failed', paths: ['note'] });
    expect((await allDeps().findings.getFinding(finding.findingId, true))?.etag).toBe(finding.etag);
  });

  it('says so in English on request, and names a bad key too', async () => {
    const response = await invoke('putUnit', {
      params: { unitId: 'X8' },
      rawBody: '{"name":"ok","kind":"ward","parentId":"NA","\\udc00x":1}',
      headers: { 'accept-language': 'en', 'content-type': 'application/json' },
      as: people.admin,
    });
    expect(response.status).toBe(422);
    const body = response.body as { detail: string; errors: Array<{ path: string; message: string }> };
    expect(body.errors[0]?.path).toBe('\ufffdx');
    expect(body.errors[0]?.message).toMatch(/lone surrogate/);
  });
});

describe('an approval that fits is one transaction', () => {
  it('writes the visit, its findings and the scores at once, with no pending mark', async () => {
    const approvals = approvalsWith({});
    configureDeps({ approvals });
    const { visitId } = await submittedVisit({ unitId: 'C1', startedAt: '2026-10-05T09:00:00+07:00' });
    const approved = await invoke('reviewVisit', {
      params: { visitId },
      body: { decision: 'approve' },
      as: people.manager,
    });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approvals.calls.beginApproval).toBeUndefined();
    expect(approvals.calls.putFindings).toBeUndefined();
    expect(approvals.calls.commitVisitScores).toBe(1);
    expect((await allDeps().findings.listVisitFindings(visitId)).length).toBe(4);
    expect((await allDeps().approvals.listRepairs('approval', { limit: 100, cursor: null })).items).toEqual(
      [],
    );
  });

  it('answers GET’s shape from every route that returns a visit', async () => {
    const { visitId } = await submittedVisit({ unitId: 'W1', startedAt: '2026-10-06T09:00:00+07:00' });
    const approved = await invoke('reviewVisit', {
      params: { visitId },
      body: { decision: 'approve' },
      as: people.manager,
    });
    const read = await invoke('getVisit', { params: { visitId }, as: people.manager });
    expect(approved.body).toEqual(read.body);
    const body = approved.body as {
      photos: unknown[];
      history: Array<{ action: string }>;
      pendingApproval: null;
    };
    expect(body.photos).toHaveLength(2);
    expect(body.history.map((entry) => entry.action)).toEqual(['create', 'submit', 'approve']);
    expect(body.pendingApproval).toBeNull();

    const revoked = await invoke('revokeVisit', {
      params: { visitId },
      body: { reason: 'Sai đơn vị' },
      as: people.admin,
    });
    expect((revoked.body as { history: Array<{ action: string }> }).history.at(-1)?.action).toBe('revoke');
    expect((revoked.body as { photos: unknown[] }).photos).toHaveLength(2);

    const draftId = randomUUID();
    const put = await invoke('putVisit', {
      params: { visitId: draftId },
      body: visitBody(),
      as: people.inspector,
    });
    expect(put.status).toBe(201);
    expect(put.body).toMatchObject({ photos: [], history: [{ action: 'create' }] });
    expect(put.etag).toBe((put.body as { etag: string }).etag);
  });
});

/** A template of 150 yes/no items: a visit failing them all, with 30 manual findings, needs 180 findings. */
async function largeVisit(templateId: string) {
  const items = Array.from({ length: 150 }, (_, i) => ({
    code: `L${i + 1}`,
    text: { vi: `Mục ${i + 1}` },
    answer: { type: 'yes_no' },
    maxPoints: 1,
    severity: 'low',
    photo: 'none',
  }));
  const published = await invoke('publishTemplateVersion', {
    params: { templateId },
    body: { title: { vi: 'Phiếu lớn' }, sections: [{ code: 'L', title: { vi: 'Lớn' }, items }], bands: [] },
    as: people.admin,
  });
  expect(published.status, JSON.stringify(published.body)).toBe(201);
  const visitId = randomUUID();
  const put = await invoke('putVisit', {
    params: { visitId },
    body: {
      unitId: 'W2',
      templateId,
      templateVersion: 1,
      startedAt: '2026-11-03T09:00:00+07:00',
      answers: items.map((item) => ({ itemCode: item.code, value: item.code === 'L1' })),
      manualFindings: Array.from({ length: 30 }, (_, i) => ({
        title: `Tồn tại ${i + 1}`,
        severity: 'medium',
      })),
    },
    as: people.inspector,
  });
  expect(put.status, JSON.stringify(put.body)).toBe(201);
  const submit = await invoke('submitVisit', { params: { visitId }, as: people.inspector });
  expect(submit.status, JSON.stringify(submit.body)).toBe(200);
  return visitId;
}

/** A large visit left with a pending approval whose template version is gone (data from before a fix, say). */
async function refusedPendingApproval(templateId: string, missingVersion: number) {
  const visitId = await largeVisit(templateId);
  const visit = await allDeps().visits.getVisit(visitId, true);
  if (!visit) throw new Error('the visit exists');
  const review = {
    decision: 'approve' as const,
    comment: null,
    by: people.manager.sub,
    at: new Date().toISOString(),
  };
  await allDeps().approvals.beginApproval(
    withEtag({ ...visit, templateVersion: missingVersion, pendingApproval: review }),
    visit.etag,
    { kind: 'approval', visitId, unitPath: visit.unitPath, since: review.at, by: review.by },
  );
  return visitId;
}

/** The real finding store, except that every finding write loses a race. */
function findingsAlwaysRacing(): FindingStore {
  const real = allDeps().findings;
  return new Proxy(real, {
    get(target, name: string) {
      if (name === 'saveFinding')
        return async () => {
          throw new StaleWriteError('injected: someone changes the finding each time');
        };
      const value = Reflect.get(target, name);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

describe('a larger approval is chunked, and the repair finishes it', () => {
  it('rolls an interrupted approval forward after its lease, and lists it meanwhile', async () => {
    const visitId = await largeVisit('large-forward');
    configureDeps({
      approvals: approvalsWith({
        putFindings: async () => {
          throw new Error('injected: the process died after marking the approval');
        },
      }),
    });
    const first = await invoke('reviewVisit', {
      params: { visitId },
      body: { decision: 'approve' },
      as: people.manager,
    });
    expect(first.status).toBe(500);
    resetDeps();

    const midway = await invoke('getVisit', { params: { visitId }, as: people.manager });
    expect(midway.body).toMatchObject({
      status: 'submitted',
      pendingApproval: { by: people.manager.sub, since: expect.any(String) },
    });
    const listed = await invoke('listVisits', { query: { pendingApproval: 'true' }, as: people.admin });
    expect((listed.body as { items: Array<{ visitId: string }> }).items.map((v) => v.visitId)).toEqual([
      visitId,
    ]);
    const notForManagers = await invoke('listVisits', {
      query: { pendingApproval: 'true' },
      as: people.manager,
    });
    expect(notForManagers.status).toBe(403);
    const returned = await invoke('reviewVisit', {
      params: { visitId },
      body: { decision: 'return', comment: 'Bổ sung' },
      as: people.manager,
    });
    expect(problemOf(returned)).toMatchObject({ status: 409, code: 'invalid_state' });

    // Within its lease the request that began it may still be running: the repair leaves it.
    expect(await repairPendingWork(allDeps())).toMatchObject({ rolledForward: 0, rolledBack: [] });
    configureDeps({ clock: later(3) });
    expect(await repairPendingWork(allDeps())).toMatchObject({
      rolledForward: 1,
      rolledBack: [],
      failed: [],
    });
    resetDeps();

    const done = await invoke('getVisit', { params: { visitId }, as: people.manager });
    expect(done.body).toMatchObject({ status: 'approved', pendingApproval: null });
    expect((await allDeps().findings.listVisitFindings(visitId)).length).toBe(149 + 30);
    const score = await allDeps().scores.getUnitScore('W2', 'large-forward', '2026-Q4', true);
    expect(score?.visits.map((v) => v.visitId)).toEqual([visitId]);
    const after = await invoke('listVisits', { query: { pendingApproval: 'true' }, as: people.admin });
    expect((after.body as { items: unknown[] }).items).toEqual([]);
  });

  it('rolls back to submitted, audited, what the domain refuses, so it can be returned', async () => {
    const visitId = await refusedPendingApproval('large-refused', 99);

    configureDeps({ clock: later(3) });
    const report = await repairPendingWork(allDeps());
    expect(report.rolledBack).toEqual([{ visitId, reason: expect.stringMatching(/template/) }]);
    const { handler } = await import('#functions/visits/repair.ts');
    await expect(handler({})).resolves.toBeUndefined();
    resetDeps();

    const read = await invoke('getVisit', { params: { visitId }, as: people.manager });
    expect(read.body).toMatchObject({ status: 'submitted', pendingApproval: null });
    expect((read.body as { history: Array<{ action: string; by: string }> }).history.at(-1)).toMatchObject({
      action: 'approval_rolled_back',
      by: 'system:repair',
    });
    expect(await allDeps().findings.listVisitFindings(visitId)).toEqual([]);
    const returned = await invoke('reviewVisit', {
      params: { visitId },
      body: { decision: 'return', comment: 'Phiếu kiểm tra không còn' },
      as: people.manager,
    });
    expect(returned.status, JSON.stringify(returned.body)).toBe(200);
  });

  it('makes the scheduled run fail, for its alarm, when it rolled an approval back', async () => {
    await refusedPendingApproval('large-alarm', 98);
    configureDeps({ clock: later(3) });
    const { handler } = await import('#functions/visits/repair.ts');
    await expect(handler({})).rejects.toThrow(/1 approval\(s\) rolled back/);
  });
});

describe('a revocation completes, or fails visibly and is completed later', () => {
  it('answers 409 while findings cannot be dismissed, and the repair dismisses them', async () => {
    const { visitId } = await submittedVisit({ unitId: 'W1', startedAt: '2026-07-07T09:00:00+07:00' });
    await invoke('reviewVisit', { params: { visitId }, body: { decision: 'approve' }, as: people.manager });
    configureDeps({ findings: findingsAlwaysRacing() });
    const revoke = await invoke('revokeVisit', {
      params: { visitId },
      body: { reason: 'Trùng lặp' },
      as: people.admin,
    });
    expect(problemOf(revoke)).toMatchObject({ status: 409, code: 'conflict' });
    resetDeps();
    expect((await allDeps().visits.getVisit(visitId, true))?.status).toBe('revoked');
    expect((await allDeps().findings.listVisitFindings(visitId)).every((f) => f.status === 'open')).toBe(
      true,
    );
    expect(
      (await allDeps().approvals.listRepairs('revocation', { limit: 100, cursor: null })).items,
    ).toHaveLength(1);

    configureDeps({ clock: later(3) });
    expect(await repairPendingWork(allDeps())).toMatchObject({ revocationsCompleted: 1, failed: [] });
    resetDeps();
    const findings = await allDeps().findings.listVisitFindings(visitId);
    expect(findings.map((f) => [f.status, f.reason])).toEqual(findings.map(() => ['dismissed', 'Trùng lặp']));
    expect((await allDeps().approvals.listRepairs('revocation', { limit: 100, cursor: null })).items).toEqual(
      [],
    );
  });

  it('is completed by a retry of the same revoke too', async () => {
    const { visitId } = await submittedVisit({ unitId: 'W1', startedAt: '2026-07-08T09:00:00+07:00' });
    await invoke('reviewVisit', { params: { visitId }, body: { decision: 'approve' }, as: people.manager });
    configureDeps({ findings: findingsAlwaysRacing() });
    expect(
      (await invoke('revokeVisit', { params: { visitId }, body: { reason: 'Lý do' }, as: people.admin }))
        .status,
    ).toBe(409);
    resetDeps();
    const retried = await invoke('revokeVisit', {
      params: { visitId },
      body: { reason: 'Lý do' },
      as: people.admin,
    });
    expect(retried.status, JSON.stringify(retried.body)).toBe(200);
    expect((await allDeps().findings.listVisitFindings(visitId)).every((f) => f.status === 'dismissed')).toBe(
      true,
    );
  });
});
