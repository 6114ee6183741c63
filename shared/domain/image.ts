/**
 * What an uploaded file really is. Phones declare a content type, but only the bytes say
 * whether the evidence is the image it claims to be: first its magic numbers, then its whole
 * structure (JPEG segments to EOI, PNG chunks and CRCs to IEND, WebP's RIFF sizes, HEIC's
 * boxes), so neither a JPEG header in front of a web page nor half a photo counts as evidence.
 * Pure (Uint8Array, no Node APIs): the browser can run the same checks before it uploads.
 */
import type { Text } from './problems.ts';
import type { PhotoContentType } from './visit.ts';

const heicBrands = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1']);

function ascii(bytes: Uint8Array, from: number, to: number): string {
  return String.fromCharCode(...bytes.subarray(from, to));
}

/** The image type the first bytes of a file show, or null when they show none of ours. */
export function detectImageType(head: Uint8Array): PhotoContentType | null {
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg';
  if (head.length >= 8 && pngSignature.every((byte, i) => head[i] === byte)) return 'image/png';
  if (head.length >= 12 && ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 12) === 'WEBP') return 'image/webp';
  // ISO base media file: a box size, then `ftyp` and the major brand.
  if (head.length >= 12 && ascii(head, 4, 8) === 'ftyp' && heicBrands.has(ascii(head, 8, 12)))
    return 'image/heic';
  return null;
}

/** Why a file whose magic numbers are right is still not a complete image of its type. */
export type ImageDefect = 'truncated_image' | 'malformed_image' | 'trailing_data';

/** Why the verifier rejects an upload (stable codes, stored as the photo's `reason`). */
export type PhotoRejection = 'size_mismatch' | 'checksum_mismatch' | 'type_mismatch' | ImageDefect;

/** Every `reason` a rejected photo carries: the verifier's verdicts, or evidence replaced after it was verified. */
export type PhotoReason = PhotoRejection | 'replaced';

/** What each reason means, for the phone and the console to show beside the code. */
export const photoReasonTexts: Readonly<Record<PhotoReason, Text>> = {
  size_mismatch: {
    vi: 'Kích thước tệp khác với kích thước đã khai báo.',
    en: 'The file size differs from the declared size.',
  },
  checksum_mismatch: {
    vi: 'Mã SHA-256 của tệp khác với mã đã khai báo.',
    en: "The file's SHA-256 differs from the declared one.",
  },
  type_mismatch: {
    vi: 'Nội dung tệp không phải loại ảnh đã khai báo.',
    en: 'The file is not the declared image type.',
  },
  truncated_image: {
    vi: 'Ảnh bị cắt cụt: tệp kết thúc trước khi ảnh kết thúc.',
    en: 'The image is truncated: the file ends before the image does.',
  },
  malformed_image: {
    vi: 'Cấu trúc ảnh bị hỏng hoặc không hợp lệ.',
    en: 'The image structure is broken or not valid.',
  },
  trailing_data: {
    vi: 'Sau ảnh còn dữ liệu không được chấp nhận (ví dụ mã HTML hoặc script).',
    en: 'Data that is not accepted follows the image (HTML or script, for instance).',
  },
  replaced: {
    vi: 'Tệp ảnh đã bị thay thế sau khi được xác minh.',
    en: 'The file was replaced after it was verified.',
  },
};

const extensions: Readonly<Record<PhotoContentType, string>> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/heic': 'heic',
};

/** The file name extension of a photo's type, for the name a download is saved under. */
export function photoFileExtension(type: PhotoContentType): string {
  return extensions[type];
}

/**
 * The verifier's verdict on an uploaded object against what the phone declared: null when it is
 * the declared image, else why it is rejected (size first, then checksum, then type, then the
 * file's structure). `bytes` is null when the object was larger than declared and was not read.
 */
export function photoVerdict(
  declared: { sizeBytes: number; sha256: string; contentType: PhotoContentType },
  stored: { size: number; sha256: string; bytes: Uint8Array | null },
): PhotoRejection | null {
  if (stored.size !== declared.sizeBytes || stored.bytes === null) return 'size_mismatch';
  if (stored.sha256 !== declared.sha256) return 'checksum_mismatch';
  if (detectImageType(stored.bytes) !== declared.contentType) return 'type_mismatch';
  return imageDefect(stored.bytes, declared.contentType);
}

/** Thrown inside the parsers and caught once in imageDefect: the first defect found decides. */
class StructureError extends Error {
  constructor(readonly defect: ImageDefect) {
    super(defect);
  }
}

function fail(defect: ImageDefect): never {
  throw new StructureError(defect);
}

/**
 * Whether `bytes` is one complete image of `type`, and if not, why. Nothing after the image is
 * accepted, except, after a JPEG, what phones append there: further complete JPEGs (MPF gain
 * maps and depth maps) and a motion photo's video (docs/photos.md).
 */
export function imageDefect(bytes: Uint8Array, type: PhotoContentType): ImageDefect | null {
  if (detectImageType(bytes) !== type) return bytes.length < 12 ? 'truncated_image' : 'malformed_image';
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  try {
    switch (type) {
      case 'image/jpeg':
        return jpegTrailerDefect(bytes, view, jpegEnd(bytes, view, 0));
      case 'image/png':
        checkPng(bytes, view);
        return null;
      case 'image/webp':
        checkWebp(bytes, view);
        return null;
      case 'image/heic':
        checkHeic(bytes, view);
        return null;
    }
  } catch (error) {
    if (error instanceof StructureError) return error.defect;
    // A read past the end that the explicit checks missed: the file ends before its structure.
    if (error instanceof RangeError) return 'truncated_image';
    throw error;
  }
}

// --- JPEG (ITU T.81 annex B) ------------------------------------------------------------------

const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;

const isRestart = (marker: number) => marker >= 0xd0 && marker <= 0xd7;
// SOF0-SOF15, except DHT (C4), JPG (C8) and DAC (CC), which share the range.
const isStartOfFrame = (marker: number) =>
  marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;

/** Where the JPEG that starts at `start` ends (just after its EOI). */
function jpegEnd(bytes: Uint8Array, view: DataView, start: number): number {
  if (start + 2 > bytes.length) fail('truncated_image');
  if (view.getUint8(start) !== 0xff || view.getUint8(start + 1) !== SOI) fail('malformed_image');
  let at = start + 2;
  let framed = false;
  let scanned = false;
  for (;;) {
    if (at >= bytes.length) fail('truncated_image');
    if (view.getUint8(at) !== 0xff) fail('malformed_image');
    // Any marker may be preceded by fill bytes (0xFF).
    while (at < bytes.length && view.getUint8(at) === 0xff) at++;
    if (at >= bytes.length) fail('truncated_image');
    const marker = view.getUint8(at++);
    if (marker === EOI) {
      if (!scanned) fail('malformed_image');
      return at;
    }
    if (marker === 0x01) continue; // TEM stands alone, with no length
    if (marker < 0xc0 || marker === SOI || isRestart(marker)) fail('malformed_image');
    if (at + 2 > bytes.length) fail('truncated_image');
    const length = view.getUint16(at);
    if (length < 2) fail('malformed_image');
    const end = at + length;
    if (end > bytes.length) fail('truncated_image');
    if (isStartOfFrame(marker)) {
      // Length, precision, height, width, component count, then 3 bytes per component.
      if (framed || length < 8) fail('malformed_image');
      const components = view.getUint8(at + 7);
      if (components === 0 || length !== 8 + 3 * components || view.getUint16(at + 5) === 0)
        fail('malformed_image');
      framed = true;
    } else if (marker === SOS) {
      if (!framed || length < 6) fail('malformed_image');
      const components = view.getUint8(at + 2);
      if (components < 1 || components > 4 || length !== 6 + 2 * components) fail('malformed_image');
      at = entropyEnd(bytes, end);
      scanned = true;
      continue;
    }
    at = end;
  }
}

/** The offset of the marker that ends the entropy-coded data starting at `from`. */
function entropyEnd(bytes: Uint8Array, from: number): number {
  for (let at = bytes.indexOf(0xff, from); at !== -1; at = bytes.indexOf(0xff, at + 1)) {
    const next = bytes[at + 1];
    if (next === undefined) break;
    // 0xFF00 is a stuffed data byte, RSTn a restart inside the scan, 0xFFFF fill before a marker.
    if (next === 0x00 || next === 0xff || isRestart(next)) continue;
    return at;
  }
  return fail('truncated_image');
}

/**
 * What may follow a JPEG's EOI: further complete JPEGs (MPF secondary images: Ultra HDR gain
 * maps, depth maps), then at most one motion photo video (ISO BMFF, `ftyp` first, boxes to the
 * end of the file), or zero padding. Anything else (a page, a script, garbage) is data no image
 * reader uses, and is refused.
 */
function jpegTrailerDefect(bytes: Uint8Array, view: DataView, from: number): ImageDefect | null {
  let at = from;
  while (at < bytes.length) {
    if (bytes[at] === 0xff && bytes[at + 1] === SOI) {
      try {
        at = jpegEnd(bytes, view, at);
      } catch (error) {
        // A broken "image" after the first is not one: it is what follows the image.
        if (error instanceof StructureError && error.defect === 'malformed_image') return 'trailing_data';
        throw error;
      }
      continue;
    }
    if (at + 8 <= bytes.length && ascii(bytes, at + 4, at + 8) === 'ftyp')
      return videoDefect(bytes, view, at);
    return bytes.subarray(at).every((byte) => byte === 0) ? null : 'trailing_data';
  }
  return null;
}

/** A motion photo's video: ISO BMFF boxes from `from` to the end of the file, with a movie. */
function videoDefect(bytes: Uint8Array, view: DataView, from: number): ImageDefect | null {
  const { boxes, problem } = boxesIn(bytes, view, from, bytes.length);
  if (problem === 'overrun') return 'truncated_image';
  if (problem === 'invalid' || !boxes.some((box) => box.type === 'moov')) return 'trailing_data';
  return null;
}

// --- PNG (ISO/IEC 15948) ----------------------------------------------------------------------

const pngSignature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

const crcTable = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (ISO 3309, as PNG uses it) of bytes[from, to). */
export function crc32(bytes: Uint8Array, from = 0, to = bytes.length): number {
  let c = 0xffffffff;
  for (let i = from; i < to; i++) c = (crcTable[(c ^ (bytes[i] ?? 0)) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

// Allowed bit depths of each colour type.
const pngDepths: Readonly<Record<number, readonly number[]>> = {
  0: [1, 2, 4, 8, 16],
  2: [8, 16],
  3: [1, 2, 4, 8],
  4: [8, 16],
  6: [8, 16],
};

/** Chunks with length, type and CRC from the signature to IEND, IHDR first; nothing after IEND. */
function checkPng(bytes: Uint8Array, view: DataView): void {
  let at = pngSignature.length;
  let first = true;
  let imageData = false;
  for (;;) {
    if (at + 12 > bytes.length) fail('truncated_image');
    const length = view.getUint32(at);
    if (length > 0x7fffffff || !/^[A-Za-z]{4}$/.test(ascii(bytes, at + 4, at + 8))) fail('malformed_image');
    const type = ascii(bytes, at + 4, at + 8);
    const data = at + 8;
    const end = data + length + 4;
    if (end > bytes.length) fail('truncated_image');
    if (crc32(bytes, at + 4, data + length) !== view.getUint32(data + length)) fail('malformed_image');
    if (first !== (type === 'IHDR')) fail('malformed_image');
    if (type === 'IHDR') {
      const width = view.getUint32(data);
      const height = view.getUint32(data + 4);
      const depth = view.getUint8(data + 8);
      const colour = view.getUint8(data + 9);
      const valid =
        length === 13 &&
        width > 0 &&
        height > 0 &&
        width <= 0x7fffffff &&
        height <= 0x7fffffff &&
        (pngDepths[colour] ?? []).includes(depth) &&
        view.getUint8(data + 10) === 0 &&
        view.getUint8(data + 11) === 0 &&
        view.getUint8(data + 12) <= 1;
      if (!valid) fail('malformed_image');
    }
    if (type === 'IDAT') imageData = true;
    if (type === 'IEND') {
      if (length !== 0 || !imageData) fail('malformed_image');
      if (end !== bytes.length) fail('trailing_data');
      return;
    }
    first = false;
    at = end;
  }
}

// --- WebP (RFC 9649) --------------------------------------------------------------------------

/**
 * The RIFF size is the file size - 8 (or - 9 when it is odd and a zero pad byte follows), and
 * the chunks inside it have consistent sizes: first VP8, VP8L or VP8X, and some image data.
 */
function checkWebp(bytes: Uint8Array, view: DataView): void {
  const riffSize = view.getUint32(4, true);
  const riffEnd = 8 + riffSize;
  if (riffEnd > bytes.length) fail('truncated_image');
  if (riffSize < 12) fail('malformed_image');
  const padded = riffSize % 2 === 1 && bytes.length === riffEnd + 1 && bytes[riffEnd] === 0;
  if (bytes.length !== riffEnd && !padded) fail('trailing_data');
  let at = 12;
  let image = false;
  while (at < riffEnd) {
    if (at + 8 > riffEnd) fail('malformed_image');
    const type = fourCC(bytes, at);
    const size = view.getUint32(at + 4, true);
    const data = at + 8;
    if (type === null || data + size > riffEnd) fail('malformed_image');
    if (at === 12) {
      if (type === 'VP8 ') {
        // A key frame: frame tag bit 0 clear, start code 9D 01 2A, then non-zero width and height.
        const valid =
          size >= 10 &&
          (view.getUint8(data) & 1) === 0 &&
          view.getUint8(data + 3) === 0x9d &&
          view.getUint8(data + 4) === 0x01 &&
          view.getUint8(data + 5) === 0x2a &&
          (view.getUint16(data + 6, true) & 0x3fff) > 0 &&
          (view.getUint16(data + 8, true) & 0x3fff) > 0;
        if (!valid) fail('malformed_image');
      } else if (type === 'VP8L') {
        if (size < 5 || view.getUint8(data) !== 0x2f) fail('malformed_image');
      } else if (type !== 'VP8X' || size < 10) {
        fail('malformed_image');
      }
    }
    if (type === 'VP8 ' || type === 'VP8L' || type === 'ANMF') image = true;
    // Odd chunks are padded to even; the pad of a last chunk may be the file's own pad byte.
    at = Math.min(data + size + (size % 2), riffEnd);
  }
  if (!image) fail('malformed_image');
}

// --- HEIC (ISO/IEC 14496-12 and 23008-12) -----------------------------------------------------

interface Box {
  type: string;
  start: number;
  /** Where the payload starts, after size, type, largesize and a uuid's extended type. */
  payload: number;
  end: number;
}

/** A box type: four printable ASCII characters (or ©, which QuickTime metadata types use). */
function fourCC(bytes: Uint8Array, at: number): string | null {
  if (at + 4 > bytes.length) return null;
  for (let i = at; i < at + 4; i++) {
    const c = bytes[i] ?? 0;
    if ((c < 0x20 || c > 0x7e) && c !== 0xa9) return null;
  }
  return ascii(bytes, at, at + 4);
}

/**
 * The boxes that tile [from, to), as far as they do: `overrun` when a box's size goes past `to`,
 * `invalid` when a header is not a box (no type, or a size smaller than its header).
 */
function boxesIn(
  bytes: Uint8Array,
  view: DataView,
  from: number,
  to: number,
): { boxes: Box[]; problem: 'overrun' | 'invalid' | null } {
  const boxes: Box[] = [];
  let at = from;
  while (at < to) {
    if (at + 8 > to) return { boxes, problem: 'overrun' };
    const size32 = view.getUint32(at);
    const type = fourCC(bytes, at + 4);
    if (type === null) return { boxes, problem: 'invalid' };
    let header = 8;
    let size = size32;
    if (size32 === 1) {
      // A 64-bit largesize follows the type; past 2^53 it cannot fit any file we accept anyway.
      if (at + 16 > to) return { boxes, problem: 'overrun' };
      const high = view.getUint32(at + 8);
      size = high > 0x1fffff ? Number.MAX_SAFE_INTEGER : high * 2 ** 32 + view.getUint32(at + 12);
      header = 16;
    } else if (size32 === 0) {
      size = to - at; // the last box, to the end of the file
    }
    if (type === 'uuid') header += 16;
    if (size < header) return { boxes, problem: 'invalid' };
    if (at + size > to) return { boxes, problem: 'overrun' };
    boxes.push({ type, start: at, payload: at + header, end: at + size });
    at += size;
  }
  return { boxes, problem: null };
}

/**
 * Top-level boxes to the end of the file, `ftyp` first with a HEIF brand, one `meta` with a
 * `pict` handler, and an `iloc` whose every item's bytes lie inside the file: a HEIC cut at a
 * box boundary still loses the image data its `iloc` points to.
 */
function checkHeic(bytes: Uint8Array, view: DataView): void {
  const { boxes, problem } = boxesIn(bytes, view, 0, bytes.length);
  if (problem === 'overrun') fail('truncated_image');
  if (problem === 'invalid') fail(boxes.length === 0 ? 'malformed_image' : 'trailing_data');
  const [fileType] = boxes;
  if (fileType?.type !== 'ftyp') fail('malformed_image');
  const brandsLength = fileType.end - fileType.payload;
  if (brandsLength < 8 || brandsLength % 4 !== 0) fail('malformed_image');
  const brands = [ascii(bytes, fileType.payload, fileType.payload + 4)];
  for (let at = fileType.payload + 8; at < fileType.end; at += 4) brands.push(ascii(bytes, at, at + 4));
  if (!brands.some((brand) => heicBrands.has(brand))) fail('malformed_image');

  const metas = boxes.filter((box) => box.type === 'meta');
  const [meta] = metas;
  if (!meta || metas.length > 1) fail('malformed_image');
  // `meta` is a full box: version and flags, then its children.
  const children = boxesIn(bytes, view, meta.payload + 4, meta.end);
  if (meta.payload + 4 > meta.end || children.problem !== null) fail('malformed_image');
  const child = (type: string) => children.boxes.find((box) => box.type === type);
  const handler = child('hdlr');
  if (
    !handler ||
    handler.payload + 12 > handler.end ||
    ascii(bytes, handler.payload + 8, handler.payload + 12) !== 'pict'
  )
    fail('malformed_image');
  const locations = child('iloc');
  if (!locations) fail('malformed_image');
  checkItemLocations(bytes, view, locations, child('idat'));
}

/** Every extent `iloc` names lies inside the file (or inside `idat`, for construction method 1). */
function checkItemLocations(bytes: Uint8Array, view: DataView, iloc: Box, idat: Box | undefined): void {
  let at = iloc.payload;
  const take = (size: number): number => {
    if (at + size > iloc.end) fail('malformed_image');
    const value =
      size === 0
        ? 0
        : size === 1
          ? view.getUint8(at)
          : size === 2
            ? view.getUint16(at)
            : size === 4
              ? view.getUint32(at)
              : view.getUint32(at) * 2 ** 32 + view.getUint32(at + 4);
    at += size;
    return value;
  };
  const version = take(1);
  take(3); // flags
  if (version > 2) fail('malformed_image');
  const sizes = take(1);
  const more = take(1);
  const offsetSize = sizes >> 4;
  const lengthSize = sizes & 0x0f;
  const baseOffsetSize = more >> 4;
  const indexSize = version === 0 ? 0 : more & 0x0f;
  if (![offsetSize, lengthSize, baseOffsetSize, indexSize].every((size) => [0, 4, 8].includes(size)))
    fail('malformed_image');
  const items = take(version < 2 ? 2 : 4);
  for (let item = 0; item < items; item++) {
    take(version < 2 ? 2 : 4); // item ID
    const method = version === 0 ? 0 : take(2) & 0x0f;
    const reference = take(2);
    const base = take(baseOffsetSize);
    const extents = take(2);
    for (let extent = 0; extent < extents; extent++) {
      take(indexSize);
      const offset = take(offsetSize);
      const length = take(lengthSize);
      // Data in another file (a data reference) or in another item cannot be checked here.
      if (reference !== 0 || method > 1) continue;
      if (method === 1 && !idat) fail('malformed_image');
      const start = method === 1 && idat ? idat.payload + base + offset : base + offset;
      const limit = method === 1 && idat ? idat.end : bytes.length;
      // Length 0 means "to the end of the source".
      if (start > limit || start + length > limit) fail(method === 0 ? 'truncated_image' : 'malformed_image');
    }
  }
}
