import { describe, expect, it } from 'vitest';
import type { Part } from '../solver/story';
import { evidenceLine, isFinished } from './evidence';
import type { ModeSpec, ProblemResult, SavedRun } from './types';

const modes: ModeSpec[] = [{ kind: 'single' }, { kind: 'ensemble', k: 3, rule: { kind: 'fixed' } }];

function result(problemId: string, mode: string, answer: string): ProblemResult {
  return {
    problemId,
    mode,
    gold: '18',
    answer,
    correct: answer === '18',
    samples: [],
    votes: { [answer]: 3 },
    tokens: 0,
    seconds: 0,
    finishedAt: 0,
  };
}

function run(results: ProblemResult[], model = 'mock-math on server'): SavedRun {
  return {
    header: {
      version: 1,
      createdAt: 0,
      problems: ['L1', 'L2'].map((id, i) => ({ id, line: i + 1, question: 'q', gold: '18' })),
      config: {
        dataset: 'GSM8K test',
        fingerprint: 'f',
        selection: { sample: 'first', limit: 2, seed: 1 },
        modes,
        sampling: { temperature: 0.7, top_p: 0.95, max_tokens: 512 },
        family: 'qwen-math',
        model,
      },
    },
    results,
    unreadable: 0,
  };
}

const finished = run([
  result('L1', 'single', '18'),
  result('L1', 'ensemble-k3-fixed', '18'),
  result('L2', 'single', '7'),
  result('L2', 'ensemble-k3-fixed', '7'),
]);
const agreeing: Part[] = [
  { name: 'single', answer: '5' },
  { name: 'vote', answer: '5' },
];

describe('evidenceLine', () => {
  it('quotes the matching finished run for answers of the same kind', () => {
    expect(isFinished(finished)).toBe(true);
    expect(evidenceLine(finished, 'mock-math on server', agreeing)).toBe(
      'In your GSM8K test run with this model, answers where the single call and the vote agreed were right 1 of 2 times (50.0%).',
    );
  });

  it('says so when the run measured no answers of this kind', () => {
    const differing: Part[] = [
      { name: 'single', answer: '4' },
      { name: 'vote', answer: '5' },
    ];
    expect(evidenceLine(finished, 'mock-math on server', differing)).toBe(
      'In your GSM8K test run with this model, there were no answers where the single call and the vote differed: nothing measured for this kind yet.',
    );
  });

  it('quotes nothing from no run, another model, an unfinished run or one with other parts', () => {
    expect(evidenceLine(undefined, 'mock-math on server', agreeing)).toBeUndefined();
    expect(evidenceLine(finished, 'another model', agreeing)).toBeUndefined();
    const unfinished = run(finished.results.slice(0, 3));
    expect(isFinished(unfinished)).toBe(false);
    expect(evidenceLine(unfinished, 'mock-math on server', agreeing)).toBeUndefined();
    const withProgram: Part[] = [
      ...agreeing.slice(0, 1),
      { name: 'program', answer: '5' },
      agreeing[1] as Part,
    ];
    expect(evidenceLine(finished, 'mock-math on server', withProgram)).toBeUndefined();
  });
});
