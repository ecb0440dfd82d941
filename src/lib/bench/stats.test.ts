import { describe, expect, it } from 'vitest';
import { summarize, summarizeAggregations, wilson } from './stats';
import type { AggregationRecord, ModeSpec, ProblemResult } from './types';

describe('wilson', () => {
  it('matches published values', () => {
    // 8 of 10: [0.4902, 0.9433] (e.g. Newcombe 1998, method 3).
    const a = wilson(8, 10);
    expect(a.low).toBeCloseTo(0.4902, 4);
    expect(a.high).toBeCloseTo(0.9433, 4);
    // 0 of 10 still has width: [0, 0.2775].
    const b = wilson(0, 10);
    expect(b.low).toBe(0);
    expect(b.high).toBeCloseTo(0.2775, 4);
    // 10 of 10: [0.7225, 1].
    const c = wilson(10, 10);
    expect(c.low).toBeCloseTo(0.7225, 4);
    expect(c.high).toBe(1);
  });

  it('is uninformative with no trials and narrows with more', () => {
    expect(wilson(0, 0)).toEqual({ low: 0, high: 1 });
    const small = wilson(50, 100);
    const big = wilson(500, 1000);
    expect(big.high - big.low).toBeLessThan(small.high - small.low);
    expect((small.low + small.high) / 2).toBeCloseTo(0.5, 10);
  });
});

function result(problemId: string, mode: string, correct: boolean, samples: number): ProblemResult {
  return {
    problemId,
    mode,
    gold: '1',
    answer: correct ? '1' : '2',
    correct,
    samples: Array.from({ length: samples }, () => ({
      text: 'x',
      answer: correct ? '1' : '2',
      completionTokens: 10,
      promptTokens: 5,
      ms: 500,
      finishReason: 'stop' as const,
    })),
    votes: { [correct ? '1' : '2']: samples },
    tokens: 10 * samples,
    seconds: 1,
    finishedAt: 0,
  };
}

describe('summarize', () => {
  it('gives each mode its accuracy, interval, samples, tokens and speed', () => {
    const modes: ModeSpec[] = [
      { kind: 'single' },
      { kind: 'ensemble', k: 5, rule: { kind: 'fixed' } },
    ];
    const results = [
      result('L1', 'single', true, 1),
      result('L2', 'single', false, 1),
      result('L1', 'ensemble-k5-fixed', true, 5),
      result('L2', 'ensemble-k5-fixed', true, 3),
    ];
    const [single, ensemble] = summarize(modes, results);
    expect(single).toMatchObject({
      mode: 'single',
      n: 2,
      correct: 1,
      accuracy: 0.5,
      meanSamples: 1,
    });
    expect(single?.tokens).toBe(20);
    expect(single?.tokensPerSecond).toBeCloseTo(20, 10);
    expect(single?.seconds).toBe(2);
    expect(ensemble).toMatchObject({
      mode: 'ensemble-k5-fixed',
      label: 'Ensemble k=5, fixed',
      n: 2,
      correct: 2,
      accuracy: 1,
      meanSamples: 4,
      tokens: 80,
    });
    expect(ensemble?.ci).toEqual(wilson(2, 2));
  });

  it('reports an empty mode without NaN, and with no accuracy rather than 0%', () => {
    const [s] = summarize([{ kind: 'single' }], []);
    expect(s).toMatchObject({
      n: 0,
      accuracy: null,
      meanSamples: 0,
      tokensPerSecond: 0,
      ci: null,
    });
  });
});

describe('summarizeAggregations', () => {
  const record = (
    correct: boolean,
    available = true,
    verificationTokens = 0,
  ): AggregationRecord => ({
    available,
    answer: available ? (correct ? '1' : '2') : null,
    correct,
    generationTokens: 50,
    verificationTokens,
  });
  /** an ensemble result whose aggregations answered as given: [majority, confidence, verifier, best-of-n] */
  function withAggregates(
    problemId: string,
    [majority, confidence, verifier, best]: [boolean, boolean, boolean, boolean],
    verifying = 20,
  ): ProblemResult {
    return {
      ...result(problemId, 'ensemble-k5-fixed', majority, 5),
      aggregates: {
        majority: record(majority),
        confidence: record(confidence),
        verifier: record(verifier, true, verifying),
        'best-of-n': record(best, true, verifying),
      },
    };
  }

  it('gives each aggregation its accuracy, interval and tokens per problem, verification included', () => {
    const { rows } = summarizeAggregations([
      withAggregates('L1', [true, true, true, true], 20),
      withAggregates('L2', [false, true, true, false], 40),
      withAggregates('L3', [false, false, true, false], 30),
      // saved before aggregations were recorded: left out of these rows
      result('L4', 'ensemble-k5-fixed', true, 5),
    ]);
    expect(rows.map((r) => [r.name, r.n, r.correct])).toEqual([
      ['majority', 3, 1],
      ['confidence', 3, 2],
      ['verifier', 3, 3],
      ['best-of-n', 3, 1],
    ]);
    expect(rows[1]?.accuracy).toBeCloseTo(2 / 3, 12);
    expect(rows[1]?.ci).toEqual(wilson(2, 3));
    expect(rows[0]).toMatchObject({ meanTokens: 50, meanVerificationTokens: 0 });
    expect(rows[2]).toMatchObject({ meanTokens: 80, meanVerificationTokens: 30 });
  });

  it('leaves out an aggregation that never could answer, rather than show it as 0% accurate', () => {
    const blind: ProblemResult = {
      ...result('L1', 'ensemble-k5-fixed', true, 5),
      aggregates: {
        majority: record(true),
        confidence: record(false, false),
        verifier: record(false, false),
        'best-of-n': record(false, false),
      },
    };
    const { rows, leftOut } = summarizeAggregations([blind]);
    expect(rows.map((r) => r.name)).toEqual(['majority']);
    expect(rows[0]).toMatchObject({ n: 1, available: 1, correct: 1 });
    expect(leftOut).toEqual(['confidence', 'verifier', 'best-of-n']);
  });

  it('counts an aggregation that could answer only sometimes as wrong where it could not', () => {
    const sometimes = (id: string, available: boolean): ProblemResult => ({
      ...result(id, 'ensemble-k5-fixed', true, 5),
      aggregates: {
        majority: record(true),
        confidence: record(available, available),
        verifier: record(false, false),
        'best-of-n': record(false, false),
      },
    });
    const { rows } = summarizeAggregations([sometimes('L1', true), sometimes('L2', false)]);
    expect(rows.find((r) => r.name === 'confidence')).toMatchObject({
      n: 2,
      available: 1,
      correct: 1,
      accuracy: 0.5,
    });
  });

  it('has no rows without recorded aggregations, and summarize passes them on per mode', () => {
    expect(summarizeAggregations([result('L1', 'single', true, 1)])).toEqual({
      rows: [],
      leftOut: [],
    });
    const [single, ensemble] = summarize(
      [{ kind: 'single' }, { kind: 'ensemble', k: 5, rule: { kind: 'fixed' } }],
      [result('L1', 'single', true, 1), withAggregates('L1', [true, false, true, true])],
    );
    expect(single?.aggregations).toEqual([]);
    expect(ensemble?.aggregations.map((a) => a.correct)).toEqual([1, 0, 1, 1]);
  });
});
