import { describe, expect, it } from 'vitest';
import { columnPercents, heatColour, paintBands, rgbOf } from '../../../web/src/console/heat.ts';

describe('the heat map pixels', () => {
  it('gives each unit its own columns when they are wide, with a gap after each', () => {
    // 2 units on 10 px: cells of 5 px, the last pixel of each a gap.
    expect(columnPercents([10, 90], 10, 1)).toEqual([10, 10, 10, 10, undefined, 90, 90, 90, 90, undefined]);
  });

  it('shows the lowest percent of the units sharing a column, grey only when none has one', () => {
    // 6 units on 2 px: three units a column.
    expect(columnPercents([80, 20, 50, null, null, null], 2, 1)).toEqual([20, null]);
    expect(columnPercents([null, 70, null], 1, 1)).toEqual([70]);
  });

  it('covers every unit: 3,300 units on 1,400 px leave none out of the minimum', () => {
    const percents = Array.from({ length: 3_300 }, (_, index) => (index === 1_234 ? 0 : 100));
    const columns = columnPercents(percents, 1_400, 1);
    expect(columns.filter((percent) => percent === 0)).toHaveLength(1);
    expect(columns.every((percent) => percent === 0 || percent === 100)).toBe(true);
  });

  it('paints the colours heatColour names, with the CSS hsl formula', () => {
    expect(rgbOf(null)).toEqual([0xc7, 0xc7, 0xc7]);
    expect(heatColour(0)).toBe('hsl(0 70% 45%)');
    // hsl(0 70% 45%) = rgb(195, 34, 34); hsl(120 70% 45%) = rgb(34, 195, 34).
    expect(rgbOf(0)).toEqual([195, 34, 34]);
    expect(rgbOf(100)).toEqual([34, 195, 34]);
    const pixels = new Uint8ClampedArray(2 * 3 * 4);
    paintBands(pixels, 2, [[0, undefined]], () => 1, 2);
    // Row 0 untouched; rows 1 and 2: red then transparent.
    expect([...pixels]).toEqual([
      0, 0, 0, 0, 0, 0, 0, 0, 195, 34, 34, 255, 0, 0, 0, 0, 195, 34, 34, 255, 0, 0, 0, 0,
    ]);
  });
});
