/**
 * What an uploaded file really is, by its magic numbers: phones declare a content type, but
 * only the bytes say whether the evidence is the image it claims to be.
 */
import type { PhotoContentType } from './visit.ts';

const heicBrands = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1']);

function ascii(bytes: Uint8Array, from: number, to: number): string {
  return String.fromCharCode(...bytes.subarray(from, to));
}

/** The image type the first bytes of a file show, or null when they show none of ours. */
export function detectImageType(head: Uint8Array): PhotoContentType | null {
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg';
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (head.length >= 8 && png.every((byte, i) => head[i] === byte)) return 'image/png';
  if (head.length >= 12 && ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 12) === 'WEBP') return 'image/webp';
  // ISO base media file: a box size, then `ftyp` and the major brand.
  if (head.length >= 12 && ascii(head, 4, 8) === 'ftyp' && heicBrands.has(ascii(head, 8, 12)))
    return 'image/heic';
  return null;
}

export type PhotoRejection = 'size_mismatch' | 'checksum_mismatch' | 'type_mismatch';

/**
 * The verifier's verdict on an uploaded object against what the phone declared: null when it is
 * the declared image, else why it is rejected (size first, then checksum, then type).
 */
export function photoVerdict(
  declared: { sizeBytes: number; sha256: string; contentType: PhotoContentType },
  stored: { size: number; sha256: string; head: Uint8Array },
): PhotoRejection | null {
  if (stored.size !== declared.sizeBytes) return 'size_mismatch';
  if (stored.sha256 !== declared.sha256) return 'checksum_mismatch';
  if (detectImageType(stored.head) !== declared.contentType) return 'type_mismatch';
  return null;
}
