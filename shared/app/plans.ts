/**
 * Inspection plans (kế hoạch kiểm tra CCHC) and their assignments: admins, and managers within
 * their jurisdiction, make and change plans; everyone named on an assignment reads it in their
 * own list. Assignment states and a plan's coverage are derived on every read (shared/domain/plan.ts).
 */
import { InvalidStateError, UnknownReferenceError, ValidationError } from '#domain/errors.ts';
import { localDate, type Period, parsePeriod } from '#domain/period.ts';
import {
  type Assignment,
  type AssignmentInput,
  assignmentMismatches,
  assignmentState,
  isOnAssignment,
  numberAssignments,
  type PlanInput,
  planCoverage,
  planIdOf,
  planProblems,
} from '#domain/plan.ts';
import { type Problem, problem } from '#domain/problems.ts';
import type { VisitInput } from '#domain/visit.ts';
import { StaleWriteError } from '#ports/errors.ts';
import type { AuditEntry, Page, PageRequest, PlanRecord, PlanVisit } from '#ports/records.ts';
import type { Deps } from './deps.ts';
import { once } from './idempotency.ts';
import {
  audit,
  type Caller,
  canonical,
  checkIfMatch,
  depthOf,
  etagOf,
  inJurisdiction,
  isReviewer,
  nameBasedId,
  newId,
  notFound,
  sameJson,
  staleWrite,
} from './support.ts';
import { historyView } from './visits.ts';

export const planNotFound = () =>
  notFound({ vi: 'Không tìm thấy kế hoạch kiểm tra.', en: 'Plan not found.' });

/**
 * The largest a plan's item may grow (DynamoDB's item limit is 400 KB): a province's yearly plan
 * of 200 assignments with a few inspectors each is about 60 KB.
 */
const maxPlanBytes = 350_000;

/** Whether the caller may read and change the plan: a reviewer whose jurisdiction holds its scope. */
function canManage(caller: Caller, plan: Pick<PlanRecord, 'scopePath'>): boolean {
  return isReviewer(caller) && inJurisdiction(caller, plan.scopePath);
}

function withEtag(plan: Omit<PlanRecord, 'etag'>): PlanRecord {
  const { etag: _old, ...content } = { ...plan, etag: '' };
  return { ...plan, etag: etagOf(content) };
}

function periodOf(label: string): Period {
  const period = parsePeriod(label);
  if (period === null) throw new RangeError(`not a period: ${label}`);
  return period;
}

/**
 * Whether a PUT body says what is stored: assignments compared without their IDs (a retried PUT
 * that added one has none for it yet), and every ID the body names where the plan has it.
 */
function sameInput(plan: PlanRecord, input: PlanInput): boolean {
  const withoutIds = (list: ReadonlyArray<AssignmentInput | Assignment>) =>
    list.map(({ assignmentId: _id, ...rest }) => rest);
  const { title, period, templateId, scopeUnitId } = plan;
  return (
    sameJson(
      { title, period, templateId, scopeUnitId, assignments: withoutIds(plan.assignments) },
      { ...input, assignments: withoutIds(input.assignments) },
    ) &&
    input.assignments.every(
      (assignment, i) =>
        assignment.assignmentId === undefined ||
        assignment.assignmentId === plan.assignments[i]?.assignmentId,
    )
  );
}

/**
 * The checks that need the store: the scope in the caller's jurisdiction, the template
 * published, every assignment's unit inside the scope; then the plan's own rules and its size.
 */
async function checkPlan(
  deps: Pick<Deps, 'staff' | 'templates' | 'units'>,
  caller: Caller,
  input: PlanInput,
  planId: string | null,
): Promise<{ scopePath: string[]; period: Period }> {
  const period = periodOf(input.period);
  const ruleProblems = planProblems(input, period, planId);
  if (ruleProblems.length > 0)
    throw new ValidationError(
      { vi: 'Kế hoạch kiểm tra không hợp lệ.', en: 'The plan is not valid.' },
      ruleProblems,
    );
  const scope = await deps.units.getUnit(input.scopeUnitId);
  const references: Problem[] = [];
  if (!scope || !inJurisdiction(caller, scope.path)) {
    references.push(
      problem(
        'scopeUnitId',
        `Không có đơn vị "${input.scopeUnitId}" trong phạm vi của bạn.`,
        `There is no unit "${input.scopeUnitId}" in your jurisdiction.`,
      ),
    );
  }
  if (!(await deps.templates.getLatestTemplate(input.templateId))) {
    references.push(
      problem(
        'templateId',
        `Không có phiếu kiểm tra "${input.templateId}".`,
        `There is no template "${input.templateId}".`,
      ),
    );
  }
  const units = new Map(
    (await deps.units.getUnits(input.assignments.map((a) => a.unitId))).map((unit) => [unit.unitId, unit]),
  );
  input.assignments.forEach((assignment, i) => {
    const unit = units.get(assignment.unitId);
    if (!unit?.path.includes(input.scopeUnitId)) {
      references.push(
        problem(
          ['assignments', i, 'unitId'],
          `Không có đơn vị "${assignment.unitId}" trong phạm vi của kế hoạch.`,
          `There is no unit "${assignment.unitId}" in the plan's scope.`,
        ),
      );
    }
  });
  const people = new Map(
    (
      await deps.staff.getStaffMany(
        input.assignments.flatMap((a) => [a.lead, ...(a.members ?? [])].map((person) => person.userId)),
      )
    ).map((record) => [record.userId, record]),
  );
  const mismatches: Problem[] = [];
  input.assignments.forEach((assignment, i) => {
    const unitPath = units.get(assignment.unitId)?.path ?? [];
    const named = [
      { person: assignment.lead, path: ['assignments', i, 'lead', 'userId'] },
      ...(assignment.members ?? []).map((person, j) => ({
        person,
        path: ['assignments', i, 'members', j, 'userId'],
      })),
    ];
    for (const { person, path } of named) {
      const record = people.get(person.userId);
      if (!record) {
        references.push(
          problem(
            path,
            `Không có cán bộ "${person.userId}".`,
            `There is no staff member "${person.userId}".`,
          ),
        );
      } else if (record.role !== 'inspector' || !record.enabled || !unitPath.includes(record.unitId)) {
        // Only someone who may inspect the unit: an enabled inspector whose jurisdiction holds it.
        mismatches.push(
          problem(
            path,
            `${record.name} không phải kiểm tra viên đang hoạt động có phạm vi gồm đơn vị "${assignment.unitId}".`,
            `${record.name} is not an enabled inspector whose jurisdiction holds the unit "${assignment.unitId}".`,
          ),
        );
      }
    }
  });
  if (references.length > 0 || !scope)
    throw new UnknownReferenceError(
      { vi: 'Kế hoạch nêu đơn vị hoặc phiếu không tồn tại.', en: 'The plan names what does not exist.' },
      references,
    );
  if (mismatches.length > 0)
    throw new ValidationError(
      {
        vi: 'Phân công nêu người không thể kiểm tra đơn vị đó.',
        en: 'An assignment names someone who cannot inspect its unit.',
      },
      mismatches,
    );
  if (new TextEncoder().encode(JSON.stringify(input)).length > maxPlanBytes) {
    throw new ValidationError({ vi: 'Kế hoạch quá lớn.', en: 'The plan is too large.' }, [
      problem(
        'assignments',
        'Kế hoạch quá lớn để lưu một lần; hãy tách thành nhiều kế hoạch (ví dụ theo quý).',
        'The plan is too large to store as one; split it (by quarter, for instance).',
      ),
    ]);
  }
  return { scopePath: scope.path, period };
}

/**
 * POST /v1/plans: a new plan (201), its assignments numbered `<planId>.1`, `.2`, … With an
 * Idempotency-Key the plan's ID comes from the caller, the key and the body, so a retry after a
 * failure finds the plan the first attempt stored.
 */
export async function createPlan(
  deps: Pick<Deps, 'clock' | 'idempotency' | 'plans' | 'staff' | 'templates' | 'units'>,
  caller: Caller,
  input: PlanInput,
  idempotencyKey: string | null,
): Promise<{ status: number; planId: string }> {
  const outcome = await once<{ planId: string }>(
    deps.idempotency,
    `createPlan#${caller.sub}`,
    idempotencyKey,
    input,
    async () => {
      const planId =
        idempotencyKey === null
          ? newId()
          : nameBasedId(`createPlan#${caller.sub}#${idempotencyKey}#${canonical(input)}`);
      const found = idempotencyKey === null ? null : await deps.plans.getPlan(planId, true);
      if (found) {
        await deps.plans.syncAssignmentEntries(found, null);
        return { status: 201, body: { planId } };
      }
      const { scopePath } = await checkPlan(deps, caller, input, null);
      const now = deps.clock.now().toISOString();
      const { assignments, lastNumber } = numberAssignments(planId, input.assignments, 0);
      const plan = withEtag({
        planId,
        title: input.title,
        period: input.period,
        templateId: input.templateId,
        scopeUnitId: input.scopeUnitId,
        scopePath,
        assignments,
        lastAssignmentNumber: lastNumber,
        createdAt: now,
        createdBy: caller.sub,
        updatedAt: now,
      });
      await deps.plans.savePlan(plan, null, [
        audit({ type: 'plan', id: planId }, 'create', caller, now),
        ...cancellations(caller, now, null, plan),
      ]);
      await deps.plans.syncAssignmentEntries(plan, null);
      return { status: 201, body: { planId } };
    },
  );
  return { status: outcome.status, planId: outcome.body.planId };
}

/** An audit entry for each assignment that this change cancels, with its reason. */
function cancellations(
  caller: Caller,
  at: string,
  before: PlanRecord | null,
  after: PlanRecord,
): AuditEntry[] {
  return after.assignments.flatMap((assignment) => {
    const was = before?.assignments.find((a) => a.assignmentId === assignment.assignmentId);
    if (assignment.cancelledReason === undefined || was?.cancelledReason !== undefined) return [];
    return [
      audit({ type: 'plan', id: after.planId }, 'cancel_assignment', caller, at, {
        from: assignment.assignmentId,
        to: 'cancelled',
        reason: assignment.cancelledReason,
      }),
    ];
  });
}

/**
 * What a change may not do to the work already done: drop an assignment that has visits (cancel
 * it instead), move it to another unit, or give the plan another template while visits name it.
 */
function changeProblems(previous: PlanRecord, input: PlanInput, visits: readonly PlanVisit[]): string[] {
  const withVisits = new Set(visits.map((visit) => visit.assignmentId));
  const problems: string[] = [];
  if (input.templateId !== previous.templateId && visits.length > 0) problems.push('templateId');
  for (const assignment of previous.assignments) {
    if (!withVisits.has(assignment.assignmentId)) continue;
    const kept = input.assignments.find((a) => a.assignmentId === assignment.assignmentId);
    if (!kept || kept.unitId !== assignment.unitId) problems.push(assignment.assignmentId);
  }
  return problems;
}

/**
 * PUT /v1/plans/{planId}: replaces the plan (If-Match required). Assignments listed with their
 * ID are kept under it; those without one are new; those left out are removed, unless visits
 * name them. A body equal to what is stored answers 200 and changes nothing.
 */
export async function putPlan(
  deps: Pick<Deps, 'clock' | 'plans' | 'staff' | 'templates' | 'units' | 'visits'>,
  caller: Caller,
  planId: string,
  input: PlanInput,
  ifMatch: string | null,
): Promise<void> {
  const existing = await deps.plans.getPlan(planId, true);
  if (!existing || !canManage(caller, existing)) throw planNotFound();
  if (sameInput(existing, input)) {
    // A replay: also brings back entries that a crash after the first write left out.
    await deps.plans.syncAssignmentEntries(existing, existing);
    return;
  }
  if (ifMatch !== existing.etag) {
    const current = ifMatch === null ? null : (await planDetail(deps, caller, planId, true)).body;
    checkIfMatch(ifMatch, existing.etag, current, true);
  }
  const unknownIds = input.assignments.flatMap((assignment, i) =>
    assignment.assignmentId !== undefined &&
    !existing.assignments.some((a) => a.assignmentId === assignment.assignmentId)
      ? [
          problem(
            ['assignments', i, 'assignmentId'],
            'Kế hoạch không có phân công mã này.',
            'The plan has no assignment with this ID.',
          ),
        ]
      : [],
  );
  if (unknownIds.length > 0)
    throw new UnknownReferenceError(
      { vi: 'Phân công không tồn tại.', en: 'The assignment does not exist.' },
      unknownIds,
    );
  const { scopePath } = await checkPlan(deps, caller, input, planId);
  const blocked = changeProblems(existing, input, await deps.plans.planVisits(planId));
  if (blocked.length > 0) {
    throw new InvalidStateError({
      vi: `Đã có buổi kiểm tra theo kế hoạch (${blocked.join(', ')}): không đổi phiếu, đơn vị hay bỏ phân công đó được; hãy huỷ phân công kèm lý do.`,
      en: `Visits already carry out this plan (${blocked.join(', ')}): their template, unit or assignment cannot change or go; cancel the assignment with a reason instead.`,
    });
  }
  const now = deps.clock.now().toISOString();
  const { assignments, lastNumber } = numberAssignments(
    planId,
    input.assignments,
    existing.lastAssignmentNumber,
  );
  const plan = withEtag({
    ...existing,
    title: input.title,
    period: input.period,
    templateId: input.templateId,
    scopeUnitId: input.scopeUnitId,
    scopePath,
    assignments,
    lastAssignmentNumber: lastNumber,
    updatedAt: now,
  });
  try {
    await deps.plans.savePlan(plan, existing.etag, [
      audit({ type: 'plan', id: planId }, 'update', caller, now),
      ...cancellations(caller, now, existing, plan),
    ]);
  } catch (error) {
    if (!(error instanceof StaleWriteError)) throw error;
    const current = await deps.plans.getPlan(planId, true);
    if (current && sameInput(current, input)) return;
    throw staleWrite(ifMatch, current ? (await planDetail(deps, caller, planId, true)).body : null);
  }
  await deps.plans.syncAssignmentEntries(plan, existing);
}

/** The kinds of unit that have a counter to inspect: provinces and districts hold units. */
const inspectable = (kind: string) => kind !== 'province' && kind !== 'district';

/**
 * GET /v1/plans/{planId} (and the answer of POST and PUT): the plan with each assignment's state
 * and visits, its coverage and its history, as of today in Viet Nam.
 */
export async function planDetail(
  deps: Pick<Deps, 'clock' | 'plans' | 'units' | 'visits'>,
  caller: Caller,
  planId: string,
  consistent = false,
) {
  const plan = await deps.plans.getPlan(planId, consistent);
  if (!plan || !canManage(caller, plan)) throw planNotFound();
  const period = periodOf(plan.period);
  const [visits, history, scope, descendants, visited] = await Promise.all([
    deps.plans.planVisits(planId),
    deps.plans.history(planId),
    deps.units.getUnit(plan.scopeUnitId),
    deps.units.allDescendants(plan.scopeUnitId),
    deps.visits.visitedUnits(
      plan.scopeUnitId,
      depthOf(plan.scopePath),
      period.start.toISOString(),
      period.end.toISOString(),
    ),
  ]);
  const today = localDate(deps.clock.now());
  const assignments = plan.assignments.map((assignment) => withState(assignment, visits, today));
  // Units abolished before the period began have no counter to inspect in it.
  const unitsOfScope = [...(scope ? [scope] : []), ...descendants]
    .filter((unit) => inspectable(unit.kind))
    .filter((unit) => unit.abolishedOn === undefined || unit.abolishedOn >= period.startDate)
    .map((unit) => unit.unitId);
  const { scopePath: _path, lastAssignmentNumber: _last, ...rest } = plan;
  return {
    plan,
    body: {
      ...rest,
      assignments,
      coverage: planCoverage(
        assignments.map((assignment) => assignment.state),
        unitsOfScope,
        visited,
      ),
      history: history.map(historyView),
    },
  };
}

function withState(assignment: Assignment, visits: readonly PlanVisit[], today: string) {
  const own = visits.filter((visit) => visit.assignmentId === assignment.assignmentId);
  return {
    ...assignment,
    state: assignmentState(assignment, own, today),
    visits: own.map(({ visitId, status, startedAt }) => ({ visitId, status, startedAt })),
  };
}

/** GET /v1/plans: the plans of a subtree (the caller's own by default), by period start. */
export async function listPlans(
  deps: Pick<Deps, 'plans' | 'units'>,
  caller: Caller,
  query: { unitId?: string | undefined; period?: string | undefined },
  page: PageRequest,
): Promise<Page<ReturnType<typeof planSummary>>> {
  const unitId = query.unitId ?? caller.unitId;
  const unit = unitId ? await deps.units.getUnit(unitId) : null;
  if (!unit || !inJurisdiction(caller, unit.path))
    throw notFound({ vi: 'Không tìm thấy đơn vị.', en: 'Unit not found.' });
  const period = query.period ? periodOf(query.period) : null;
  const result = await deps.plans.listPlans(
    {
      unitId: unit.unitId,
      depth: depthOf(unit.path),
      // Plans whose period begins inside the asked one: a year's list holds its quarters' plans.
      from: period?.start.toISOString(),
      to: period ? new Date(period.end.getTime() - 1).toISOString() : undefined,
    },
    page,
  );
  return { items: result.items.map(planSummary), nextCursor: result.nextCursor };
}

export function planSummary(plan: PlanRecord) {
  const { scopePath: _path, lastAssignmentNumber: _last, assignments, ...rest } = plan;
  return { ...rest, assignmentCount: assignments.length };
}

/**
 * GET /v1/assignments?mine=true: the caller's assignments whose window has not ended, nearest
 * end first, each with its plan's title, period and template, its state and its visits. An
 * entry that its plan no longer backs (a change still settling) is left out.
 */
export async function listMyAssignments(
  deps: Pick<Deps, 'clock' | 'plans'>,
  caller: Caller,
  page: PageRequest,
) {
  const today = localDate(deps.clock.now());
  const entries = await deps.plans.listAssignmentEntries(caller.sub, today, page);
  const plans = new Map(
    (await deps.plans.getPlans(entries.items.map((entry) => entry.planId))).map((plan) => [
      plan.planId,
      plan,
    ]),
  );
  const items = await Promise.all(
    entries.items.map(async (entry) => {
      const plan = plans.get(entry.planId);
      const assignment = plan?.assignments.find((a) => a.assignmentId === entry.assignmentId);
      if (
        !plan ||
        !assignment ||
        !isOnAssignment(assignment, caller.sub) ||
        assignment.window.to !== entry.windowTo
      )
        return null;
      const visits = await deps.plans.planVisits(plan.planId, assignment.assignmentId);
      return {
        planId: plan.planId,
        planTitle: plan.title,
        period: plan.period,
        templateId: plan.templateId,
        ...withState(assignment, visits, today),
      };
    }),
  );
  return { items: items.filter((item) => item !== null), nextCursor: entries.nextCursor };
}

/**
 * A visit that names an assignment must carry it out: the assignment exists (422
 * `unknown_reference` otherwise), is for the visit's unit, belongs to a plan of the visit's
 * template, names the caller, and is not cancelled (422 `validation_failed`).
 */
export async function checkVisitAssignment(
  deps: Pick<Deps, 'plans'>,
  caller: Caller,
  input: Pick<VisitInput, 'assignmentId' | 'unitId' | 'templateId'>,
): Promise<void> {
  if (input.assignmentId === undefined) return;
  const plan = await deps.plans.getPlan(planIdOf(input.assignmentId));
  const assignment = plan?.assignments.find((a) => a.assignmentId === input.assignmentId);
  if (!plan || !assignment) {
    throw new UnknownReferenceError(
      { vi: 'Phân công không tồn tại.', en: 'The assignment does not exist.' },
      [
        problem(
          'assignmentId',
          `Không có phân công "${input.assignmentId}".`,
          `There is no assignment "${input.assignmentId}".`,
        ),
      ],
    );
  }
  const problems = assignmentMismatches(assignment, plan.templateId, { ...input, inspectorId: caller.sub });
  if (problems.length > 0)
    throw new ValidationError(
      { vi: 'Buổi kiểm tra không khớp với phân công.', en: 'The visit does not match its assignment.' },
      problems,
    );
}
