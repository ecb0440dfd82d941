import { expect, test } from 'vitest';
import { extractAnswer } from './extract';
import { boxedDirective, promptFor, type PromptFamily } from './prompt';

const question = 'Tom has 3 apples and buys 4 more. How many apples does he have?';

test('qwen-math: Qwen’s step-by-step \\boxed{} system prompt, the question as the user turn', () => {
  expect(promptFor('qwen-math', question)).toEqual([
    {
      role: 'system',
      content: 'Please reason step by step, and put your final answer within \\boxed{}.',
    },
    { role: 'user', content: question },
  ]);
});

test('deepseek-r1: no system prompt, the directive inside the user turn', () => {
  const messages = promptFor('deepseek-r1', question);
  expect(messages).toHaveLength(1);
  expect(messages[0]?.role).toBe('user');
  expect(messages[0]?.content).toBe(`${question}\n${boxedDirective}`);
});

test('generic: step by step, ending with a line extractAnswer reads', () => {
  const [message] = promptFor('generic', question);
  expect(message?.role).toBe('user');
  expect(message?.content.startsWith(question)).toBe(true);
  expect(message?.content).toContain("Let's think step by step.");
  expect(message?.content).toContain('The answer is N.');
  expect(extractAnswer('3 + 4 = 7\nThe answer is 7.')).toBe('7');
});

test('every family asks for exactly one user turn with the question as typed', () => {
  const families: PromptFamily[] = ['qwen-math', 'deepseek-r1', 'generic'];
  for (const family of families) {
    const users = promptFor(family, '  odd  spacing ’ ').filter((m) => m.role === 'user');
    expect(users).toHaveLength(1);
    expect(users[0]?.content).toContain('  odd  spacing ’ ');
  }
});
