import { describe, expect, it } from 'vitest';
import type { Part } from '../solver/story';
import { evidenceLine, isFinished } from './evidence';
import { savedHeader, savedResult } from '../../../tests/fixtures/saved-run';
import type { ModeSpec, ProblemResult, SavedRun } from './types';

const modes: ModeSpec[] = [{ kind: 'single' }, { kind: 'ensemble', k: 3, rule: { kind: 'fixed' } }];
const vote = 'ensemble-k3-fixed';

/** A finished-or-not run of the fixture's two problems (gold 18), single call and vote. */
function run(results: ProblemResult[], model = 'mock-math'): SavedRun {
  const header = savedHeader();
  return {
    header: { ...header, config: { ...header.config, dataset: 'GSM8K test', modes, model } },
    results,
    unreadable: 0,
  };
}

const result = (problemId: string, mode: string, answer: string) =>
  savedResult(problemId, { answer, mode });
const finished = run([
  result('a', 'single', '18'),
  result('a', vote, '18'),
  result('b', 'single', '7'),
  result('b', vote, '7'),
]);
const agreeing: Part[] = [
  { name: 'single', answer: '5' },
  { name: 'vote', answer: '5' },
];

describe('evidenceLine', () => {
  it('quotes the matching finished run for answers of the same kind', () => {
    expect(isFinished(finished)).toBe(true);
    expect(evidenceLine(finished, 'mock-math', agreeing)).toBe(
      'In your GSM8K test run with this model, answers where the single call and the vote agreed were right 1 of 2 times (50.0%).',
    );
  });

  it('says so when the run measured no answers of this kind', () => {
    const differing: Part[] = [
      { name: 'single', answer: '4' },
      { name: 'vote', answer: '5' },
    ];
    expect(evidenceLine(finished, 'mock-math', differing)).toBe(
      'In your GSM8K test run with this model, there were no answers where the single call and the vote differed: nothing measured for this kind yet.',
    );
  });

  it('quotes nothing from no run, another model, an unfinished run or one with other parts', () => {
    expect(evidenceLine(undefined, 'mock-math', agreeing)).toBeUndefined();
    expect(evidenceLine(finished, 'another model', agreeing)).toBeUndefined();
    const unfinished = run(finished.results.slice(0, 3));
    expect(isFinished(unfinished)).toBe(false);
    expect(evidenceLine(unfinished, 'mock-math', agreeing)).toBeUndefined();
    const withProgram: Part[] = [
      ...agreeing.slice(0, 1),
      { name: 'program', answer: '5' },
      agreeing[1] as Part,
    ];
    expect(evidenceLine(finished, 'mock-math', withProgram)).toBeUndefined();
  });
});
