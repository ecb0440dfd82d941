import { describe, expect, test } from 'vitest';
import { DamagedRun, damageNotice, readRun, resumeProblem } from './schema';
import { savedHeader, savedResult } from '../../../tests/fixtures/saved-run';
import type { ProblemResult, SampleRecord } from './types';

describe('readRun: a saved run read back entry by entry', () => {
  test('a whole run is read as it was, with no notice', () => {
    const saved = readRun(
      savedHeader(),
      [savedResult('b', { finishedAt: 2 }), savedResult('a', { finishedAt: 1 })],
      0,
    );
    expect(saved.header).toEqual(savedHeader());
    expect(saved.results.map((r) => r.problemId)).toEqual(['a', 'b']);
    expect(damageNotice(saved)).toBeUndefined();
  });

  test('problems repeating an id or of the wrong shape are left out, the good ones kept', () => {
    const tampered = savedHeader();
    const problems: unknown[] = [
      ...tampered.problems,
      { id: 'a', line: 3, question: 'A tampered copy', gold: '1' },
      { id: 7, line: 'x' },
    ];
    const saved = readRun({ ...tampered, problems }, [savedResult('a')], 0);
    expect(saved.header.problems).toEqual(savedHeader().problems);
    expect(saved.results).toHaveLength(1);
    expect(damageNotice(saved)).toBe(
      '2 saved problem(s) or mode(s) of this run could not be read and were left out.',
    );
  });

  test('a mode saved twice is kept once', () => {
    const tampered = savedHeader();
    tampered.config.modes = [{ kind: 'single' }, { kind: 'single' }];
    const saved = readRun(tampered, [], 0);
    expect(saved.header.config.modes).toEqual([{ kind: 'single' }]);
    expect(saved.leftOut).toBe(1);
  });

  test('results of the wrong shape, repeating a key or of no problem in the run are left out', () => {
    const saved = readRun(
      savedHeader(),
      [
        savedResult('a', { finishedAt: 1 }),
        savedResult('a', { finishedAt: 5 }),
        { problemId: 'b' },
        savedResult('z'),
        savedResult('b', { finishedAt: 2, mode: 'other' }),
      ],
      1,
    );
    expect(saved.results).toEqual([savedResult('a', { finishedAt: 1 })]);
    expect(saved.unreadable).toBe(5);
    expect(damageNotice(saved)).toBe(
      '5 saved result(s) could not be read and were left out; resuming redoes any the run still lacks.',
    );
  });

  test('a header that cannot describe a run is refused with a notice naming its results', () => {
    const broken = { ...savedHeader(), config: { ...savedHeader().config, modes: 'single' } };
    for (const value of [undefined, null, [], 'header', broken, { ...savedHeader(), version: 2 }]) {
      expect(() => readRun(value, [savedResult('a'), savedResult('b')], 0)).toThrow(DamagedRun);
    }
    expect(() => readRun(broken, [savedResult('a')], 0)).toThrow(
      'The saved benchmark run could not be read (its settings are damaged), so its 1 saved result(s) cannot be shown or resumed. Starting a new run replaces it.',
    );
  });
});

describe('readRun: the scores and aggregations an ensemble result carries', () => {
  const aggregate = {
    available: true,
    answer: '18',
    correct: true,
    generationTokens: 40,
    verificationTokens: 0,
  };
  const sample: SampleRecord = {
    text: 'x',
    answer: '18',
    completionTokens: 20,
    promptTokens: 9,
    ms: 5,
    finishReason: 'stop',
  };
  const ensemble = (): ProblemResult => ({
    ...savedResult('a'),
    samples: [
      { ...sample, confidence: 4.2, verifier: 0.9 },
      { ...sample, confidence: null, verifier: null },
    ],
    aggregates: {
      majority: aggregate,
      confidence: aggregate,
      verifier: { ...aggregate, verificationTokens: 12 },
      'best-of-n': { ...aggregate, available: false, answer: null, correct: false },
    },
  });

  test('a new result is read whole, and an old one without them still loads', () => {
    const old = savedResult('b', { finishedAt: 2 });
    // saved before samples carried scores
    old.samples = [sample];
    const saved = readRun(savedHeader(), [ensemble(), old], 0);
    expect(saved.results).toEqual([ensemble(), old]);
    expect(saved.unreadable).toBe(0);
  });

  test('damaged scores or aggregations leave the result out, to be redone', () => {
    const badScore = ensemble();
    badScore.samples = badScore.samples.map((s, i) =>
      i === 0 ? { ...s, confidence: Number.NaN } : s,
    );
    const missing = ensemble() as unknown as { aggregates: Record<string, unknown> };
    delete missing.aggregates.verifier;
    const badCount = ensemble() as unknown as { aggregates: Record<string, unknown> };
    badCount.aggregates.majority = { ...aggregate, generationTokens: -1 };
    for (const bad of [badScore, missing, badCount]) {
      expect(readRun(savedHeader(), [bad], 0)).toMatchObject({ results: [], unreadable: 1 });
    }
  });
});

describe('resumeProblem: a resume names each setting that differs by its flag', () => {
  const ensemble = (k: number) => {
    const config = savedHeader().config;
    config.modes = [{ kind: 'single' }, { kind: 'ensemble', k, rule: { kind: 'fixed' } }];
    return config;
  };

  test('the same settings resume', () => {
    expect(resumeProblem(ensemble(16), ensemble(16))).toBeUndefined();
  });

  test('a different --k, temperature and data', () => {
    const now = ensemble(6);
    now.sampling.temperature = 0.5;
    now.fingerprint = 'g';
    expect(resumeProblem(ensemble(16), now)).toBe(
      'The saved run differs in --data (mine.jsonl has changed since), --k (saved 16, now 6), ' +
        '--temperature (saved 0.7, now 0.5).',
    );
  });

  test('different modes, stop rule and limit', () => {
    const now = savedHeader().config;
    now.selection.limit = 5;
    expect(resumeProblem(ensemble(16), now)).toBe(
      'The saved run differs in --limit (saved 0, now 5), --modes (saved single,ensemble, now single).',
    );
    const beta = ensemble(16);
    beta.modes[1] = { kind: 'ensemble', k: 16, rule: { kind: 'beta', threshold: 0.95 } };
    expect(resumeProblem(ensemble(16), beta)).toBe(
      'The saved run differs in --stop (saved fixed, now beta(0.95)).',
    );
  });
});
