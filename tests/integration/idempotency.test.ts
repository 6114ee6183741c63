import { beforeAll, describe, expect, it } from 'vitest';
import { Documents } from '#adapters/dynamodb/documents.ts';
import { DynamoIdempotencyStore } from '#adapters/dynamodb/idempotency.ts';
import { idempotencyKey } from '#adapters/dynamodb/keys.ts';
import type { Reservation } from '#ports/store.ts';
import { FakeClock } from '#tests/support/clock.ts';
import { freshStorage } from '#tests/support/services.ts';

// Far from the machine's own time on purpose: a store that read Date.now() instead of its
// clock would measure these leases in real seconds and never see them run out.
const start = '2031-03-01T02:00:00.000Z';
const lease = 120;
const scope = 'createExport#manager-1';
const response = (body: unknown) => ({ requestHash: 'h1', status: 202, body });

let documents: Documents;

beforeAll(async () => {
  const storage = await freshStorage('idempotency');
  documents = new Documents(storage.documents, storage.tableName);
});

/** One store per test: its own clock, and a key no other test uses. */
function setup(key: string) {
  const clock = new FakeClock(start);
  const store = new DynamoIdempotencyStore(documents, clock);
  const stored = () => documents.get(idempotencyKey(scope, key), true);
  return { clock, store, key, stored };
}

function holderOf(reservation: Reservation): string {
  if (reservation.state !== 'reserved') throw new Error(`expected a reservation, got ${reservation.state}`);
  return reservation.holder;
}

describe('DynamoIdempotencyStore leases, on the injected clock', () => {
  it('keeps a twin out while the lease runs, and lets it take the key over once it ran out', async () => {
    const { clock, store, key, stored } = setup('lease');
    const first = holderOf(await store.reserve(scope, key, 'h1', lease));
    clock.advance(lease - 1);
    expect(await store.reserve(scope, key, 'h1', lease)).toEqual({ state: 'busy', requestHash: 'h1' });
    clock.advance(2);
    const second = holderOf(await store.reserve(scope, key, 'h1', lease));
    expect(second).not.toBe(first);
    const item = await stored();
    const now = Math.floor(clock.now().getTime() / 1000);
    expect(item).toMatchObject({ state: 'pending', holder: second, leaseUntil: now + lease });
    expect(item?.expiresAt).toBe(now + 24 * 3600);
  });

  it('remembers a response for 24 hours of the clock, then lets the key be reserved afresh', async () => {
    const { clock, store, key } = setup('expiry');
    const holder = holderOf(await store.reserve(scope, key, 'h1', lease));
    expect(await store.saveResponse(scope, key, holder, response({ exportId: 'e1' }))).toBe(true);
    clock.advance(24 * 3600 - 1);
    expect(await store.reserve(scope, key, 'h1', lease)).toEqual({
      state: 'done',
      response: response({ exportId: 'e1' }),
    });
    clock.advance(2);
    expect((await store.reserve(scope, key, 'h2', lease)).state).toBe('reserved');
  });

  it('lets a holder save its answer after its lease ran out if nobody took the key over', async () => {
    const { clock, store, key } = setup('late-but-alone');
    const holder = holderOf(await store.reserve(scope, key, 'h1', lease));
    clock.advance(lease + 30);
    expect(await store.saveResponse(scope, key, holder, response({ exportId: 'e1' }))).toBe(true);
    expect((await store.reserve(scope, key, 'h1', lease)).state).toBe('done');
  });

  it('frees the key when its holder releases it', async () => {
    const { store, key, stored } = setup('release');
    const holder = holderOf(await store.reserve(scope, key, 'h1', lease));
    await store.release(scope, key, holder);
    expect(await stored()).toBeNull();
    expect((await store.reserve(scope, key, 'h1', lease)).state).toBe('reserved');
  });
});

describe('a holder whose lease ran out and was taken over', () => {
  async function takenOver(key: string) {
    const context = setup(key);
    const { clock, store } = context;
    const stale = holderOf(await store.reserve(scope, key, 'h1', lease));
    clock.advance(lease + 1);
    const twin = holderOf(await store.reserve(scope, key, 'h1', lease));
    return { ...context, stale, twin };
  }

  it('cannot delete the twin reservation by releasing', async () => {
    const { store, key, stale, twin, stored } = await takenOver('stale-release');
    await store.release(scope, key, stale);
    expect(await stored()).toMatchObject({ state: 'pending', holder: twin });
    // Still held: a third attempt is kept out, and the twin can still answer.
    expect((await store.reserve(scope, key, 'h1', lease)).state).toBe('busy');
    expect(await store.saveResponse(scope, key, twin, response({ exportId: 'twin' }))).toBe(true);
  });

  it('cannot overwrite the twin reservation, nor its answer, by saving its own', async () => {
    const { store, key, stale, twin, stored } = await takenOver('stale-save');
    expect(await store.saveResponse(scope, key, stale, response({ exportId: 'stale' }))).toBe(false);
    expect(await stored()).toMatchObject({ state: 'pending', holder: twin });
    expect(await store.saveResponse(scope, key, twin, response({ exportId: 'twin' }))).toBe(true);
    expect(await store.saveResponse(scope, key, stale, response({ exportId: 'stale' }))).toBe(false);
    await store.release(scope, key, stale);
    expect(await store.reserve(scope, key, 'h1', lease)).toEqual({
      state: 'done',
      response: response({ exportId: 'twin' }),
    });
  });

  it('is not released by its twin either once the twin answered', async () => {
    const { store, key, twin, stored } = await takenOver('answered-release');
    expect(await store.saveResponse(scope, key, twin, response({ exportId: 'twin' }))).toBe(true);
    await store.release(scope, key, twin);
    expect(await stored()).toMatchObject({ state: 'done', body: { exportId: 'twin' } });
  });
});
