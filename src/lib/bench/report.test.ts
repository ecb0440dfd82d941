import { describe, expect, it } from 'vitest';
import { finishedText, summaryTable } from './report';
import { wilson } from './stats';
import type { AggregationSummary, ModeSummary } from './types';

describe('finishedText', () => {
  it('counts a problem once, when every mode has answered it', () => {
    const results = [
      { problemId: 'L1', mode: 'single' },
      { problemId: 'L1', mode: 'ensemble-k16-beta(0.95)' },
      { problemId: 'L2', mode: 'single' },
      // a result saved twice (a resumed run) is one answer
      { problemId: 'L2', mode: 'single' },
    ];
    expect(finishedText(5, 2, results)).toBe(
      '1 of 5 problems finished · 3 of 10 answers (2 modes each)',
    );
    expect(finishedText(5, 1, results.slice(2))).toBe('1 of 5 problems finished');
    expect(finishedText(5, 2, [])).toBe(
      '0 of 5 problems finished · 0 of 10 answers (2 modes each)',
    );
  });
});

describe('summaryTable', () => {
  const mode = (id: string, aggregations: AggregationSummary[] = []): ModeSummary => ({
    mode: id,
    label: id,
    n: 4,
    correct: 3,
    accuracy: 0.75,
    ci: wilson(3, 4),
    meanSamples: id === 'single' ? 1 : 5,
    tokens: id === 'single' ? 400 : 2000,
    tokensPerSecond: 20,
    seconds: 30,
    errors: {},
    aggregations,
  });
  const row = (
    name: AggregationSummary['name'],
    correct: number,
    meanTokens: number,
    available = 4,
  ): AggregationSummary => ({
    name,
    n: 4,
    available,
    correct,
    accuracy: correct / 4,
    ci: wilson(correct, 4),
    meanTokens,
    meanVerificationTokens: meanTokens - 500,
  });

  it('puts one row per aggregation under its ensemble mode, with accuracy, interval and tokens per problem', () => {
    const text = summaryTable([
      mode('single'),
      mode('ensemble-k5-fixed', [
        row('majority', 2, 500),
        row('confidence', 3, 500),
        row('verifier', 4, 540.5),
        row('best-of-n', 0, 540.5, 0),
      ]),
    ]);
    const lines = text.split('\n');
    expect(lines[0]).toMatch(
      /^mode\s+n\s+correct\s+accuracy\s+95% CI\s+mean samples\s+tokens\s+tokens\/problem\s+tok\/s\s+time$/,
    );
    expect(lines[1]).toMatch(
      /^single\s+4\s+3\s+75\.0%\s+\S+\s+1\.00\s+400\s+100\.0\s+20\.0\s+30 s$/,
    );
    expect(lines[2]).toMatch(/^ensemble-k5-fixed\s+4\s+3\s+75\.0%/);
    const ci = (c: number) =>
      `${(wilson(c, 4).low * 100).toFixed(1)}%–${(wilson(c, 4).high * 100).toFixed(1)}%`;
    expect(lines.slice(3).map((l) => l.split(/\s{2,}/).filter(Boolean))).toEqual([
      ['majority', '4', '2', '50.0%', ci(2), '500.0'],
      ['confidence', '4', '3', '75.0%', ci(3), '500.0'],
      ['verifier', '4', '4', '100.0%', ci(4), '540.5'],
      ['best-of-n (unavailable)', '4', '0', '0.0%', ci(0), '540.5'],
    ]);
    expect(lines[3]).toMatch(/^ {2}majority/);
  });
});
