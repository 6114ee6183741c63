/**
 * A perceptual hash of a photo: the 64-bit difference hash (dHash). The image is reduced to a
 * 9 x 8 grid of mean brightness, and each bit says whether a cell is brighter than its right
 * neighbour. Re-encoding at another quality, resizing or a small change of brightness moves few
 * bits, so an old photo sent again as new bytes (another SHA-256) still lands within a small
 * Hamming distance of the original. Pure: pixels in, hex out.
 */

/** Decoded pixels, row by row, `channels` bytes a pixel (1 grey, 3 RGB, 4 RGBA). */
export interface Pixels {
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
  data: ArrayLike<number>;
}

const columns = 9;
const rows = 8;

/** The difference hash as 16 lowercase hex digits, or null for an image smaller than 9 x 8. */
export function dHash(image: Pixels): string | null {
  const { width, height } = image;
  if (width < columns || height < rows) return null;
  const sums = new Array<number>(columns * rows).fill(0);
  const areas = new Array<number>(columns * rows).fill(0);
  const cellOfX = Array.from({ length: width }, (_, x) => Math.floor((x * columns) / width));
  for (let y = 0; y < height; y++) {
    const row = Math.floor((y * rows) / height) * columns;
    for (let x = 0; x < width; x++) {
      const cell = row + (cellOfX[x] ?? 0);
      sums[cell] = (sums[cell] ?? 0) + luma(image, (y * width + x) * image.channels);
      areas[cell] = (areas[cell] ?? 0) + 1;
    }
  }
  let hex = '';
  let nibble = 0;
  for (let row = 0; row < rows; row++) {
    for (let column = 0; column < columns - 1; column++) {
      const left = row * columns + column;
      const right = left + 1;
      // Means compared exactly by cross-multiplying the integer sums with the other cell's area.
      const brighter = (sums[left] ?? 0) * (areas[right] ?? 0) > (sums[right] ?? 0) * (areas[left] ?? 0);
      nibble = (nibble << 1) | (brighter ? 1 : 0);
      if ((row * (columns - 1) + column) % 4 === 3) {
        hex += nibble.toString(16);
        nibble = 0;
      }
    }
  }
  return hex;
}

/** Brightness of one pixel in thousandths (ITU-R BT.601 weights), an integer so sums stay exact. */
function luma(image: Pixels, at: number): number {
  const { data, channels } = image;
  if (channels <= 2) return (data[at] ?? 0) * 1000;
  return 299 * (data[at] ?? 0) + 587 * (data[at + 1] ?? 0) + 114 * (data[at + 2] ?? 0);
}

const hashPattern = /^[0-9a-f]{16}$/;

/** How many of the 64 bits two hashes differ in (0 = the same picture to this hash). */
export function hammingDistance(a: string, b: string): number {
  if (!hashPattern.test(a) || !hashPattern.test(b)) throw new RangeError('not a 64-bit hex hash');
  let distance = 0;
  for (let i = 0; i < 16; i++) {
    let bits = Number.parseInt(a[i] ?? '0', 16) ^ Number.parseInt(b[i] ?? '0', 16);
    while (bits) {
      distance += bits & 1;
      bits >>= 1;
    }
  }
  return distance;
}
