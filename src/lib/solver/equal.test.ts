import { describe, expect, test } from 'vitest';
import { answersEqual, normalizeAnswer, relativeTolerance } from './equal';
import { canonical, fromDecimal, ratio } from './rational';

describe('canonical form', () => {
  test.each([
    ['18', '18'],
    ['-10', '-10'],
    ['18.000', '18'],
    ['0.50', '0.5'],
    ['-.25', '-0.25'],
    ['123456789012345678901234567890', '123456789012345678901234567890'],
  ])('decimal %s -> %s', (text, want) => {
    const value = fromDecimal(text);
    expect(value && canonical(value)).toBe(want);
  });

  test.each([
    [1n, 2n, '0.5'],
    [2n, 4n, '0.5'],
    [1n, 3n, '1/3'],
    [-2n, 6n, '-1/3'],
    [2n, -6n, '-1/3'],
    [7n, 8n, '0.875'],
    [1n, 80n, '0.0125'],
    [10n, 5n, '2'],
    [0n, 7n, '0'],
  ])('%d/%d -> %s', (num, den, want) => {
    const value = ratio(num, den);
    expect(value && canonical(value)).toBe(want);
  });

  test('a zero denominator is no number', () => {
    expect(ratio(1n, 0n)).toBeNull();
    expect(normalizeAnswer('5/0')).toBeNull();
  });
});

describe('normalizeAnswer', () => {
  test.each([
    ['$1,250.00', '1250'],
    ['2/4', '0.5'],
    ['1/3', '1/3'],
    ['50%', '50'],
    ['twelve', '12'],
    ['18 dollars', '18'],
    ['\\frac{3}{4}', '0.75'],
    ['  -7 ', '-7'],
    ['70,000', '70000'],
    ['none', null],
    ['', null],
    [null, null],
  ])('%j -> %j', (text, want) => {
    expect(normalizeAnswer(text)).toBe(want);
  });
});

describe('answersEqual', () => {
  test.each([
    ['1/2', '0.5', true],
    ['0.5', '$0.50', true],
    ['2/4', '1/2', true],
    ['18', '18.0', true],
    ['1,000', '1000', true],
    ['50%', '50', true],
    ['twelve', '12', true],
    ['1/3', '0.333333', true],
    ['1/3', '0.33', false],
    ['50%', '0.5', false],
    ['1000000', '1000001', false],
    ['123456789012', '123456789013', false],
    ['-3', '3', false],
    ['0', '0.0', true],
    ['0', '0.000001', false],
    [null, '5', false],
    [null, null, false],
    ['no answer', 'no answer', false],
  ])('%j vs %j -> %s', (a, b, want) => {
    expect(answersEqual(a, b)).toBe(want);
    expect(answersEqual(b, a)).toBe(want);
  });

  test('non-integers within the documented relative tolerance are equal, beyond it not', () => {
    const base = 2.5;
    expect(answersEqual(String(base), String(base * (1 + relativeTolerance / 2)))).toBe(true);
    expect(answersEqual(String(base), String(base * (1 + relativeTolerance * 2)))).toBe(false);
  });
});
