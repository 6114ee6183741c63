import { describe, expect, it } from 'vitest';
import { currentPeriods, currentYear } from '../../../web/src/console/periods.ts';

describe("the console's periods of now", () => {
  it("are Viet Nam's year and quarter, not UTC's", () => {
    // 2026-12-31T17:00Z is midnight of 2027-01-01 in Viet Nam (UTC+7).
    expect(currentPeriods(new Date('2026-12-31T16:59:59Z'))).toEqual({ year: '2026', quarter: '2026-Q4' });
    expect(currentPeriods(new Date('2026-12-31T17:00:00Z'))).toEqual({ year: '2027', quarter: '2027-Q1' });
    expect(currentPeriods(new Date('2026-06-30T17:00:00Z'))).toEqual({ year: '2026', quarter: '2026-Q3' });
    expect(currentYear(new Date('2026-12-31T17:00:00Z'))).toBe('2027');
  });
});
