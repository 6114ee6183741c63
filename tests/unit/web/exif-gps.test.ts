/**
 * A gallery photo keeps where it was taken: the app writes the GPS position it read from the
 * original file into the JPEG it re-encoded, and the server's own reader (the verifier's, with
 * exifr) finds it there, so the evidence has a place instead of `no_location`. The JPEG stays a
 * whole, decodable image for the verifier's structure check.
 */
import jpeg from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import { imageReader } from '#adapters/images/reader.ts';
import { photoEvidence } from '#domain/evidence.ts';
import { isPlaceOnEarth } from '#domain/geo.ts';
import { imageDefect } from '#domain/image.ts';
import { pictureJpeg, tinyJpeg } from '#tests/support/images.ts';
import { withGps } from '../../../web/src/photos/exif-gps.ts';

const vinh = { lat: 18.679_612, lng: 105.681_347 };

describe('the GPS position written back into a re-encoded gallery photo', () => {
  it('is read by the verifier as the file’s EXIF place, and the JPEG is still whole', async () => {
    const original = pictureJpeg(1, 85);
    // jpeg-js, like a browser's canvas, writes JFIF APP0 first: the segment goes after it.
    expect([...original.subarray(2, 4)]).toEqual([0xff, 0xe0]);
    const bytes = withGps(original, vinh);
    expect([...bytes.subarray(2, 4)]).toEqual([0xff, 0xe0]);
    expect(imageDefect(bytes, 'image/jpeg')).toBeNull();
    expect(jpeg.decode(bytes, { useTArray: true }).width).toBe(320);
    const facts = await imageReader.read(bytes, 'image/jpeg');
    expect(facts.exif?.takenAt).toBeNull();
    expect(facts.exif?.location?.lat).toBeCloseTo(vinh.lat, 6);
    expect(facts.exif?.location?.lng).toBeCloseTo(vinh.lng, 6);
    expect(facts.dHash).toBe((await imageReader.read(original, 'image/jpeg')).dHash);
  });

  it('keeps the hemisphere, and a position a hair below a whole degree', async () => {
    for (const place of [
      { lat: -33.856_784, lng: -70.648_27 },
      { lat: 10.999_999_99, lng: 106.999_999_99 },
    ]) {
      const facts = await imageReader.read(withGps(tinyJpeg, place), 'image/jpeg');
      expect(facts.exif?.location?.lat).toBeCloseTo(place.lat, 6);
      expect(facts.exif?.location?.lng).toBeCloseTo(place.lng, 6);
    }
  });

  it('leaves what is not a JPEG unchanged, and keeps only positions on Earth', () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47]);
    expect(withGps(png, vinh)).toBe(png);
    expect(isPlaceOnEarth({ lat: 18.7, lng: 105.7 })).toBe(true);
    expect(isPlaceOnEarth({ lat: 91, lng: 0 })).toBe(false);
    expect(isPlaceOnEarth({ lat: Number.NaN, lng: 0 })).toBe(false);
    expect(isPlaceOnEarth({ lat: undefined, lng: 0 })).toBe(false);
    expect(isPlaceOnEarth(null)).toBe(false);
  });

  it('turns a gallery photo without a declared place from no_location into one with a distance', () => {
    const facts = {
      photoId: 'p1',
      itemCode: 'B1',
      declared: { capturedAt: '2026-03-02T01:05:00.000Z', location: null },
      receivedAt: '2026-03-02T01:06:00.000Z',
      sha256: 'a'.repeat(64),
      dHash: null,
      reusedFrom: [],
      nearDuplicateOf: [],
    };
    const context = {
      office: { lat: 18.6796, lng: 105.6813 },
      radiusM: 500,
      window: { startedAt: '2026-03-02T01:00:00.000Z', endedAt: null },
    };
    expect(photoEvidence({ ...facts, exif: null }, context).flags).toContain('no_location');
    const kept = photoEvidence({ ...facts, exif: { takenAt: null, location: vinh } }, context);
    expect(kept.flags).not.toContain('no_location');
    expect(kept.distanceM).toBe(5);
  });
});
