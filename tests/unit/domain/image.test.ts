import { describe, expect, it } from 'vitest';
import { detectImageType, photoVerdict } from '#domain/image.ts';

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

  it('judges size first, then checksum, then type', () => {
    const declared = { sizeBytes: 10, sha256: 'a'.repeat(64), contentType: 'image/jpeg' as const };
    const jpeg = bytes(0xff, 0xd8, 0xff);
    expect(photoVerdict(declared, { size: 9, sha256: 'b'.repeat(64), head: jpeg })).toBe('size_mismatch');
    expect(photoVerdict(declared, { size: 10, sha256: 'b'.repeat(64), head: jpeg })).toBe(
      'checksum_mismatch',
    );
    expect(photoVerdict(declared, { size: 10, sha256: 'a'.repeat(64), head: bytes(0x89, 0x50) })).toBe(
      'type_mismatch',
    );
    expect(photoVerdict(declared, { size: 10, sha256: 'a'.repeat(64), head: jpeg })).toBeNull();
  });
});
