import { describe, expect, it } from 'vitest';
import { finishedText } from './report';

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
