import { describe, expect, it } from 'vitest';
import { calibrate } from './calibration';
import { calibrationTable, finishedText, leftOutSentence, summaryTable } from './report';
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
    leftOut: [],
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
        row('best-of-n', 1, 540.5, 1),
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
      ['best-of-n', '4', '1', '25.0%', ci(1), '540.5'],
    ]);
    expect(lines[3]).toMatch(/^ {2}majority/);
  });
});

describe('what was not measured', () => {
  it('has no accuracy, never 0.0%, for a mode that has not run', () => {
    const text = summaryTable([
      {
        mode: 'single',
        label: 'Single call',
        n: 0,
        correct: 0,
        accuracy: null,
        ci: null,
        meanSamples: 0,
        tokens: 0,
        tokensPerSecond: 0,
        seconds: 0,
        errors: {},
        aggregations: [],
        leftOut: [],
      },
    ]);
    expect(text).not.toMatch(/(?<![\d.])0\.0%/);
    expect(text.split('\n')[1]?.split(/\s{2,}/)).toEqual([
      'single',
      '0',
      '0',
      '-',
      '-',
      '0.00',
      '0',
      '-',
      '0.0',
      '0.0 s',
    ]);
  });

  it('says in one sentence why aggregations are left out', () => {
    expect(leftOutSentence([])).toBe('');
    expect(leftOutSentence(['verifier', 'best-of-n'])).toBe(
      'Left out: weighed by the answer check and best-checked sample, because no answer was checked (the answer check was off, or it gave no yes or no).',
    );
    expect(leftOutSentence(['confidence', 'verifier', 'best-of-n'])).toMatch(
      /because the model’s answers came without log-probabilities/,
    );
  });
});

describe('calibrationTable', () => {
  it('prints each agreement pattern and vote share in words, empty groups without an accuracy', () => {
    const base = { samples: [], tokens: 0, seconds: 0, finishedAt: 0 };
    const text = calibrationTable(
      calibrate(
        [{ kind: 'single' }, { kind: 'ensemble', k: 5, rule: { kind: 'fixed' } }],
        [
          {
            ...base,
            problemId: 'L1',
            mode: 'single',
            gold: '4',
            answer: '4',
            correct: true,
            votes: { 4: 1 },
          },
          {
            ...base,
            problemId: 'L1',
            mode: 'ensemble-k5-fixed',
            gold: '4',
            answer: '4',
            correct: true,
            votes: { 4: 5 },
          },
        ],
      ),
    );
    const lines = text.split('\n').map((l) => l.split(/\s{2,}/));
    expect(lines[0]).toEqual(['answers where', 'n', 'correct', 'accuracy', '95% CI']);
    expect(lines[1]?.slice(0, 4)).toEqual([
      'the single call and the vote agreed',
      '1',
      '1',
      '100.0%',
    ]);
    expect(lines[3]).toEqual(['vote where', 'n', 'correct', 'accuracy', '95% CI']);
    expect(lines[4]?.slice(0, 4)).toEqual(['all samples agreed', '1', '1', '100.0%']);
    expect(lines[5]).toEqual(['80–99% of samples agreed', '0', '0', '-', '-']);
    expect(text).not.toMatch(/(?<![\d.])0\.0%/);
  });
});
