// Exact answers as reduced BigInt fractions, so "0.5", "1/2" and "2/4" are one value without float error.
// Never throws on input: a zero denominator or a malformed literal gives null, and callers skip it.

/** A reduced fraction: `den` is positive and shares no factor with `num`. */
export interface Rational {
  num: bigint;
  den: bigint;
}

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

/** num/den reduced, or null when den is zero. */
export function ratio(num: bigint, den: bigint): Rational | null {
  if (den === 0n) return null;
  const sign = den < 0n ? -1n : 1n;
  const g = gcd(num, den) || 1n;
  return { num: (sign * num) / g, den: (sign * den) / g };
}

/** A plain decimal literal ("-1234.50", ".5", "18"; no commas) as a rational. */
export function fromDecimal(text: string): Rational | null {
  const match = /^(-?)(\d*)(?:\.(\d*))?$/.exec(text);
  if (!match) return null;
  const [, sign = '', whole = '', fraction = ''] = match;
  if (whole === '' && fraction === '') return null;
  const digits = BigInt(`${whole}${fraction}` || '0');
  const value = ratio(digits, 10n ** BigInt(fraction.length));
  return value && sign === '-' ? negate(value) : value;
}

export function negate(r: Rational): Rational {
  return { num: -r.num, den: r.den };
}

export function add(a: Rational, b: Rational): Rational {
  // b.den * a.den is never zero, so ratio() cannot return null here.
  return ratio(a.num * b.den + b.num * a.den, a.den * b.den) ?? a;
}

export function multiply(a: Rational, b: Rational): Rational {
  return ratio(a.num * b.num, a.den * b.den) ?? a;
}

/** a / b, or null when b is zero. */
export function divide(a: Rational, b: Rational): Rational | null {
  return ratio(a.num * b.den, a.den * b.num);
}

export function isInteger(r: Rational): boolean {
  return r.den === 1n;
}

export function sameRational(a: Rational, b: Rational): boolean {
  return a.num === b.num && a.den === b.den;
}

export function toNumber(r: Rational): number {
  return Number(r.num) / Number(r.den);
}

/** Powers of 2 and 5 in den, or null when den has another prime factor (no finite decimal). */
function decimalPlaces(den: bigint): number | null {
  let rest = den;
  let twos = 0;
  let fives = 0;
  while (rest % 2n === 0n) {
    rest /= 2n;
    twos += 1;
  }
  while (rest % 5n === 0n) {
    rest /= 5n;
    fives += 1;
  }
  return rest === 1n ? Math.max(twos, fives) : null;
}

/**
 * The canonical answer text: an integer ("18", "-10"), a finite decimal with no trailing zeros
 * ("0.5", "2.75"), or a reduced fraction when no finite decimal exists ("1/3", "-7/3").
 */
export function canonical(r: Rational): string {
  if (r.den === 1n) return r.num.toString();
  const places = decimalPlaces(r.den);
  if (places === null) return `${r.num}/${r.den}`;
  const scaled = (r.num < 0n ? -r.num : r.num) * (10n ** BigInt(places) / r.den);
  const digits = scaled.toString().padStart(places + 1, '0');
  const text = `${digits.slice(0, -places)}.${digits.slice(-places)}`.replace(/0+$/, '');
  return `${r.num < 0n ? '-' : ''}${text}`;
}
