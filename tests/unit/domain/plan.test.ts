import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePeriod } from '#domain/period.ts';
import {
  type AssignmentInput,
  assignmentMismatches,
  assignmentState,
  assignmentStates,
  numberAssignments,
  type PlanInput,
  planCoverage,
  planIdOf,
  planProblems,
} from '#domain/plan.ts';
import type { VisitStatus } from '#domain/visit.ts';

const planId = '0b1e2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const year = parsePeriod('2026');
if (!year) throw new Error('test setup: 2026 is a period');

const assignment = (overrides: Partial<AssignmentInput> = {}): AssignmentInput => ({
  unitId: 'W1',
  window: { from: '2026-05-01', to: '2026-05-31' },
  kind: 'planned',
  lead: { userId: 'inspector-1', name: 'Nguyễn Văn Kiểm' },
  members: [{ userId: 'inspector-2', name: 'Lê Văn Hai' }],
  ...overrides,
});
const plan = (assignments: AssignmentInput[]): PlanInput => ({
  title: 'Kế hoạch kiểm tra CCHC năm 2026',
  period: '2026',
  templateId: 'one-stop-counter',
  scopeUnitId: 'NA',
  assignments,
});

describe('assignmentState', () => {
  const window = { from: '2026-05-01', to: '2026-05-31' };
  const visits = (...statuses: VisitStatus[]) => statuses.map((status) => ({ status }));

  it.each<[string, VisitStatus[], string, string, string | undefined]>([
    ['no visit yet, window ahead', [], '2026-04-20', 'open', undefined],
    ['no visit, within the window', [], '2026-05-10', 'open', undefined],
    ['a draft', ['draft'], '2026-05-10', 'in_progress', undefined],
    ['a submitted visit', ['submitted'], '2026-05-10', 'in_progress', undefined],
    ['approved', ['approved'], '2026-05-10', 'done', undefined],
    ['approved, long after the window', ['approved'], '2026-12-01', 'done', undefined],
    ['approved then revoked', ['revoked'], '2026-05-20', 'in_progress', undefined],
    ['revoked, then its successor approved', ['revoked', 'approved'], '2026-06-20', 'done', undefined],
    ['the last day of the window', [], '2026-05-31', 'open', undefined],
    ['the day after the window, no visit', [], '2026-06-01', 'missed', undefined],
    ['the window ended with the visit still in review', ['submitted'], '2026-06-01', 'missed', undefined],
    ['cancelled, even when approved', ['approved'], '2026-05-10', 'cancelled', 'Đơn vị sáp nhập'],
  ])('%s: %s on %s is %s', (_name, statuses, today, expected, cancelledReason) => {
    expect(
      assignmentState(
        { window, ...(cancelledReason ? { cancelledReason } : {}) },
        visits(...statuses),
        today,
      ),
    ).toBe(expected);
  });

  const status = fc.constantFrom<VisitStatus>('draft', 'submitted', 'returned', 'approved', 'revoked');
  const day = fc
    .integer({ min: 0, max: 400 })
    .map((n) => new Date(Date.UTC(2026, 0, 1 + n)).toISOString().slice(0, 10));

  it('is done exactly when a visit is approved (uncancelled), and never missed inside the window', () => {
    fc.assert(
      fc.property(fc.array(status, { maxLength: 4 }), day, (statuses, today) => {
        const state = assignmentState({ window }, visits(...statuses), today);
        expect(assignmentStates).toContain(state);
        expect(state === 'done').toBe(statuses.includes('approved'));
        if (today <= window.to) expect(state).not.toBe('missed');
        if (statuses.length === 0 && today <= window.to) expect(state).toBe('open');
      }),
    );
  });
});

describe('planProblems', () => {
  it('accepts a plan with planned, unannounced and complaint assignments', () => {
    const input = plan([
      assignment(),
      assignment({ unitId: 'W2', kind: 'unannounced', window: { from: '2026-12-31', to: '2026-12-31' } }),
      assignment({ unitId: 'C1', kind: 'complaint', complaintRef: 'PA-2026-015' }),
    ]);
    expect(planProblems(input, year, null)).toEqual([]);
  });

  it.each<[string, AssignmentInput, string]>([
    [
      'a window that ends first',
      assignment({ window: { from: '2026-05-10', to: '2026-05-01' } }),
      'assignments.0.window.to',
    ],
    [
      'a window in the next year',
      assignment({ window: { from: '2026-12-20', to: '2027-01-05' } }),
      'assignments.0.window',
    ],
    ['a complaint without its reference', assignment({ kind: 'complaint' }), 'assignments.0.complaintRef'],
    ['a reference on a planned visit', assignment({ complaintRef: 'PA-1' }), 'assignments.0.complaintRef'],
    [
      'the lead listed as a member',
      assignment({ members: [{ userId: 'inspector-1', name: 'X' }] }),
      'assignments.0.members.0.userId',
    ],
    [
      'another plan’s assignment ID',
      assignment({ assignmentId: '11111111-2222-4333-8444-555555555555.1' }),
      'assignments.0.assignmentId',
    ],
  ])('refuses %s at %s', (_name, input, path) => {
    expect(planProblems(plan([input]), year, planId).map((p) => p.path)).toEqual([path]);
  });

  it('refuses the same assignment ID twice', () => {
    const twice = assignment({ assignmentId: `${planId}.1` });
    expect(planProblems(plan([twice, twice]), year, planId).map((p) => p.path)).toEqual([
      'assignments.1.assignmentId',
    ]);
  });
});

describe('numberAssignments', () => {
  it('keeps existing IDs and numbers new ones after the highest ever given', () => {
    const result = numberAssignments(
      planId,
      [assignment({ assignmentId: `${planId}.2` }), assignment(), assignment()],
      3,
    );
    expect(result.assignments.map((a) => a.assignmentId)).toEqual([
      `${planId}.2`,
      `${planId}.4`,
      `${planId}.5`,
    ]);
    expect(result.lastNumber).toBe(5);
    expect(planIdOf(`${planId}.12`)).toBe(planId);
  });
});

describe('planCoverage', () => {
  it('counts assignments by state and lists the scope’s units without a visit', () => {
    expect(
      planCoverage(['done', 'missed', 'open', 'open'], ['W1', 'W2', 'C1'], new Set(['W1', 'X'])),
    ).toEqual({
      done: 1,
      in_progress: 0,
      open: 2,
      missed: 1,
      cancelled: 0,
      unitsWithoutVisit: ['W2', 'C1'],
    });
  });
});

describe('assignmentMismatches', () => {
  const stored = { ...assignment(), assignmentId: `${planId}.1` };
  it('has none for one of its inspectors at its unit with its template', () => {
    expect(
      assignmentMismatches(stored, 'one-stop-counter', {
        unitId: 'W1',
        templateId: 'one-stop-counter',
        inspectorId: 'inspector-2',
      }),
    ).toEqual([]);
  });
  it('lists another unit, another template and an inspector not on it', () => {
    const problems = assignmentMismatches(stored, 'one-stop-counter', {
      unitId: 'W2',
      templateId: 'other',
      inspectorId: 'inspector-3',
    });
    expect(problems.map((p) => p.message.en)).toEqual([
      'The assignment is for unit "W1", not "W2".',
      'The plan uses template "one-stop-counter", not "other".',
      'You are not one of the inspectors of this assignment.',
    ]);
  });
});
