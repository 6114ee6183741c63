/**
 * Paired ratios of two measurements taken in the same run (a function and its floor, each in a
 * fresh process, in random order per pair), summarised on the log scale: the geometric mean of
 * the ratios and its 95 % confidence interval from Student's t. A target like "at most 1.2x" is
 * judged on the interval's upper end, so a noisy run cannot pass by luck.
 */

/** Student's t quantile for a two-sided 95 % interval (Cornish-Fisher expansion, df >= 3). */
export function t975(df: number): number {
  const z = 1.959963984540054;
  const z3 = z ** 3;
  const z5 = z ** 5;
  const z7 = z ** 7;
  return (
    z +
    (z3 + z) / (4 * df) +
    (5 * z5 + 16 * z3 + 3 * z) / (96 * df ** 2) +
    (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * df ** 3)
  );
}

export interface RatioSummary {
  pairs: number;
  /** Geometric mean of measured / floor. */
  ratio: number;
  low: number;
  high: number;
}

export function pairedRatio(pairs: ReadonlyArray<{ measured: number; floor: number }>): RatioSummary {
  const logs = pairs.map((p) => Math.log(p.measured / p.floor));
  const n = logs.length;
  const mean = logs.reduce((a, b) => a + b, 0) / n;
  const variance = logs.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, n - 1);
  const half = n > 1 ? (t975(n - 1) * Math.sqrt(variance)) / Math.sqrt(n) : Number.POSITIVE_INFINITY;
  return { pairs: n, ratio: Math.exp(mean), low: Math.exp(mean - half), high: Math.exp(mean + half) };
}
