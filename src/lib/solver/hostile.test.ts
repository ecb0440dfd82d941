// Replies built to crash or freeze what reads them (issue 15): extraction and the check stay
// bounded, and the solver keeps a sample whose text defeats the check ("could not check").
import { describe, expect, test } from 'vitest';
import { hostileReplies } from '../../../tests/fixtures/hostile-replies';
import type { Completion, Engine } from '../engine/engine';
import { arithmeticWeight, checkSolution, maxCheckedChars, maxRunTokens } from './check';
import { extractAnswer } from './extract';
import { solveEnsemble, solveSingle } from './solve';

/** An engine that answers each call with the next of `texts`, at once. */
function replying(texts: string[]): Engine {
  let call = 0;
  return {
    kind: 'openai',
    concurrency: 1,
    load: () => Promise.resolve(),
    unload: () => Promise.resolve(),
    complete: (): Promise<Completion> => {
      const text = texts[call++ % texts.length] ?? '';
      return Promise.resolve({
        text,
        finishReason: 'stop',
        usage: { promptTokens: 1, completionTokens: 1, ms: 1 },
      });
    },
  };
}

const nested = hostileReplies[0]?.text ?? '';

describe('hostile replies', () => {
  test.each(hostileReplies)('$name: extraction reads $answer', ({ text, answer }) => {
    expect(extractAnswer(text)).toBe(answer);
  });

  test.each(hostileReplies)('$name: the check returns, incomplete where it gave up', ({ text }) => {
    const check = checkSolution(text);
    expect(check.wrong.every((s) => s.start >= 0 && s.end <= text.length)).toBe(true);
    if (text.length > maxCheckedChars) expect(check.complete).toBe(false);
  });

  test('a run longer than the parser reads is "could not check", not flagged', () => {
    const long = `${Array.from({ length: maxRunTokens }, () => '1').join('+')} = 120`;
    const check = checkSolution(`So ${long}. Also 2 * 3 = 7.`);
    expect(check.complete).toBe(false);
    expect(check.wrong.map((s) => s.text)).toEqual(['2 * 3 = 7']);
    expect(checkSolution('So 1 + 1 + 1 = 3.').complete).toBe(true);
  });

  test('a check it could not finish weighs 1, like a solution with nothing to check', () => {
    expect(arithmeticWeight(checkSolution(nested))).toBe(1);
    expect(arithmeticWeight(checkSolution('So 2 * 3 = 6.'))).toBe(1.5);
  });

  test('the single answer of a reply nested 1,800 deep is read, marked "could not check"', async () => {
    const result = await solveSingle(replying([nested]), 'How much?', { family: 'generic' });
    expect(result.answer).toBe('2');
    expect(result.check.complete).toBe(false);
  });

  test('one such sample in an ensemble still votes, and the others are checked', async () => {
    const fine = 'She has 1 + 1 = 2 apples. The answer is 2.';
    const result = await solveEnsemble(replying([fine, nested, fine]), 'How much?', {
      family: 'generic',
      k: 3,
      stop: { kind: 'fixed' },
      weighByArithmetic: true,
    });
    expect(result.samples.map((s) => s.answer)).toEqual(['2', '2', '2']);
    expect(result.samples.map((s) => s.check.complete)).toEqual([true, false, true]);
    expect(result.answer).toBe('2');
    expect(result.vote.buckets[0]?.votes).toBe(1.5 + 1 + 1.5);
  });
});
