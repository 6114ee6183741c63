import { describe, expect, it } from 'vitest';
import { backoffCapMs, backoffMs, retryAfterMs } from '../../../web/src/sync/backoff.ts';

describe('outbox backoff', () => {
  it('doubles from 2 s with jitter between half and the whole step', () => {
    expect(backoffMs(1, 0)).toBe(1_000);
    expect(backoffMs(1, 1)).toBe(2_000);
    expect(backoffMs(2, 0)).toBe(2_000);
    expect(backoffMs(2, 1)).toBe(4_000);
    expect(backoffMs(4, 0.5)).toBe(12_000);
  });

  it('never waits more than 5 minutes, however many attempts', () => {
    expect(backoffMs(50, 1)).toBe(backoffCapMs);
    expect(backoffMs(10_000, 0)).toBe(backoffCapMs / 2);
  });

  it('keeps jitter inside its bounds even for a bad random number', () => {
    expect(backoffMs(1, -3)).toBe(1_000);
    expect(backoffMs(1, 7)).toBe(2_000);
  });

  it('reads Retry-After as seconds or an HTTP date, bounded, else the fallback', () => {
    const now = Date.parse('2026-03-01T00:00:00Z');
    expect(retryAfterMs('5', now, 9)).toBe(5_000);
    expect(retryAfterMs('0', now, 9)).toBe(1_000);
    expect(retryAfterMs('100000', now, 9)).toBe(backoffCapMs);
    expect(retryAfterMs('Sun, 01 Mar 2026 00:00:30 GMT', now, 9)).toBe(30_000);
    expect(retryAfterMs(null, now, 9)).toBe(9);
    expect(retryAfterMs('soon', now, 9)).toBe(9);
  });
});
