/** What the verifier accepts as a file of a signed record's scan. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { pdfDefect, scanVerdict } from '#domain/scan.ts';
import { pictureJpeg } from '#tests/support/images.ts';

const pdf = Buffer.from('%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');
const hash = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const stored = (bytes: Buffer) => ({ size: bytes.length, sha256: hash(bytes), bytes });
const declared = (bytes: Buffer, contentType: 'application/pdf' | 'image/jpeg') => ({
  sizeBytes: bytes.length,
  sha256: hash(bytes),
  contentType,
});

describe('scan files', () => {
  it('accepts a whole PDF, with or without a line end after %%EOF', () => {
    expect(pdfDefect(pdf)).toBeNull();
    expect(pdfDefect(Buffer.from('%PDF-1.4\r\n%%EOF'))).toBeNull();
  });

  it('refuses what is not a PDF, a PDF cut short and data after its end', () => {
    expect(pdfDefect(Buffer.from('<html>%PDF-1.4 %%EOF</html>'))).toBe('type_mismatch');
    expect(pdfDefect(pdf.subarray(0, pdf.length - 8))).toBe('truncated_file');
    expect(pdfDefect(Buffer.concat([pdf, Buffer.from('<script>alert(1)</script>')]))).toBe('trailing_data');
  });

  it('checks size, hash, then type and structure, for PDFs and JPEG pages', () => {
    const page = pictureJpeg(2, 80);
    expect(scanVerdict(declared(page, 'image/jpeg'), stored(page))).toBeNull();
    expect(scanVerdict(declared(pdf, 'application/pdf'), stored(pdf))).toBeNull();
    expect(scanVerdict({ ...declared(pdf, 'application/pdf'), sizeBytes: 1 }, stored(pdf))).toBe(
      'size_mismatch',
    );
    expect(scanVerdict({ ...declared(pdf, 'application/pdf'), sha256: '0'.repeat(64) }, stored(pdf))).toBe(
      'checksum_mismatch',
    );
    expect(scanVerdict(declared(pdf, 'image/jpeg'), stored(pdf))).toBe('type_mismatch');
    const cut = page.subarray(0, page.length - 100);
    expect(scanVerdict(declared(cut, 'image/jpeg'), stored(cut))).toBe('truncated_file');
    expect(scanVerdict(declared(page, 'application/pdf'), stored(page))).toBe('type_mismatch');
  });
});
