import * as z from 'zod/mini';
import { unitIdSchema } from '#domain/ids.ts';
import { staffIdSchema, staffInputSchema, staffPatchSchema, staffRoles } from '#domain/staff.ts';
import { pageOf, pageQuery, type RouteContract } from './common.ts';
import { historyOut } from './visits.ts';

export const staffOut = z.object({
  /** The identity provider's ID of the account: the `sub` of the person's tokens. */
  userId: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.enum(staffRoles),
  unitId: z.string(),
  /** A disabled account cannot sign in. */
  enabled: z.boolean(),
  createdAt: z.string(),
  createdBy: z.string(),
  updatedAt: z.string(),
  etag: z.string(),
});

export const staffDetailOut = z.extend(staffOut, { history: z.array(historyOut) });

const staffParams = z.strictObject({ userId: staffIdSchema });

export const staffContracts = {
  listStaff: {
    query: z.strictObject({
      unitId: z.optional(unitIdSchema),
      role: z.optional(z.enum(staffRoles)),
      ...pageQuery,
    }),
    success: { status: 200, body: pageOf(staffOut) },
  },
  getStaff: { params: staffParams, success: { status: 200, body: staffDetailOut } },
  createStaff: { body: staffInputSchema, success: { status: 201, body: staffDetailOut }, alsoStatus: [200] },
  patchStaff: { params: staffParams, body: staffPatchSchema, success: { status: 200, body: staffDetailOut } },
  disableStaff: { params: staffParams, success: { status: 200, body: staffDetailOut } },
  enableStaff: { params: staffParams, success: { status: 200, body: staffDetailOut } },
  resetStaffTotp: { params: staffParams, success: { status: 200, body: staffDetailOut } },
} satisfies Record<string, RouteContract>;
