/**
 * Real, structurally complete images for tests, the e2e run and the README walkthrough: the
 * verifier checks every file's whole structure, so a magic number followed by noise is no
 * longer a photo. Each builder is independent of the verifier's own parser (the PNG CRCs come
 * from node:zlib), so a test can catch the parser being wrong rather than agreeing with itself.
 */
import { randomBytes } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';
import jpeg from 'jpeg-js';

/**
 * A 1x1 grey baseline JPEG (DQT, SOF0, two one-code Huffman tables, one scan, EOI), 141 bytes:
 * jpeg-js and Chromium both decode it.
 */
export const tinyJpeg: Buffer = Buffer.from(
  '/9j/2wBDAAEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQH/wAALCAABAAEBAREA/8QAFAABAAAAAAAAAAAAAAAAAAAAAP/EABQQAQAAAAAAAAAAAAAAAAAAAAD/2gAIAQEAAD8AP//Z',
  'base64',
);

const maxSegmentData = 0xffff - 2;

/**
 * A valid JPEG of exactly `size` bytes: the tiny JPEG with comment (COM) segments of random
 * bytes after SOI, so two calls give different bytes (and different SHA-256) of the same size.
 */
export function jpegBytes(size = 2048): Buffer {
  let padding = size - tinyJpeg.length;
  if (padding < 0 || (padding > 0 && padding < 4))
    throw new Error(`a JPEG here is ${tinyJpeg.length} bytes, or at least 4 more`);
  const segments: Buffer[] = [];
  while (padding > 0) {
    // Leave at least 4 bytes for the last segment, so every segment has its marker and length.
    let data = Math.min(maxSegmentData, padding - 4);
    if (padding - (data + 4) > 0 && padding - (data + 4) < 4) data -= 4;
    const segment = Buffer.alloc(4 + data);
    segment.set([0xff, 0xfe, (data + 2) >> 8, (data + 2) & 0xff]);
    randomBytes(data).copy(segment, 4);
    segments.push(segment);
    padding -= segment.length;
  }
  return Buffer.concat([tinyJpeg.subarray(0, 2), ...segments, tinyJpeg.subarray(2)]);
}

/** One PNG chunk: length, type, data, CRC-32 of type and data. */
export function pngChunk(type: string, data: Buffer): Buffer {
  const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

export const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A real PNG of `size` x `size` RGB pixels of one colour (different colours give different bytes). */
export function solidPng(size: number, rgb: [number, number, number]): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: size }, () => rgb).flat())]);
  const pixels = Buffer.concat(Array.from({ length: size }, () => row));
  return Buffer.concat([
    pngSignature,
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(pixels)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * A 1x1 lossless WebP (RIFF size 26, one VP8L chunk of 13 bytes and its pad byte), the image
 * browsers' WebP feature tests use; Chromium decodes it.
 */
export const tinyWebp: Buffer = Buffer.from('UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==', 'base64');

/** An ISO BMFF box: 32-bit size, type, payload. */
export function box(type: string, ...payload: Buffer[]): Buffer {
  const body = Buffer.concat(payload);
  const header = Buffer.alloc(8);
  header.writeUInt32BE(8 + body.length, 0);
  header.write(type, 4, 'latin1');
  return Buffer.concat([header, body]);
}

/** A full box: a box whose payload starts with version and flags. */
export function fullBox(type: string, ...payload: Buffer[]): Buffer {
  return box(type, Buffer.alloc(4), ...payload);
}

/** An `ftyp` box: major brand, minor version 0, compatible brands. */
export function ftyp(major: string, ...compatible: string[]): Buffer {
  return box(
    'ftyp',
    Buffer.from(major, 'latin1'),
    Buffer.alloc(4),
    Buffer.from(compatible.join(''), 'latin1'),
  );
}

/** A big-endian unsigned integer of `bytes` bytes. */
function uint(value: number, bytes: 2 | 4): Buffer {
  const buffer = Buffer.alloc(bytes);
  if (bytes === 2) buffer.writeUInt16BE(value);
  else buffer.writeUInt32BE(value);
  return buffer;
}

/**
 * The box structure of a HEIC still as a phone writes it: `ftyp` (heic, compatible mif1), a
 * `meta` box with a `pict` handler, its primary item and an `iloc` placing that item's bytes in
 * `mdat`, then `mdat`. The HEVC bytes are filler: the verifier checks the container and that
 * every item's bytes are in the file, not the codec's bitstream.
 */
export function heicBytes(mdatBytes = 64): Buffer {
  const handler = fullBox('hdlr', Buffer.alloc(4), Buffer.from('pict', 'latin1'), Buffer.alloc(13));
  const primary = fullBox('pitm', uint(1, 2));
  // Version 0, 4-byte offsets and lengths, no base offset; one item with one extent.
  const location = (offset: number) =>
    fullBox(
      'iloc',
      Buffer.from([0x44, 0x00]),
      uint(1, 2),
      uint(1, 2),
      uint(0, 2),
      uint(1, 2),
      uint(offset, 4),
      uint(mdatBytes, 4),
    );
  const head = ftyp('heic', 'mif1', 'heic');
  const metaSize = fullBox('meta', handler, primary, location(0)).length;
  const meta = fullBox('meta', handler, primary, location(head.length + metaSize + 8));
  return Buffer.concat([head, meta, box('mdat', randomBytes(mdatBytes))]);
}

/**
 * The video a motion photo appends after its JPEG's EOI (Google's Motion Photo / MicroVideo):
 * an MP4's top-level boxes, `ftyp` first.
 */
export function mp4Bytes(mdatBytes = 256): Buffer {
  return Buffer.concat([
    ftyp('mp42', 'isom', 'mp42'),
    box('moov', fullBox('mvhd', Buffer.alloc(96))),
    box('mdat', randomBytes(mdatBytes)),
  ]);
}

/** What an attacker appends to pass a magic-number check: a page that runs script. */
export const htmlPayload = Buffer.from(
  '<!DOCTYPE html><html><body><script>fetch("/v1/visits").then((r) => r.text()).then(alert)</script></body></html>',
  'utf8',
);

/**
 * A picture as a JPEG of the given quality (jpeg-js's encoder): a scene of soft gradients and
 * blocks, the same for the same `scene`, so two qualities of one scene are one picture in two
 * files (different bytes and SHA-256, nearly the same dHash).
 */
export function pictureJpeg(scene: number, quality: number, width = 320, height = 240): Buffer {
  const data = Buffer.alloc(width * height * 4);
  // Block brightnesses drawn from a small LCG seeded by the scene: scenes differ block by block.
  let seed = scene * 2_654_435_761;
  const blocks = Array.from({ length: 8 * 8 }, () => {
    seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
    return (seed >>> 16) % 200;
  });
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      const block = blocks[Math.floor((y * 8) / height) * 8 + Math.floor((x * 8) / width)] ?? 0;
      data[i] = (block + x) % 256;
      data[i + 1] = (block * 2 + y) % 256;
      data[i + 2] = (255 - block + scene * 40) % 256;
      data[i + 3] = 255;
    }
  }
  return Buffer.from(jpeg.encode({ data, width, height }, quality).data);
}

/**
 * The JPEG with an EXIF APP1 segment after SOI, as a camera writes one: DateTimeOriginal in the
 * Exif IFD and GPS latitude and longitude (degrees, minutes, seconds as rationals) in the GPS IFD.
 * Built by hand from the TIFF 6 / EXIF 2.3 layout, so the reader is tested against the standard.
 */
export function withExif(
  jpegFile: Buffer,
  exif: { dateTimeOriginal?: string; lat?: number; lng?: number },
): Buffer {
  type Entry = { tag: number; type: number; count: number; value: Buffer };
  const ascii = (text: string) => Buffer.from(`${text}\0`, 'latin1');
  const rationals = (degrees: number) => {
    const value = Math.abs(degrees);
    const d = Math.floor(value);
    const m = Math.floor((value - d) * 60);
    const s = Math.round(((value - d) * 60 - m) * 60 * 10_000);
    const out = Buffer.alloc(24);
    for (const [k, n] of [d, 1, m, 1, s, 10_000].entries()) out.writeUInt32BE(n, k * 4);
    return out;
  };
  const ifd = (entries: Entry[], offset: number): Buffer => {
    // Each IFD: count, 12-byte entries, next-IFD offset 0, then the values longer than 4 bytes.
    const head = Buffer.alloc(2 + entries.length * 12 + 4);
    head.writeUInt16BE(entries.length, 0);
    let dataOffset = offset + head.length;
    const data: Buffer[] = [];
    entries.forEach((entry, k) => {
      const at = 2 + k * 12;
      head.writeUInt16BE(entry.tag, at);
      head.writeUInt16BE(entry.type, at + 2);
      head.writeUInt32BE(entry.count, at + 4);
      if (entry.value.length <= 4) entry.value.copy(head, at + 8);
      else {
        head.writeUInt32BE(dataOffset, at + 8);
        const padded = entry.value.length % 2 ? Buffer.concat([entry.value, Buffer.alloc(1)]) : entry.value;
        data.push(padded);
        dataOffset += padded.length;
      }
    });
    return Buffer.concat([head, ...data]);
  };
  const long = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n);
    return b;
  };
  const exifEntries: Entry[] = exif.dateTimeOriginal
    ? [{ tag: 0x9003, type: 2, count: 20, value: ascii(exif.dateTimeOriginal) }]
    : [];
  const gpsEntries: Entry[] =
    exif.lat !== undefined && exif.lng !== undefined
      ? [
          { tag: 0x0001, type: 2, count: 2, value: ascii(exif.lat >= 0 ? 'N' : 'S') },
          { tag: 0x0002, type: 5, count: 3, value: rationals(exif.lat) },
          { tag: 0x0003, type: 2, count: 2, value: ascii(exif.lng >= 0 ? 'E' : 'W') },
          { tag: 0x0004, type: 5, count: 3, value: rationals(exif.lng) },
        ]
      : [];
  // IFD0 holds the two pointers; its size is fixed by its two entries, so the offsets are known.
  const ifd0Size = 2 + 2 * 12 + 4;
  const exifOffset = 8 + ifd0Size;
  const exifIfd = ifd(exifEntries, exifOffset);
  const gpsOffset = exifOffset + exifIfd.length;
  const gpsIfd = ifd(gpsEntries, gpsOffset);
  const ifd0 = ifd(
    [
      { tag: 0x8769, type: 4, count: 1, value: long(exifOffset) },
      { tag: 0x8825, type: 4, count: 1, value: long(gpsOffset) },
    ],
    8,
  );
  const tiff = Buffer.concat([Buffer.from('MM\0\x2a\0\0\0\x08', 'latin1'), ifd0, exifIfd, gpsIfd]);
  const payload = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const segment = Buffer.alloc(4);
  segment.writeUInt16BE(0xffe1, 0);
  segment.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([jpegFile.subarray(0, 2), segment, payload, jpegFile.subarray(2)]);
}
