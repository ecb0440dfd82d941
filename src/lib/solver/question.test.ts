import { expect, test } from 'vitest';
import { questionProblem } from './question';

test('empty, blank and over-long questions are refused with a reason', () => {
  expect(questionProblem('')).toBe('Type a word problem first.');
  expect(questionProblem('  \n ')).toBe('Type a word problem first.');
  expect(questionProblem('x'.repeat(4001))).toMatch(/4,001 characters; the limit is 4,000/);
  expect(questionProblem('x'.repeat(4000))).toBeUndefined();
  expect(questionProblem('What is 2 + 2?')).toBeUndefined();
});
