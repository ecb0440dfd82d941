import { describe, expect, test } from 'vitest';
import {
  arithmeticWeight,
  checkedWeight,
  checkSolution,
  matches,
  parseExpression,
  tokenize,
  wrongWeight,
} from './check';
import { problems } from '../../../tests/data/problems';

function evaluate(text: string): number | null {
  const tokens = tokenize(text);
  const parsed = parseExpression(tokens, 0, tokens.length, 'fraction');
  return parsed?.end === tokens.length ? parsed.value : null;
}

describe('the evaluator', () => {
  test.each([
    ['1 + 2 * 3', 7],
    ['(1 + 2) * 3', 9],
    ['2 ^ 3 ^ 2', 512],
    ['-2 ^ 2', -4],
    ['10 - 4 - 3', 3],
    ['12 / 3 / 2', 2],
    ['-(3 - 5)', 2],
    ['3 × 4 ÷ 2', 6],
    ['3 x 4', 12],
    ['\\frac{10}{4}', 2.5],
    ['2 \\times \\$3', 6],
    ['1,250 + .5', 1250.5],
    ['20% * 50', 10],
    ['{1 + 1} \\cdot 3', 6],
  ])('%s = %d', (text, want) => {
    expect(evaluate(text)).toBeCloseTo(want, 12);
  });

  test.each(['', '3 +', '(1 + 2', '1 / 0', 'two + 2', '2(3)', 'alert(1)'])(
    '%j is not one expression',
    (text) => {
      expect(evaluate(text)).toBeNull();
    },
  );
});

describe('matches', () => {
  test('a stated number may be rounded up or down to its own decimals', () => {
    expect(matches(10 / 3, 3.33, 2)).toBe(true);
    expect(matches(10 / 3, 3.34, 2)).toBe(true);
    expect(matches(10 / 3, 3.35, 2)).toBe(false);
    expect(matches(2.5, 2, 0)).toBe(true);
    expect(matches(2.5, 3, 0)).toBe(true);
    expect(matches(14, 15, 0)).toBe(false);
    expect(matches(0.1 + 0.2, 0.3, 1)).toBe(true);
    expect(matches(0.29 * 100, 29, 0)).toBe(true);
    expect(matches(8, 8.000000001, null)).toBe(true);
    expect(matches(8, 8.01, null)).toBe(false);
  });
});

describe('checkSolution', () => {
  test('finds right and wrong steps with their offsets', () => {
    const text = 'She buys 3 * 4 + 2 = 14 pens, then 2 × 5 = 11 more.';
    const { steps, wrong } = checkSolution(text);
    expect(steps.map((s) => [s.text, s.ok])).toEqual([
      ['3 * 4 + 2 = 14', true],
      ['2 × 5 = 11', false],
    ]);
    const [bad] = wrong;
    expect(bad && text.slice(bad.start, bad.end)).toBe('2 × 5 = 11');
    expect(bad).toMatchObject({ expected: 10, stated: 11, source: 'inline' });
  });

  test.each([
    ['He pays 3 x $4 = $12.', true],
    ['Total: $1,000 + $2,500 = $3,500', true],
    ['\\[ 9 \\times 2 = 18 \\]', true],
    ['$\\frac{10}{4} = 2.5$', true],
    ['Each gets 10 / 3 = 3.33 liters', true],
    ['so 10 / 4 = 2 full boxes', true],
    ['5 - 8 = -3', true],
    ['20% * 50 = 10', true],
    ['0.2 * 100 = 20%', true],
    ['(3 + 4 = 7)', true],
    ['2 * 3 = 6 * 2 = 12', true],
    ['5 + 3 = 4 + 4 = 8', true],
    ['16 ÷ 4 = 5', false],
    ['7 * 8 = 54', false],
    ['3 * 4 = 12 * 2 = 25', false],
    ['100 - 35 = 75 dollars', false],
  ])('%j: every step ok is %s', (text, ok) => {
    const { steps } = checkSolution(text);
    expect(steps.length).toBeGreaterThan(0);
    expect(steps.every((s) => s.ok)).toBe(ok);
  });

  test.each([
    'x + 2 = 5',
    '3x + 4 = 28',
    '2(3 + 4) = 14',
    'Let n = 5',
    '15 pages x 1/3 = 5 pages',
    'At 5:00 pm she has 12 = 12 apples',
    'no arithmetic here',
  ])('%j: nothing it cannot check is flagged', (text) => {
    expect(checkSolution(text).wrong).toEqual([]);
  });

  test('checks GSM8K calculator annotations and points at them', () => {
    const text = 'He sprints 3*3=<<3*3=9>>9 times and runs 9*60=<<9*60=550>>550 meters';
    const { steps, wrong } = checkSolution(text);
    expect(steps.filter((s) => s.source === 'annotation')).toHaveLength(2);
    expect(wrong.map((s) => s.text)).toEqual(['9*60=<<9*60=550>>550', '<<9*60=550>>']);
    const annotation = wrong.find((s) => s.source === 'annotation');
    expect(annotation && text.slice(annotation.start, annotation.end)).toBe('<<9*60=550>>');
  });

  test("Tally's problem set: no calculator annotation is wrong, the two human slips are", () => {
    const results = problems.map((p) => checkSolution(p.answer));
    const annotations = results.flatMap((r) => r.steps.filter((s) => s.source === 'annotation'));
    expect(annotations).toHaveLength(65);
    expect(annotations.filter((s) => !s.ok)).toEqual([]);
    const inline = results.flatMap((r) => r.steps.filter((s) => s.source === 'inline'));
    expect(inline).toHaveLength(66);
    const slips = results.flatMap((r) => r.wrong).map((s) => s.text);
    expect(slips).toEqual(['120 + 3 = <<120*3=360>>360', '4 * 3 = $21']);
  });
});

describe('arithmeticWeight', () => {
  test('checked solutions weigh more, wrong ones less, ones without arithmetic 1', () => {
    expect(arithmeticWeight(checkSolution('3 + 4 = 7, so 7 apples'))).toBe(checkedWeight);
    expect(arithmeticWeight(checkSolution('3 + 4 = 8, so 8 apples'))).toBe(wrongWeight);
    expect(arithmeticWeight(checkSolution('The answer is 7.'))).toBe(1);
    expect(checkedWeight).toBeGreaterThan(1);
    expect(wrongWeight).toBeLessThan(1);
  });
});
