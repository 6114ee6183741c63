/**
 * Exact decimal arithmetic for scores, points and percents.
 *
 * DOMAIN.md forbids accumulating binary floating point: values enter as JSON numbers with a
 * few decimals, are turned into exact rationals (or integer hundredths) through their shortest
 * decimal representation, and only the final result goes back to a JSON number.
 */

/** An exact rational number; `den` is always positive. */
export interface Rational {
  num: bigint;
  den: bigint;
}

const decimalPattern = /^([+-]?)(\d+)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * The exact value of a decimal literal (`'2.345'`, `'-1e-7'`) or of a finite number, read
 * through its shortest round-trip representation: `0.1` is 1/10, not the binary double
 * 0.1000000000000000055511151231257827...
 *
 * @throws RangeError for NaN, infinities and strings that are not decimal literals.
 */
export function toRational(x: number | string): Rational {
  if (typeof x === 'number' && !Number.isFinite(x)) {
    throw new RangeError(`not a finite number: ${x}`);
  }
  const text = typeof x === 'number' ? String(x) : x.trim();
  const match = decimalPattern.exec(text);
  if (!match) {
    throw new RangeError(`not a decimal number: ${JSON.stringify(text)}`);
  }
  const [, sign = '', intPart = '0', fracPart = '', expPart = '0'] = match;
  const exponent = Number.parseInt(expPart, 10) - fracPart.length;
  let num = BigInt(intPart + fracPart);
  let den = 1n;
  if (exponent >= 0) {
    num *= 10n ** BigInt(exponent);
  } else {
    den = 10n ** BigInt(-exponent);
  }
  if (sign === '-') {
    num = -num;
  }
  return reduce({ num, den });
}

/** Builds a rational in lowest terms with a positive denominator. @throws RangeError when den is 0. */
export function rational(num: bigint, den = 1n): Rational {
  if (den === 0n) {
    throw new RangeError('division by zero');
  }
  return reduce(den < 0n ? { num: -num, den: -den } : { num, den });
}

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) {
    [x, y] = [y, x % y];
  }
  return x;
}

function reduce(r: Rational): Rational {
  const g = gcd(r.num, r.den);
  return g <= 1n ? r : { num: r.num / g, den: r.den / g };
}

/** Compares two rationals: negative, zero or positive like a sort comparator. */
export function compareRational(a: Rational, b: Rational): number {
  const left = a.num * b.den;
  const right = b.num * a.den;
  return left < right ? -1 : left > right ? 1 : 0;
}

/** Compares two decimal numbers exactly (by their decimal representation). */
export function compareDecimal(a: number | string, b: number | string): number {
  return compareRational(toRational(a), toRational(b));
}

/**
 * num / den rounded to an integer, half up: ties go away from zero, so the rounding of a
 * negative value mirrors the positive one (-2.5 -> -3), as a person rounding by hand would.
 *
 * @throws RangeError when den is 0.
 */
export function roundHalfUpDiv(num: bigint, den: bigint): bigint {
  if (den === 0n) {
    throw new RangeError('division by zero');
  }
  const negative = num < 0n !== den < 0n;
  const n = num < 0n ? -num : num;
  const d = den < 0n ? -den : den;
  const rounded = (2n * n + d) / (2n * d);
  return negative ? -rounded : rounded;
}

/** Whether a finite number has at most two decimals in its shortest decimal representation. */
export function hasAtMostTwoDecimals(x: number): boolean {
  if (!Number.isFinite(x)) {
    return false;
  }
  const r = toRational(x);
  return (100n * r.num) % r.den === 0n;
}

/**
 * A number with at most two decimals as an exact count of hundredths (2.35 -> 235).
 *
 * @throws RangeError when `x` has more than two decimals or the result is not a safe integer.
 */
export function toHundredths(x: number): number {
  const h = toHundredthsBig(x);
  const n = Number(h);
  if (!Number.isSafeInteger(n)) {
    throw new RangeError(`out of range: ${x}`);
  }
  return n;
}

/** Like {@link toHundredths}, as a bigint so sums and products can never overflow. */
export function toHundredthsBig(x: number | string): bigint {
  const r = toRational(x);
  if ((100n * r.num) % r.den !== 0n) {
    throw new RangeError(`more than two decimals: ${x}`);
  }
  return (100n * r.num) / r.den;
}

/**
 * Hundredths back to a JSON number (235 -> 2.35), through the decimal literal so that the
 * result is the double nearest to the exact value even beyond 2^53 hundredths.
 *
 * @throws RangeError when `h` is a number that is not an integer.
 */
export function fromHundredths(h: number | bigint): number {
  const big = typeof h === 'bigint' ? h : BigInt(h);
  const negative = big < 0n;
  const abs = negative ? -big : big;
  return Number(`${negative ? '-' : ''}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`);
}

/** A rational rounded half up to hundredths: round2 of the value, as an integer count of 1/100. */
export function rationalToHundredths(r: Rational): bigint {
  return roundHalfUpDiv(100n * r.num, r.den);
}

/**
 * Rounds half up to two decimals by the decimal value (2.345 -> 2.35; 2.3449 -> 2.34), not by
 * the binary double, whose 2.345 is slightly below 2.345.
 */
export function round2(x: number | string): number {
  return fromHundredths(rationalToHundredths(toRational(x)));
}
