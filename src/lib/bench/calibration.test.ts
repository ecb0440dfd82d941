import { describe, expect, it } from 'vitest';
import { calibrate, shareBin, shareWords, voteShare } from './calibration';
import { wilson } from './stats';
import type { ModeSpec, ProblemResult } from './types';

const single: ModeSpec = { kind: 'single' };
const program: ModeSpec = { kind: 'program' };
const ensemble: ModeSpec = { kind: 'ensemble', k: 5, rule: { kind: 'fixed' } };

function result(
  problemId: string,
  mode: string,
  answer: string | null,
  gold = '18',
  votes: Record<string, number> = answer === null ? {} : { [answer]: 1 },
): ProblemResult {
  return {
    problemId,
    mode,
    gold,
    answer,
    correct: answer === gold,
    samples: [],
    votes,
    tokens: 0,
    seconds: 0,
    finishedAt: 0,
  };
}

describe('voteShare and its groups', () => {
  it('is the share of answering samples that gave the answer', () => {
    expect(voteShare({ 18: 4, 19: 1 }, '18')).toBe(0.8);
    expect(voteShare({ 18: 4, 19: 1 }, '18.0')).toBe(0.8);
    expect(voteShare({}, '18')).toBe(0);
    expect(voteShare({ 18: 2 }, null)).toBe(0);
  });
  it('falls in one group each, unanimous apart', () => {
    expect(shareBin(1)).toEqual({ from: 1, to: 1 });
    expect(shareBin(0.99)).toEqual({ from: 0.8, to: 1 });
    expect(shareBin(0.8)).toEqual({ from: 0.8, to: 1 });
    expect(shareBin(0.6)).toEqual({ from: 0.6, to: 0.8 });
    expect(shareBin(0.59)).toEqual({ from: 0, to: 0.6 });
    expect(shareBin(0)).toEqual({ from: 0, to: 0.6 });
    expect(shareWords({ from: 1, to: 1 })).toBe('all samples agreed');
    expect(shareWords({ from: 0.8, to: 1 })).toBe('80–99% of samples agreed');
    expect(shareWords({ from: 0, to: 0.6 })).toBe('below 60% of samples agreed');
  });
});

describe('calibrate', () => {
  it('groups problems by which parts agreed and counts how often Tally’s answer was right', () => {
    const modes = [single, program, ensemble];
    const e = 'ensemble-k5-fixed';
    const results = [
      // all agree, right
      result('L1', 'single', '18'),
      result('L1', 'program', '18'),
      result('L1', e, '18', '18', { 18: 5 }),
      // all agree, wrong
      result('L2', 'single', '7'),
      result('L2', 'program', '7'),
      result('L2', e, '7', '18', { 7: 4, 18: 1 }),
      // the single call differs; the vote (Tally's answer) is right
      result('L3', 'single', '19'),
      result('L3', 'program', '18'),
      result('L3', e, '18', '18', { 18: 3, 19: 2 }),
      // the program failed: only the single call and the vote are compared
      result('L4', 'single', '18'),
      result('L4', 'program', null),
      result('L4', e, '18', '18', { 18: 2, 19: 1, 20: 1 }),
      // unfinished: no vote yet, left out
      result('L5', 'single', '18'),
      result('L5', 'program', '18'),
    ];
    const { byAgreement, byVoteShare } = calibrate(modes, results);
    expect(byAgreement).toEqual([
      { pattern: 'single=program=vote', n: 2, correct: 1, accuracy: 0.5, ci: wilson(1, 2) },
      { pattern: 'single≠program=vote', n: 1, correct: 1, accuracy: 1, ci: wilson(1, 1) },
      { pattern: 'single=vote', n: 1, correct: 1, accuracy: 1, ci: wilson(1, 1) },
    ]);
    expect(byVoteShare).toEqual([
      { from: 1, to: 1, n: 1, correct: 1, accuracy: 1, ci: wilson(1, 1) },
      { from: 0.8, to: 1, n: 1, correct: 0, accuracy: 0, ci: wilson(0, 1) },
      { from: 0.6, to: 0.8, n: 1, correct: 1, accuracy: 1, ci: wilson(1, 1) },
      { from: 0, to: 0.6, n: 1, correct: 1, accuracy: 1, ci: wilson(1, 1) },
    ]);
  });

  it('leaves empty groups without an accuracy and a run without a vote without vote groups', () => {
    const onlyVote = calibrate(
      [ensemble],
      [result('L1', 'ensemble-k5-fixed', '18', '18', { 18: 3 })],
    );
    expect(onlyVote.byAgreement).toEqual([
      { pattern: 'vote', n: 1, correct: 1, accuracy: 1, ci: wilson(1, 1) },
    ]);
    expect(onlyVote.byVoteShare.filter((g) => g.n === 0)).toHaveLength(3);
    for (const g of onlyVote.byVoteShare.filter((g) => g.n === 0)) {
      expect(g).toMatchObject({ correct: 0, accuracy: null, ci: null });
    }
    const onlySingle = calibrate([single], [result('L1', 'single', null)]);
    expect(onlySingle).toEqual({
      byAgreement: [{ pattern: 'none', n: 1, correct: 0, accuracy: 0, ci: wilson(0, 1) }],
      byVoteShare: [],
    });
    expect(calibrate([single, ensemble], [])).toEqual({
      byAgreement: [],
      byVoteShare: [
        { from: 1, to: 1, n: 0, correct: 0, accuracy: null, ci: null },
        { from: 0.8, to: 1, n: 0, correct: 0, accuracy: null, ci: null },
        { from: 0.6, to: 0.8, n: 0, correct: 0, accuracy: null, ci: null },
        { from: 0, to: 0.6, n: 0, correct: 0, accuracy: null, ci: null },
      ],
    });
  });
});
