import { describe, expect, test } from 'vitest';
import type { TokenLogprob } from '../engine/logprobs';
import { ConfidenceMeter, logprobFloor, sampleConfidence, tokenConfidence } from './confidence';

/** A token whose top-k log-probabilities are `top` (the first is the token chosen). */
function tok(...top: number[]): TokenLogprob {
  return {
    token: 'x',
    logprob: top[0] ?? 0,
    top_logprobs: top.map((logprob, i) => ({ token: `t${i}`, logprob })),
  };
}

describe('tokenConfidence', () => {
  test('is minus the mean of the top-k log-probabilities', () => {
    // −(−0.1 − 2 − 3.9) / 3 = 6 / 3 = 2
    expect(tokenConfidence(tok(-0.1, -2, -3.9))).toBeCloseTo(2, 12);
    // a flat top-2: −(ln ½ + ln ½) / 2 = ln 2
    expect(tokenConfidence(tok(Math.log(0.5), Math.log(0.5)))).toBeCloseTo(Math.LN2, 12);
  });

  test('a peaked distribution is more confident than a flat one', () => {
    const peaked = tokenConfidence(tok(-0.01, -6, -7)) ?? 0;
    const flat = tokenConfidence(tok(-0.9, -1.1, -1.3)) ?? Infinity;
    expect(peaked).toBeGreaterThan(flat);
  });

  test('a token without top log-probabilities is missing, not zero', () => {
    expect(tokenConfidence(tok())).toBeNull();
  });

  test('−9999 (a server’s "impossible") counts as the floor', () => {
    // −(0 − 20) / 2 = 10
    expect(tokenConfidence(tok(0, -9999))).toBeCloseTo(-logprobFloor / 2, 12);
  });
});

describe('sampleConfidence', () => {
  test('an empty sample has no confidence', () => {
    expect(sampleConfidence([])).toEqual({ scored: 0, lowest: null, tail: null, mean: null });
  });

  test('a sample with no log-probabilities at all has none either', () => {
    expect(sampleConfidence([tok(), tok()])).toEqual({
      scored: 0,
      lowest: null,
      tail: null,
      mean: null,
    });
  });

  test('shorter than the window: the lowest group is the mean of every token', () => {
    // confidences 1, 2, 3 (single-entry tops), window 4
    const c = sampleConfidence([tok(-1), tok(-2), tok(-3)], 4, 2);
    expect(c.scored).toBe(3);
    expect(c.lowest).toBeCloseTo(2, 12);
    expect(c.mean).toBeCloseTo(2, 12);
    // the last two: (2 + 3) / 2
    expect(c.tail).toBeCloseTo(2.5, 12);
  });

  test('the lowest group is the least confident window, by hand', () => {
    // confidences 5, 4, 1, 1, 4, 5 with window 2: groups 4.5, 2.5, 1, 2.5, 4.5 → 1
    const tokens = [5, 4, 1, 1, 4, 5].map((c) => tok(-c));
    const c = sampleConfidence(tokens, 2, 3);
    expect(c.lowest).toBeCloseTo(1, 12);
    expect(c.mean).toBeCloseTo(20 / 6, 12);
    // the last three: (1 + 4 + 5) / 3
    expect(c.tail).toBeCloseTo(10 / 3, 12);
  });

  test('exactly one window long: one group', () => {
    const c = sampleConfidence([tok(-2), tok(-4)], 2, 8);
    expect(c.lowest).toBeCloseTo(3, 12);
    expect(c.tail).toBeCloseTo(3, 12);
  });

  test('tokens missing log-probabilities are skipped, not counted as 0', () => {
    // scored confidences 2, 6 (the middle token is missing), window 2: one group (2 + 6) / 2
    const c = sampleConfidence([tok(-2), tok(), tok(-6)], 2, 1);
    expect(c.scored).toBe(2);
    expect(c.lowest).toBeCloseTo(4, 12);
    expect(c.tail).toBeCloseTo(6, 12);
  });

  test('uses the default window of 32 tokens', () => {
    // 40 tokens: 32 at confidence 3, then 8 at 1 → the last window holds 24 × 3 + 8 × 1
    const tokens = [
      ...Array.from({ length: 32 }, () => tok(-3)),
      ...Array.from({ length: 8 }, () => tok(-1)),
    ];
    expect(sampleConfidence(tokens).lowest).toBeCloseTo((24 * 3 + 8) / 32, 12);
  });
});

describe('ConfidenceMeter', () => {
  test('the running group appears once the window is full and follows the last window', () => {
    const meter = new ConfidenceMeter(3, 3);
    meter.push([tok(-6), tok(-6)]);
    expect(meter.group).toBeNull();
    meter.push([tok(-3)]);
    expect(meter.group).toBeCloseTo(5, 12);
    meter.push([tok(), tok(-0)]);
    // the missing token is skipped: last three are 6, 3, 0
    expect(meter.group).toBeCloseTo(3, 12);
    expect(meter.result.lowest).toBeCloseTo(3, 12);
  });
});
