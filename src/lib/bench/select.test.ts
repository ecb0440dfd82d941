import { describe, expect, it } from 'vitest';
import { selectProblems } from './select';
import type { Problem } from './types';

const problems: Problem[] = Array.from({ length: 100 }, (_, i) => ({
  id: `L${i + 1}`,
  line: i + 1,
  question: `q${i}`,
  gold: String(i),
}));

describe('selectProblems', () => {
  it('takes the first N', () => {
    expect(
      selectProblems(problems, { sample: 'first', limit: 3, seed: 0 }).map((p) => p.id),
    ).toEqual(['L1', 'L2', 'L3']);
  });

  it('caps the limit at the number of problems', () => {
    expect(selectProblems(problems, { sample: 'first', limit: 500, seed: 0 })).toHaveLength(100);
    expect(selectProblems(problems, { sample: 'random', limit: 500, seed: 3 })).toHaveLength(100);
  });

  it('samples N distinct problems in file order, the same for the same seed', () => {
    const one = selectProblems(problems, { sample: 'random', limit: 10, seed: 42 });
    const two = selectProblems(problems, { sample: 'random', limit: 10, seed: 42 });
    const other = selectProblems(problems, { sample: 'random', limit: 10, seed: 43 });
    expect(one).toEqual(two);
    expect(one).not.toEqual(other);
    expect(new Set(one.map((p) => p.id)).size).toBe(10);
    expect(one.map((p) => p.line)).toEqual([...one.map((p) => p.line)].sort((a, b) => a - b));
    expect(one).not.toEqual(problems.slice(0, 10));
  });

  it('nests: a smaller sample is a subset of a larger one with the same seed', () => {
    const small = selectProblems(problems, { sample: 'random', limit: 10, seed: 5 });
    const large = new Set(
      selectProblems(problems, { sample: 'random', limit: 40, seed: 5 }).map((p) => p.id),
    );
    expect(small.every((p) => large.has(p.id))).toBe(true);
  });
});
