import { readFileSync } from 'node:fs';
import { describe, expect, it, test } from 'vitest';
import { csvField, parseCsv, toCsvText } from './csv';
import { csvColumns, toCsv, toJson, type BenchExport } from './export';
import type { AggregationRecord, ProblemResult, SavedRun } from './types';

describe('csv', () => {
  it('quotes only what needs quoting, doubling quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\r')).toBe('"cr\r"');
    expect(csvField(' padded')).toBe('" padded"');
    expect(csvField('')).toBe('');
  });

  it('round-trips awkward fields', () => {
    const rows = [
      ['a', 'b,c', '"q"', 'x\r\ny', ''],
      ['', ' ', 'Janet’s ducks', '$2,125', '\n'],
    ];
    const text = toCsvText(rows);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(parseCsv(text)).toEqual(rows);
    expect(parseCsv('a,b\nc,d')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
  });

  it('rejects broken quoting', () => {
    expect(() => parseCsv('"open')).toThrow(SyntaxError);
    expect(() => parseCsv('a"b')).toThrow(SyntaxError);
    expect(() => parseCsv('"a"b')).toThrow(SyntaxError);
  });
});

function result(
  problemId: string,
  mode: string,
  answers: (string | null)[],
  gold: string,
): ProblemResult {
  const votes: Record<string, number> = {};
  for (const a of answers) if (a !== null) votes[a] = (votes[a] ?? 0) + 1;
  const answer = Object.entries(votes).sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
  return {
    problemId,
    mode,
    gold,
    answer,
    correct: answer === gold,
    samples: answers.map((a, i) => ({
      text: `Solution ${i}, "quoted", with a comma\nand a line. \\boxed{${a ?? '?'}}`,
      answer: a,
      completionTokens: 12,
      promptTokens: 30,
      ms: 250,
      finishReason: i === 2 ? 'length' : 'stop',
    })),
    votes,
    tokens: 12 * answers.length,
    seconds: 0.75,
    finishedAt: 1,
  };
}

/** The ensemble's answer as each aggregation gave it; only the verifier ones paid to verify. */
const aggregate = (answer: string | null, verificationTokens = 0): AggregationRecord => ({
  available: answer !== null,
  answer,
  correct: answer === '18',
  generationTokens: 36,
  verificationTokens,
});

/** An ensemble result with its samples' scores and every aggregation, as the runner records them. */
function scored(plain: ProblemResult): ProblemResult {
  const confidences = [5.25, null, 1.3];
  const verifiers = [0.9089, null, null];
  return {
    ...plain,
    samples: plain.samples.map((s, i) => ({
      ...s,
      confidence: confidences[i] ?? null,
      verifier: verifiers[i] ?? null,
    })),
    aggregates: {
      majority: aggregate('18'),
      confidence: aggregate('18'),
      verifier: aggregate(null, 41),
      'best-of-n': aggregate('17', 41),
    },
  };
}

const run: SavedRun = {
  header: {
    version: 1,
    createdAt: 0,
    problems: [
      { id: 'L1', line: 1, question: 'Janet’s ducks, "16" of them,\nlay eggs?', gold: '18' },
      { id: 'L2', line: 2, question: 'Plain question?', gold: '-10' },
      { id: 'L3', line: 3, question: 'Not run yet?', gold: '3' },
    ],
    config: {
      dataset: 'test',
      fingerprint: '0123456789abcdef',
      selection: { sample: 'first', limit: 3, seed: 1 },
      modes: [
        { kind: 'single' },
        { kind: 'program' },
        { kind: 'ensemble', k: 3, rule: { kind: 'fixed' } },
      ],
      sampling: { temperature: 0.7, top_p: 0.95, max_tokens: 512 },
      family: 'qwen-math',
      model: 'mock',
    },
  },
  results: [
    result('L2', 'single', ['-10'], '-10'),
    scored(result('L1', 'ensemble-k3-fixed', ['18', null, '18'], '18')),
    result('L1', 'single', ['17'], '18'),
    {
      ...result('L1', 'program', [null], '18'),
      error: { kind: 'timeout', message: 'The program was stopped after 5 s (the time limit).' },
    },
  ],
  unreadable: 0,
};

describe('exports', () => {
  it('JSON carries config, summary and ordered results with questions', () => {
    const parsed = JSON.parse(toJson(run, new Date(0))) as BenchExport;
    expect(parsed.format).toBe('tally-bench');
    expect(parsed.exportedAt).toBe('1970-01-01T00:00:00.000Z');
    expect(parsed.selected).toBe(3);
    expect(parsed.results.map((r) => `${r.problemId}/${r.mode}`)).toEqual([
      'L1/single',
      'L1/program',
      'L1/ensemble-k3-fixed',
      'L2/single',
    ]);
    expect(parsed.results[0]?.question).toBe(run.header.problems[0]?.question);
    expect(parsed.results[1]?.error).toEqual({
      kind: 'timeout',
      message: 'The program was stopped after 5 s (the time limit).',
    });
    // each sample's scores and every aggregation travel whole
    expect(parsed.results[2]?.samples.map((s) => [s.confidence, s.verifier])).toEqual([
      [5.25, 0.9089],
      [null, null],
      [1.3, null],
    ]);
    expect(parsed.results[2]?.aggregates?.['best-of-n']).toEqual(aggregate('17', 41));
    // an aggregation that never answered is left out of the summary, named, not shown as 0%
    expect(parsed.summary[2]?.leftOut).toEqual(['verifier']);
    expect(parsed.calibration.byAgreement.map((g) => g.pattern)).not.toHaveLength(0);
    expect(parsed.summary[2]?.aggregations.map((a) => [a.name, a.correct, a.meanTokens])).toEqual([
      ['majority', 1, 36],
      ['confidence', 1, 36],
      ['best-of-n', 0, 77],
    ]);
    expect(parsed.summary.map((s) => [s.mode, s.n, s.correct, s.errors])).toEqual([
      ['single', 2, 1, {}],
      ['program', 1, 0, { timeout: 1 }],
      ['ensemble-k3-fixed', 1, 1, {}],
    ]);
  });

  it('CSV has one row per finished problem and mode, parsing back to the same values', () => {
    const rows = parseCsv(toCsv(run));
    expect(rows[0]).toEqual([...csvColumns]);
    const records = rows
      .slice(1)
      .map((row) => Object.fromEntries(csvColumns.map((c, i) => [c, row[i]])));
    expect(records).toHaveLength(4);
    expect(records[0]).toEqual({
      problem_id: 'L1',
      line: '1',
      mode: 'single',
      gold: '18',
      answer: '17',
      correct: '0',
      samples_used: '1',
      answers: '17',
      votes: '17=1',
      completion_tokens: '12',
      prompt_tokens: '30',
      seconds: '0.750',
      truncated: '0',
      program_error: '',
      confidences: '',
      verifier_scores: '',
      majority_answer: '',
      confidence_answer: '',
      verifier_answer: '',
      best_of_n_answer: '',
      verification_tokens: '',
      question: 'Janet’s ducks, "16" of them,\nlay eggs?',
    });
    expect(records[1]).toMatchObject({
      mode: 'program',
      answer: '',
      correct: '0',
      program_error: 'timeout',
    });
    expect(records[2]).toMatchObject({
      mode: 'ensemble-k3-fixed',
      answer: '18',
      correct: '1',
      samples_used: '3',
      answers: '18;;18',
      votes: '18=2',
      prompt_tokens: '90',
      truncated: '1',
      confidences: '5.2500;;1.3000',
      verifier_scores: '0.9089;;',
      majority_answer: '18',
      confidence_answer: '18',
      verifier_answer: '',
      best_of_n_answer: '17',
      verification_tokens: '41',
    });
    expect(records[3]).toMatchObject({
      problem_id: 'L2',
      gold: '-10',
      answer: '-10',
      correct: '1',
    });
  });
});

test('the README lists the CSV columns as the export writes them', () => {
  const readme = readFileSync('README.md', 'utf8');
  expect(readme).toContain(`the ${csvColumns.length} columns \`${csvColumns.join(', ')}\``);
});
