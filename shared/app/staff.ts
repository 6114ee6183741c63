/**
 * Staff management (quản lý cán bộ) for admins: the staff of their jurisdiction, adding someone
 * with a role and a unit inside it, changing either, disabling and enabling an account and
 * resetting its authenticator. The identity provider (Cognito, or the local directory) holds the
 * accounts people sign in with; the table holds the record the lists and scope checks read
 * (`USER#`, `STAFF#`, `EMAIL#`: docs/data-model.md). Each change goes to the directory first
 * (what decides whether someone can sign in, and with what claims) and then to the record with
 * its audit entry in one transaction; a retry of the same change answers the record and brings
 * the directory in step again, so a failure between the two is mended by repeating the request.
 */
import { ConflictError, InvalidStateError } from '#domain/errors.ts';
import type { StaffInput, StaffPatch } from '#domain/staff.ts';
import { StaleWriteError } from '#ports/errors.ts';
import type { AuditEntry, Page, PageRequest, UnitRecord } from '#ports/records.ts';
import type { Account, StaffRecord, StaffRole } from '#ports/staff.ts';
import type { Deps } from './deps.ts';
import { once } from './idempotency.ts';
import {
  audit,
  type Caller,
  checkIfMatch,
  depthOf,
  etagOf,
  inJurisdiction,
  isAdmin,
  notFound,
  staleWrite,
} from './support.ts';
import { historyView } from './visits.ts';

export const staffNotFound = () => notFound({ vi: 'Không tìm thấy cán bộ.', en: 'Staff member not found.' });
const unitNotFound = () => notFound({ vi: 'Không tìm thấy đơn vị.', en: 'Unit not found.' });

const emailTaken = () =>
  new ConflictError({
    vi: 'Địa chỉ e-mail này đã là tài khoản của một cán bộ khác.',
    en: 'This e-mail address is already another staff member’s account.',
  });

/** Whether the caller may see and change the record: an admin whose jurisdiction holds its unit. */
function canManage(caller: Caller, record: Pick<StaffRecord, 'unitPath'>): boolean {
  return isAdmin(caller) && inJurisdiction(caller, record.unitPath);
}

function withEtag(record: Omit<StaffRecord, 'etag'>): StaffRecord {
  const { etag: _old, ...content } = { ...record, etag: '' };
  return { ...record, etag: etagOf(content) };
}

/** A record as the API shows it (without the unit's path, which is storage's). */
export function staffView(record: StaffRecord) {
  const { unitPath: _path, ...rest } = record;
  return rest;
}

async function unitInScope(deps: Pick<Deps, 'units'>, caller: Caller, unitId: string): Promise<UnitRecord> {
  const unit = await deps.units.getUnit(unitId);
  // Out of the admin's jurisdiction answers as a missing unit: nothing about it leaks.
  if (!unit || !inJurisdiction(caller, unit.path)) throw unitNotFound();
  return unit;
}

async function managedRecord(
  deps: Pick<Deps, 'staff'>,
  caller: Caller,
  userId: string,
): Promise<StaffRecord> {
  const record = await deps.staff.getStaff(userId, true);
  if (!record || !canManage(caller, record)) throw staffNotFound();
  return record;
}

const yourself = (what: { vi: string; en: string }) => new InvalidStateError(what);

/** GET /v1/staff/{userId}: the record with its history. */
export async function staffDetail(deps: Pick<Deps, 'staff'>, caller: Caller, userId: string) {
  const record = await managedRecord(deps, caller, userId);
  const history = await deps.staff.history(userId);
  return { record, body: { ...staffView(record), history: history.map(historyView) } };
}

/** GET /v1/staff: the staff of a subtree (the caller's jurisdiction by default), by role then ID. */
export async function listStaff(
  deps: Pick<Deps, 'staff' | 'units'>,
  caller: Caller,
  query: { unitId?: string | undefined; role?: StaffRole | undefined },
  page: PageRequest,
): Promise<Page<ReturnType<typeof staffView>>> {
  const unitId = query.unitId ?? caller.unitId;
  if (unitId === null) throw unitNotFound();
  const unit = await unitInScope(deps, caller, unitId);
  const result = await deps.staff.listStaff(
    { unitId: unit.unitId, depth: depthOf(unit.path), role: query.role },
    page,
  );
  return { items: result.items.map(staffView), nextCursor: result.nextCursor };
}

const sameAccount = (account: Pick<Account, 'name' | 'role' | 'unitId'>, input: StaffInput) =>
  account.name === input.name && account.role === input.role && account.unitId === input.unitId;

/**
 * POST /v1/staff: creates the account in the directory (which sends the invitation) and its
 * record (201). The same person again (e-mail, name, role and unit equal to a record the caller
 * manages) answers 200 with it; an e-mail that another record holds, or that an account of the
 * directory holds with other details (made by hand), is 409 `conflict`. With an Idempotency-Key,
 * the same key and body answer the first result again.
 */
export async function addStaff(
  deps: Pick<Deps, 'clock' | 'directory' | 'idempotency' | 'staff' | 'units'>,
  caller: Caller,
  input: StaffInput,
  idempotencyKey: string | null,
): Promise<{ status: number; record: StaffRecord }> {
  const outcome = await once<StaffRecord>(
    deps.idempotency,
    `createStaff#${caller.sub}`,
    idempotencyKey,
    input,
    async () => {
      const unit = await unitInScope(deps, caller, input.unitId);
      const replay = await existingFor(deps, caller, input);
      if (replay) return { status: 200, body: replay };
      const { account, created } = await deps.directory.createAccount(input);
      // An account of the directory without a record: the first attempt of this request stopped
      // between the two (the same details), or someone made it by hand (others): not taken over.
      if (!created && !sameAccount(account, input)) throw emailTaken();
      const now = deps.clock.now().toISOString();
      const record = withEtag({
        userId: account.userId,
        email: input.email,
        name: input.name,
        role: input.role,
        unitId: unit.unitId,
        unitPath: unit.path,
        enabled: account.enabled,
        createdAt: now,
        createdBy: caller.sub,
        updatedAt: now,
      });
      try {
        await deps.staff.saveStaff(record, null, [
          audit({ type: 'staff', id: record.userId }, 'create', caller, now, { to: input.role }),
        ]);
      } catch (error) {
        if (!(error instanceof StaleWriteError)) throw error;
        // A twin request made the record first (the same answer), or the address was claimed.
        const raced = await existingFor(deps, caller, input);
        if (raced) return { status: 200, body: raced };
        throw emailTaken();
      }
      return { status: 201, body: record };
    },
  );
  return { status: outcome.status, record: outcome.body };
}

/** The record of this e-mail if it says what `input` says and the caller manages it; 409 if another holds it. */
async function existingFor(
  deps: Pick<Deps, 'staff'>,
  caller: Caller,
  input: StaffInput,
): Promise<StaffRecord | null> {
  const holder = await deps.staff.staffIdByEmail(input.email, true);
  if (holder === null) return null;
  const record = await deps.staff.getStaff(holder, true);
  if (record && canManage(caller, record) && sameAccount(record, input)) return record;
  throw emailTaken();
}

/** Brings the directory's account to what the record says, for the fields named. */
async function syncDirectory(
  deps: Pick<Deps, 'directory'>,
  record: StaffRecord,
  fields: ReadonlyArray<'name' | 'role' | 'unitId'>,
): Promise<void> {
  if (fields.includes('role')) await deps.directory.setRole(record.userId, record.role);
  if (fields.includes('unitId')) await deps.directory.setUnit(record.userId, record.unitId);
  if (fields.includes('name')) await deps.directory.setName(record.userId, record.name);
}

/**
 * PATCH /v1/staff/{userId} (If-Match required): another name, role or unit (inside the caller's
 * jurisdiction). An admin cannot change their own role or unit (409 `invalid_state`): that is
 * for another admin, so nobody locks themselves out. New claims reach the person's tokens at
 * their next sign-in or token refresh.
 */
export async function changeStaff(
  deps: Pick<Deps, 'clock' | 'directory' | 'staff' | 'units'>,
  caller: Caller,
  userId: string,
  patch: StaffPatch,
  ifMatch: string | null,
): Promise<StaffRecord> {
  const record = await managedRecord(deps, caller, userId);
  const unit =
    patch.unitId !== undefined && patch.unitId !== record.unitId
      ? await unitInScope(deps, caller, patch.unitId)
      : null;
  const fields = (['name', 'role', 'unitId'] as const).filter(
    (field) => patch[field] !== undefined && patch[field] !== record[field],
  );
  if (fields.length === 0) {
    // Says what is stored: a replay, which also mends a directory the first attempt left behind.
    await syncDirectory(
      deps,
      record,
      (['name', 'role', 'unitId'] as const).filter((f) => patch[f] !== undefined),
    );
    return record;
  }
  checkIfMatch(ifMatch, record.etag, staffView(record), true);
  if (userId === caller.sub && (fields.includes('role') || fields.includes('unitId'))) {
    throw yourself({
      vi: 'Không thể tự đổi vai trò hay đơn vị của chính mình; hãy nhờ một quản trị viên khác.',
      en: 'You cannot change your own role or unit; ask another administrator.',
    });
  }
  const now = deps.clock.now().toISOString();
  const next = withEtag({
    ...record,
    name: patch.name ?? record.name,
    role: patch.role ?? record.role,
    unitId: unit?.unitId ?? record.unitId,
    unitPath: unit?.path ?? record.unitPath,
    updatedAt: now,
  });
  const entries: AuditEntry[] = fields.map((field) =>
    audit(
      { type: 'staff', id: userId },
      field === 'unitId' ? 'move' : field === 'role' ? 'change_role' : 'rename',
      caller,
      now,
      {
        from: String(record[field]),
        to: String(next[field]),
      },
    ),
  );
  await syncDirectory(deps, next, fields);
  try {
    await deps.staff.saveStaff(next, record.etag, entries);
  } catch (error) {
    if (!(error instanceof StaleWriteError)) throw error;
    const current = await deps.staff.getStaff(userId, true);
    if (current && fields.every((field) => current[field] === next[field])) return current;
    // Another change won: the directory goes back to what its record says.
    if (current) await syncDirectory(deps, current, fields);
    throw staleWrite(ifMatch, current ? staffView(current) : null);
  }
  return next;
}

/**
 * POST /v1/staff/{userId}/disable and /enable (If-Match optional): a disabled account cannot
 * sign in and its refresh tokens are revoked (an access token already issued lasts until it
 * expires, an hour at most). An admin cannot disable themselves (409 `invalid_state`). Asking
 * for the state the account is in answers 200 with it, and sends it to the directory again.
 */
export async function setStaffEnabled(
  deps: Pick<Deps, 'clock' | 'directory' | 'staff'>,
  caller: Caller,
  userId: string,
  enabled: boolean,
  ifMatch: string | null,
): Promise<StaffRecord> {
  const record = await managedRecord(deps, caller, userId);
  if (record.enabled === enabled) {
    await deps.directory.setEnabled(userId, enabled);
    return record;
  }
  checkIfMatch(ifMatch, record.etag, staffView(record), false);
  if (!enabled && userId === caller.sub) {
    throw yourself({
      vi: 'Không thể tự khoá tài khoản của chính mình.',
      en: 'You cannot disable your own account.',
    });
  }
  const now = deps.clock.now().toISOString();
  const next = withEtag({ ...record, enabled, updatedAt: now });
  await deps.directory.setEnabled(userId, enabled);
  try {
    await deps.staff.saveStaff(next, record.etag, [
      audit({ type: 'staff', id: userId }, enabled ? 'enable' : 'disable', caller, now),
    ]);
  } catch (error) {
    if (!(error instanceof StaleWriteError)) throw error;
    const current = await deps.staff.getStaff(userId, true);
    if (current?.enabled === enabled) return current;
    if (current) await deps.directory.setEnabled(userId, current.enabled);
    throw staleWrite(ifMatch, current ? staffView(current) : null);
  }
  return next;
}

/**
 * POST /v1/staff/{userId}/reset-totp: removes the account's authenticator (a lost phone), so
 * the next sign-in asks to register a new one, and signs the person out everywhere. Audited; the
 * record (and its etag) does not change.
 */
export async function resetStaffTotp(
  deps: Pick<Deps, 'clock' | 'directory' | 'staff'>,
  caller: Caller,
  userId: string,
): Promise<StaffRecord> {
  const record = await managedRecord(deps, caller, userId);
  await deps.directory.resetTotp(userId);
  await deps.staff.addAudit(
    userId,
    audit({ type: 'staff', id: userId }, 'reset_totp', caller, deps.clock.now().toISOString()),
  );
  return record;
}
