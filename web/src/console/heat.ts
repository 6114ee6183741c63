/**
 * The heat map's pixels, without the DOM (so they are unit-tested): one colour per pixel column
 * of each section's band, written into an RGBA buffer that the canvas takes in one putImageData.
 * Drawing a rectangle per unit and section cost 23,100 fillRect calls (and as many colour strings
 * parsed) for a 3,300-unit peer group, the largest part of its drawing (bench/console-render.ts).
 *
 * When there are more units than pixel columns, a column shows the lowest percent among the
 * units it covers (grey only when none of them has one), so a weak ward is never hidden behind a
 * strong neighbour; the table beside it has every number.
 */

/** The colour of a percent: red (0 %) through amber to green (100 %); grey where no item applied. */
export function heatColour(percent: number | null): string {
  if (percent === null) return '#c7c7c7';
  return `hsl(${hueOf(percent)} 70% 45%)`;
}

function hueOf(percent: number): number {
  return Math.round(Math.max(0, Math.min(1, percent / 100)) * 120);
}

/** RGB of hsl(h 70% 45%), the CSS formula. */
function rgbOfHue(hue: number): [number, number, number] {
  const s = 0.7;
  const l = 0.45;
  const a = s * Math.min(l, 1 - l);
  const channel = (n: number) => {
    const k = (n + hue / 30) % 12;
    return Math.round(255 * (l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return [channel(0), channel(8), channel(4)];
}

/** The 121 hues, computed once. */
const palette: ReadonlyArray<[number, number, number]> = Array.from({ length: 121 }, (_, hue) =>
  rgbOfHue(hue),
);
const grey: [number, number, number] = [0xc7, 0xc7, 0xc7];

export function rgbOf(percent: number | null): [number, number, number] {
  return percent === null ? grey : (palette[hueOf(percent)] ?? grey);
}

/**
 * For each of `width` pixel columns, the percent to show (lowest of the units in it) or null;
 * `undefined` where the column is a gap between wide cells. Units are `count` equal cells across.
 */
export function columnPercents(
  percents: ReadonlyArray<number | null>,
  width: number,
  gapPx: number,
): Array<number | null | undefined> {
  const count = percents.length;
  const out: Array<number | null | undefined> = new Array(width).fill(undefined);
  if (count === 0 || width <= 0) return out;
  const cell = width / count;
  for (let x = 0; x < width; x += 1) {
    // In whole numbers (x * count / width), so that no float error reaches a neighbour's cell.
    const first = Math.min(count - 1, Math.floor((x * count) / width));
    const last = Math.min(count - 1, Math.max(first, Math.ceil(((x + 1) * count) / width) - 1));
    if (cell > 4 && x + 1 > ((first + 1) * width) / count - gapPx) continue;
    let lowest: number | null = null;
    for (let unit = first; unit <= last; unit += 1) {
      const percent = percents[unit] ?? null;
      if (percent !== null && (lowest === null || percent < lowest)) lowest = percent;
    }
    out[x] = lowest;
  }
  return out;
}

/**
 * Paints the bands into `pixels` (RGBA, `width` x `height`): band `r` covers rows
 * `top(r)` to `top(r) + bandHeight` and shows `columns[r]`.
 */
export function paintBands(
  pixels: Uint8ClampedArray,
  width: number,
  bands: ReadonlyArray<ReadonlyArray<number | null | undefined>>,
  top: (band: number) => number,
  bandHeight: number,
): void {
  bands.forEach((columns, band) => {
    const row = new Uint8ClampedArray(width * 4);
    columns.forEach((percent, x) => {
      if (percent === undefined) return;
      const [r, g, b] = rgbOf(percent);
      row[x * 4] = r;
      row[x * 4 + 1] = g;
      row[x * 4 + 2] = b;
      row[x * 4 + 3] = 255;
    });
    for (let y = top(band); y < top(band) + bandHeight; y += 1) pixels.set(row, y * width * 4);
  });
}
