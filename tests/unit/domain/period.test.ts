import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, localDate, parsePeriod, periodContains, periodSchema, quarterOf } from '#domain/period.ts';

function period(label: string) {
  const p = parsePeriod(label);
  if (p === null) {
    throw new Error(`test setup: ${label} is not a period`);
  }
  return p;
}

describe('parsePeriod', () => {
  it.each([
    ['2026', '2025-12-31T17:00:00.000Z', '2026-12-31T17:00:00.000Z', '2026-01-01', '2027-01-01'],
    ['2026-Q1', '2025-12-31T17:00:00.000Z', '2026-03-31T17:00:00.000Z', '2026-01-01', '2026-04-01'],
    ['2026-Q3', '2026-06-30T17:00:00.000Z', '2026-09-30T17:00:00.000Z', '2026-07-01', '2026-10-01'],
    ['2026-Q4', '2026-09-30T17:00:00.000Z', '2026-12-31T17:00:00.000Z', '2026-10-01', '2027-01-01'],
  ])('%s spans %s to %s', (label, start, end, startDate, endDate) => {
    const p = period(label);
    expect(p.label).toBe(label);
    expect(p.start.toISOString()).toBe(start);
    expect(p.end.toISOString()).toBe(end);
    expect(p.startDate).toBe(startDate);
    expect(p.endDate).toBe(endDate);
  });

  it.each(['2026-Q0', '2026-Q5', '26', '2026-q1', '2026Q1', '2026-01', ' 2026', '1899', ''])(
    'refuses %j',
    (label) => {
      expect(parsePeriod(label)).toBeNull();
      expect(periodSchema.safeParse(label).success).toBe(false);
    },
  );
});

describe('periodContains', () => {
  it('puts 2026-12-31T17:00:00Z in 2027 and 2027-Q1 (it is 2027-01-01 in Viet Nam)', () => {
    expect(periodContains(period('2027'), '2026-12-31T17:00:00Z')).toBe(true);
    expect(periodContains(period('2027-Q1'), '2026-12-31T17:00:00Z')).toBe(true);
    expect(periodContains(period('2026'), '2026-12-31T17:00:00Z')).toBe(false);
    expect(periodContains(period('2026-Q4'), '2026-12-31T17:00:00Z')).toBe(false);
  });

  it.each([
    ['2026-12-31T16:59:59.999Z', '2026', true],
    ['2026-12-31T23:59:59+07:00', '2026', true],
    ['2027-01-01T00:00:00+07:00', '2026', false],
    ['2026-01-01T00:00:00+07:00', '2026', true],
    ['2025-12-31T23:59:59+07:00', '2026', false],
    ['2025-12-31T12:00:00-05:00', '2026', true], // 2026-01-01 00:00 in Viet Nam
    ['2026-03-31T16:59:59.9999Z', '2026-Q1', true],
    ['2026-03-31T17:00:00Z', '2026-Q2', true],
  ])('%s in %s: %s', (instant, label, expected) => {
    expect(periodContains(period(label), instant)).toBe(expected);
  });

  it('accepts Date objects and refuses malformed instants', () => {
    expect(periodContains(period('2027'), new Date(Date.UTC(2026, 11, 31, 17)))).toBe(true);
    expect(() => periodContains(period('2027'), '2027-01-01')).toThrow(RangeError);
    expect(() => periodContains(period('2027'), '2027-02-30T00:00:00Z')).toThrow(RangeError);
  });

  it('agrees with the local date of the instant for any instant', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) }), (ms) => {
        const instant = new Date(ms);
        const date = localDate(instant);
        expect(periodContains(period(date.slice(0, 4)), instant)).toBe(true);
        expect(periodContains(period(quarterOf(instant)), instant)).toBe(true);
        expect(date >= period(quarterOf(instant)).startDate).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('localDate and addDays', () => {
  it.each([
    ['2026-12-31T17:00:00Z', '2027-01-01'],
    ['2026-12-31T16:59:59Z', '2026-12-31'],
    ['2026-06-15T00:00:00+07:00', '2026-06-15'],
    ['2026-06-15T23:30:00-10:00', '2026-06-16'],
  ])('localDate(%s) = %s', (instant, date) => {
    expect(localDate(instant)).toBe(date);
  });

  it.each([
    ['2026-01-31', 30, '2026-03-02'],
    ['2028-02-28', 1, '2028-02-29'],
    ['2026-12-31', 1, '2027-01-01'],
    ['2026-03-01', -1, '2026-02-28'],
    ['2026-04-01', 365, '2027-04-01'],
  ])('addDays(%s, %s) = %s', (date, days, expected) => {
    expect(addDays(date, days)).toBe(expected);
  });

  it('refuses dates that do not exist', () => {
    expect(() => addDays('2026-02-29', 1)).toThrow(RangeError);
    expect(() => addDays('2026-01-01', 1.5)).toThrow(RangeError);
  });
});
