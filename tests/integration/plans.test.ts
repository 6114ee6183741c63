/**
 * Inspection plans and assignments over DynamoDB Local (issue 16): a plan with planned,
 * unannounced and complaint assignments, each inspector's own list, visits that carry an
 * assignment out (and those refused for not matching it), states that follow approval and
 * revocation, a missed window, changes under If-Match, and who may see what.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { configureDeps, resetDeps } from '#adapters/wiring.ts';
import {
  people,
  seedProvince,
  seedStaff,
  startApi,
  submittedVisit,
  templateId,
  visitBody,
} from '#tests/support/api.ts';
import { FakeClock } from '#tests/support/clock.ts';
import { type Caller, invoke } from '#tests/support/invoke.ts';

let api: Awaited<ReturnType<typeof startApi>>;
// 20 May 2026, 10:00 in Viet Nam.
const today = '2026-05-20T03:00:00Z';
const outsider: Caller = { sub: 'inspector-3', roles: ['inspector'], unitId: 'NA', name: 'Đỗ Văn Ba' };
/** An inspector of ward W2 only: they cannot inspect W1. */
const wardInspector: Caller = {
  sub: 'inspector-w2',
  roles: ['inspector'],
  unitId: 'W2',
  name: 'Vũ Thị Phường',
};

beforeAll(async () => {
  api = await startApi('plans');
  await seedProvince();
  await seedStaff([people.inspector, people.inspector2, outsider, people.manager, wardInspector]);
});
afterAll(async () => {
  await api.close();
});
afterEach(() => resetDeps());

function atDay(instant: string) {
  configureDeps({ clock: new FakeClock(instant) });
}

const lead = { userId: 'inspector-1', name: 'Nguyễn Văn Kiểm' };
const member = { userId: 'inspector-2', name: 'Lê Văn Hai' };

function planBody(overrides: Record<string, unknown> = {}) {
  return {
    title: 'Kế hoạch kiểm tra công tác CCHC quý II năm 2026',
    period: '2026-Q2',
    templateId,
    scopeUnitId: 'NA',
    assignments: [
      {
        unitId: 'W1',
        window: { from: '2026-05-01', to: '2026-05-31' },
        kind: 'planned',
        lead,
        members: [member],
      },
      { unitId: 'W2', window: { from: '2026-05-15', to: '2026-05-16' }, kind: 'unannounced', lead: member },
      {
        unitId: 'C1',
        window: { from: '2026-06-01', to: '2026-06-10' },
        kind: 'complaint',
        complaintRef: 'PA-2026-015',
        lead,
      },
    ],
    ...overrides,
  };
}

interface PlanView {
  planId: string;
  etag: string;
  assignments: Array<{
    assignmentId: string;
    unitId: string;
    state: string;
    visits: Array<{ visitId: string; status: string }>;
  }>;
  coverage: {
    done: number;
    in_progress: number;
    open: number;
    missed: number;
    cancelled: number;
    unitsWithoutVisit: string[];
  };
  history: Array<{ action: string; from: string | null; reason: string | null }>;
}

async function createPlan(body: unknown = planBody(), as: Caller = people.admin): Promise<PlanView> {
  const created = await invoke('createPlan', { body, as });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body as PlanView;
}

async function readPlan(planId: string, as: Caller = people.manager): Promise<PlanView> {
  const read = await invoke('getPlan', { params: { planId }, as });
  expect(read.status, JSON.stringify(read.body)).toBe(200);
  return read.body as PlanView;
}

const states = (plan: PlanView) => plan.assignments.map((a) => a.state);

async function mine(as: Caller) {
  const listed = await invoke('listAssignments', { query: { mine: 'true' }, as });
  expect(listed.status, JSON.stringify(listed.body)).toBe(200);
  return (
    listed.body as { items: Array<{ assignmentId: string; state: string; planTitle: string; kind: string }> }
  ).items;
}

function problemOf(response: { status: number; body: unknown }) {
  const body = response.body as { code: string; errors?: Array<{ path: string; message: string }> };
  return { status: response.status, code: body.code, paths: (body.errors ?? []).map((e) => e.path) };
}

describe('the people on assignments', () => {
  it('must be staff (422 unknown_reference), enabled inspectors whose jurisdiction holds the unit (422 validation_failed)', async () => {
    atDay(today);
    const withLead = (unitId: string, userId: string) =>
      planBody({
        assignments: [
          {
            unitId,
            window: { from: '2026-05-01', to: '2026-05-31' },
            kind: 'planned',
            lead: { userId, name: 'X' },
          },
        ],
      });
    const unknown = await invoke('createPlan', { body: withLead('W1', 'nobody-1'), as: people.admin });
    expect(problemOf(unknown)).toEqual({
      status: 422,
      code: 'unknown_reference',
      paths: ['assignments.0.lead.userId'],
    });
    const manager = await invoke('createPlan', {
      body: withLead('W1', people.manager.sub),
      as: people.admin,
    });
    const otherWard = await invoke('createPlan', {
      body: withLead('W1', wardInspector.sub),
      as: people.admin,
    });
    for (const refused of [manager, otherWard]) {
      expect(problemOf(refused)).toEqual({
        status: 422,
        code: 'validation_failed',
        paths: ['assignments.0.lead.userId'],
      });
    }
    const ownWard = await invoke('createPlan', { body: withLead('W2', wardInspector.sub), as: people.admin });
    expect(ownWard.status, JSON.stringify(ownWard.body)).toBe(201);
  });
});

describe('a plan with planned, unannounced and complaint assignments', () => {
  it('numbers its assignments, derives their states from the date, and counts the scope’s units without a visit', async () => {
    atDay(today);
    const plan = await createPlan();
    expect(plan.assignments.map((a) => a.assignmentId)).toEqual([1, 2, 3].map((n) => `${plan.planId}.${n}`));
    // W2's window (15-16 May) ended before 20 May with no visit.
    expect(states(plan)).toEqual(['open', 'missed', 'open']);
    expect(plan.coverage).toEqual({
      done: 0,
      in_progress: 0,
      open: 2,
      missed: 1,
      cancelled: 0,
      unitsWithoutVisit: ['C1', 'W1', 'W2'],
    });
    expect(plan.history.map((entry) => entry.action)).toEqual(['create']);
  });

  it('lists each inspector’s assignments whose window has not ended, nearest end first', async () => {
    atDay(today);
    const plan = await createPlan();
    const [a1, , a3] = plan.assignments.map((a) => a.assignmentId);
    const lead1 = (await mine(people.inspector)).filter((item) => item.assignmentId.startsWith(plan.planId));
    expect(lead1.map((item) => [item.assignmentId, item.state, item.kind])).toEqual([
      [a1, 'open', 'planned'],
      [a3, 'open', 'complaint'],
    ]);
    expect(lead1[0]?.planTitle).toBe('Kế hoạch kiểm tra công tác CCHC quý II năm 2026');
    // inspector-2 leads W2 (ended on 16 May) and is a member on W1.
    const member2 = (await mine(people.inspector2)).filter((item) =>
      item.assignmentId.startsWith(plan.planId),
    );
    expect(member2.map((item) => item.assignmentId)).toEqual([a1]);
    expect((await mine(outsider)).filter((item) => item.assignmentId.startsWith(plan.planId))).toEqual([]);
  });
});

describe('visits on an assignment', () => {
  it('follow the visit: in progress, done on approval, back in progress on revocation, missed once the window ends', async () => {
    atDay(today);
    const plan = await createPlan();
    const a1 = plan.assignments[0]?.assignmentId ?? '';
    const { visitId } = await submittedVisit({ as: people.inspector, extra: { assignmentId: a1 } });
    let read = await readPlan(plan.planId);
    expect(read.assignments[0]).toMatchObject({
      state: 'in_progress',
      visits: [{ visitId, status: 'submitted' }],
    });
    expect(read.coverage.unitsWithoutVisit).toEqual(['C1', 'W2']);

    const approved = await invoke('reviewVisit', {
      params: { visitId },
      body: { decision: 'approve' },
      as: people.manager,
    });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    read = await readPlan(plan.planId);
    expect(states(read)).toEqual(['done', 'missed', 'open']);
    expect(read.coverage).toMatchObject({ done: 1, missed: 1, open: 1 });

    const revoked = await invoke('revokeVisit', {
      params: { visitId },
      body: { reason: 'Ảnh minh chứng chụp tại nơi khác' },
      as: people.admin,
    });
    expect(revoked.status, JSON.stringify(revoked.body)).toBe(200);
    read = await readPlan(plan.planId);
    expect(read.assignments[0]).toMatchObject({
      state: 'in_progress',
      visits: [{ visitId, status: 'revoked' }],
    });

    // 1 June: W1's window (to 31 May) has ended and its only visit is revoked.
    atDay('2026-06-01T03:00:00Z');
    read = await readPlan(plan.planId);
    expect(states(read)).toEqual(['missed', 'missed', 'open']);

    // A successor visit, approved late, makes it done.
    const successor = await submittedVisit({ as: people.inspector2, extra: { assignmentId: a1 } });
    const approvedLate = await invoke('reviewVisit', {
      params: { visitId: successor.visitId },
      body: { decision: 'approve' },
      as: people.manager,
    });
    expect(approvedLate.status).toBe(200);
    read = await readPlan(plan.planId);
    expect(read.assignments[0]?.state).toBe('done');
    expect(read.assignments[0]?.visits.map((v) => v.status).sort()).toEqual(['approved', 'revoked']);
  });

  it('are refused (422) for another unit, by someone not on the assignment, or for an assignment that does not exist', async () => {
    atDay(today);
    const plan = await createPlan();
    const a1 = plan.assignments[0]?.assignmentId ?? '';
    const put = (body: unknown, as: Caller = people.inspector) =>
      invoke('putVisit', { params: { visitId: randomUUID() }, body, as });

    const otherUnit = await put(visitBody({ unitId: 'W2', assignmentId: a1 }));
    expect(problemOf(otherUnit)).toEqual({ status: 422, code: 'validation_failed', paths: ['assignmentId'] });
    expect((otherUnit.body as { errors: Array<{ message: string }> }).errors[0]?.message).toContain('W1');

    const notOnIt = await put(visitBody({ assignmentId: a1 }), outsider);
    expect(problemOf(notOnIt)).toEqual({ status: 422, code: 'validation_failed', paths: ['assignmentId'] });

    const missing = await put(visitBody({ assignmentId: `${plan.planId}.9` }));
    expect(problemOf(missing)).toEqual({ status: 422, code: 'unknown_reference', paths: ['assignmentId'] });

    const malformed = await put(visitBody({ assignmentId: 'plan-1' }));
    expect(problemOf(malformed)).toMatchObject({
      status: 422,
      code: 'validation_failed',
      paths: ['assignmentId'],
    });

    // The member may carry it out; nothing of the refused attempts was stored.
    const byMember = await put(visitBody({ assignmentId: a1 }), people.inspector2);
    expect(byMember.status, JSON.stringify(byMember.body)).toBe(201);
    expect((await readPlan(plan.planId)).assignments[0]?.visits).toHaveLength(1);
  });
});

describe('changing a plan', () => {
  it('needs If-Match (428, 412 with the current plan), cancels with a reason, adds and removes assignments and members', async () => {
    atDay(today);
    const plan = await createPlan();
    const [a1, a2, a3] = plan.assignments.map((a) => a.assignmentId);
    const body = planBody();
    const withIds = body.assignments.map((a, i) => ({
      ...a,
      assignmentId: plan.assignments[i]?.assignmentId,
    }));
    const changed = {
      ...body,
      assignments: [
        // inspector-2 leaves W1; C1 is cancelled; W2 goes; a new assignment for W2 in June.
        { ...withIds[0], members: [] },
        { ...withIds[2], cancelledReason: 'Phản ánh đã được giải quyết trước khi kiểm tra' },
        { unitId: 'W2', window: { from: '2026-06-15', to: '2026-06-20' }, kind: 'planned', lead: member },
      ],
    };
    const withoutIfMatch = await invoke('putPlan', {
      params: { planId: plan.planId },
      body: changed,
      as: people.manager,
    });
    expect(problemOf(withoutIfMatch)).toMatchObject({ status: 428, code: 'precondition_required' });
    const stale = await invoke('putPlan', {
      params: { planId: plan.planId },
      body: changed,
      headers: { 'if-match': '"old"' },
      as: people.manager,
    });
    expect(problemOf(stale)).toMatchObject({ status: 412, code: 'precondition_failed' });
    expect((stale.body as { current: PlanView }).current.etag).toBe(plan.etag);

    const put = await invoke('putPlan', {
      params: { planId: plan.planId },
      body: changed,
      headers: { 'if-match': `"${plan.etag}"` },
      as: people.manager,
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const after = put.body as PlanView;
    expect(put.etag).toBe(after.etag);
    expect(after.assignments.map((a) => [a.assignmentId, a.state])).toEqual([
      [a1, 'open'],
      [a3, 'cancelled'],
      [`${plan.planId}.4`, 'open'],
    ]);
    expect(after.assignments.some((a) => a.assignmentId === a2)).toBe(false);
    // The clock stands still in this test, so entries of one instant come in any order.
    expect(after.history.map((entry) => [entry.action, entry.from, entry.reason]).sort()).toEqual([
      ['cancel_assignment', a3, 'Phản ánh đã được giải quyết trước khi kiểm tra'],
      ['create', null, null],
      ['update', null, null],
    ]);
    expect(after.coverage.cancelled).toBe(1);

    // inspector-2 is now only on the new June assignment; inspector-1 no longer sees C1 (cancelled, still listed).
    const member2 = (await mine(people.inspector2)).filter((item) =>
      item.assignmentId.startsWith(plan.planId),
    );
    expect(member2.map((item) => item.assignmentId)).toEqual([`${plan.planId}.4`]);
    const lead1 = (await mine(people.inspector)).filter((item) => item.assignmentId.startsWith(plan.planId));
    expect(lead1.map((item) => [item.assignmentId, item.state])).toEqual([
      [a1, 'open'],
      [a3, 'cancelled'],
    ]);

    // The same body again: 200, unchanged, whatever If-Match says.
    const again = await invoke('putPlan', {
      params: { planId: plan.planId },
      body: changed,
      as: people.manager,
    });
    expect(again.status).toBe(200);
    expect((again.body as PlanView).etag).toBe(after.etag);

    // A visit on a cancelled assignment is refused.
    const onCancelled = await invoke('putVisit', {
      params: { visitId: randomUUID() },
      body: visitBody({ unitId: 'C1', assignmentId: a3 }),
      as: people.inspector,
    });
    expect(problemOf(onCancelled)).toEqual({
      status: 422,
      code: 'validation_failed',
      paths: ['assignmentId'],
    });
  });

  it('refuses to drop or move an assignment that visits name (409)', async () => {
    atDay(today);
    const plan = await createPlan();
    const a1 = plan.assignments[0]?.assignmentId ?? '';
    await submittedVisit({ extra: { assignmentId: a1 } });
    const body = planBody();
    const ifMatch = { 'if-match': `"${plan.etag}"` };
    const withIds = body.assignments.map((a, i) => ({
      ...a,
      assignmentId: plan.assignments[i]?.assignmentId,
    }));
    const dropped = await invoke('putPlan', {
      params: { planId: plan.planId },
      body: { ...body, assignments: withIds.slice(1) },
      headers: ifMatch,
      as: people.admin,
    });
    expect(problemOf(dropped)).toMatchObject({ status: 409, code: 'invalid_state' });
    const moved = await invoke('putPlan', {
      params: { planId: plan.planId },
      body: { ...body, assignments: [{ ...withIds[0], unitId: 'C1' }, ...withIds.slice(1)] },
      headers: ifMatch,
      as: people.admin,
    });
    expect(problemOf(moved)).toMatchObject({ status: 409, code: 'invalid_state' });
    expect((await readPlan(plan.planId)).etag).toBe(plan.etag);
  });

  it('refuses windows outside the period, complaints without a reference, units outside the scope, unknown IDs (422)', async () => {
    atDay(today);
    const bad = await invoke('createPlan', {
      body: planBody({
        assignments: [
          { unitId: 'W1', window: { from: '2026-06-20', to: '2026-07-05' }, kind: 'planned', lead },
          { unitId: 'W2', window: { from: '2026-05-01', to: '2026-05-02' }, kind: 'complaint', lead },
        ],
      }),
      as: people.admin,
    });
    expect(problemOf(bad)).toEqual({
      status: 422,
      code: 'validation_failed',
      paths: ['assignments.0.window', 'assignments.1.complaintRef'],
    });
    const outside = await invoke('createPlan', {
      body: planBody({
        scopeUnitId: 'W1',
        assignments: [
          { unitId: 'W2', window: { from: '2026-05-01', to: '2026-05-02' }, kind: 'planned', lead },
        ],
      }),
      as: people.admin,
    });
    expect(problemOf(outside)).toEqual({
      status: 422,
      code: 'unknown_reference',
      paths: ['assignments.0.unitId'],
    });
    const plan = await createPlan();
    const unknownId = await invoke('putPlan', {
      params: { planId: plan.planId },
      body: {
        ...planBody(),
        assignments: [{ ...planBody().assignments[0], assignmentId: `${plan.planId}.7` }],
      },
      headers: { 'if-match': `"${plan.etag}"` },
      as: people.admin,
    });
    expect(problemOf(unknownId)).toEqual({
      status: 422,
      code: 'unknown_reference',
      paths: ['assignments.0.assignmentId'],
    });
  });

  it('answers the same plan to a retried POST with the same Idempotency-Key, and frees a key whose request failed', async () => {
    atDay(today);
    const key = randomUUID();
    const first = await invoke('createPlan', {
      body: planBody(),
      headers: { 'idempotency-key': key },
      as: people.admin,
    });
    const second = await invoke('createPlan', {
      body: planBody(),
      headers: { 'idempotency-key': key },
      as: people.admin,
    });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect((second.body as PlanView).planId).toBe((first.body as PlanView).planId);

    const failing = randomUUID();
    const body = planBody({ scopeUnitId: 'nowhere' });
    const refused = await invoke('createPlan', {
      body,
      headers: { 'idempotency-key': failing },
      as: people.admin,
    });
    expect(problemOf(refused)).toMatchObject({ status: 422, code: 'unknown_reference' });
    // Released, not remembered: the same key and body are tried again (and refused again, not 409).
    const retried = await invoke('createPlan', {
      body,
      headers: { 'idempotency-key': failing },
      as: people.admin,
    });
    expect(problemOf(retried)).toMatchObject({ status: 422, code: 'unknown_reference' });
  });
});

describe('who sees plans', () => {
  it('lists a subtree’s plans by period for reviewers; a ward’s manager, inspectors and other periods do not see them', async () => {
    atDay(today);
    const plan = await createPlan(planBody({ title: 'Kế hoạch của tỉnh' }), people.manager);
    const listed = async (query: Record<string, string>, as: Caller = people.manager) => {
      const response = await invoke('listPlans', { query, as });
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      return (response.body as { items: Array<{ planId: string; assignmentCount: number }> }).items;
    };
    expect((await listed({ period: '2026' })).find((p) => p.planId === plan.planId)?.assignmentCount).toBe(3);
    expect((await listed({ period: '2026-Q2' })).some((p) => p.planId === plan.planId)).toBe(true);
    expect((await listed({ period: '2026-Q3' })).some((p) => p.planId === plan.planId)).toBe(false);
    expect((await listed({ period: '2025' })).some((p) => p.planId === plan.planId)).toBe(false);
    expect((await listed({}, people.wardManager)).some((p) => p.planId === plan.planId)).toBe(false);

    const byWard = await invoke('getPlan', { params: { planId: plan.planId }, as: people.wardManager });
    expect(problemOf(byWard)).toMatchObject({ status: 404, code: 'not_found' });
    const byInspector = await invoke('getPlan', { params: { planId: plan.planId }, as: people.inspector });
    expect(problemOf(byInspector)).toMatchObject({ status: 403, code: 'forbidden' });
    const withoutMine = await invoke('listAssignments', { query: {}, as: people.inspector });
    expect(problemOf(withoutMine)).toMatchObject({ status: 422, code: 'validation_failed', paths: ['mine'] });
  });
});
