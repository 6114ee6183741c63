import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { imageDefect, photoReasonTexts } from '#domain/image.ts';
import type { PhotoContentType } from '#domain/visit.ts';
import {
  box,
  ftyp,
  fullBox,
  heicBytes,
  htmlPayload,
  jpegBytes,
  mp4Bytes,
  pngChunk,
  pngSignature,
  solidPng,
  tinyJpeg,
  tinyWebp,
} from '#tests/support/images.ts';

const concat = (...parts: Array<Uint8Array | number[]>) => Buffer.concat(parts.map((p) => Buffer.from(p)));
const half = (bytes: Buffer) => bytes.subarray(0, Math.floor(bytes.length / 2));

/** The tiny JPEG with its one byte of entropy-coded data replaced. */
function jpegWithScan(scan: number[]): Buffer {
  const sosEnd = tinyJpeg.length - 3; // before the one scan byte and EOI
  return concat(tinyJpeg.subarray(0, sosEnd), scan, [0xff, 0xd9]);
}

const valid: Array<[string, PhotoContentType, Buffer]> = [
  ['the tiny JPEG', 'image/jpeg', tinyJpeg],
  ['a JPEG with comment segments', 'image/jpeg', jpegBytes(70_000)],
  ['a PNG', 'image/png', solidPng(4, [10, 20, 30])],
  ['the tiny WebP', 'image/webp', tinyWebp],
  ['a HEIC', 'image/heic', heicBytes()],
];

describe('structurally complete images are accepted', () => {
  it.each(valid)('%s', (_name, type, bytes) => {
    expect(imageDefect(bytes, type)).toBeNull();
  });

  it('JPEG: stuffed 0xFF00 and restart markers inside the scan, fill bytes before EOI', () => {
    expect(
      imageDefect(jpegWithScan([0x3f, 0xff, 0x00, 0x12, 0xff, 0xd0, 0x3f, 0xff, 0xff]), 'image/jpeg'),
    ).toBeNull();
  });

  it('JPEG: a progressive image with tables between its scans', () => {
    const sos = tinyJpeg.indexOf(Buffer.from([0xff, 0xda]));
    const dht = tinyJpeg.subarray(tinyJpeg.indexOf(Buffer.from([0xff, 0xc4])), sos);
    const scan = tinyJpeg.subarray(sos, tinyJpeg.length - 2);
    expect(
      imageDefect(concat(tinyJpeg.subarray(0, sos), scan, dht, scan, [0xff, 0xd9]), 'image/jpeg'),
    ).toBeNull();
  });

  it("JPEG: a motion photo's MP4 after EOI (Google Motion Photo / MicroVideo)", () => {
    expect(imageDefect(concat(tinyJpeg, mp4Bytes()), 'image/jpeg')).toBeNull();
  });

  it('JPEG: further complete JPEGs after EOI (MPF, an Ultra HDR gain map), then the video', () => {
    expect(imageDefect(concat(tinyJpeg, jpegBytes(300)), 'image/jpeg')).toBeNull();
    expect(imageDefect(concat(tinyJpeg, tinyJpeg, mp4Bytes()), 'image/jpeg')).toBeNull();
  });

  it('JPEG: zero padding after EOI', () => {
    expect(imageDefect(concat(tinyJpeg, new Uint8Array(16)), 'image/jpeg')).toBeNull();
  });

  it('PNG: ancillary chunks between IHDR and IEND', () => {
    const png = solidPng(2, [1, 2, 3]);
    const iend = png.length - 12;
    const text = pngChunk('tEXt', Buffer.from('Comment\0ok', 'latin1'));
    expect(imageDefect(concat(png.subarray(0, iend), text, png.subarray(iend)), 'image/png')).toBeNull();
  });

  it('WebP: an odd RIFF size followed by its pad byte', () => {
    // A 1-byte unknown chunk (padded) after the image: chunk sizes stay consistent.
    const extra = concat([...Buffer.from('ABCD')], [1, 0, 0, 0, 0x55, 0]);
    const body = concat(tinyWebp.subarray(12), extra);
    const header = Buffer.alloc(12);
    header.write('RIFF', 0, 'latin1');
    // The RIFF size leaves out the last chunk's pad byte, which follows it in the file.
    header.writeUInt32LE(4 + body.length - 1, 4);
    header.write('WEBP', 8, 'latin1');
    expect(imageDefect(concat(header, body), 'image/webp')).toBeNull();
  });

  it('HEIC: a 64-bit largesize box and a last box of size 0 (to the end of the file)', () => {
    const heic = heicBytes();
    const mdatAt = heic.lastIndexOf(Buffer.from('mdat')) - 4;
    const head = heic.subarray(0, mdatAt);
    const payload = Buffer.alloc(80, 7); // covers the item's extent wherever the header ends
    const large = Buffer.alloc(16);
    large.writeUInt32BE(1, 0);
    large.write('mdat', 4, 'latin1');
    large.writeBigUInt64BE(BigInt(16 + payload.length), 8);
    expect(imageDefect(concat(head, large, payload), 'image/heic')).toBeNull();
    const toEnd = Buffer.alloc(8);
    toEnd.write('mdat', 4, 'latin1');
    expect(imageDefect(concat(head, toEnd, payload), 'image/heic')).toBeNull();
  });

  it('HEIC: the mif1 major brand with heic among the compatible ones', () => {
    const heic = heicBytes();
    const ftypSize = heic.readUInt32BE(0);
    expect(
      imageDefect(concat(ftyp('mif1', 'heic', 'mif1'), heic.subarray(ftypSize)), 'image/heic'),
    ).toBeNull();
  });
});

describe('fake and broken images are refused with a reason', () => {
  it.each<[string, PhotoContentType, Buffer, string]>([
    [
      'a complete JPEG followed by HTML and script',
      'image/jpeg',
      concat(tinyJpeg, htmlPayload),
      'trailing_data',
    ],
    [
      'a JPEG header (SOI, APP0) followed by HTML',
      'image/jpeg',
      concat(
        [0xff, 0xd8, 0xff, 0xe0, 0, 16, ...Buffer.from('JFIF\0'), 1, 1, 0, 0, 1, 0, 1, 0, 0],
        htmlPayload,
      ),
      'malformed_image',
    ],
    ['a JPEG cut in half', 'image/jpeg', half(jpegBytes(4096)), 'truncated_image'],
    [
      'a JPEG whose scan never reaches EOI',
      'image/jpeg',
      tinyJpeg.subarray(0, tinyJpeg.length - 2),
      'truncated_image',
    ],
    ['a JPEG with no scan before EOI', 'image/jpeg', concat([0xff, 0xd8, 0xff, 0xd9]), 'malformed_image'],
    [
      'a JPEG then a video then HTML',
      'image/jpeg',
      concat(tinyJpeg, mp4Bytes(), htmlPayload),
      'truncated_image',
    ],
    ['a JPEG then garbage', 'image/jpeg', concat(tinyJpeg, [1, 2, 3, 4, 5, 6, 7, 8, 9]), 'trailing_data'],
    [
      'a JPEG then an MP4 whose last box overruns the file',
      'image/jpeg',
      concat(tinyJpeg, mp4Bytes().subarray(0, 200)),
      'truncated_image',
    ],
    [
      'a JPEG then a video with no moov box',
      'image/jpeg',
      concat(tinyJpeg, ftyp('mp42', 'isom'), box('free', htmlPayload)),
      'trailing_data',
    ],
    [
      'a JPEG then half a second JPEG',
      'image/jpeg',
      concat(tinyJpeg, half(jpegBytes(600))),
      'truncated_image',
    ],
    [
      'a PNG with a bad CRC',
      'image/png',
      (() => {
        const png = Buffer.from(solidPng(4, [1, 2, 3]));
        png[png.length - 13] = (png[png.length - 13] ?? 0) ^ 0xff; // IDAT's last CRC byte
        return png;
      })(),
      'malformed_image',
    ],
    ['a PNG with HTML after IEND', 'image/png', concat(solidPng(4, [1, 2, 3]), htmlPayload), 'trailing_data'],
    ['a PNG cut in half', 'image/png', half(solidPng(16, [9, 9, 9])), 'truncated_image'],
    [
      'a PNG whose first chunk is not IHDR',
      'image/png',
      concat(pngSignature, pngChunk('tEXt', Buffer.from('a\0b')), solidPng(2, [1, 1, 1]).subarray(8)),
      'malformed_image',
    ],
    [
      'a PNG without IDAT',
      'image/png',
      concat(solidPng(2, [1, 1, 1]).subarray(0, 33), pngChunk('IEND', Buffer.alloc(0))),
      'malformed_image',
    ],
    [
      'a WebP whose RIFF size claims more than the file',
      'image/webp',
      (() => {
        const webp = Buffer.from(tinyWebp);
        webp.writeUInt32LE(webp.readUInt32LE(4) + 100, 4);
        return webp;
      })(),
      'truncated_image',
    ],
    ['a WebP with HTML after its RIFF size', 'image/webp', concat(tinyWebp, htmlPayload), 'trailing_data'],
    [
      'a WebP whose chunk overruns the RIFF size',
      'image/webp',
      (() => {
        const webp = Buffer.from(tinyWebp);
        webp.writeUInt32LE(200, 16); // the VP8L chunk's size
        return webp;
      })(),
      'malformed_image',
    ],
    [
      'a WebP whose first chunk is not an image',
      'image/webp',
      (() => {
        const webp = Buffer.from(tinyWebp);
        webp.write('ABCD', 12, 'latin1');
        return webp;
      })(),
      'malformed_image',
    ],
    [
      'a HEIC whose last box overruns the file',
      'image/heic',
      (() => {
        const heic = Buffer.from(heicBytes());
        const mdatAt = heic.lastIndexOf(Buffer.from('mdat')) - 4;
        heic.writeUInt32BE(heic.readUInt32BE(mdatAt) + 1, mdatAt);
        return heic;
      })(),
      'truncated_image',
    ],
    [
      'a HEIC with HTML after its last box',
      'image/heic',
      concat(heicBytes(), htmlPayload),
      'truncated_image',
    ],
    [
      'a HEIC with garbage after its last box',
      'image/heic',
      concat(heicBytes(), [0, 0, 0, 9, 1, 2, 3, 4, 5]),
      'trailing_data',
    ],
    [
      'a HEIC without a meta box',
      'image/heic',
      concat(ftyp('heic', 'mif1', 'heic'), box('mdat', Buffer.alloc(8))),
      'malformed_image',
    ],
    [
      'a HEIC whose meta children overrun it',
      'image/heic',
      concat(ftyp('heic', 'mif1'), fullBox('meta', Buffer.from([0, 0, 1, 0, ...Buffer.from('hdlr')]))),
      'malformed_image',
    ],
    [
      'a HEIC whose handler is not pict',
      'image/heic',
      concat(
        ftyp('heic', 'mif1'),
        fullBox('meta', fullBox('hdlr', Buffer.alloc(4), Buffer.from('vide'), Buffer.alloc(13))),
      ),
      'malformed_image',
    ],
  ])('%s', (_name, type, bytes, reason) => {
    expect(imageDefect(bytes, type)).toBe(reason);
  });

  it.each(valid)('every cut of %s is refused', (_name, type, bytes) => {
    for (let length = 0; length < bytes.length; length++) {
      expect(
        imageDefect(bytes.subarray(0, length), type),
        `${length} of ${bytes.length} bytes`,
      ).not.toBeNull();
    }
  });

  it('never throws, whatever the bytes (each valid image with random bytes overwritten)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...valid),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
        fc.uint8Array({ maxLength: 64 }),
        ([, type, bytes], edits, tail) => {
          const mutated = Buffer.concat([bytes, tail]);
          for (const [at, value] of edits) mutated[at % mutated.length] = value;
          const verdict = imageDefect(mutated, type);
          expect(verdict === null || typeof verdict === 'string').toBe(true);
        },
      ),
    );
  });
});

describe('rejection reasons', () => {
  it('each has a Vietnamese and an English text', () => {
    for (const [code, text] of Object.entries(photoReasonTexts)) {
      expect(code).toMatch(/^[a-z_]+$/);
      expect(text.vi.length).toBeGreaterThan(10);
      expect(text.en.length).toBeGreaterThan(10);
      expect(text.vi).not.toBe(text.en);
    }
    expect(Object.keys(photoReasonTexts).sort()).toEqual([
      'checksum_mismatch',
      'malformed_image',
      'replaced',
      'size_mismatch',
      'trailing_data',
      'truncated_image',
      'type_mismatch',
    ]);
  });
});
