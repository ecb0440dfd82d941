import { describe, expect, test } from 'vitest';
import { grouped } from './format';

describe('grouped', () => {
  test.each([
    [0, '0'],
    [7, '7'],
    [999, '999'],
    [1000, '1,000'],
    [12_500, '12,500'],
    [1_234_567, '1,234,567'],
    [-40_000, '-40,000'],
    [1319.6, '1,320'],
  ])('%d is %s', (n, text) => {
    expect(grouped(n)).toBe(text);
  });

  test('writes whole numbers as en-US does', () => {
    for (let n = -2_000_000; n <= 2_000_000; n += 997) {
      expect(grouped(n)).toBe(n.toLocaleString('en-US'));
    }
  });
});
