import { describe, expect, test } from 'vitest';
import { sideBySide } from './chart';

describe('sideBySide', () => {
  test('points far apart stay where they belong', () => {
    expect(sideBySide([100, 50, 200], 16, 0, 300)).toEqual([100, 50, 200]);
  });

  test('two points at the same x are set a gap apart, centred on it', () => {
    expect(sideBySide([60, 60], 16, 0, 300)).toEqual([52, 68]);
  });

  test('a third point within a gap of the pair joins it; each keeps its order', () => {
    // centred on their mean, 63.3
    expect(sideBySide([60, 60, 70], 16, 0, 300).map(Math.round)).toEqual([47, 63, 79]);
    const placed = sideBySide([70, 60, 60], 16, 0, 300);
    expect(placed[0]).toBeGreaterThan(placed[2] ?? Infinity);
  });

  test('no two points end closer than the gap, however they start', () => {
    const xs = [10, 11, 12, 40, 41, 90, 95, 96, 97, 98];
    const placed = [...sideBySide(xs, 16, 0, 400)].sort((a, b) => a - b);
    for (let i = 1; i < placed.length; i++) {
      expect((placed[i] ?? 0) - (placed[i - 1] ?? 0)).toBeGreaterThanOrEqual(16 - 1e-9);
    }
  });

  test('a group at an edge stays inside [lo, hi]', () => {
    expect(sideBySide([300, 300], 16, 0, 300)).toEqual([284, 300]);
    expect(sideBySide([0, 0, 0], 16, 0, 300)).toEqual([0, 16, 32]);
  });
});
