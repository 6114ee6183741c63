/**
 * Draws the app's icons (a white clipboard with a check mark on the theme blue) as PNG files
 * without any image library: run `npx tsx web/build/make-icons.ts` after changing the design;
 * the PNGs are committed. The maskable icon keeps its drawing inside the central 80 % safe zone.
 */
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const blue = [0x0b, 0x53, 0x94];
const white = [0xff, 0xff, 0xff];

function crc32(bytes: Uint8Array): number {
  let crc = ~0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k += 1) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

function png(size: number, pixel: (x: number, y: number) => number[]): Buffer {
  const raw = Buffer.alloc(size * (size * 3 + 1));
  for (let y = 0; y < size; y += 1) {
    raw[y * (size * 3 + 1)] = 0;
    for (let x = 0; x < size; x += 1) {
      const [r = 0, g = 0, b = 0] = pixel(x, y);
      const at = y * (size * 3 + 1) + 1 + x * 3;
      raw[at] = r;
      raw[at + 1] = g;
      raw[at + 2] = b;
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // truecolour RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', new Uint8Array()),
  ]);
}

/** Distance from point p to segment ab. */
function toSegment(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/** The drawing in unit coordinates (0..1), scaled by `zone` around the centre. */
function icon(size: number, zone: number): Buffer {
  return png(size, (x, y) => {
    const u = ((x + 0.5) / size - 0.5) / zone + 0.5;
    const v = ((y + 0.5) / size - 0.5) / zone + 0.5;
    const board = u > 0.24 && u < 0.76 && v > 0.2 && v < 0.84;
    const clip = u > 0.38 && u < 0.62 && v > 0.14 && v < 0.26;
    const check =
      toSegment(u, v, 0.34, 0.53, 0.46, 0.65) < 0.045 || toSegment(u, v, 0.46, 0.65, 0.67, 0.4) < 0.045;
    if (check && board) return blue;
    return board || clip ? white : blue;
  });
}

const dir = new URL('../public/icons/', import.meta.url);
writeFileSync(new URL('icon-192.png', dir), icon(192, 1));
writeFileSync(new URL('icon-512.png', dir), icon(512, 1));
writeFileSync(new URL('icon-maskable-512.png', dir), icon(512, 0.7));
