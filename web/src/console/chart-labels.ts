/** Placing the score chart's band labels (pure, so unit tests reach it without a canvas). */

/**
 * The vertical centres of labels wanted at `ys` (CSS pixels, any order), moved apart so no two
 * are closer than `gap`, kept within [min, max] as far as they fit: close thresholds (80 and
 * 82) would otherwise write their labels on top of each other.
 */
export function spreadLabels(ys: readonly number[], gap: number, min: number, max: number): number[] {
  const order = ys.map((y, index) => ({ y, index })).sort((a, b) => a.y - b.y);
  const placed = order.map((entry) => Math.min(Math.max(entry.y, min), max));
  for (let i = 1; i < placed.length; i += 1)
    placed[i] = Math.max(placed[i] as number, (placed[i - 1] as number) + gap);
  // Pushed past the bottom: shift the run back up, still `gap` apart.
  for (let i = placed.length - 1; i >= 0; i -= 1) {
    const limit = i === placed.length - 1 ? max : (placed[i + 1] as number) - gap;
    placed[i] = Math.min(placed[i] as number, limit);
  }
  const out = new Array<number>(ys.length);
  order.forEach((entry, i) => {
    out[entry.index] = placed[i] as number;
  });
  return out;
}
