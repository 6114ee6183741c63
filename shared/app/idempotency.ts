import { ConflictError } from '#domain/errors.ts';
import type { IdempotencyStore } from '#ports/store.ts';
import { canonical, sha256Hex } from './support.ts';

export interface Outcome<T> {
  status: number;
  body: T;
}

/** How long a running action holds its key; a holder that died frees it after this. */
const leaseSeconds = 120;

const reusedKey = () =>
  new ConflictError({
    vi: 'Idempotency-Key này đã được dùng cho một yêu cầu khác.',
    en: 'This Idempotency-Key was already used for a different request.',
  });

/**
 * Runs a creating action at most once per Idempotency-Key: the key is reserved before the
 * action runs, so concurrent twins cannot both run it (the later one answers 409 and can retry);
 * the same key and body within 24 hours answers the first result again; the same key with
 * another body is a conflict. Without a key the action simply runs.
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
  const reservation = await store.reserve(scope, key, requestHash, leaseSeconds);
  if (reservation.state === 'done') {
    if (reservation.response.requestHash !== requestHash) throw reusedKey();
    // Stored by this same function from an Outcome<T>.
    return { status: reservation.response.status, body: reservation.response.body as T };
  }
  if (reservation.state === 'busy') {
    if (reservation.requestHash !== requestHash) throw reusedKey();
    throw new ConflictError({
      vi: 'Một yêu cầu với cùng Idempotency-Key đang được xử lý; hãy thử lại sau ít giây.',
      en: 'A request with this Idempotency-Key is still being processed; retry in a few seconds.',
    });
  }
  let outcome: Outcome<T>;
  try {
    outcome = await action();
  } catch (error) {
    await store.release(scope, key).catch(() => undefined);
    throw error;
  }
  await store.saveResponse(scope, key, { requestHash, status: outcome.status, body: outcome.body });
  return outcome;
}
