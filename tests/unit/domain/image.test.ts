import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { detectImageType, photoFileExtension, photoVerdict } from '#domain/image.ts';
import { htmlPayload, jpegBytes, tinyJpeg } from '#tests/support/images.ts';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

const bytes = (...values: number[]) => new Uint8Array(values);
const text = (s: string) => [...s].map((c) => c.charCodeAt(0));

describe('image types by magic numbers', () => {
  it.each([
    ['image/jpeg', bytes(0xff, 0xd8, 0xff, 0xe1, 0, 0)],
    ['image/png', bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0)],
    ['image/webp', bytes(...text('RIFF'), 1, 2, 3, 4, ...text('WEBPVP8 '))],
    ['image/heic', bytes(0, 0, 0, 24, ...text('ftypheic'), 0, 0)],
    ['image/heic', bytes(0, 0, 0, 24, ...text('ftypmif1'), 0, 0)],
  ])('recognises %s', (type, head) => {
    expect(detectImageType(head)).toBe(type);
  });

  it.each([
    ['text', bytes(...text('hello world!'))],
    ['an mp4', bytes(0, 0, 0, 24, ...text('ftypisom'))],
    ['too short', bytes(0xff, 0xd8)],
    ['empty', bytes()],
  ])('refuses %s', (_name, head) => {
    expect(detectImageType(head)).toBeNull();
  });

  it('judges size first, then checksum, then type, then structure', () => {
    const jpeg = jpegBytes(1024);
    const declared = { sizeBytes: 1024, sha256: sha256(jpeg), contentType: 'image/jpeg' as const };
    const stored = { size: 1024, sha256: sha256(jpeg), bytes: new Uint8Array(jpeg) };
    expect(photoVerdict(declared, { ...stored, size: 1023 })).toBe('size_mismatch');
    expect(photoVerdict(declared, { ...stored, bytes: null })).toBe('size_mismatch');
    expect(photoVerdict(declared, { ...stored, sha256: 'b'.repeat(64) })).toBe('checksum_mismatch');
    expect(photoVerdict({ ...declared, contentType: 'image/png' }, stored)).toBe('type_mismatch');
    expect(photoVerdict(declared, stored)).toBeNull();
  });

  // The two fakes, as the verifier sees them: the declared size and hash are the fake's
  // own, so only the structure can tell.
  it.each([
    ['a JPEG header followed by HTML and script', Buffer.concat([tinyJpeg.subarray(0, 20), htmlPayload])],
    ['a complete JPEG followed by HTML and script', Buffer.concat([tinyJpeg, htmlPayload])],
    ['a JPEG cut in half', jpegBytes(4096).subarray(0, 2048)],
  ])('rejects %s', (_name, fake) => {
    const declared = { sizeBytes: fake.length, sha256: sha256(fake), contentType: 'image/jpeg' as const };
    const verdict = photoVerdict(declared, {
      size: fake.length,
      sha256: sha256(fake),
      bytes: new Uint8Array(fake),
    });
    expect(verdict).not.toBeNull();
  });
});

describe('photo downloads', () => {
  it.each([
    ['image/jpeg', 'jpg'],
    ['image/png', 'png'],
    ['image/webp', 'webp'],
    ['image/heic', 'heic'],
  ] as const)('name a %s file *.%s', (type, extension) => {
    expect(photoFileExtension(type)).toBe(extension);
  });
});
