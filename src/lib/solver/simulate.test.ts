import { describe, expect, test } from 'vitest';
import {
  correctAnswer,
  drawAnswer,
  drawConfident,
  runMethod,
  runRule,
  seededRandom,
  simulate,
} from './simulate';

describe('seededRandom', () => {
  test('is deterministic per seed, spans [0, 1) and looks uniform', () => {
    const a = seededRandom(5);
    const b = seededRandom(5);
    const draws = Array.from({ length: 10_000 }, () => a());
    expect(draws.slice(0, 5)).toEqual(Array.from({ length: 5 }, () => b()));
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
    const mean = draws.reduce((x, y) => x + y, 0) / draws.length;
    expect(mean).toBeGreaterThan(0.48);
    expect(mean).toBeLessThan(0.52);
    expect(seededRandom(6)()).not.toBe(seededRandom(5)());
  });
});

describe('drawAnswer', () => {
  test('gives the correct answer, distractors and abstentions at the asked rates', () => {
    const random = seededRandom(1);
    const scenario = { pCorrect: 0.6, pNone: 0.1, distractors: [3, 1] };
    const answers = Array.from({ length: 20_000 }, () => drawAnswer(scenario, random));
    const share = (a: string | null): number => answers.filter((x) => x === a).length / 20_000;
    expect(share(correctAnswer)).toBeCloseTo(0.6, 1);
    expect(share(null)).toBeCloseTo(0.1, 1);
    expect(share('100')).toBeCloseTo(0.225, 1);
    expect(share('101')).toBeCloseTo(0.075, 1);
  });
});

describe('runRule and simulate', () => {
  test('a rule uses the samples it needs and reports the majority there', () => {
    const answers = ['42', '42', '100', '42', '42', '42', '42', '42'];
    expect(runRule({ kind: 'fixed' }, answers, 8)).toEqual({ used: 8, winner: '42' });
    expect(runRule({ kind: 'esc', window: 3 }, answers, 8)).toEqual({ used: 6, winner: '42' });
    expect(runRule({ kind: 'esc', window: 3 }, answers, 5)).toEqual({ used: 5, winner: '42' });
    expect(() => runRule({ kind: 'fixed' }, answers, 9)).toThrow(RangeError);
  });

  test('a perfect model: every rule is always right, esc(w) uses w, fixed uses k', () => {
    const rows = simulate({
      scenarios: [{ pCorrect: 1, pNone: 0, distractors: [1] }],
      ks: [8, 16],
      rules: [{ kind: 'fixed' }, { kind: 'esc', window: 3 }, { kind: 'beta', threshold: 0.95 }],
      trials: 50,
      seed: 2,
    });
    expect(rows.map((r) => [r.k, r.meanUsed, r.medianUsed])).toEqual([
      [8, 8, 8],
      [8, 3, 3],
      [8, 4, 4],
      [16, 16, 16],
      [16, 3, 3],
      [16, 4, 4],
    ]);
    expect(rows.every((r) => r.accuracy === 1 && r.matchFull === 1 && r.fixedAccuracy === 1)).toBe(
      true,
    );
  });

  test('a hopeless model is never right, and early stopping can disagree with full k', () => {
    const rows = simulate({
      scenarios: [{ pCorrect: 0, pNone: 0, distractors: [1, 1] }],
      ks: [16],
      rules: [{ kind: 'esc', window: 2 }],
      trials: 300,
      seed: 3,
    });
    const [row] = rows;
    expect(row?.accuracy).toBe(0);
    expect(row?.matchFull).toBeLessThan(0.95);
    expect(row?.meanUsed).toBeLessThan(16);
  });

  test('rejects impossible scenarios', () => {
    expect(() =>
      simulate({
        scenarios: [{ pCorrect: 0.8, pNone: 0.3, distractors: [1] }],
        ks: [8],
        rules: [{ kind: 'fixed' }],
        trials: 1,
        seed: 1,
      }),
    ).toThrow(RangeError);
  });
});

describe('runMethod', () => {
  const sample = (answer: string | null, confidence: number) => ({
    answer,
    confidence,
    tokens: 100,
    cutAt: 40,
  });
  const fixed = { kind: 'fixed' } as const;

  test('the confidence-weighted vote can overturn the majority', () => {
    const samples = [
      sample('1', 1),
      sample('42', 9),
      sample('1', 1),
      sample('42', 9),
      sample('1', 1),
    ];
    expect(runMethod({ name: 'm', rule: fixed, early: null, keep: null }, samples, 5)).toEqual({
      winner: '1',
      tokens: 500,
    });
    expect(runMethod({ name: 'c', rule: fixed, early: null, keep: 0.9 }, samples, 5).winner).toBe(
      '42',
    );
  });

  test('early termination counts out samples below the warm-up threshold and spends their tokens to the cut', () => {
    // warm-up of 2 (confidences 5 and 7, keep 1 → threshold 5); then 3 is cut, 6 counted
    const samples = [sample('42', 5), sample('42', 7), sample('1', 3), sample('1', 6)];
    const outcome = runMethod(
      { name: 'e', rule: fixed, early: { warmup: 2, keep: 1 }, keep: null },
      samples,
      4,
    );
    expect(outcome).toEqual({ winner: '42', tokens: 100 + 100 + 40 + 100 });
  });

  test('drawConfident separates right from wrong by d', () => {
    const random = seededRandom(3);
    const scenario = { pCorrect: 0.5, pNone: 0, distractors: [1] };
    const draws = Array.from({ length: 4000 }, () => drawConfident(scenario, 2, random));
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const right = mean(draws.filter((s) => s.answer === '42').map((s) => s.confidence));
    const wrong = mean(draws.filter((s) => s.answer !== '42').map((s) => s.confidence));
    expect(right - wrong).toBeCloseTo(2, 0);
    expect(draws.every((s) => s.cutAt >= 32 && s.cutAt <= s.tokens)).toBe(true);
  });
});
