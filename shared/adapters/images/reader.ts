/**
 * What the bytes of a verified photo say beyond their hash: the EXIF capture time and GPS
 * position (original files from cameras and other clients; the inspector's app re-encodes
 * photos, which strips EXIF, keeping only a gallery file's GPS position) and the 64-bit dHash of the decoded picture. JPEG is decoded here
 * (the app sends JPEG); PNG, WebP and HEIC are left without a dHash (docs/evidence.md).
 */
import exifr from 'exifr';
import jpeg from 'jpeg-js';
import { dHash } from '#domain/dhash.ts';
import { isPlaceOnEarth } from '#domain/geo.ts';
import type { PhotoContentType } from '#domain/visit.ts';
import type { ImageFacts, ImageReader } from '#ports/images.ts';

/** Pixels beyond this are not decoded (a 10 MiB JPEG can be 50 megapixels; 24 is a phone's photo). */
const maxMegapixels = 64;

export const imageReader: ImageReader = {
  async read(bytes: Uint8Array, contentType: PhotoContentType): Promise<ImageFacts> {
    return { exif: await readExif(bytes), dHash: contentType === 'image/jpeg' ? jpegHash(bytes) : null };
  },
};

function jpegHash(bytes: Uint8Array): string | null {
  try {
    const image = jpeg.decode(bytes, {
      useTArray: true,
      formatAsRGBA: false,
      maxResolutionInMP: maxMegapixels,
      maxMemoryUsageInMB: 1024,
    });
    return dHash({ width: image.width, height: image.height, channels: 3, data: image.data });
  } catch {
    // A verified JPEG that this decoder cannot read (progressive arithmetic coding, say): no hash.
    return null;
  }
}

const exifTime = /^(\d{4}):(\d{2}):(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;
const exifOffset = /^[+-]\d{2}:\d{2}$/;

/**
 * EXIF DateTimeOriginal is a local time without a zone; OffsetTimeOriginal (EXIF 2.31) gives
 * its offset when the camera wrote one, else it is taken as Viet Nam's time (+07:00).
 */
export function exifInstant(dateTime: unknown, offset: unknown): string | null {
  const match = typeof dateTime === 'string' ? exifTime.exec(dateTime.trim()) : null;
  if (!match) return null;
  const [, y, mo, d, h, mi, s] = match;
  const zone = typeof offset === 'string' && exifOffset.test(offset.trim()) ? offset.trim() : '+07:00';
  const text = `${y}-${mo}-${d}T${h}:${mi}:${s}${zone}`;
  return Number.isNaN(Date.parse(text)) ? null : text;
}

async function readExif(bytes: Uint8Array): Promise<ImageFacts['exif']> {
  let parsed: Record<string, unknown> | undefined;
  try {
    parsed = await exifr.parse(bytes, {
      tiff: true,
      exif: true,
      gps: true,
      ifd1: false,
      xmp: false,
      icc: false,
      iptc: false,
      jfif: false,
      ihdr: false,
      reviveValues: false,
      pick: [
        'DateTimeOriginal',
        'OffsetTimeOriginal',
        'latitude',
        'longitude',
        'GPSLatitude',
        'GPSLongitude',
        'GPSLatitudeRef',
        'GPSLongitudeRef',
      ],
    });
  } catch {
    return null;
  }
  if (!parsed) return null;
  const takenAt = exifInstant(parsed.DateTimeOriginal, parsed.OffsetTimeOriginal);
  const place = { lat: parsed.latitude, lng: parsed.longitude };
  const location = isPlaceOnEarth(place) ? place : null;
  return takenAt === null && location === null ? null : { takenAt, location };
}
