import * as z from 'zod/mini';
import { unitIdSchema } from '#domain/ids.ts';
import { unitInputSchema, unitKindSchema } from '#domain/unit.ts';
import { pageOf, pageQuery, type RouteContract } from './common.ts';

export const unitOut = z.extend(unitInputSchema, {
  unitId: z.string(),
  path: z.array(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
  etag: z.string(),
});

export const unitParams = z.strictObject({ unitId: unitIdSchema });

export const unitContracts = {
  listUnits: {
    query: z.strictObject({
      parentId: z.optional(unitIdSchema),
      kind: z.optional(unitKindSchema),
      ...pageQuery,
    }),
    success: { status: 200, body: pageOf(unitOut) },
  },
  getUnit: { params: unitParams, success: { status: 200, body: unitOut } },
  putUnit: {
    params: unitParams,
    body: unitInputSchema,
    success: { status: 200, body: unitOut },
    alsoStatus: [201],
  },
} satisfies Record<string, RouteContract>;
