import { expect, test } from 'vitest';
import { programPromptFor, solutionDirective, toolDirective } from './prompt';

const question = 'Tom has 3 apples and buys 4 more. How many apples does he have?';

test("qwen-math: Qwen2.5-Math's tool-integrated system prompt, the question as the user turn", () => {
  expect(programPromptFor('qwen-math', question)).toEqual([
    {
      role: 'system',
      content:
        'Please integrate natural language reasoning with programs to solve the problem above, and put your final answer within \\boxed{}.',
    },
    { role: 'user', content: question },
  ]);
  expect(toolDirective).toContain('\\boxed{}');
});

test('deepseek-r1 and generic: no system prompt, the PAL-style solution() directive after the question', () => {
  for (const family of ['deepseek-r1', 'generic'] as const) {
    const messages = programPromptFor(family, question);
    expect(messages).toEqual([{ role: 'user', content: `${question}\n\n${solutionDirective}` }]);
  }
  expect(solutionDirective).toContain('`solution()`');
  expect(solutionDirective).toContain('standard library');
});
