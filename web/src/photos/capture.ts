/**
 * Turns a camera shot or a gallery file into the evidence the phone stores and uploads: drawn
 * at a long edge of at most 2,048 px as JPEG (quality 0.85), hashed with SHA-256 after the
 * downscale (the server checks the bytes it receives), plus a small thumbnail for the screen.
 * The re-encode drops the file's EXIF. A camera shot's time and place are recorded by the app at
 * the moment of the shot; a gallery file's GPS position, when the browser left one in it, is
 * read here (exifr) and written back into the new JPEG as EXIF GPS (exif-gps.ts), so the
 * server's verifier reads it as the file's own evidence of place.
 */
import type { Place as GpsPlace } from '#domain/geo.ts';
import { fitWithin } from './size.ts';

export interface PreparedPhoto {
  blob: Blob;
  thumb: Blob;
  width: number;
  height: number;
  sha256: string;
}

const jpegQuality = 0.85;
const thumbEdge = 320;

async function drawJpeg(bitmap: ImageBitmap, width: number, height: number, quality: number): Promise<Blob> {
  if (typeof OffscreenCanvas !== 'undefined') {
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext('2d');
    if (context === null) throw new Error('no 2d context');
    context.drawImage(bitmap, 0, 0, width, height);
    return canvas.convertToBlob({ type: 'image/jpeg', quality });
  }
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d');
  if (context === null) throw new Error('no 2d context');
  context.drawImage(bitmap, 0, 0, width, height);
  return new Promise((resolve, reject) =>
    canvas.toBlob(
      (blob) => (blob ? resolve(blob) : reject(new Error('encode failed'))),
      'image/jpeg',
      quality,
    ),
  );
}

export async function sha256Hex(blob: Blob): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** A drawable image of the file, upright as the camera held it. */
async function decode(file: Blob): Promise<ImageBitmap> {
  try {
    return await createImageBitmap(file, { imageOrientation: 'from-image' });
  } catch {
    // Older Safari lacks createImageBitmap options (or cannot decode some files there) but its
    // <img> can, EXIF orientation included: decode through an image element instead.
    const url = URL.createObjectURL(file);
    try {
      const image = new Image();
      image.src = url;
      await image.decode();
      return await createImageBitmap(image);
    } finally {
      URL.revokeObjectURL(url);
    }
  }
}

/** The GPS position in a picked file's EXIF, or null; null too when its chunk cannot load (offline, not cached). */
export async function gpsOfFile(file: Blob): Promise<GpsPlace | null> {
  try {
    return await (await import('./gallery-gps.ts')).readGps(file);
  } catch {
    return null;
  }
}

/** Prepares `file`; with `place`, the JPEG carries it as EXIF GPS (hashed with it). */
export async function preparePhoto(file: Blob, place: GpsPlace | null = null): Promise<PreparedPhoto> {
  const bitmap = await decode(file);
  try {
    const size = fitWithin(bitmap.width, bitmap.height);
    const thumbSize = fitWithin(bitmap.width, bitmap.height, thumbEdge);
    const drawn = await drawJpeg(bitmap, size.width, size.height, jpegQuality);
    const blob =
      place === null
        ? drawn
        : new Blob(
            [
              (await import('./gallery-gps.ts'))
                .withGps(new Uint8Array(await drawn.arrayBuffer()), place)
                .slice(),
            ],
            {
              type: 'image/jpeg',
            },
          );
    const thumb = await drawJpeg(bitmap, thumbSize.width, thumbSize.height, 0.7);
    return { blob, thumb, width: size.width, height: size.height, sha256: await sha256Hex(blob) };
  } finally {
    bitmap.close();
  }
}
