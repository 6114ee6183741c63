import { describe, expect, it } from 'vitest';
import { once } from '#app/idempotency.ts';
import { canonical, sha256Hex } from '#app/support.ts';
import { ConflictError } from '#domain/errors.ts';
import type { IdempotencyStore, Reservation, StoredResponse } from '#ports/store.ts';

// The use-case side of Idempotency-Key over a store that records what it was asked. The store's
// own conditions (leases, holders) are checked on DynamoDB Local in
// tests/integration/idempotency.test.ts.
function recordingStore(reservation: Reservation, options: { saveFails?: boolean; saveLost?: boolean } = {}) {
  const calls: string[] = [];
  const store: IdempotencyStore & { saved: StoredResponse[] } = {
    saved: [],
    async reserve() {
      calls.push('reserve');
      return reservation;
    },
    async saveResponse(_scope, _key, holder, response) {
      calls.push(`saveResponse ${holder}`);
      if (options.saveFails) throw new Error('injected: the table refused the write');
      if (options.saveLost) return false;
      store.saved.push(response);
      return true;
    },
    async release(_scope, _key, holder) {
      calls.push(`release ${holder}`);
    },
  };
  return { store, calls };
}

const created = { status: 201, body: { id: 'made-1' } };

describe('once', () => {
  it('saves the answer under its own holder token', async () => {
    const { store, calls } = recordingStore({ state: 'reserved', holder: 'attempt-1' });
    expect(await once(store, 's', 'k', { a: 1 }, async () => created)).toEqual(created);
    expect(calls).toEqual(['reserve', 'saveResponse attempt-1']);
    expect(store.saved).toEqual([{ requestHash: expect.stringMatching(/^[0-9a-f]{64}$/), ...created }]);
  });

  it('releases its own reservation when the action fails', async () => {
    const { store, calls } = recordingStore({ state: 'reserved', holder: 'attempt-1' });
    const failing = once(store, 's', 'k', {}, async () => {
      throw new Error('the action failed');
    });
    await expect(failing).rejects.toThrow('the action failed');
    expect(calls).toEqual(['reserve', 'release attempt-1']);
  });

  it('releases its own reservation when the answer cannot be saved after the action took effect', async () => {
    const { store, calls } = recordingStore({ state: 'reserved', holder: 'attempt-1' }, { saveFails: true });
    let runs = 0;
    const attempt = once(store, 's', 'k', {}, async () => {
      runs += 1;
      return created;
    });
    await expect(attempt).rejects.toThrow('injected');
    expect(runs).toBe(1);
    // A retry need not wait out the lease: the action finds what this attempt made.
    expect(calls).toEqual(['reserve', 'saveResponse attempt-1', 'release attempt-1']);
  });

  it("answers its outcome when a twin took the key over meanwhile, and leaves the twin's reservation", async () => {
    const { store, calls } = recordingStore({ state: 'reserved', holder: 'attempt-1' }, { saveLost: true });
    expect(await once(store, 's', 'k', {}, async () => created)).toEqual(created);
    expect(calls).toEqual(['reserve', 'saveResponse attempt-1']);
  });

  it('replays a remembered answer without running the action; another body is a conflict', async () => {
    const { store: first } = recordingStore({ state: 'reserved', holder: 'attempt-1' });
    await once(first, 's', 'k', { a: 1 }, async () => created);
    const saved = first.saved[0];
    if (saved === undefined) throw new Error('nothing saved');
    const { store, calls } = recordingStore({ state: 'done', response: saved });
    const never = async () => {
      throw new Error('must not run');
    };
    expect(await once(store, 's', 'k', { a: 1 }, never)).toEqual(created);
    await expect(once(store, 's', 'k', { a: 2 }, never)).rejects.toBeInstanceOf(ConflictError);
    expect(calls).toEqual(['reserve', 'reserve']);
  });

  it('answers 409 while a twin holds the key, and never releases what it does not hold', async () => {
    const { store, calls } = recordingStore({ state: 'busy', requestHash: sha256Hex(canonical({})) });
    const twin = once(store, 's', 'k', {}, async () => created);
    await expect(twin).rejects.toBeInstanceOf(ConflictError);
    await expect(twin).rejects.toMatchObject({
      detail: { en: expect.stringContaining('still being processed') },
    });
    expect(calls).toEqual(['reserve']);
  });
});
