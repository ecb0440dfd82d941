import { describe, expect, test } from 'vitest';
import {
  aggregateAll,
  bestOfN,
  confidenceWeighted,
  majority,
  verifierWeighted,
  type Scored,
} from './aggregate';

const s = (
  answer: string | null,
  confidence: number | null,
  verifier: number | null = null,
): Scored => ({
  answer,
  confidence,
  verifier,
  weight: 1,
});

// three confident samples say 18, four unsure ones say 26
const samples = [
  s('26', 2),
  s('18', 9, 0.9),
  s('26', 3, 0.2),
  s('18', 8),
  s('26', 2.5),
  s('18', 10),
  s('26', 1),
];

describe('aggregations over the same samples', () => {
  test('the majority counts samples', () => {
    const m = majority(samples);
    expect(m.answer).toBe('26');
    expect(m.vote.buckets.map((b) => [b.answer, b.votes])).toEqual([
      ['26', 4],
      ['18', 3],
    ]);
  });

  test('confidence-weighted keeps the most confident share and weighs by confidence', () => {
    // keep half of 7 → 4: confidences 10, 9, 8 (18) and 3 (26)
    const c = confidenceWeighted(samples, 0.5);
    expect(c.answer).toBe('18');
    expect(c.vote.buckets.map((b) => [b.answer, b.votes, b.count])).toEqual([
      ['18', 27, 3],
      ['26', 3, 1],
    ]);
    // members point at the samples kept
    expect(c.vote.buckets[0]?.members).toEqual([1, 3, 5]);
  });

  test('keeping everything still weighs by confidence', () => {
    // 18: 27; 26: 2 + 3 + 2.5 + 1 = 8.5
    expect(confidenceWeighted(samples, 1).vote.buckets.map((b) => b.votes)).toEqual([27, 8.5]);
  });

  test('keeps at least one sample, and ties at the cut', () => {
    expect(confidenceWeighted([s('1', 5), s('2', 5), s('3', 1)], 0.01).vote.valid).toBe(2);
  });

  test('without confidence it is unavailable, not a guess', () => {
    const c = confidenceWeighted([s('1', null), s('2', null)]);
    expect(c).toMatchObject({ available: false, answer: null });
  });

  test('verifier-weighted: each answer’s samples count its P(yes)', () => {
    const v = verifierWeighted(samples);
    // 18: 3 × 0.9 = 2.7; 26: 4 × 0.2 = 0.8
    expect(v.answer).toBe('18');
    expect(v.vote.buckets.map((b) => b.votes)).toEqual([expect.closeTo(2.7), expect.closeTo(0.8)]);
  });

  test('best-of-n names the sample the verifier rates highest', () => {
    expect(bestOfN(samples)).toMatchObject({ available: true, answer: '18', sample: 1 });
    expect(bestOfN([s('1', 1)])).toMatchObject({ available: false, sample: null });
  });

  test('aggregateAll gives every one, from the same samples', () => {
    const all = aggregateAll(samples, 0.5);
    expect(Object.values(all).map((a) => [a.name, a.answer])).toEqual([
      ['majority', '26'],
      ['confidence', '18'],
      ['verifier', '18'],
      ['best-of-n', '18'],
    ]);
  });
});
