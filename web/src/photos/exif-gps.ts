/**
 * Keeps where a gallery photo was taken. The app re-encodes every photo (downscaled, upright),
 * which drops the file's EXIF, and with it the GPS position the server's verifier would have read
 * as evidence ("where the file says it was taken", docs/evidence.md). This writes that position
 * back into the re-encoded JPEG as a minimal EXIF segment: a GPS IFD with the latitude and
 * longitude, and nothing else (no orientation: the pixels are already upright; no time: the
 * phone declares the file's time itself). Pure bytes, no DOM, so it is tested in Node.
 */

import type { Place } from '#domain/geo.ts';

/** Degrees as EXIF's three rationals: whole degrees, whole minutes, seconds in 1/10,000. */
function dms(view: DataView, at: number, degrees: number): void {
  const value = Math.abs(degrees);
  let d = Math.floor(value);
  let m = Math.floor((value - d) * 60);
  let s = Math.round(((value - d) * 60 - m) * 60 * 10_000);
  // Rounding can carry a full minute (or degree) over.
  if (s >= 600_000) {
    s -= 600_000;
    m += 1;
  }
  if (m >= 60) {
    m -= 60;
    d += 1;
  }
  for (const [k, n] of [d, 1, m, 1, s, 10_000].entries()) view.setUint32(at + k * 4, n);
}

/**
 * The APP1 segment (marker included) holding a TIFF structure, big-endian: IFD0 with the one
 * GPSInfo pointer, then the GPS IFD (version 2.3, N/S, latitude, E/W, longitude), then the two
 * rational triples.
 */
export function gpsSegment(place: Place): Uint8Array {
  const ifd0 = 8;
  const gpsIfd = ifd0 + 2 + 12 + 4;
  const gpsEntries = 5;
  const latAt = gpsIfd + 2 + gpsEntries * 12 + 4;
  const lngAt = latAt + 24;
  const tiffLength = lngAt + 24;
  const header = 2 + 2 + 6; // marker, length, "Exif\0\0"
  const bytes = new Uint8Array(header + tiffLength);
  const view = new DataView(bytes.buffer);
  view.setUint16(0, 0xffe1);
  view.setUint16(2, bytes.length - 2);
  bytes.set([0x45, 0x78, 0x69, 0x66, 0, 0], 4);
  const tiff = new DataView(bytes.buffer, header);
  tiff.setUint16(0, 0x4d4d); // "MM": big-endian
  tiff.setUint16(2, 42);
  tiff.setUint32(4, ifd0);
  const entry = (
    at: number,
    tag: number,
    type: number,
    count: number,
    value: (v: DataView, o: number) => void,
  ) => {
    tiff.setUint16(at, tag);
    tiff.setUint16(at + 2, type);
    tiff.setUint32(at + 4, count);
    value(tiff, at + 8);
  };
  const ascii = (text: string) => (v: DataView, o: number) => v.setUint8(o, text.charCodeAt(0));
  const long = (n: number) => (v: DataView, o: number) => v.setUint32(o, n);
  tiff.setUint16(ifd0, 1);
  entry(ifd0 + 2, 0x8825, 4, 1, long(gpsIfd)); // GPSInfo
  tiff.setUint32(ifd0 + 2 + 12, 0); // no IFD1
  tiff.setUint16(gpsIfd, gpsEntries);
  const first = gpsIfd + 2;
  entry(first, 0x0000, 1, 4, (v, o) => {
    v.setUint8(o, 2);
    v.setUint8(o + 1, 3);
  });
  entry(first + 12, 0x0001, 2, 2, ascii(place.lat >= 0 ? 'N' : 'S'));
  entry(first + 24, 0x0002, 5, 3, long(latAt));
  entry(first + 36, 0x0003, 2, 2, ascii(place.lng >= 0 ? 'E' : 'W'));
  entry(first + 48, 0x0004, 5, 3, long(lngAt));
  tiff.setUint32(first + gpsEntries * 12, 0);
  dms(tiff, latAt, place.lat);
  dms(tiff, lngAt, place.lng);
  return bytes;
}

/**
 * `jpeg` with the GPS segment inserted after SOI and the JFIF APP0 segment when there is one
 * (JFIF wants to be first; readers find EXIF after it). Not a JPEG: returned unchanged.
 */
export function withGps(jpeg: Uint8Array, place: Place): Uint8Array {
  if (jpeg.length < 4 || jpeg[0] !== 0xff || jpeg[1] !== 0xd8) return jpeg;
  let at = 2;
  if (jpeg[2] === 0xff && jpeg[3] === 0xe0 && jpeg.length >= 6) {
    const length = ((jpeg[4] ?? 0) << 8) | (jpeg[5] ?? 0);
    at = 4 + length;
    if (at > jpeg.length) return jpeg;
  }
  const segment = gpsSegment(place);
  const out = new Uint8Array(jpeg.length + segment.length);
  out.set(jpeg.subarray(0, at), 0);
  out.set(segment, at);
  out.set(jpeg.subarray(at), at + segment.length);
  return out;
}
