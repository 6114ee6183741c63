import { describe, expect, it } from 'vitest';
import { pairedRatio, t975 } from '../../../bench/support/paired.ts';

describe('paired ratios of the benchmarks', () => {
  it("gives Student's t quantiles to three decimals", () => {
    // Published two-sided 95 % values.
    for (const [df, t] of [
      [5, 2.571],
      [10, 2.228],
      [30, 2.042],
      [100, 1.984],
    ] as const) {
      expect(t975(df)).toBeCloseTo(t, 2);
    }
  });

  it('summarises ratios on the log scale, with an interval that holds the geometric mean', () => {
    const pairs = [1.1, 1.2, 1.3, 1.2, 1.15, 1.25].map((r) => ({ measured: 100 * r, floor: 100 }));
    const summary = pairedRatio(pairs);
    const geometric = Math.exp(pairs.reduce((a, p) => a + Math.log(p.measured / p.floor), 0) / pairs.length);
    expect(summary.ratio).toBeCloseTo(geometric, 10);
    expect(summary.low).toBeLessThan(summary.ratio);
    expect(summary.high).toBeGreaterThan(summary.ratio);
    expect(summary.high).toBeLessThan(1.3);
  });

  it('has no interval from one pair', () => {
    expect(pairedRatio([{ measured: 2, floor: 1 }]).high).toBe(Number.POSITIVE_INFINITY);
  });
});
