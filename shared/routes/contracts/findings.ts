import * as z from 'zod/mini';
import { findingPatchSchema, findingStatuses, findingStatusSchema } from '#domain/finding.ts';
import { itemCodeSchema, unitIdSchema } from '#domain/ids.ts';
import { periodSchema } from '#domain/period.ts';
import { severities, severitySchema } from '#domain/template.ts';
import { answerValueSchema } from '#domain/visit.ts';
import { booleanFlag, localTextOut, pageOf, pageQuery, type RouteContract } from './common.ts';
import { historyOut } from './visits.ts';

/**
 * A finding ID: `<visitId>.<key>`, the key an item code or `m<n>` for a manual finding. Visit
 * IDs are stored lowercase, so the visit part is lowercased (item codes keep their case).
 */
export const findingIdSchema = z.pipe(
  z
    .string()
    .check(
      z.regex(
        /^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\.[A-Za-z0-9][A-Za-z0-9._-]{0,15}$/,
      ),
    ),
  z.transform((id) => `${id.slice(0, 36).toLowerCase()}${id.slice(36)}`),
);

/** The filters of GET /v1/findings, as query text. */
export const findingFilterQuery = {
  unitId: z.optional(unitIdSchema),
  period: z.optional(periodSchema),
  status: z.optional(findingStatusSchema),
  severity: z.optional(severitySchema),
  sectionCode: z.optional(itemCodeSchema),
  itemCode: z.optional(itemCodeSchema),
  overdue: z.optional(booleanFlag),
};

/** The same filters in a JSON body (an export request): `overdue` is a boolean there. */
export const findingFiltersBody = z.strictObject({
  unitId: z.optional(unitIdSchema),
  period: z.optional(periodSchema),
  status: z.optional(findingStatusSchema),
  severity: z.optional(severitySchema),
  sectionCode: z.optional(itemCodeSchema),
  itemCode: z.optional(itemCodeSchema),
  overdue: z.optional(z.boolean()),
});

export const findingOut = z.object({
  findingId: z.string(),
  visitId: z.string(),
  unitId: z.string(),
  templateId: z.string(),
  sectionCode: z.nullable(z.string()),
  itemCode: z.nullable(z.string()),
  kind: z.enum(['item', 'manual']),
  title: localTextOut,
  severity: z.enum(severities),
  answer: z.nullable(z.object({ value: answerValueSchema, note: z.nullable(z.string()) })),
  inspectorNote: z.nullable(z.string()),
  inspectorId: z.string(),
  /** The visit's inspectorName; null when unknown. */
  inspectorName: z.nullable(z.string()),
  photoIds: z.array(z.string()),
  status: z.enum(findingStatuses),
  dueDate: z.string(),
  /** Past its due date and not resolved, verified or dismissed, as of the answer. */
  overdue: z.boolean(),
  /** The visit's startedAt: the finding belongs to that period. */
  periodStartedAt: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  note: z.nullable(z.string()),
  reason: z.nullable(z.string()),
  etag: z.string(),
});

export const findingDetailOut = z.extend(findingOut, { history: z.array(historyOut) });

const findingParams = z.strictObject({ findingId: findingIdSchema });

export const findingContracts = {
  listFindings: {
    query: z.strictObject({ ...findingFilterQuery, ...pageQuery }),
    success: { status: 200, body: pageOf(findingOut) },
  },
  getFinding: { params: findingParams, success: { status: 200, body: findingDetailOut } },
  patchFinding: {
    params: findingParams,
    body: findingPatchSchema,
    success: { status: 200, body: findingDetailOut },
  },
} satisfies Record<string, RouteContract>;
