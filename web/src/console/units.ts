/**
 * The units of the manager's jurisdiction, loaded once per console session: names for the
 * tables, the subtree filter, and peer groups (parent and kind) for rankings. Level by level
 * from the caller's roots (two levels since 2025, three with historical districts).
 */
import { signal } from '@preact/signals';
import { api, type ConsoleUnit } from './api.ts';
import { settle } from './parts.tsx';

export const unitIndex = signal<Map<string, ConsoleUnit>>(new Map());
export const unitRoots = signal<string[]>([]);
export const unitsState = signal<'idle' | 'loading' | 'ready' | 'failed'>('idle');

const maxPages = 50;

export async function loadUnits(): Promise<void> {
  if (unitsState.value === 'loading' || unitsState.value === 'ready') return;
  unitsState.value = 'loading';
  const found = new Map<string, ConsoleUnit>();
  const roots: string[] = [];
  let parents: Array<string | undefined> = [undefined];
  for (let depth = 0; depth < 5 && parents.length > 0; depth += 1) {
    const next: string[] = [];
    for (const parentId of parents) {
      let cursor: string | undefined;
      for (let page = 0; page < maxPages; page += 1) {
        const result = await settle(() => api.listUnits({ parentId, cursor, limit: '100' }));
        if (!result.ok) {
          unitsState.value = 'failed';
          return;
        }
        for (const unit of result.body.items) {
          if (found.has(unit.unitId)) continue;
          found.set(unit.unitId, unit);
          next.push(unit.unitId);
          if (parentId === undefined) roots.push(unit.unitId);
        }
        if (result.body.nextCursor === null) break;
        cursor = result.body.nextCursor;
      }
    }
    parents = next;
  }
  unitIndex.value = found;
  unitRoots.value = roots;
  unitsState.value = 'ready';
}

export function unitName(unitId: string): string {
  return unitIndex.value.get(unitId)?.name ?? unitId;
}

/** The children of a unit among the loaded ones, by Vietnamese name order. */
export function childrenOf(unitId: string): ConsoleUnit[] {
  const collator = new Intl.Collator('vi');
  return [...unitIndex.value.values()]
    .filter((unit) => unit.parentId === unitId)
    .sort((a, b) => collator.compare(a.name, b.name));
}

/** Every loaded unit in tree order with its depth, for a subtree `<select>`. */
export function unitOptions(): Array<{ unit: ConsoleUnit; depth: number }> {
  const out: Array<{ unit: ConsoleUnit; depth: number }> = [];
  const walk = (unitId: string, depth: number) => {
    const unit = unitIndex.value.get(unitId);
    if (unit === undefined) return;
    out.push({ unit, depth });
    for (const child of childrenOf(unitId)) walk(child.unitId, depth + 1);
  };
  for (const root of unitRoots.value) walk(root, 0);
  return out;
}
