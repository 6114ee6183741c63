/** The console's periods of now: its default periods and its examples of a period. */
import { quarterOf } from '#domain/period.ts';

/**
 * The periods of now in Viet Nam, from the domain's {@link quarterOf} (DOMAIN.md's `YYYY-Qn`):
 * the one place the console's default periods and its examples of a period come from.
 */
export function currentPeriods(now: Date = new Date()): { year: string; quarter: string } {
  const quarter = quarterOf(now);
  return { year: quarter.slice(0, 4), quarter };
}

/** This year in Viet Nam (`2026`), the default period of the rankings and exports. */
export function currentYear(now: Date = new Date()): string {
  return currentPeriods(now).year;
}
