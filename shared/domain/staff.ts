/**
 * Staff accounts (cán bộ): who may sign in, with one role and the unit whose subtree they see.
 * What an administrator sends to add or change someone; the scope rules are in shared/app/staff.ts.
 */
import * as z from 'zod/mini';
import { limits, nfcString, unitIdSchema } from './ids.ts';
import { userIdSchema } from './plan.ts';

export const staffRoles = ['admin', 'manager', 'inspector'] as const;
export type StaffRole = (typeof staffRoles)[number];

/**
 * An e-mail address, the sign-in name: trimmed and lowercased before it is checked, so
 * `Nguyen.A@Example.gov.vn ` and `nguyen.a@example.gov.vn` are one account.
 */
export const staffEmailSchema = z
  .pipe(
    z.string().check(z.trim(), z.toLowerCase()),
    z.email({ pattern: z.regexes.html5Email }).check(z.maxLength(254)),
  )
  // The wire carries text, checked after trimming and lowercasing: documented as what it must be.
  .check(
    z.meta({ format: 'email', maxLength: 254, description: 'Trimmed and lowercased before it is checked.' }),
  );

/** A person's name as shown everywhere: NFC, surrounding spaces removed. */
const staffNameSchema = z
  .pipe(z.string().check(z.trim()), nfcString(limits.name))
  .check(z.meta({ minLength: 1, maxLength: limits.name, description: 'NFC, surrounding spaces removed.' }));

/** Body of `POST /v1/staff`. */
export const staffInputSchema = z.strictObject({
  email: staffEmailSchema,
  name: staffNameSchema,
  role: z.enum(staffRoles),
  unitId: unitIdSchema,
});
export type StaffInput = z.output<typeof staffInputSchema>;

/** Body of `PATCH /v1/staff/{userId}`: at least one field. The e-mail never changes. */
export const staffPatchSchema = z
  .strictObject({
    name: z.optional(staffNameSchema),
    role: z.optional(z.enum(staffRoles)),
    unitId: z.optional(unitIdSchema),
  })
  .check(
    z.refine((patch) => Object.values(patch).some((value) => value !== undefined), {
      message: 'At least one of name, role, unitId',
    }),
  );
export type StaffPatch = z.output<typeof staffPatchSchema>;

/** A staff member's ID: the identity provider's `sub` (a UUID in Cognito and in the local directory). */
export const staffIdSchema = userIdSchema;
