/**
 * Inspection plans (kế hoạch kiểm tra CCHC): which units are inspected in a period, when, by
 * whom and why, and where each assignment stands. An assignment's state is never stored: it is
 * derived when read from the assignment, its visits and the local date, so an approval, a
 * revocation or the end of a window shows without anyone writing the plan.
 */
import * as z from 'zod/mini';
import { isoDateSchema, limits, nfcString, templateIdSchema, unitIdSchema } from './ids.ts';
import { type Period, periodSchema } from './period.ts';
import { type Problem, problem } from './problems.ts';
import type { VisitStatus } from './visit.ts';

export const assignmentKinds = ['planned', 'unannounced', 'complaint'] as const;
export type AssignmentKind = (typeof assignmentKinds)[number];

export const assignmentStates = ['open', 'in_progress', 'done', 'missed', 'cancelled'] as const;
export type AssignmentState = (typeof assignmentStates)[number];

/** How large a plan may be: its assignments are one item of the store (docs/plans.md). */
export const planLimits = { assignments: 200, members: 10 } as const;

/** A user as a plan names them: the account's ID (`sub`) and the name to show. */
export const userIdSchema = z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/));
export const planPersonSchema = z.strictObject({ userId: userIdSchema, name: nfcString(limits.name) });
export type PlanPerson = z.output<typeof planPersonSchema>;

/** An assignment ID is `<planId>.<n>`, so it names its plan (plan IDs are UUIDs, without dots). */
export const assignmentIdSchema = z
  .string()
  .check(z.regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.[1-9][0-9]{0,3}$/));

export const assignmentInputSchema = z.strictObject({
  /** Left out for a new assignment; an existing one keeps its ID in a PUT. */
  assignmentId: z.optional(assignmentIdSchema),
  unitId: unitIdSchema,
  /** Local dates in Asia/Ho_Chi_Minh, both included. */
  window: z.strictObject({ from: isoDateSchema, to: isoDateSchema }),
  kind: z.enum(assignmentKinds),
  /** The citizen's complaint that triggered it (kind `complaint` only). */
  complaintRef: z.optional(nfcString(limits.name)),
  lead: planPersonSchema,
  members: z.optional(z.array(planPersonSchema).check(z.maxLength(planLimits.members))),
  /** Set to cancel the assignment, with why. */
  cancelledReason: z.optional(nfcString(limits.note)),
});
export type AssignmentInput = z.output<typeof assignmentInputSchema>;

/** Body of `POST /v1/plans` and `PUT /v1/plans/{planId}`. */
export const planInputSchema = z.strictObject({
  title: nfcString(limits.name),
  /** `YYYY` or `YYYY-Qn`: the year or quarter the plan covers. */
  period: periodSchema,
  templateId: templateIdSchema,
  /** The unit whose subtree the plan covers (the Sở's province, or a part of it). */
  scopeUnitId: unitIdSchema,
  assignments: z.array(assignmentInputSchema).check(z.maxLength(planLimits.assignments)),
});
export type PlanInput = z.output<typeof planInputSchema>;

/** An assignment as stored: every input field, with its ID always set. */
export type Assignment = Omit<AssignmentInput, 'assignmentId'> & { assignmentId: string };

/** Everyone on an assignment: the lead first, then the members. */
export function assignmentPeople(assignment: Pick<Assignment, 'lead' | 'members'>): PlanPerson[] {
  return [assignment.lead, ...(assignment.members ?? [])];
}

export function isOnAssignment(assignment: Pick<Assignment, 'lead' | 'members'>, userId: string): boolean {
  return assignmentPeople(assignment).some((person) => person.userId === userId);
}

/** The plan ID that an assignment ID names. */
export function planIdOf(assignmentId: string): string {
  return assignmentId.slice(0, assignmentId.indexOf('.'));
}

/**
 * Every problem of a plan's assignments against its period, all at once: a window that ends
 * before it begins or lies outside the period, a complaint without its reference (or a
 * reference on another kind), a lead also listed as a member or a member twice, an assignment
 * ID of another plan or listed twice.
 */
export function planProblems(input: PlanInput, period: Period, planId: string | null): Problem[] {
  const problems: Problem[] = [];
  const seenIds = new Set<string>();
  input.assignments.forEach((assignment, i) => {
    const at = (...rest: string[]) => ['assignments', i, ...rest];
    const { from, to } = assignment.window;
    if (to < from) {
      problems.push(
        problem(at('window', 'to'), 'Ngày kết thúc trước ngày bắt đầu.', 'The window ends before it begins.'),
      );
    }
    if (from < period.startDate || to >= period.endDate) {
      problems.push(
        problem(
          at('window'),
          `Thời gian kiểm tra phải nằm trong kỳ ${period.label} (${period.startDate} đến trước ${period.endDate}).`,
          `The window must lie within the period ${period.label} (${period.startDate} to before ${period.endDate}).`,
        ),
      );
    }
    if (assignment.kind === 'complaint' && assignment.complaintRef === undefined) {
      problems.push(
        problem(
          at('complaintRef'),
          'Kiểm tra theo phản ánh, kiến nghị phải ghi số hiệu phản ánh.',
          'A complaint assignment needs the complaint’s reference.',
        ),
      );
    }
    if (assignment.kind !== 'complaint' && assignment.complaintRef !== undefined) {
      problems.push(
        problem(
          at('complaintRef'),
          'Chỉ kiểm tra theo phản ánh, kiến nghị mới có số hiệu phản ánh.',
          'Only a complaint assignment has a complaint reference.',
        ),
      );
    }
    const people = new Set<string>();
    assignmentPeople(assignment).forEach((person, p) => {
      if (people.has(person.userId)) {
        problems.push(
          problem(
            p === 0 ? at('lead', 'userId') : at('members', String(p - 1), 'userId'),
            `Người "${person.userId}" được ghi nhiều lần trong đoàn kiểm tra.`,
            `"${person.userId}" is listed more than once on the assignment.`,
          ),
        );
      }
      people.add(person.userId);
    });
    if (assignment.assignmentId !== undefined) {
      if (planId === null || planIdOf(assignment.assignmentId) !== planId) {
        problems.push(
          problem(
            at('assignmentId'),
            'Mã phân công không thuộc kế hoạch này.',
            'The assignment ID does not belong to this plan.',
          ),
        );
      } else if (seenIds.has(assignment.assignmentId)) {
        problems.push(
          problem(at('assignmentId'), 'Mã phân công bị lặp.', 'The assignment ID is listed twice.'),
        );
      }
      seenIds.add(assignment.assignmentId);
    }
  });
  return problems;
}

/**
 * The assignments of a plan after a create or replace: existing ones keep their IDs, new ones
 * get the next numbers after the highest ever given (`lastNumber`), so an ID never names two
 * assignments. Returns the assignments and the new highest number.
 */
export function numberAssignments(
  planId: string,
  inputs: readonly AssignmentInput[],
  lastNumber: number,
): { assignments: Assignment[]; lastNumber: number } {
  let last = lastNumber;
  const assignments = inputs.map(({ assignmentId, ...rest }) => {
    if (assignmentId !== undefined) return { assignmentId, ...rest };
    last += 1;
    return { assignmentId: `${planId}.${last}`, ...rest };
  });
  return { assignments, lastNumber: last };
}

/**
 * Where an assignment stands on `today` (a local date), from its visits:
 * `cancelled` when set with a reason; `done` when one of its visits is approved (a revoked one
 * no longer counts); `missed` when the window has ended without that; `in_progress` while a
 * visit exists; else `open`.
 */
export function assignmentState(
  assignment: Pick<Assignment, 'window' | 'cancelledReason'>,
  visits: ReadonlyArray<{ status: VisitStatus }>,
  today: string,
): AssignmentState {
  if (assignment.cancelledReason !== undefined) return 'cancelled';
  if (visits.some((visit) => visit.status === 'approved')) return 'done';
  if (today > assignment.window.to) return 'missed';
  if (visits.length > 0) return 'in_progress';
  return 'open';
}

export interface PlanCoverage {
  done: number;
  in_progress: number;
  open: number;
  missed: number;
  cancelled: number;
  /** Units of the scope with no visit at all in the plan's period, planned or not. */
  unitsWithoutVisit: string[];
}

/** How much of a plan is covered: assignments by state, and the scope's units nobody visited. */
export function planCoverage(
  states: readonly AssignmentState[],
  unitsOfScope: readonly string[],
  visitedUnits: ReadonlySet<string>,
): PlanCoverage {
  const count = (state: AssignmentState) => states.filter((s) => s === state).length;
  return {
    done: count('done'),
    in_progress: count('in_progress'),
    open: count('open'),
    missed: count('missed'),
    cancelled: count('cancelled'),
    unitsWithoutVisit: unitsOfScope.filter((unitId) => !visitedUnits.has(unitId)),
  };
}

/** Why a visit cannot name an assignment: each mismatch as a problem at `assignmentId`. */
export function assignmentMismatches(
  assignment: Pick<Assignment, 'unitId' | 'lead' | 'members' | 'cancelledReason'>,
  planTemplateId: string,
  visit: { unitId: string; templateId: string; inspectorId: string },
): Problem[] {
  const problems: Problem[] = [];
  if (assignment.unitId !== visit.unitId) {
    problems.push(
      problem(
        'assignmentId',
        `Phân công này dành cho đơn vị "${assignment.unitId}", không phải "${visit.unitId}".`,
        `The assignment is for unit "${assignment.unitId}", not "${visit.unitId}".`,
      ),
    );
  }
  if (planTemplateId !== visit.templateId) {
    problems.push(
      problem(
        'assignmentId',
        `Kế hoạch dùng phiếu "${planTemplateId}", không phải "${visit.templateId}".`,
        `The plan uses template "${planTemplateId}", not "${visit.templateId}".`,
      ),
    );
  }
  if (!isOnAssignment(assignment, visit.inspectorId)) {
    problems.push(
      problem(
        'assignmentId',
        'Bạn không có tên trong đoàn kiểm tra của phân công này.',
        'You are not one of the inspectors of this assignment.',
      ),
    );
  }
  if (assignment.cancelledReason !== undefined) {
    problems.push(problem('assignmentId', 'Phân công này đã bị huỷ.', 'The assignment is cancelled.'));
  }
  return problems;
}
