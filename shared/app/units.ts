import {
  CycleError,
  ForbiddenError,
  InvalidStateError,
  UnknownReferenceError,
  ValidationError,
} from '#domain/errors.ts';
import { problem } from '#domain/problems.ts';
import { childPath, type UnitInput } from '#domain/unit.ts';
import { StaleWriteError } from '#ports/errors.ts';
import type { Page, PageRequest, UnitRecord } from '#ports/records.ts';
import { maxTreeDepth } from '#ports/store.ts';
import type { Deps } from './deps.ts';
import {
  audit,
  type Caller,
  checkIfMatch,
  etagOf,
  inJurisdiction,
  notFound,
  sameJson,
  staleWrite,
} from './support.ts';

const unitNotFound = () => notFound({ vi: 'Không tìm thấy đơn vị.', en: 'Unit not found.' });

/** One unit in the caller's jurisdiction; anything else is 404. */
export async function getUnit(
  deps: Pick<Deps, 'units'>,
  caller: Caller,
  unitId: string,
): Promise<UnitRecord> {
  const unit = await deps.units.getUnit(unitId);
  if (!unit || !inJurisdiction(caller, unit.path)) throw unitNotFound();
  return unit;
}

/** Children of `parentId` in scope, or the root of the caller's scope when no parent is named. */
export async function listUnits(
  deps: Pick<Deps, 'units'>,
  caller: Caller,
  query: { parentId?: string | undefined; kind?: string | undefined },
  page: PageRequest,
): Promise<Page<UnitRecord>> {
  if (query.parentId === undefined) {
    const root = caller.unitId ? await deps.units.getUnit(caller.unitId) : null;
    const items = root && (query.kind === undefined || root.kind === query.kind) ? [root] : [];
    return { items, nextCursor: null };
  }
  await getUnit(deps, caller, query.parentId);
  return deps.units.listChildren(query.parentId, query.kind, page);
}

function inputOf(unit: UnitRecord): UnitInput {
  return {
    name: unit.name,
    kind: unit.kind,
    parentId: unit.parentId,
    ...(unit.code !== undefined ? { code: unit.code } : {}),
    ...(unit.abolishedOn !== undefined ? { abolishedOn: unit.abolishedOn } : {}),
    ...(unit.office !== undefined ? { office: unit.office } : {}),
  };
}

/**
 * Creates or replaces a unit. The parent must exist, the tree stays acyclic and at most
 * `maxTreeDepth` deep, and a unit with children or visits keeps its parent (their paths and
 * the scores' peer groups hang on it).
 */
export async function putUnit(
  deps: Pick<Deps, 'clock' | 'units'>,
  caller: Caller,
  unitId: string,
  input: UnitInput,
  ifMatch: string | null,
): Promise<{ created: boolean; unit: UnitRecord }> {
  const existing = await deps.units.getUnit(unitId, true);
  if (existing && !inJurisdiction(caller, existing.path)) throw unitNotFound();
  if (existing && sameJson(inputOf(existing), input)) return { created: false, unit: existing };
  if (existing) checkIfMatch(ifMatch, existing.etag, existing, true);

  let parentPath: string[] | null = null;
  if (input.parentId !== null) {
    const parent = await deps.units.getUnit(input.parentId, true);
    if (!parent || !inJurisdiction(caller, parent.path)) {
      throw new UnknownReferenceError(
        { vi: 'Đơn vị cấp trên không tồn tại.', en: 'The parent unit does not exist.' },
        [
          problem(
            'parentId',
            `Không có đơn vị "${input.parentId}".`,
            `There is no unit "${input.parentId}".`,
          ),
        ],
      );
    }
    if (parent.path.includes(unitId)) {
      throw new CycleError(
        { vi: 'Đơn vị không thể nằm dưới chính nó.', en: 'A unit cannot be placed under itself.' },
        [
          problem(
            'parentId',
            'Đơn vị cấp trên nằm trong nhánh của đơn vị này.',
            'The parent lies under this unit.',
          ),
        ],
      );
    }
    parentPath = parent.path;
  } else if (unitId !== caller.unitId) {
    // One deployment serves one province: the only root is the admin's own unit.
    throw new ForbiddenError({
      vi: 'Chỉ có thể tạo đơn vị gốc là đơn vị của chính quản trị viên.',
      en: 'The only root unit you can create is your own unit.',
    });
  }
  const path = childPath(parentPath, unitId);
  if (path.length > maxTreeDepth) {
    throw new ValidationError({ vi: 'Cây đơn vị quá sâu.', en: 'The unit tree is too deep.' }, [
      problem(
        'parentId',
        `Cây đơn vị có tối đa ${maxTreeDepth} cấp.`,
        `The unit tree has at most ${maxTreeDepth} levels.`,
      ),
    ]);
  }
  if (existing && existing.parentId !== input.parentId) {
    if ((await deps.units.hasChildren(unitId)) || (await deps.units.hasVisits(existing))) {
      throw new InvalidStateError({
        vi: 'Không thể chuyển đơn vị đã có đơn vị trực thuộc hoặc buổi kiểm tra sang đơn vị cấp trên khác.',
        en: 'A unit with children or visits cannot move to another parent.',
      });
    }
  }
  // Scores are kept per peer group (parent and kind): a unit with visits keeps its kind too, or
  // its scores would drop out of every ranking. Merged units get new IDs (DOMAIN.md, Units).
  if (existing && existing.kind !== input.kind && (await deps.units.hasVisits(existing))) {
    throw new InvalidStateError({
      vi: 'Không thể đổi loại của đơn vị đã có buổi kiểm tra.',
      en: 'A unit with visits cannot change its kind.',
    });
  }

  const now = deps.clock.now().toISOString();
  const body = {
    ...input,
    unitId,
    path,
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
  };
  const unit: UnitRecord = { ...body, etag: etagOf(body) };
  const entry = audit({ type: 'unit', id: unitId }, existing ? 'update' : 'create', caller, now, {
    from: existing?.parentId ?? null,
    to: input.parentId,
  });
  try {
    await deps.units.saveUnit(unit, existing?.etag ?? null, entry);
  } catch (error) {
    if (!(error instanceof StaleWriteError)) throw error;
    // Someone else wrote it meanwhile: compare against what is there now.
    const current = await deps.units.getUnit(unitId, true);
    if (current && sameJson(inputOf(current), input)) return { created: false, unit: current };
    throw staleWrite(ifMatch, current);
  }
  return { created: existing === null, unit };
}
