import * as z from 'zod/mini';
import { unitIdSchema, uuidSchema } from '#domain/ids.ts';
import { periodSchema } from '#domain/period.ts';
import { assignmentInputSchema, assignmentStates, planInputSchema } from '#domain/plan.ts';
import { visitStatuses } from '#domain/visit.ts';
import { pageOf, pageQuery, type RouteContract } from './common.ts';
import { historyOut } from './visits.ts';

const assignmentOut = z.extend(assignmentInputSchema, {
  assignmentId: z.string(),
  /** Derived when read: from the assignment, its visits and today's date in Viet Nam. */
  state: z.enum(assignmentStates),
  visits: z.array(z.object({ visitId: z.string(), status: z.enum(visitStatuses), startedAt: z.string() })),
});

const planHeader = {
  planId: z.string(),
  title: z.string(),
  period: z.string(),
  templateId: z.string(),
  scopeUnitId: z.string(),
  createdAt: z.string(),
  createdBy: z.string(),
  updatedAt: z.string(),
  etag: z.string(),
};

export const planOut = z.object({
  ...planHeader,
  assignments: z.array(assignmentOut),
  coverage: z.object({
    done: z.number().check(z.int()),
    in_progress: z.number().check(z.int()),
    open: z.number().check(z.int()),
    missed: z.number().check(z.int()),
    cancelled: z.number().check(z.int()),
    /** Units of the scope with no visit at all in the plan's period, planned or not. */
    unitsWithoutVisit: z.array(z.string()),
  }),
  history: z.array(historyOut),
});

export const planSummaryOut = z.object({ ...planHeader, assignmentCount: z.number().check(z.int()) });

export const myAssignmentOut = z.extend(assignmentOut, {
  planId: z.string(),
  planTitle: z.string(),
  period: z.string(),
  templateId: z.string(),
});

const planParams = z.strictObject({ planId: uuidSchema });

export const planContracts = {
  createPlan: { body: planInputSchema, success: { status: 201, body: planOut } },
  putPlan: { params: planParams, body: planInputSchema, success: { status: 200, body: planOut } },
  getPlan: { params: planParams, success: { status: 200, body: planOut } },
  listPlans: {
    query: z.strictObject({
      unitId: z.optional(unitIdSchema),
      period: z.optional(periodSchema),
      ...pageQuery,
    }),
    success: { status: 200, body: pageOf(planSummaryOut) },
  },
  listAssignments: {
    query: z.strictObject({ mine: z.literal('true'), ...pageQuery }),
    success: { status: 200, body: pageOf(myAssignmentOut) },
  },
} satisfies Record<string, RouteContract>;
