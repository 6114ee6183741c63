/**
 * Where and when evidence was made, as plain arithmetic: the distance between two places on the
 * Earth and how far an instant lies outside a visit's window. Pure, so the inspector's phone can
 * show the same figures the server records.
 */

/** The Earth's mean radius (IUGG), in metres: the haversine formula treats the Earth as a sphere. */
export const earthRadiusM = 6_371_008.8;

export interface Place {
  lat: number;
  lng: number;
}

/**
 * Whether a GPS reading (a file's EXIF, as exifr gives it) is a place on the Earth: finite
 * numbers within ±90° latitude and ±180° longitude. The server's image reader and the phone's
 * gallery pick keep a file's position only when it is.
 */
export function isPlaceOnEarth(place: { lat?: unknown; lng?: unknown } | null | undefined): place is Place {
  if (place === null || place === undefined) return false;
  const { lat, lng } = place;
  return (
    typeof lat === 'number' &&
    typeof lng === 'number' &&
    Number.isFinite(lat) &&
    Number.isFinite(lng) &&
    Math.abs(lat) <= 90 &&
    Math.abs(lng) <= 180
  );
}

const radians = (degrees: number) => (degrees * Math.PI) / 180;

/**
 * The great-circle distance between two places in metres (haversine). On a sphere this is
 * within 0.5 % of the ellipsoidal distance, far finer than a phone's GPS and the hundreds of
 * metres a flag is about.
 */
export function distanceM(a: Place, b: Place): number {
  const dLat = radians(b.lat - a.lat);
  const dLng = radians(b.lng - a.lng);
  const h =
    Math.sin(dLat / 2) ** 2 + Math.cos(radians(a.lat)) * Math.cos(radians(b.lat)) * Math.sin(dLng / 2) ** 2;
  // min() keeps rounding from pushing h past 1 for antipodal points (asin of more than 1 is NaN).
  return 2 * earthRadiusM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** A visit's window as instants in ms since the epoch; `end` null while the visit is still open. */
export interface Window {
  start: number;
  end: number | null;
}

/**
 * How far `at` lies outside the window, in ms: 0 inside it (bounds included), negative before
 * its start (by how much), positive after its end. An open window (no end yet) has no after.
 */
export function offsetFromWindow(at: number, window: Window): number {
  if (at < window.start) return at - window.start;
  if (window.end !== null && at > window.end) return at - window.end;
  return 0;
}
