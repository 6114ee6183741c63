/**
 * Calendar arithmetic that never consults the machine's time zone: dates are handled as UTC
 * day numbers and Asia/Ho_Chi_Minh as the fixed offset +07:00 (Viet Nam has had no daylight
 * saving time since 1975).
 */

const dayMs = 86_400_000;
/** Asia/Ho_Chi_Minh, UTC+07:00 all year round. */
export const vietnamOffsetMs = 7 * 3_600_000;

const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/;
const instantPattern =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

/** Whether y-m-d is a real day of the proleptic Gregorian calendar. */
export function isCalendarDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) {
    return false;
  }
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return d <= (lengths[m - 1] ?? 0);
}

/** Milliseconds since the epoch of midnight UTC on y-m-d (years below 100 kept as written). */
export function utcDayStart(y: number, m: number, d: number): number {
  const date = new Date(0);
  date.setUTCFullYear(y, m - 1, d);
  return date.getTime();
}

/** Parses `YYYY-MM-DD` into its parts, or null when it is not a real date. */
export function parseDateParts(s: string): { y: number; m: number; d: number } | null {
  const match = datePattern.exec(s);
  if (!match) {
    return null;
  }
  const y = Number(match[1]);
  const m = Number(match[2]);
  const d = Number(match[3]);
  return isCalendarDate(y, m, d) ? { y, m, d } : null;
}

/**
 * Milliseconds since the epoch of an RFC 3339 timestamp with `Z` or an explicit offset, or
 * null when it is malformed or names a day that does not exist. Fractions below a millisecond
 * are truncated, which never moves an instant across a local midnight.
 */
export function parseInstant(s: string): number | null {
  const match = instantPattern.exec(s);
  if (!match) {
    return null;
  }
  const [, ys, mos, ds, hs, mis, ss, frac = '', zulu, sign, ohs, oms] = match;
  const y = Number(ys);
  const mo = Number(mos);
  const d = Number(ds);
  const h = Number(hs);
  const mi = Number(mis);
  const sec = Number(ss);
  if (!isCalendarDate(y, mo, d) || h > 23 || mi > 59 || sec > 59) {
    return null;
  }
  let offsetMs = 0;
  if (!zulu) {
    const oh = Number(ohs);
    const om = Number(oms);
    if (oh > 23 || om > 59) {
      return null;
    }
    offsetMs = (sign === '-' ? -1 : 1) * (oh * 3_600_000 + om * 60_000);
  }
  const ms = Number(`${frac}000`.slice(0, 3));
  return utcDayStart(y, mo, d) + h * 3_600_000 + mi * 60_000 + sec * 1000 + ms - offsetMs;
}

/** Milliseconds since the epoch of an instant given as RFC 3339 text or a Date. */
export function instantMs(instant: string | Date): number {
  const ms = typeof instant === 'string' ? parseInstant(instant) : instant.getTime();
  if (ms === null || Number.isNaN(ms)) {
    throw new RangeError(`not an RFC 3339 instant: ${String(instant)}`);
  }
  return ms;
}

/** `YYYY-MM-DD` of the UTC day containing `ms`. */
export function formatUtcDate(ms: number): string {
  const date = new Date(ms);
  const y = String(date.getUTCFullYear()).padStart(4, '0');
  const m = String(date.getUTCMonth() + 1).padStart(2, '0');
  const d = String(date.getUTCDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}

/** Whole days between two UTC day starts. */
export function daysBetween(fromMs: number, toMs: number): number {
  return Math.round((toMs - fromMs) / dayMs);
}

export { dayMs };
