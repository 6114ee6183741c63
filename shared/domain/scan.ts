/**
 * The signed record: after the record is signed on paper, staff upload its scan (one PDF, or
 * photos of its pages as JPEGs) through the photos' path, a presigned form per file and the
 * verifier on the bucket's object-created events. What a scan file is and when the verifier
 * accepts it. Pure.
 */
import * as z from 'zod/mini';
import { uuidSchema } from './ids.ts';
import { imageDefect, photoReasonTexts } from './image.ts';
import type { Text } from './problems.ts';

export const scanContentTypes = ['application/pdf', 'image/jpeg'] as const;
export type ScanContentType = (typeof scanContentTypes)[number];

export const scanLimits = {
  /** A scanned record of a few pages at 300 dpi, or one phone photo of a page. */
  fileBytes: 20 * 1024 * 1024,
  /** Files per record (one PDF, or a photo per page). */
  files: 30,
} as const;

/** Body of POST /v1/records/{recordId}/scans: one file of the signed record's scan. */
export const scanInputSchema = z.strictObject({
  fileId: uuidSchema,
  contentType: z.enum(scanContentTypes),
  sizeBytes: z.number().check(z.int(), z.gte(1), z.lte(scanLimits.fileBytes)),
  sha256: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
});
export type ScanInput = z.output<typeof scanInputSchema>;

/** Why the verifier rejects a scan file (stable codes, kept as the file's `reason`). */
export type ScanRejection =
  | 'size_mismatch'
  | 'checksum_mismatch'
  | 'type_mismatch'
  | 'truncated_file'
  | 'malformed_file'
  | 'trailing_data';

export const scanReasonTexts: Readonly<Record<ScanRejection, Text>> = {
  // The same checks as a photo's, said the same way.
  size_mismatch: photoReasonTexts.size_mismatch,
  checksum_mismatch: photoReasonTexts.checksum_mismatch,
  type_mismatch: {
    vi: 'Nội dung tệp không phải loại đã khai báo (PDF hoặc JPEG).',
    en: 'The file is not the declared type (PDF or JPEG).',
  },
  truncated_file: { vi: 'Tệp bị cắt cụt.', en: 'The file is truncated.' },
  malformed_file: { vi: 'Cấu trúc tệp bị hỏng.', en: 'The file structure is broken.' },
  trailing_data: {
    vi: 'Sau nội dung tệp còn dữ liệu không được chấp nhận.',
    en: 'Data that is not accepted follows the file.',
  },
};

const pdfHeader = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-
const eofMarker = [0x25, 0x25, 0x45, 0x4f, 0x46]; // %%EOF

/**
 * Whether `bytes` looks like one whole PDF: `%PDF-` first, and `%%EOF` in its last kilobyte
 * (where every writer ends the file, with at most a line end after it). Its objects are not
 * parsed: the scan is kept for people to read, and downloads are attachments.
 */
export function pdfDefect(bytes: Uint8Array): 'type_mismatch' | 'truncated_file' | 'trailing_data' | null {
  if (bytes.length < pdfHeader.length || pdfHeader.some((byte, i) => bytes[i] !== byte))
    return 'type_mismatch';
  const tail = bytes.subarray(Math.max(0, bytes.length - 1024));
  for (let i = tail.length - eofMarker.length; i >= 0; i--) {
    if (eofMarker.every((byte, j) => tail[i + j] === byte)) {
      const after = tail.subarray(i + eofMarker.length);
      return after.every((byte) => byte === 0x0a || byte === 0x0d || byte === 0x20 || byte === 0x00)
        ? null
        : 'trailing_data';
    }
  }
  return 'truncated_file';
}

/** The verifier's verdict on an uploaded scan file against what was declared (null: accepted). */
export function scanVerdict(
  declared: { sizeBytes: number; sha256: string; contentType: ScanContentType },
  stored: { size: number; sha256: string; bytes: Uint8Array | null },
): ScanRejection | null {
  if (stored.size !== declared.sizeBytes || stored.bytes === null) return 'size_mismatch';
  if (stored.sha256 !== declared.sha256) return 'checksum_mismatch';
  if (declared.contentType === 'application/pdf') return pdfDefect(stored.bytes);
  const defect = imageDefect(stored.bytes, 'image/jpeg');
  if (defect === null || defect === 'trailing_data') return defect;
  // A file that is not a JPEG at all, or one that stops or breaks part way.
  const starts = stored.bytes[0] === 0xff && stored.bytes[1] === 0xd8;
  if (!starts) return 'type_mismatch';
  return defect === 'truncated_image' ? 'truncated_file' : 'malformed_file';
}
