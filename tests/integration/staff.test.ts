/**
 * Staff management in local mode (issue 18): the routes over DynamoDB Local and the local
 * directory (the JSON file that stands in for Cognito under npm start). Adding people in and out
 * of an admin's jurisdiction, one account per e-mail, the subtree lists by role with cursor
 * paging, changes under If-Match, disabling and enabling, resetting the authenticator, what an
 * admin cannot do to themselves, and what the directory ends up holding.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalDirectory } from '#adapters/local-directory/directory.ts';
import { people, seedProvince, startApi } from '#tests/support/api.ts';
import { type Caller, invoke } from '#tests/support/invoke.ts';

let api: Awaited<ReturnType<typeof startApi>>;

/** An admin whose jurisdiction is one ward (W1): the rest of the province is out of scope. */
const wardAdmin: Caller = { sub: 'admin-w1', roles: ['admin'], unitId: 'W1', name: 'Quản trị phường' };

beforeAll(async () => {
  api = await startApi('staff');
  await seedProvince();
});
afterAll(async () => {
  await api.close();
});

interface StaffView {
  userId: string;
  email: string;
  name: string;
  role: string;
  unitId: string;
  enabled: boolean;
  etag: string;
  createdBy: string;
  history: Array<{ action: string; by: string; from: string | null; to: string | null }>;
}

let counter = 0;
/** A fresh address for each test, so tests do not depend on each other's people. */
const email = (who: string) => `${who}.${++counter}@snv.nghean.gov.vn`;

async function add(
  body: Record<string, unknown>,
  as: Caller = people.admin,
  status = 201,
): Promise<StaffView> {
  const created = await invoke('createStaff', { body, as });
  expect(created.status, JSON.stringify(created.body)).toBe(status);
  expect(created.etag).toBe((created.body as StaffView).etag);
  return created.body as StaffView;
}

function problemOf(response: { status: number; body: unknown }) {
  const body = response.body as { code: string; detail: string };
  return { status: response.status, code: body.code };
}

const directoryAccount = (userId: string) =>
  (
    JSON.parse(readFileSync(api.directoryFile, 'utf8')) as { accounts: Array<Record<string, unknown>> }
  ).accounts.find((account) => account.userId === userId);

async function list(query: Record<string, string>, as: Caller = people.admin) {
  const listed = await invoke('listStaff', { query, as });
  expect(listed.status, JSON.stringify(listed.body)).toBe(200);
  return listed.body as { items: StaffView[]; nextCursor: string | null };
}

describe('adding a staff member', () => {
  it('creates the account in the directory with its role and unit, and a record listed in its subtree', async () => {
    const address = email('nguyen.van.kiem');
    const added = await add({
      email: `  ${address.toUpperCase()} `,
      name: ' Nguyễn Văn Kiểm ',
      role: 'inspector',
      unitId: 'W1',
    });
    expect(added).toMatchObject({
      email: address,
      name: 'Nguyễn Văn Kiểm',
      role: 'inspector',
      unitId: 'W1',
      enabled: true,
      createdBy: people.admin.sub,
    });
    expect(added.history.map((entry) => [entry.action, entry.by, entry.to])).toEqual([
      ['create', people.admin.sub, 'inspector'],
    ]);
    expect(directoryAccount(added.userId)).toMatchObject({
      email: address,
      name: 'Nguyễn Văn Kiểm',
      role: 'inspector',
      unitId: 'W1',
      enabled: true,
      status: 'FORCE_CHANGE_PASSWORD',
    });
    // In the ward's list and the province's, not in another ward's.
    expect((await list({ unitId: 'W1' })).items.map((item) => item.userId)).toContain(added.userId);
    expect((await list({})).items.map((item) => item.userId)).toContain(added.userId);
    expect((await list({ unitId: 'W2' })).items.map((item) => item.userId)).not.toContain(added.userId);
    const read = await invoke('getStaff', { params: { userId: added.userId }, as: wardAdmin });
    expect(read.status).toBe(200);
    expect(read.body).toEqual(added);
  });

  it('answers the same person again with 200 and the record, and an Idempotency-Key replay with the first answer', async () => {
    const body = { email: email('le.thi.lan'), name: 'Lê Thị Lan', role: 'manager', unitId: 'C1' };
    const first = await add(body);
    const again = await add({ ...body, email: body.email.toUpperCase() }, people.admin, 200);
    expect(again.userId).toBe(first.userId);

    const keyed = { ...body, email: email('keyed') };
    const headers = { 'idempotency-key': 'staff-key-1' };
    const one = await invoke('createStaff', { body: keyed, headers, as: people.admin });
    const two = await invoke('createStaff', { body: keyed, headers, as: people.admin });
    expect([one.status, two.status]).toEqual([201, 201]);
    expect(two.body).toEqual(one.body);
    const reused = await invoke('createStaff', {
      body: { ...keyed, name: 'Khác' },
      headers,
      as: people.admin,
    });
    expect(problemOf(reused)).toEqual({ status: 409, code: 'conflict' });
  });

  it('keeps one account per e-mail: another name, role or unit for a used address is 409, nothing written', async () => {
    const body = { email: email('tran.minh'), name: 'Trần Minh', role: 'inspector', unitId: 'W2' };
    const first = await add(body);
    for (const other of [{ name: 'Trần Văn Minh' }, { role: 'admin' }, { unitId: 'W1' }]) {
      const refused = await invoke('createStaff', { body: { ...body, ...other }, as: people.admin });
      expect(problemOf(refused), JSON.stringify(other)).toEqual({ status: 409, code: 'conflict' });
    }
    // An admin who does not manage the holder cannot learn more than that the address is taken.
    const fromWard = await invoke('createStaff', { body: { ...body, unitId: 'W1' }, as: wardAdmin });
    expect(problemOf(fromWard)).toEqual({ status: 409, code: 'conflict' });
    expect(directoryAccount(first.userId)).toMatchObject({
      name: 'Trần Minh',
      role: 'inspector',
      unitId: 'W2',
    });
    const english = await invoke('createStaff', {
      body: { ...body, role: 'admin' },
      headers: { 'accept-language': 'en' },
      as: people.admin,
    });
    expect((english.body as { detail: string }).detail).toBe(
      'This e-mail address is already another staff member’s account.',
    );
  });

  it('refuses a unit outside the admin’s jurisdiction as a missing one (404), with or without an Idempotency-Key', async () => {
    const body = { email: email('outside'), name: 'Ngoài Phạm Vi', role: 'inspector' };
    const foreign = await invoke('createStaff', { body: { ...body, unitId: 'W2' }, as: wardAdmin });
    const missing = await invoke('createStaff', { body: { ...body, unitId: 'ZZ9' }, as: wardAdmin });
    const keyed = await invoke('createStaff', {
      body: { ...body, unitId: 'W2' },
      headers: { 'idempotency-key': 'outside-1' },
      as: wardAdmin,
    });
    expect(problemOf(foreign)).toEqual({ status: 404, code: 'not_found' });
    expect(foreign.body).toEqual(missing.body);
    expect(problemOf(keyed)).toEqual({ status: 404, code: 'not_found' });
    // The key was released: the same key with a unit in scope now works.
    const retried = await invoke('createStaff', {
      body: { ...body, unitId: 'W1' },
      headers: { 'idempotency-key': 'outside-1' },
      as: wardAdmin,
    });
    expect(retried.status).toBe(201);
    expect(
      new LocalDirectory(api.directoryFile).accounts().filter((a) => a.email === body.email),
    ).toHaveLength(1);
  });

  it('takes over a directory account left without a record by a failed attempt, but not one with other details', async () => {
    const directory = new LocalDirectory(api.directoryFile);
    const leftOver = { email: email('left.over'), name: 'Còn Lại', role: 'inspector' as const, unitId: 'W1' };
    const { account } = await directory.createAccount(leftOver);
    const adopted = await add(leftOver);
    expect(adopted.userId).toBe(account.userId);

    const byHand = { email: email('by.hand'), name: 'Tạo Tay', role: 'admin' as const, unitId: 'NA' };
    await directory.createAccount(byHand);
    const refused = await invoke('createStaff', { body: { ...byHand, role: 'inspector' }, as: people.admin });
    expect(problemOf(refused)).toEqual({ status: 409, code: 'conflict' });
  });

  it('makes one account of concurrent requests for one person: one 201, the others 200 with it', async () => {
    const body = { email: email('dong.thoi'), name: 'Đồng Thời', role: 'inspector', unitId: 'C1' };
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => invoke('createStaff', { body, as: people.admin })),
    );
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 200, 200, 200, 200, 201]);
    expect(new Set(answers.map((answer) => (answer.body as StaffView).userId)).size).toBe(1);
    expect(
      new LocalDirectory(api.directoryFile).accounts().filter((a) => a.email === body.email),
    ).toHaveLength(1);
  });

  it('refuses bad bodies (422) and other roles (403)', async () => {
    for (const body of [
      { email: 'not-an-address', name: 'A', role: 'inspector', unitId: 'W1' },
      { email: email('x'), name: '   ', role: 'inspector', unitId: 'W1' },
      { email: email('x'), name: 'A', role: 'ranking', unitId: 'W1' },
      { email: email('x'), name: 'A', role: 'inspector', unitId: 'W1', enabled: false },
    ]) {
      const refused = await invoke('createStaff', { body, as: people.admin });
      expect(problemOf(refused), JSON.stringify(body)).toEqual({ status: 422, code: 'validation_failed' });
    }
    const manager = await invoke('listStaff', { as: people.manager });
    expect(problemOf(manager)).toEqual({ status: 403, code: 'forbidden' });
  });
});

describe('the staff of a subtree', () => {
  it('lists by role on a key, pages with a cursor bound to its query, and refuses units out of scope', async () => {
    const unit = 'W2';
    const added = [];
    for (const [i, role] of ['inspector', 'manager', 'inspector', 'admin', 'inspector'].entries()) {
      added.push(await add({ email: email(`w2.${i}`), name: `Cán bộ ${i}`, role, unitId: unit }));
    }
    const inspectors = (await list({ unitId: unit, role: 'inspector' })).items;
    expect(inspectors.every((item) => item.role === 'inspector')).toBe(true);
    expect(inspectors.length).toBeGreaterThanOrEqual(3);

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { items: StaffView[]; nextCursor: string | null } = await list({
        unitId: unit,
        limit: '2',
        ...(cursor ? { cursor } : {}),
      });
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((item) => item.userId));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 20);
    expect(new Set(seen).size).toBe(seen.length);
    for (const person of added) expect(seen).toContain(person.userId);
    // Sorted by role then ID: every admin before every inspector before every manager.
    const roles = (await list({ unitId: unit, limit: '100' })).items.map((item) => item.role);
    expect(roles).toEqual([...roles].sort());

    const first = await list({ unitId: unit, limit: '1' });
    const wrongQuery = await invoke('listStaff', {
      query: { unitId: unit, role: 'admin', cursor: first.nextCursor ?? '' },
      as: people.admin,
    });
    expect(problemOf(wrongQuery)).toEqual({ status: 422, code: 'validation_failed' });

    const foreign = await invoke('listStaff', { query: { unitId: 'W2' }, as: wardAdmin });
    const missing = await invoke('listStaff', { query: { unitId: 'ZZ9' }, as: wardAdmin });
    const ancestor = await invoke('listStaff', { query: { unitId: 'NA' }, as: wardAdmin });
    expect(problemOf(foreign)).toEqual({ status: 404, code: 'not_found' });
    expect(foreign.body).toEqual(missing.body);
    expect(ancestor.body).toEqual(missing.body);
    const foreignPerson = await invoke('getStaff', {
      params: { userId: added[0]?.userId ?? '' },
      as: wardAdmin,
    });
    const missingPerson = await invoke('getStaff', { params: { userId: 'no-such-person' }, as: wardAdmin });
    expect(problemOf(foreignPerson)).toEqual({ status: 404, code: 'not_found' });
    expect(foreignPerson.body).toEqual(missingPerson.body);
  });
});

describe('changing a staff member', () => {
  it('changes role and unit under If-Match, in the directory and the record, audited; a replay changes nothing', async () => {
    const person = await add({
      email: email('doi.vai.tro'),
      name: 'Đổi Vai Trò',
      role: 'inspector',
      unitId: 'W1',
    });
    const params = { userId: person.userId };
    const withoutIfMatch = await invoke('patchStaff', {
      params,
      body: { role: 'manager' },
      as: people.admin,
    });
    expect(problemOf(withoutIfMatch)).toEqual({ status: 428, code: 'precondition_required' });

    const changed = await invoke('patchStaff', {
      params,
      body: { role: 'manager', unitId: 'C1' },
      headers: { 'if-match': `"${person.etag}"` },
      as: people.admin,
    });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    const after = changed.body as StaffView;
    expect(after).toMatchObject({ role: 'manager', unitId: 'C1' });
    expect(after.etag).not.toBe(person.etag);
    expect(after.history.map((entry) => [entry.action, entry.from, entry.to])).toEqual(
      expect.arrayContaining([
        ['change_role', 'inspector', 'manager'],
        ['move', 'W1', 'C1'],
      ]),
    );
    expect(directoryAccount(person.userId)).toMatchObject({ role: 'manager', unitId: 'C1' });
    // Moved out of the ward admin's jurisdiction: now as missing to them.
    expect((await invoke('getStaff', { params, as: wardAdmin })).status).toBe(404);
    expect((await list({ unitId: 'C1', role: 'manager' })).items.map((item) => item.userId)).toContain(
      person.userId,
    );
    expect((await list({ unitId: 'W1' })).items.map((item) => item.userId)).not.toContain(person.userId);

    const replay = await invoke('patchStaff', {
      params,
      body: { role: 'manager' },
      headers: { 'if-match': `"${person.etag}"` },
      as: people.admin,
    });
    expect(replay.status).toBe(200);
    expect((replay.body as StaffView).etag).toBe(after.etag);

    const stale = await invoke('patchStaff', {
      params,
      body: { name: 'Tên Mới' },
      headers: { 'if-match': `"${person.etag}"` },
      as: people.admin,
    });
    expect(problemOf(stale)).toEqual({ status: 412, code: 'precondition_failed' });
    expect((stale.body as { current: StaffView }).current.etag).toBe(after.etag);

    const outOfScope = await invoke('patchStaff', {
      params,
      body: { unitId: 'ZZ9' },
      headers: { 'if-match': `"${after.etag}"` },
      as: people.admin,
    });
    expect(problemOf(outOfScope)).toEqual({ status: 404, code: 'not_found' });
    expect(directoryAccount(person.userId)).toMatchObject({ role: 'manager', unitId: 'C1' });
  });

  it('disables and enables an account (a repeat answers 200), and resets its authenticator without changing the record', async () => {
    const person = await add({
      email: email('khoa'),
      name: 'Khoá Tài Khoản',
      role: 'inspector',
      unitId: 'W1',
    });
    const params = { userId: person.userId };
    const disabled = await invoke('disableStaff', { params, as: wardAdmin });
    expect(disabled.status).toBe(200);
    expect((disabled.body as StaffView).enabled).toBe(false);
    expect(directoryAccount(person.userId)).toMatchObject({ enabled: false });
    const again = await invoke('disableStaff', { params, as: wardAdmin });
    expect(again.status).toBe(200);
    expect((again.body as StaffView).etag).toBe((disabled.body as StaffView).etag);

    const staleEnable = await invoke('enableStaff', {
      params,
      headers: { 'if-match': `"${person.etag}"` },
      as: wardAdmin,
    });
    expect(problemOf(staleEnable)).toEqual({ status: 412, code: 'precondition_failed' });
    const enabled = await invoke('enableStaff', { params, as: wardAdmin });
    expect((enabled.body as StaffView).enabled).toBe(true);
    expect(directoryAccount(person.userId)).toMatchObject({ enabled: true });

    const reset = await invoke('resetStaffTotp', { params, as: wardAdmin });
    expect(reset.status).toBe(200);
    const afterReset = reset.body as StaffView;
    expect(afterReset.etag).toBe((enabled.body as StaffView).etag);
    expect(afterReset.history.map((entry) => entry.action)).toEqual([
      'create',
      'disable',
      'enable',
      'reset_totp',
    ]);
    expect(directoryAccount(person.userId)).toMatchObject({ totpResets: 1 });

    const foreign = await invoke('resetStaffTotp', { params, as: { ...wardAdmin, unitId: 'W2' } });
    expect(problemOf(foreign)).toEqual({ status: 404, code: 'not_found' });
    expect(directoryAccount(person.userId)).toMatchObject({ totpResets: 1 });
  });

  it('does not let an admin disable themselves or change their own role or unit; their name they may', async () => {
    const admin = await add({ email: email('tu.minh'), name: 'Tự Mình', role: 'admin', unitId: 'W1' });
    const self: Caller = { sub: admin.userId, roles: ['admin'], unitId: 'W1', name: admin.name };
    const params = { userId: admin.userId };
    const ifMatch = { 'if-match': `"${admin.etag}"` };
    const disable = await invoke('disableStaff', { params, as: self });
    const demote = await invoke('patchStaff', {
      params,
      body: { role: 'inspector' },
      headers: ifMatch,
      as: self,
    });
    const move = await invoke('patchStaff', { params, body: { unitId: 'W1' }, headers: ifMatch, as: self });
    expect(problemOf(disable)).toEqual({ status: 409, code: 'invalid_state' });
    expect(problemOf(demote)).toEqual({ status: 409, code: 'invalid_state' });
    // The same unit is no change at all: answered as it is.
    expect(move.status).toBe(200);
    const renamed = await invoke('patchStaff', {
      params,
      body: { name: 'Tự Mình Đổi Tên' },
      headers: ifMatch,
      as: self,
    });
    expect(renamed.status).toBe(200);
    expect(directoryAccount(admin.userId)).toMatchObject({
      role: 'admin',
      enabled: true,
      name: 'Tự Mình Đổi Tên',
    });
    // Another admin may.
    const byOther = await invoke('disableStaff', { params, as: people.admin });
    expect((byOther.body as StaffView).enabled).toBe(false);
  });
});
