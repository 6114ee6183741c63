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
 *
 * The store is not the only guard: a holder can lose its lease (too slow, then taken over), and
 * the response can fail to be saved after the action took effect. So an action must itself be
 * safe to run again with the same key, finding the first run's work instead of repeating it: a
 * publication or an export takes its ID from the caller, the key and the request (nameBasedId)
 * and is created only if absent; a template version equal to the latest is answered as it is.
 */
export async function once<T>(
  store: IdempotencyStore,
  scope: string,
  key: string | null,
  request: unknown,
  action: () => Promise<Outcome<T>>,
  options: {
    /**
     * What to answer for a remembered outcome (the default: it as it is). An export remembers
     * the job it started; a replay of a job that has since failed starts it again.
     */
    replay?: (remembered: Outcome<T>) => Promise<Outcome<T>>;
  } = {},
): Promise<Outcome<T>> {
  if (key === null) return action();
  const requestHash = sha256Hex(canonical(request));
  const reservation = await store.reserve(scope, key, requestHash, leaseSeconds);
  if (reservation.state === 'done') {
    if (reservation.response.requestHash !== requestHash) throw reusedKey();
    // Stored by this same function from an Outcome<T>.
    const remembered = { status: reservation.response.status, body: reservation.response.body as T };
    return options.replay ? options.replay(remembered) : remembered;
  }
  if (reservation.state === 'busy') {
    if (reservation.requestHash !== requestHash) throw reusedKey();
    throw new ConflictError({
      vi: 'Một yêu cầu với cùng Idempotency-Key đang được xử lý; hãy thử lại sau ít giây.',
      en: 'A request with this Idempotency-Key is still being processed; retry in a few seconds.',
    });
  }
  const { holder } = reservation;
  let outcome: Outcome<T>;
  try {
    outcome = await action();
  } catch (error) {
    await store.release(scope, key, holder).catch(() => undefined);
    throw error;
  }
  try {
    // False when our lease ran out and a twin took the key over: it reruns the action, finds
    // what ours made, and remembers the same answer, so ours is still the right one to give.
    await store.saveResponse(scope, key, holder, {
      requestHash,
      status: outcome.status,
      body: outcome.body,
    });
  } catch (error) {
    // The action took effect but its answer is not remembered. Free the key now rather than
    // after the lease: a retry reruns the action, which finds what this attempt made.
    await store.release(scope, key, holder).catch(() => undefined);
    throw error;
  }
  return outcome;
}
