import { describe, expect, test } from 'vitest';
import { gold, problems } from '../../../tests/data/problems';
import { extractAnswer, extractDetail } from './extract';

describe("Tally's problem set (GSM8K's format)", () => {
  test('has all 36 problems', () => {
    expect(problems).toHaveLength(36);
  });

  test('every reference solution yields its gold answer', () => {
    const misses = problems
      .map((p) => ({ want: gold(p.answer), got: extractAnswer(p.answer) }))
      .filter(({ want, got }) => want !== got);
    expect(misses).toEqual([]);
  });

  test('the reasoning alone, with the #### line removed, yields the gold of every problem', () => {
    const misses = problems.filter((p) => {
      const reasoning = p.answer.replace(/\n?####[^\n]*$/, '');
      expect(reasoning).not.toContain('####');
      return extractAnswer(reasoning) !== gold(p.answer);
    });
    expect(misses).toEqual([]);
  });
});

// [what the solution says, the canonical answer]
const phrasings: [string, string | null][] = [
  // \boxed{}
  ['So the total is \\boxed{18}.', '18'],
  ['The final answer is $\\boxed{18}$', '18'],
  ['\\boxed{\\frac{1}{2}}', '0.5'],
  ['\\boxed{\\dfrac{3}{4}}', '0.75'],
  ['\\boxed{\\tfrac{1}{3}}', '1/3'],
  ['\\boxed{-\\frac{2}{6}}', '-1/3'],
  ['\\boxed{2\\frac{1}{2}}', '2.5'],
  ['\\boxed{\\$1,250}', '1250'],
  ['\\boxed{1{,}000}', '1000'],
  ['\\boxed{18 \\text{ dollars}}', '18'],
  ['\\boxed{25\\%}', '25'],
  ['\\boxed{x = 7}', '7'],
  ['\\boxed{{12}}', '12'],
  ['\\boxed{-3}', '-3'],
  ['\\boxed{0.50}', '0.5'],
  ['\\fbox{42}', '42'],
  // "The answer is"
  ['The answer is 18.', '18'],
  ['The answer is $18.', '18'],
  ['The answer is: 72', '72'],
  ['Therefore, the answer is 1,080 apples.', '1080'],
  ['the final answer is 3.75 hours', '3.75'],
  ['The answer is 5 + 3 = 8.', '8'],
  ['So the answer is therefore 64', '64'],
  ['The answer is twelve.', '12'],
  ['The answer is forty-two.', '42'],
  ['The answer is one hundred and five.', '105'],
  ['The answer is two thousand five hundred.', '2500'],
  ['The answer is negative 4.', '-4'],
  ['The answer is -10 degrees.', '-10'],
  ['The answer is $\\frac{7}{2}$.', '3.5'],
  ['The answer is \\(\\frac{2}{3}\\)', '2/3'],
  ['The answer is 2 1/2 cups.', '2.5'],
  ['The answer is 1 1/3 pounds.', '4/3'],
  ['The answer is 3/4 of the cake.', '0.75'],
  ['The answer is 50%.', '50'],
  ['The answer is 12.5 percent', '12.5'],
  ['The answer is 1.5 million', '1500000'],
  ['The answer is 10/3 ≈ 3.33', '3.33'],
  ['The answer is 007.', '7'],
  ['The answer is .5 liters', '0.5'],
  ['THE ANSWER IS 9', '9'],
  // contradictions: the last statement wins
  ['The answer is 5. Wait, I forgot the tax, so the answer is 6.', '6'],
  ['\\boxed{20}\n\nHmm, that double counts. Redo: 12 + 4 = 16. \\boxed{16}', '16'],
  ['The answer is 7.\nCheck: 3 + 4 = 7. Answer: 7', '7'],
  // other markers
  ['Janet sells 16 - 3 - 4 = 9 eggs.\n#### 18', '18'],
  ['#### 2,125', '2125'],
  ['#### -3', '-3'],
  ['Q: How many?\nA: 42', '42'],
  ['A: $7.50', '7.5'],
  ['Answer: 15', '15'],
  ['**Answer:** 15 marbles', '15'],
  ['Final Answer: The final answer is 24. I hope it is correct.', '24'],
  ['answer = 96', '96'],
  ['{"reasoning": "3 * 4 = 12", "answer": 12}', '12'],
  ['{"answer": "1,500"}', '1500'],
  ['{"steps": ["2+2=4"], "answer": "-0.25"}', '-0.25'],
  // no marker: the last line's result
  ['She makes 9 * 2 = $18 every day.', '18'],
  ['3 + 4 = 7 apples in all.', '7'],
  ['So she will be 5+3=8 in 3 years', '8'],
  ['He spent 4 × 5 = 20 dollars.\nThat leaves him with $30.', '30'],
  ['She has twelve apples in total.', '12'],
  ['It takes 3 bolts in total for each one.', '3'],
  ['The distance is 5 cm.', '5'],
  ['The temperature dropped to −7 degrees.', '-7'],
  ['The cost is $1,234.50.', '1234.5'],
  ['Janet sells 16 - 3 - 4 = <<16-3-4=9>>9 duck eggs a day.', '9'],
  ['Pages 5-10 were torn, so 6 pages are gone.', '6'],
  ['The shelf holds 5-10 books', '10'],
  // a reasoning model's thinking is skipped when an answer follows it
  ['<think>Maybe 12? No: 3 * 5 = 15.</think>\nThe answer is \\boxed{15}.', '15'],
  ['<think>6 * 7 = 42</think>\nSo she has 42 stickers.', '42'],
  // no answer at all
  ['', null],
  ['I cannot solve this problem without more information.', null],
  ['The answer is unknown.', null],
  ['\\boxed{}', null],
  ['No one knows.', null],
  ['Let me think about this step by step.', null],
  ['step0 step1 step2', null],
];

describe('extractAnswer', () => {
  test('has a table of at least 60 phrasings, some with no answer', () => {
    expect(phrasings.length).toBeGreaterThanOrEqual(60);
    expect(phrasings.filter(([, want]) => want === null).length).toBeGreaterThanOrEqual(5);
  });

  test.each(phrasings)('%j -> %j', (text, want) => {
    expect(extractAnswer(text)).toBe(want);
  });

  test('reports where the answer came from', () => {
    expect(extractDetail('so \\boxed{4}')?.source).toBe('boxed');
    expect(extractDetail('The answer is 4.')?.source).toBe('marker');
    expect(extractDetail('#### 4')?.source).toBe('marker');
    expect(extractDetail('2 + 2 = 4')?.source).toBe('last-number');
    expect(extractDetail('nothing here')).toBeNull();
  });

  test('a long solution with many numbers is read in well under a millisecond per kilobyte', () => {
    const text = `${'She buys 3 x $4 = $12 of apples, then 12 + 5 = 17. '.repeat(200)}\\boxed{17}`;
    const started = performance.now();
    expect(extractAnswer(text)).toBe('17');
    expect(performance.now() - started).toBeLessThan(200);
  });
});
