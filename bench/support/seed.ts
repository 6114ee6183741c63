/**
 * Bulk seeding for the benchmarks: items shaped exactly like the store adapters write them,
 * written with parallel BatchWriteItem, because going through the review use cases would make
 * seeding 100,000 findings take far longer than the export being measured.
 */

import { scoreItem } from '#adapters/dynamodb/findings.ts';
import { unitItem } from '#adapters/dynamodb/units.ts';
import type { UnitRecord } from '#ports/records.ts';
import { batchWrite } from '#tests/support/batch-write.ts';

/** When seeded records say they were made. */
export const seededAt = '2026-01-01T00:00:00.000Z';

export { batchWrite };

/** A unit record under `parent` (null: a root). */
export function unit(
  unitId: string,
  name: string,
  kind: UnitRecord['kind'],
  parent: Pick<UnitRecord, 'unitId' | 'path'> | null,
  extra: { code?: string } = {},
): UnitRecord {
  return {
    unitId,
    name,
    kind,
    parentId: parent?.unitId ?? null,
    path: [...(parent?.path ?? []), unitId],
    ...extra,
    createdAt: seededAt,
    updatedAt: seededAt,
    etag: `etag-${unitId}`,
  };
}

export { scoreItem, unitItem };
