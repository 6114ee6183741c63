/**
 * Reading and writing a gallery file's GPS position, loaded only when a photo is picked from the
 * gallery (exifr's mini build and the writer, about 9 KB gzipped, stay out of the first screen).
 */
import { gps } from 'exifr/dist/mini.esm.mjs';
import { isPlaceOnEarth, type Place } from '#domain/geo.ts';

export { withGps } from './exif-gps.ts';

/**
 * The GPS position in a picked file's EXIF, or null (none, unreadable, or not on Earth). Most
 * phones' browsers remove it from picked files; desktop browsers and some file pickers keep it.
 */
export async function readGps(file: Blob): Promise<Place | null> {
  try {
    const found = await gps(file);
    const place =
      found === undefined || found === null ? null : { lat: found.latitude, lng: found.longitude };
    return isPlaceOnEarth(place) ? place : null;
  } catch {
    return null;
  }
}
