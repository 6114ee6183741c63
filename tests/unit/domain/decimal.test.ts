import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compareDecimal,
  fromHundredths,
  hasAtMostTwoDecimals,
  round2,
  roundHalfUpDiv,
  toHundredths,
  toRational,
} from '#domain/decimal.ts';

const runs = { numRuns: 1000 };

/** Reference rounding on the digits of a decimal literal, independent of the BigInt code. */
function referenceRound2(literal: string): string {
  const negative = literal.startsWith('-');
  const [int = '0', frac = ''] = (negative ? literal.slice(1) : literal).split('.');
  const padded = `${frac}000`;
  let cents = BigInt(int) * 100n + BigInt(padded.slice(0, 2));
  if (Number(padded[2]) >= 5) {
    cents += 1n;
  }
  const text = `${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`;
  return negative && cents !== 0n ? `-${text}` : text;
}

describe('round2', () => {
  it.each([
    [2.345, 2.35],
    [2.3449, 2.34],
    [2.344999, 2.34],
    [0.005, 0.01],
    [0.004, 0],
    [1.005, 1.01], // the double 1.005 is 1.00499999999999989...: the decimal value decides
    [85.18666666, 85.19],
    [100, 100],
    [0, 0],
    [-2.345, -2.35],
    ['2.345', 2.35],
    ['1e-3', 0],
    [1e21, 1e21],
  ])('round2(%s) = %s', (input, expected) => {
    expect(round2(input)).toBe(expected);
  });

  it('agrees with digit-by-digit decimal rounding on random literals', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.bigInt({ min: 0n, max: 10n ** 9n }),
        fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 0, maxLength: 6 }),
        (negative, int, frac) => {
          const literal = `${negative ? '-' : ''}${int}${frac === '' ? '' : `.${frac}`}`;
          expect(round2(literal)).toBe(Number(referenceRound2(literal)));
          // A number with at most 15 significant digits reads back as the same decimal.
          expect(round2(Number(literal))).toBe(Number(referenceRound2(literal)));
        },
      ),
      runs,
    );
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e9, max: 1e9, noNaN: true }), (x) => {
        expect(round2(round2(x))).toBe(round2(x));
      }),
      runs,
    );
  });
});

describe('roundHalfUpDiv', () => {
  it.each([
    [5n, 2n, 3n],
    [7n, 2n, 4n],
    [1n, 3n, 0n],
    [2n, 3n, 1n],
    [-5n, 2n, -3n],
    [5n, -2n, -3n],
    [-5n, -2n, 3n],
    [-1n, 3n, 0n],
    [0n, 7n, 0n],
    [25556n, 3n, 8519n],
  ])('%s / %s rounds to %s', (num, den, expected) => {
    expect(roundHalfUpDiv(num, den)).toBe(expected);
  });

  it('refuses a zero denominator', () => {
    expect(() => roundHalfUpDiv(1n, 0n)).toThrow(RangeError);
  });

  it('agrees with a quotient-and-remainder reference on random inputs', () => {
    const big = fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n });
    fc.assert(
      fc.property(
        big,
        big.filter((d) => d !== 0n),
        (num, den) => {
          const q = num / den; // truncates toward zero
          const r = num % den;
          const abs = (x: bigint) => (x < 0n ? -x : x);
          const awayFromZero = num < 0n === den < 0n ? 1n : -1n;
          const expected = 2n * abs(r) >= abs(den) ? q + awayFromZero : q;
          expect(roundHalfUpDiv(num, den)).toBe(expected);
        },
      ),
      runs,
    );
  });
});

describe('hundredths', () => {
  it.each([
    [2.35, 235],
    [0.1, 10],
    [0.29, 29], // 0.29 * 100 is 28.999999999999996 in floating point
    [1.15, 115],
    [100, 10000],
    [-0.07, -7],
  ])('toHundredths(%s) = %s', (x, h) => {
    expect(toHundredths(x)).toBe(h);
    expect(fromHundredths(h)).toBe(x);
  });

  it('refuses more than two decimals', () => {
    expect(() => toHundredths(2.345)).toThrow(RangeError);
    expect(hasAtMostTwoDecimals(2.345)).toBe(false);
    expect(hasAtMostTwoDecimals(2.34)).toBe(true);
    expect(hasAtMostTwoDecimals(Number.NaN)).toBe(false);
    expect(hasAtMostTwoDecimals(Number.POSITIVE_INFINITY)).toBe(false);
    expect(hasAtMostTwoDecimals(1e-7)).toBe(false);
  });

  it('round-trips every hundredth exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), (h) => {
        const x = fromHundredths(h);
        expect(hasAtMostTwoDecimals(x)).toBe(true);
        expect(toHundredths(x)).toBe(h);
      }),
      runs,
    );
  });
});

describe('toRational and compareDecimal', () => {
  it('reads numbers through their shortest decimal form', () => {
    expect(toRational(0.1)).toEqual({ num: 1n, den: 10n });
    expect(toRational(-2.5e-7)).toEqual({ num: -1n, den: 4_000_000n });
    expect(toRational('97.99')).toEqual({ num: 9799n, den: 100n });
    expect(() => toRational('abc')).toThrow(RangeError);
    expect(() => toRational(Number.NaN)).toThrow(RangeError);
  });

  it('compares exactly', () => {
    expect(compareDecimal(0.1 + 0.2, 0.3)).toBe(1);
    expect(compareDecimal(97.99, 98)).toBe(-1);
    expect(compareDecimal('98.00', 98)).toBe(0);
  });
});
