import { describe, expect, test } from 'vitest';
import { costAhead, ensembleEstimate, upTo, type EnsembleRun, type SampleState } from './estimate';

const finished = (tokens: number): SampleState => ({
  result: { usage: { completionTokens: tokens } },
  cutAt: 0,
  failed: '',
});
const writing: SampleState = { cutAt: 0, failed: '' };
const run = (samples: EnsembleRun['samples'], ms: number, k = 16, verifying = false) => ({
  k,
  early: true,
  samples,
  ms,
  verifying,
});
/** the last single answer: 300 tokens in 10 s, 30 tokens/s */
const answer = { completionTokens: 300, ms: 10_000 };

describe('costAhead', () => {
  test('samples × tokens per sample, at the measured tokens per second', () => {
    expect(costAhead(16, { samples: 1, tokens: 300, ms: 10_000 })).toEqual({
      samples: 16,
      tokens: 4800,
      perSecond: 30,
      seconds: 160,
    });
    // two samples of 200 tokens in 4 s of wall time (at once, on a server): 100 tokens/s
    expect(costAhead(3, { samples: 2, tokens: 400, ms: 4000 })).toEqual({
      samples: 3,
      tokens: 600,
      perSecond: 100,
      seconds: 6,
    });
  });

  test('nothing measured, no tokens or no time: no estimate, never a division by zero', () => {
    expect(costAhead(5, undefined)).toBeUndefined();
    expect(costAhead(5, { samples: 0, tokens: 0, ms: 0 })).toBeUndefined();
    expect(costAhead(5, { samples: 1, tokens: 0, ms: 900 })).toBeUndefined();
    expect(costAhead(5, { samples: 1, tokens: 30, ms: 0 })).toBeUndefined();
  });
});

describe('ensembleEstimate', () => {
  test('before a run: up to k samples at the last answer’s speed', () => {
    expect(ensembleEstimate(16, answer)).toEqual({
      kind: 'before',
      k: 16,
      cost: { samples: 16, tokens: 4800, perSecond: 30, seconds: 160 },
    });
    expect(ensembleEstimate(16, undefined)).toEqual({ kind: 'unknown' });
  });

  test('as it runs, the time left comes from this run’s speed, not the answer’s', () => {
    // no sample ended yet: the last answer's speed, for all 16
    expect(ensembleEstimate(16, answer, run([writing], 0))).toEqual({
      kind: 'running',
      done: 0,
      k: 16,
      early: true,
      cost: { samples: 16, tokens: 4800, perSecond: 30, seconds: 160 },
      source: 'answer',
    });
    // 4 samples of 100 tokens ended after 20 s: 20 tokens/s, 12 left of 100 tokens each, 60 s
    const four = run([finished(100), finished(100), finished(100), finished(100), writing], 20_000);
    expect(ensembleEstimate(16, answer, four)).toEqual({
      kind: 'running',
      done: 4,
      k: 16,
      early: true,
      cost: { samples: 12, tokens: 1200, perSecond: 20, seconds: 60 },
      source: 'run',
    });
  });

  test('the run’s own k, not a k changed in the settings meanwhile', () => {
    const estimate = ensembleEstimate(40, answer, run([finished(100)], 5000, 6));
    expect(estimate).toMatchObject({ kind: 'running', done: 1, k: 6, cost: { samples: 5 } });
  });

  test('a sample stopped early or failed has taken its turn; only finished ones are done', () => {
    const cut: SampleState = { cutAt: 50, failed: '' };
    const failed: SampleState = { cutAt: 0, failed: 'the connection dropped' };
    // 3 ended (150 + 50 tokens, one failed) in 10 s: 20 tokens/s, 200 / 3 tokens a sample
    const estimate = ensembleEstimate(
      5,
      answer,
      run([finished(150), cut, failed, writing], 10_000, 5),
    );
    expect(estimate).toMatchObject({ kind: 'running', done: 1, k: 5, source: 'run' });
    if (estimate.kind !== 'running') throw new Error(estimate.kind);
    expect(estimate.cost?.samples).toBe(2);
    expect(estimate.cost?.perSecond).toBeCloseTo(20);
    expect(estimate.cost?.seconds).toBeCloseTo(20 / 3);
  });

  test('all k ended and the answers are being checked: done, with no time left to say', () => {
    const all = run([finished(100), finished(100)], 4000, 2, true);
    expect(ensembleEstimate(16, answer, all)).toEqual({
      kind: 'running',
      done: 2,
      k: 2,
      early: true,
      cost: undefined,
      source: 'run',
    });
  });

  test('the vote settled before k: it says so instead of a remaining time', () => {
    const settled = run(
      [finished(100), finished(100), finished(100), finished(100)],
      8000,
      16,
      true,
    );
    expect(ensembleEstimate(16, answer, settled)).toEqual({ kind: 'decided', used: 4, k: 16 });
  });
});

describe('upTo', () => {
  test('"up to k" only when the stop rule may end the run sooner', () => {
    expect(upTo(6, true)).toBe('up to 6');
    expect(upTo(1200, false)).toBe('1,200');
  });
});
