import { ConflictError } from '#domain/errors.ts';
import type { IdempotencyStore } from '#ports/store.ts';
import { canonical, sha256Hex } from './support.ts';

export interface Outcome<T> {
  status: number;
  body: T;
}

/**
 * Runs a creating action at most once per Idempotency-Key: the same key and body within 24 hours
 * answers the first result again; the same key with another body is a conflict. Without a key
 * the action simply runs.
 */
export async function once<T>(
  store: IdempotencyStore,
  scope: string,
  key: string | null,
  request: unknown,
  action: () => Promise<Outcome<T>>,
): Promise<Outcome<T>> {
  if (key === null) return action();
  const requestHash = sha256Hex(canonical(request));
  const stored = await store.getResponse(scope, key);
  if (stored) {
    if (stored.requestHash !== requestHash) {
      throw new ConflictError({
        vi: 'Idempotency-Key này đã được dùng cho một yêu cầu khác.',
        en: 'This Idempotency-Key was already used for a different request.',
      });
    }
    // Stored by this same function from an Outcome<T>.
    return { status: stored.status, body: stored.body as T };
  }
  const outcome = await action();
  await store.saveResponse(scope, key, { requestHash, status: outcome.status, body: outcome.body });
  // A concurrent twin may have saved first: answer what was stored, so both callers agree.
  const winner = await store.getResponse(scope, key);
  return winner && winner.requestHash === requestHash
    ? { status: winner.status, body: winner.body as T }
    : outcome;
}
