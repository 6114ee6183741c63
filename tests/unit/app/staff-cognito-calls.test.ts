/**
 * The Cognito half of the call proof (tests/proof/calls checks DynamoDB and S3 calls; local mode
 * and the emulators make no Cognito call): each staff route's use case, run against the Cognito
 * directory over a stubbed client that behaves like a user pool, sends only the admin actions its
 * route-table `userPool` declaration grants (infra/access.ts's own mapping), and every action
 * the declaration grants is sent in one of the route's paths. Plus what the calls change.
 */
import {
  type CognitoIdentityProviderClient,
  UserNotFoundException,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { describe, expect, it } from 'vitest';
import { CognitoDirectory } from '#adapters/cognito/directory.ts';
import { addStaff, changeStaff, resetStaffTotp, setStaffEnabled, staffDetail } from '#app/staff.ts';
import type { Caller } from '#app/support.ts';
import { userPoolActions } from '#infra/access.ts';
import { StaleWriteError } from '#ports/errors.ts';
import type { AuditEntry, UnitRecord } from '#ports/records.ts';
import type { StaffRecord, StaffStore } from '#ports/staff.ts';
import type { IdempotencyStore, UnitStore } from '#ports/store.ts';
import { type RouteName, route } from '#routes/table.ts';

interface PoolUser {
  sub: string;
  email: string;
  name: string;
  unitId: string;
  groups: string[];
  enabled: boolean;
  totp: boolean;
  signedOut: number;
}

type Command = { constructor: { name: string }; input: Record<string, unknown> };

/** A user pool in memory, answering the admin commands the directory sends; records each call. */
function stubPool() {
  const users: PoolUser[] = [];
  const sent: string[] = [];
  let next = 0;
  const find = (username: unknown) => {
    const found = users.find((u) => u.sub === username || u.email === username);
    if (!found) throw new UserNotFoundException({ message: 'User does not exist.', $metadata: {} });
    return found;
  };
  const attributes = (u: PoolUser) => [
    { Name: 'sub', Value: u.sub },
    { Name: 'email', Value: u.email },
    { Name: 'name', Value: u.name },
    { Name: 'custom:unitId', Value: u.unitId },
  ];
  const client = {
    async send(command: Command) {
      const name = command.constructor.name.replace(/Command$/, '');
      sent.push(`cognito-idp:${name}`);
      const input = command.input;
      switch (name) {
        case 'AdminCreateUser': {
          const given = Object.fromEntries(
            (input.UserAttributes as Array<{ Name: string; Value: string }>).map((a) => [a.Name, a.Value]),
          );
          if (users.some((u) => u.email === input.Username))
            throw new UsernameExistsException({ message: 'exists', $metadata: {} });
          const user: PoolUser = {
            sub: `sub-${++next}`,
            email: String(input.Username),
            name: given.name ?? '',
            unitId: given['custom:unitId'] ?? '',
            groups: [],
            enabled: true,
            totp: false,
            signedOut: 0,
          };
          users.push(user);
          return {
            User: { Attributes: attributes(user), Enabled: true, UserStatus: 'FORCE_CHANGE_PASSWORD' },
          };
        }
        case 'AdminGetUser': {
          const user = find(input.Username);
          return { UserAttributes: attributes(user), Enabled: user.enabled, UserStatus: 'CONFIRMED' };
        }
        case 'AdminListGroupsForUser':
          return { Groups: find(input.Username).groups.map((GroupName) => ({ GroupName })) };
        case 'AdminAddUserToGroup': {
          const user = find(input.Username);
          if (!user.groups.includes(String(input.GroupName))) user.groups.push(String(input.GroupName));
          return {};
        }
        case 'AdminRemoveUserFromGroup': {
          const user = find(input.Username);
          user.groups = user.groups.filter((group) => group !== input.GroupName);
          return {};
        }
        case 'AdminUpdateUserAttributes': {
          const user = find(input.Username);
          for (const { Name, Value } of input.UserAttributes as Array<{ Name: string; Value: string }>) {
            if (Name === 'name') user.name = Value;
            if (Name === 'custom:unitId') user.unitId = Value;
          }
          return {};
        }
        case 'AdminDisableUser':
          find(input.Username).enabled = false;
          return {};
        case 'AdminEnableUser':
          find(input.Username).enabled = true;
          return {};
        case 'AdminUserGlobalSignOut':
          find(input.Username).signedOut++;
          return {};
        case 'AdminSetUserMFAPreference':
          find(input.Username).totp = false;
          return {};
        default:
          throw new Error(`the stub pool does not know ${name}`);
      }
    },
  };
  return { client: client as unknown as CognitoIdentityProviderClient, users, sent };
}

/** Just the store methods the staff use cases call, over maps. */
function memoryStaff(): StaffStore & { audit: AuditEntry[] } {
  const records = new Map<string, StaffRecord>();
  const emails = new Map<string, string>();
  const audit: AuditEntry[] = [];
  return {
    audit,
    async getStaff(userId) {
      return records.get(userId) ?? null;
    },
    async getStaffMany(userIds) {
      return userIds.flatMap((userId) => records.get(userId) ?? []);
    },
    async staffIdByEmail(email) {
      return emails.get(email) ?? null;
    },
    async listStaff() {
      throw new Error('not used');
    },
    async saveStaff(record, expectedEtag, entries) {
      const existing = records.get(record.userId);
      if (expectedEtag === null ? existing || emails.has(record.email) : existing?.etag !== expectedEtag)
        throw new StaleWriteError();
      records.set(record.userId, record);
      emails.set(record.email, record.userId);
      audit.push(...entries);
    },
    async addAudit(_userId, entry) {
      audit.push(entry);
    },
    async history(userId) {
      return audit.filter((entry) => entry.subject.id === userId);
    },
  };
}

const unitsOf = (paths: Record<string, string[]>): Pick<UnitStore, 'getUnit'> => ({
  async getUnit(unitId) {
    const path = paths[unitId];
    return path
      ? ({ unitId, name: unitId, kind: 'ward', parentId: path.at(-2) ?? null, path, etag: 'e' } as UnitRecord)
      : null;
  },
});

const noIdempotency = {} as IdempotencyStore;
const admin: Caller = { sub: 'admin-1', name: 'Quản trị', roles: ['admin'], unitId: 'NA' };

function world() {
  const pool = stubPool();
  const staff = memoryStaff();
  const deps = {
    staff,
    units: unitsOf({ NA: ['NA'], W1: ['NA', 'W1'], W2: ['NA', 'W2'] }) as UnitStore,
    directory: new CognitoDirectory(pool.client, 'pool-1'),
    idempotency: noIdempotency,
    clock: { now: () => new Date('2026-05-20T03:00:00Z') },
  };
  /** Runs a route's use case and answers the admin actions it sent. */
  async function calls(run: () => Promise<unknown>): Promise<string[]> {
    pool.sent.length = 0;
    await run();
    return [...pool.sent];
  }
  return { pool, staff, deps, calls };
}

const inspector = {
  email: 'lan@snv.nghean.gov.vn',
  name: 'Lê Thị Lan',
  role: 'inspector' as const,
  unitId: 'W1',
};

/** Each staff route's paths through its use case, each a list of the admin actions sent. */
async function pathsOfEachRoute(): Promise<Partial<Record<RouteName, string[][]>>> {
  const { pool, deps, calls } = world();
  let record: StaffRecord | null = null;
  const fresh = await calls(async () => {
    record = (await addStaff(deps, admin, inspector, null)).record;
  });
  const userId = (record as StaffRecord | null)?.userId ?? '';
  const replayCreate = await calls(() => addStaff(deps, admin, inspector, null));
  // An account left in the pool by an attempt that stopped before its record: read back, taken over.
  pool.users.push({
    sub: 'sub-left',
    email: 'left@snv.nghean.gov.vn',
    name: 'Còn Lại',
    unitId: 'W2',
    groups: ['manager'],
    enabled: true,
    totp: true,
    signedOut: 0,
  });
  const adopted = await calls(() =>
    addStaff(
      deps,
      admin,
      { email: 'left@snv.nghean.gov.vn', name: 'Còn Lại', role: 'manager', unitId: 'W2' },
      null,
    ),
  );
  const etag = async () => (await deps.staff.getStaff(userId))?.etag ?? null;
  const roleChange = await calls(async () =>
    changeStaff(deps, admin, userId, { role: 'manager' }, await etag()),
  );
  const move = await calls(async () =>
    changeStaff(deps, admin, userId, { unitId: 'W2', name: 'Lê Thị Lan (phường 2)' }, await etag()),
  );
  const replayPatch = await calls(() => changeStaff(deps, admin, userId, { role: 'manager' }, null));
  const disable = await calls(() => setStaffEnabled(deps, admin, userId, false, null));
  const disableAgain = await calls(() => setStaffEnabled(deps, admin, userId, false, null));
  const enable = await calls(() => setStaffEnabled(deps, admin, userId, true, null));
  const reset = await calls(() => resetStaffTotp(deps, admin, userId));
  const read = await calls(() => staffDetail(deps, admin, userId));
  return {
    createStaff: [fresh, replayCreate, adopted],
    patchStaff: [roleChange, move, replayPatch],
    disableStaff: [disable, disableAgain],
    enableStaff: [enable],
    resetStaffTotp: [reset],
    getStaff: [read],
  };
}

describe('staff routes against Cognito (stubbed user pool)', () => {
  it('sends each staff route’s Cognito calls within its declaration, and uses every action it declares', async () => {
    const paths = await pathsOfEachRoute();
    for (const [name, runs] of Object.entries(paths) as Array<[RouteName, string[][]]>) {
      const granted = new Set<string>(
        (route(name).access.userPool ?? []).flatMap((need) => userPoolActions[need]),
      );
      const sent = new Set(runs.flat());
      expect(
        [...sent].filter((action) => !granted.has(action)),
        `${name} sends undeclared actions`,
      ).toEqual([]);
      expect(
        [...granted].filter((action) => !sent.has(action)),
        `${name} is granted unused actions`,
      ).toEqual([]);
    }
  });

  it('leaves the pool as the records say: one group, the unit and name, disabled and signed out, TOTP off', async () => {
    const { pool, staff, deps } = world();
    const { record } = await addStaff(deps, admin, inspector, null);
    const [user] = pool.users;
    expect(user).toMatchObject({
      sub: record.userId,
      groups: ['inspector'],
      unitId: 'W1',
      name: 'Lê Thị Lan',
    });
    await changeStaff(deps, admin, record.userId, { role: 'admin', unitId: 'W2' }, record.etag);
    expect(user).toMatchObject({ groups: ['admin'], unitId: 'W2' });
    await setStaffEnabled(deps, admin, record.userId, false, null);
    expect(user).toMatchObject({ enabled: false, signedOut: 1 });
    await resetStaffTotp(deps, admin, record.userId);
    expect(user).toMatchObject({ totp: false, signedOut: 2 });
    expect(staff.audit.map((entry) => entry.action)).toEqual([
      'create',
      'change_role',
      'move',
      'disable',
      'reset_totp',
    ]);
  });

  it('does not take over a pool account with other details, and writes no record for it', async () => {
    const { pool, staff, deps } = world();
    pool.users.push({
      sub: 'sub-hand',
      email: inspector.email,
      name: 'Tạo Bằng Tay',
      unitId: 'NA',
      groups: ['admin'],
      enabled: true,
      totp: true,
      signedOut: 0,
    });
    await expect(addStaff(deps, admin, inspector, null)).rejects.toMatchObject({ code: 'conflict' });
    expect(await staff.getStaff('sub-hand')).toBeNull();
    expect(pool.users[0]).toMatchObject({ groups: ['admin'], unitId: 'NA' });
  });

  it('puts the pool back to the record’s state when another change won the record', async () => {
    const { pool, staff, deps } = world();
    const { record } = await addStaff(deps, admin, inspector, null);
    // Another admin's change lands between this change's read and its write.
    const save = staff.saveStaff.bind(staff);
    let raced = false;
    staff.saveStaff = async (next, expected, entries) => {
      if (!raced && expected !== null) {
        raced = true;
        await save({ ...record, role: 'manager', etag: 'theirs' }, record.etag, []);
      }
      return save(next, expected, entries);
    };
    await expect(
      changeStaff(deps, admin, record.userId, { role: 'admin' }, record.etag),
    ).rejects.toMatchObject({
      code: 'precondition_failed',
    });
    expect(pool.users[0]?.groups).toEqual(['manager']);
  });
});
