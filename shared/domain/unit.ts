import * as z from 'zod/mini';
import { isoDateSchema, limits, nfcString, unitIdSchema } from './ids.ts';
import type { Period } from './period.ts';

/** Kinds of administrative unit; `district` remains for data from before the 2025 reform. */
export const unitKinds = ['province', 'department', 'district', 'commune', 'ward', 'special_zone'] as const;
export type UnitKind = (typeof unitKinds)[number];
export const unitKindSchema = z.enum(unitKinds);

/** The official administrative code (mã đơn vị hành chính) the ranking system joins on. */
export const unitCodeSchema = z.string().check(z.regex(/^[0-9A-Za-z.-]{1,20}$/));

/** Body of `PUT /v1/units/{unitId}`. */
export const unitInputSchema = z.strictObject({
  name: nfcString(limits.name),
  kind: unitKindSchema,
  parentId: z.nullable(unitIdSchema),
  code: z.optional(unitCodeSchema),
  abolishedOn: z.optional(isoDateSchema),
  /** Where the unit's one-stop counter is (WGS 84): photos are measured from it (docs/evidence.md). */
  office: z.optional(
    z.strictObject({
      lat: z.number().check(z.gte(-90), z.lte(90)),
      lng: z.number().check(z.gte(-180), z.lte(180)),
    }),
  ),
});
export type UnitInput = z.output<typeof unitInputSchema>;

/** A stored unit: `path` lists unit IDs from the root down to this unit, itself included. */
export type Unit = UnitInput & {
  unitId: string;
  path: string[];
  createdAt: string;
  updatedAt: string;
};

/**
 * Whether a unit belongs to the peer group (parent, kind) for a period: same parent and kind,
 * and not abolished before the period began. A unit abolished during the period stays in, as
 * its visits before the merger still count.
 */
export function inPeerGroup(
  unit: Pick<UnitInput, 'parentId' | 'kind' | 'abolishedOn'>,
  parentId: string | null,
  kind: UnitKind,
  period: Pick<Period, 'startDate'>,
): boolean {
  if (unit.parentId !== parentId || unit.kind !== kind) {
    return false;
  }
  return unit.abolishedOn === undefined || unit.abolishedOn >= period.startDate;
}

/** The path of a unit placed under a parent with the given path (or at the root). */
export function childPath(parentPath: readonly string[] | null, unitId: string): string[] {
  return [...(parentPath ?? []), unitId];
}

/** Whether a unit with this path lies in the subtree rooted at `rootId` (the root included). */
export function inSubtree(path: readonly string[], rootId: string): boolean {
  return path.includes(rootId);
}
