/**
 * Retry timing of the outbox. Pure: the caller passes the attempt count and a random number, so
 * tests can pin both.
 */

export const backoffBaseMs = 2_000;
export const backoffCapMs = 5 * 60_000;

/**
 * Delay before retry number `attempts` (1 for the first retry): exponential from 2 s, capped at
 * 5 minutes, with "equal jitter" (half fixed, half random) so that phones that lost the network
 * together do not all come back in the same second, yet none retries almost at once.
 */
export function backoffMs(attempts: number, random: number = Math.random()): number {
  const exponent = Math.max(0, Math.min(attempts - 1, 20));
  const ceiling = Math.min(backoffCapMs, backoffBaseMs * 2 ** exponent);
  const jitter = Math.min(Math.max(random, 0), 1);
  return Math.round(ceiling / 2 + (ceiling / 2) * jitter);
}

/**
 * Seconds to wait from a `Retry-After` header (delay-seconds or an HTTP date), in ms, bounded to
 * [1 s, 5 min]; `fallbackMs` when the header is missing or unreadable.
 */
export function retryAfterMs(header: string | null, now: number, fallbackMs: number): number {
  if (header === null || header.trim() === '') return fallbackMs;
  const bound = (ms: number) => Math.min(Math.max(ms, 1_000), backoffCapMs);
  const value = header.trim();
  if (/^\d+$/.test(value)) return bound(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? fallbackMs : bound(date - now);
}
