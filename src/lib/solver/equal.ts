// Decides when two answers are the same number, so "1/2", "0.5" and "$0.50" count as one vote.
// Text with no number never equals anything (null answers abstain); nothing here throws.
import { unlatex } from './latex';
import { findNumbers } from './numbers';
import {
  canonical,
  divide,
  fromDecimal,
  isInteger,
  sameRational,
  toNumber,
  type Rational,
} from './rational';

/**
 * Two non-integer answers are equal when |a - b| <= relativeTolerance * max(|a|, |b|): a value
 * rounded to 6 significant digits ("0.333333") still matches the exact one ("1/3"), "0.33" does
 * not. Two integers compare exactly: 1000000 and 1000001 are different answers.
 */
export const relativeTolerance = 1e-5;

/** The canonical forms extractAnswer returns: "18", "-0.5", "1/3". */
const canonicalPattern = /^(-?\d+(?:\.\d+)?)(?:\/(\d+))?$/;

/** The first number in an answer text ("$1,250", "1/2", "50%", "twelve"), as an exact value. */
export function parseAnswer(text: string | null): Rational | null {
  if (text === null) return null;
  // fast path for canonical answers, which is what votes compare
  const plain = canonicalPattern.exec(text);
  if (plain) {
    const [, head = '', den] = plain;
    const value = fromDecimal(head);
    return value && den !== undefined ? divide(value, { num: BigInt(den), den: 1n }) : value;
  }
  return findNumbers(unlatex(text))[0]?.value ?? null;
}

/**
 * The canonical text of an answer ("$1,250.00" -> "1250", "2/4" -> "0.5", "1/3" -> "1/3"), or null
 * when it has no number. A percent keeps its number: "50%" -> "50", because GSM8K states percent
 * answers as the number before the sign; so "50%" equals "50" and not "0.5".
 */
export function normalizeAnswer(text: string | null): string | null {
  const value = parseAnswer(text);
  return value ? canonical(value) : null;
}

/** Numeric equivalence of two exact values under `relativeTolerance` (integers compare exactly). */
export function sameValue(a: Rational, b: Rational): boolean {
  if (sameRational(a, b)) return true;
  if (isInteger(a) && isInteger(b)) return false;
  const x = toNumber(a);
  const y = toNumber(b);
  return Math.abs(x - y) <= relativeTolerance * Math.max(Math.abs(x), Math.abs(y));
}

/** Numeric equivalence of two answers under `relativeTolerance`; null or no number is never equal. */
export function answersEqual(a: string | null, b: string | null): boolean {
  const x = parseAnswer(a);
  const y = parseAnswer(b);
  return x !== null && y !== null && sameValue(x, y);
}
