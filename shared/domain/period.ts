import * as z from 'zod/mini';
import { formatUtcDate, instantMs, parseDateParts, utcDayStart, vietnamOffsetMs } from './calendar.ts';

/**
 * A reporting period in Asia/Ho_Chi_Minh: a calendar year (`2026`) or a quarter (`2026-Q3`).
 * `start` is inclusive and `end` exclusive, both instants (local midnight, i.e. 17:00 UTC the day
 * before); `startDate` and `endDate` are the same bounds as local dates (`endDate` exclusive).
 */
export interface Period {
  label: string;
  start: Date;
  end: Date;
  startDate: string;
  endDate: string;
}

const periodPattern = /^(\d{4})(?:-Q([1-4]))?$/;
// Years outside this range are typing mistakes rather than inspection periods.
const minYear = 1900;
const maxYear = 9998;

/** Parses `YYYY` or `YYYY-Qn` (years 1900-9998), or returns null. */
export function parsePeriod(s: string): Period | null {
  const match = periodPattern.exec(s);
  if (!match) {
    return null;
  }
  const year = Number(match[1]);
  if (year < minYear || year > maxYear) {
    return null;
  }
  const quarter = match[2] === undefined ? null : Number(match[2]);
  const startMonth = quarter === null ? 1 : (quarter - 1) * 3 + 1;
  const monthsLong = quarter === null ? 12 : 3;
  const endMonthIndex = startMonth - 1 + monthsLong;
  const startUtc = utcDayStart(year, startMonth, 1);
  const endUtc = utcDayStart(year + Math.floor(endMonthIndex / 12), (endMonthIndex % 12) + 1, 1);
  return {
    label: s,
    start: new Date(startUtc - vietnamOffsetMs),
    end: new Date(endUtc - vietnamOffsetMs),
    startDate: formatUtcDate(startUtc),
    endDate: formatUtcDate(endUtc),
  };
}

/** A period label, `YYYY` or `YYYY-Qn`; parse it with {@link parsePeriod} to get its bounds. */
export const periodSchema = z.string().check(
  z.regex(periodPattern),
  z.refine((s) => parsePeriod(s) !== null, { message: 'Year out of range' }),
);

/**
 * Whether an instant (RFC 3339 text or a Date) falls in the period, start included, end
 * excluded: 2026-12-31T17:00:00Z is 2027-01-01 00:00 in Viet Nam, so it belongs to 2027.
 *
 * @throws RangeError when `instant` is not a valid RFC 3339 instant.
 */
export function periodContains(period: Period, instant: string | Date): boolean {
  const ms = instantMs(instant);
  return ms >= period.start.getTime() && ms < period.end.getTime();
}

/**
 * The local date (`YYYY-MM-DD`) of an instant in Asia/Ho_Chi_Minh.
 *
 * @throws RangeError when `instant` is not a valid RFC 3339 instant.
 */
export function localDate(instant: string | Date): string {
  return formatUtcDate(instantMs(instant) + vietnamOffsetMs);
}

/**
 * A date moved by a number of days (negative goes back).
 *
 * @throws RangeError when `date` is not a real `YYYY-MM-DD` date or `days` is not an integer.
 */
export function addDays(date: string, days: number): string {
  const parts = parseDateParts(date);
  if (parts === null || !Number.isSafeInteger(days)) {
    throw new RangeError(`cannot add ${days} days to ${date}`);
  }
  return formatUtcDate(utcDayStart(parts.y, parts.m, parts.d) + days * 86_400_000);
}

/** The quarter label (`YYYY-Qn`) an instant belongs to in Viet Nam. */
export function quarterOf(instant: string | Date): string {
  const date = localDate(instant);
  const month = Number(date.slice(5, 7));
  return `${date.slice(0, 4)}-Q${Math.floor((month - 1) / 3) + 1}`;
}

/**
 * The instant a period label begins, as RFC 3339 UTC text.
 *
 * @throws RangeError when `label` is not a period (callers pass labels their schema accepted).
 */
export function periodStartOf(label: string): string {
  const period = parsePeriod(label);
  if (period === null) throw new RangeError(`not a period: ${label}`);
  return period.start.toISOString();
}
