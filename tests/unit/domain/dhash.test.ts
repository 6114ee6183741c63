import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dHash, hammingDistance, type Pixels } from '#domain/dhash.ts';

/** A grey image from a function of the pixel's position. */
function grey(width: number, height: number, value: (x: number, y: number) => number): Pixels {
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = value(x, y);
  return { width, height, channels: 1, data };
}

const hex = fc.stringMatching(/^[0-9a-f]{16}$/);

describe('dHash', () => {
  it.each([
    // Brighter to the right: no cell is brighter than its right neighbour.
    ['a gradient brightening to the right', grey(90, 80, (x) => x * 2), '0000000000000000'],
    ['a gradient darkening to the right', grey(90, 80, (x) => 255 - x * 2), 'ffffffffffffffff'],
    ['a flat grey', grey(90, 80, () => 128), '0000000000000000'],
    // Columns alternate dark/bright: bits alternate 0 (dark < bright), 1 (bright > dark) in each row.
    ['stripes, one column of the grid each', grey(9, 8, (x) => (x % 2 === 0 ? 10 : 200)), '5555555555555555'],
    // Upper half darkening to the right, lower half brightening: the first 32 bits set.
    ['two halves', grey(18, 16, (x, y) => (y < 8 ? 200 - x * 10 : x * 10)), 'ffffffff00000000'],
  ])('of %s is %s', (_name, image, expected) => {
    expect(dHash(image)).toBe(expected);
  });

  it('is null for an image smaller than its 9 x 8 grid', () => {
    expect(dHash(grey(8, 8, () => 0))).toBeNull();
    expect(dHash(grey(9, 7, () => 0))).toBeNull();
  });

  it('reads RGB and RGBA by brightness: a grey RGB picture hashes as its grey self', () => {
    const picture = grey(27, 16, (x, y) => (x * 7 + y * 13) % 256);
    const rgba = new Uint8Array(picture.width * picture.height * 4);
    for (let i = 0; i < picture.width * picture.height; i++) {
      const v = Number(picture.data[i]);
      rgba.set([v, v, v, 255], i * 4);
    }
    expect(dHash({ ...picture, channels: 4, data: rgba })).toBe(dHash(picture));
  });

  const pictures = fc
    .record({ cols: fc.integer({ min: 1, max: 4 }), rows: fc.integer({ min: 1, max: 4 }) })
    .chain(({ cols, rows }) =>
      fc
        .uint8Array({ minLength: cols * 9 * rows * 8, maxLength: cols * 9 * rows * 8 })
        .map((data): Pixels => ({ width: cols * 9, height: rows * 8, channels: 1, data })),
    );

  it('does not change when the whole picture gets brighter (without clipping)', () => {
    fc.assert(
      fc.property(pictures, fc.integer({ min: 1, max: 100 }), (picture, lift) => {
        const dim = Uint8Array.from(picture.data as Uint8Array, (v) => Math.floor(v / 2));
        const lifted = dim.map((v) => v + lift);
        expect(dHash({ ...picture, data: lifted })).toBe(dHash({ ...picture, data: dim }));
      }),
    );
  });

  it('does not change when the picture is enlarged by a whole factor', () => {
    fc.assert(
      fc.property(pictures, fc.integer({ min: 2, max: 3 }), (picture, k) => {
        const big = grey(picture.width * k, picture.height * k, (x, y) =>
          Number(picture.data[Math.floor(y / k) * picture.width + Math.floor(x / k)]),
        );
        expect(dHash(big)).toBe(dHash(picture));
      }),
    );
  });

  it('sets every bit that the mirror image clears, where no two neighbours are equal', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 255 }), { minLength: 72, maxLength: 72 }),
        (cells) => {
          const picture = grey(9, 8, (x, y) => cells[y * 9 + x] ?? 0);
          const mirror = grey(9, 8, (x, y) => cells[y * 9 + (8 - x)] ?? 0);
          const a = dHash(picture) ?? '';
          const b = dHash(mirror) ?? '';
          // Mirroring reverses each row's comparisons: row bits come out inverted and reversed.
          const bits = (h: string) =>
            [...h].flatMap((d) => Number.parseInt(d, 16).toString(2).padStart(4, '0').split(''));
          const rowsOf = (h: string) => Array.from({ length: 8 }, (_, r) => bits(h).slice(r * 8, r * 8 + 8));
          rowsOf(a).forEach((row, r) => {
            expect(row.map((bit) => (bit === '1' ? '0' : '1')).reverse()).toEqual(rowsOf(b)[r]);
          });
        },
      ),
    );
  });
});

describe('hammingDistance', () => {
  it.each([
    ['0000000000000000', '0000000000000000', 0],
    ['0000000000000000', 'ffffffffffffffff', 64],
    ['0000000000000001', '0000000000000000', 1],
    ['f0f0f0f0f0f0f0f0', '0f0f0f0f0f0f0f0f', 64],
    ['8000000000000001', '0000000000000000', 2],
  ])('%s vs %s: %d bits', (a, b, expected) => {
    expect(hammingDistance(a, b)).toBe(expected);
  });

  it('refuses what is not a 64-bit hex hash', () => {
    expect(() => hammingDistance('abc', '0000000000000000')).toThrow(RangeError);
  });

  it('is a metric on 64-bit hashes', () => {
    fc.assert(
      fc.property(hex, hex, hex, (a, b, c) => {
        expect(hammingDistance(a, a)).toBe(0);
        expect(hammingDistance(a, b)).toBe(hammingDistance(b, a));
        expect(hammingDistance(a, c)).toBeLessThanOrEqual(hammingDistance(a, b) + hammingDistance(b, c));
        expect(hammingDistance(a, b) === 0).toBe(a === b);
      }),
    );
  });
});
