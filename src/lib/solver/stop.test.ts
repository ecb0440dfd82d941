import { describe, expect, test } from 'vitest';
import { betaCdf, leadProbability, logGamma } from './beta';
import { defaultStopRule, ruleName, shouldStop, stopRuleProblem, type StopRule } from './stop';
import { tally } from './vote';

function binomialTail(n: number, k: number, p: number): number {
  let sum = 0;
  for (let j = k; j <= n; j += 1) {
    let c = 1;
    for (let i = 1; i <= j; i += 1) c = (c * (n - j + i)) / i;
    sum += c * p ** j * (1 - p) ** (n - j);
  }
  return sum;
}

describe('regularized incomplete beta', () => {
  test('log-gamma matches factorials', () => {
    for (let n = 1; n <= 30; n += 1) {
      let factorial = 1;
      for (let i = 2; i < n; i += 1) factorial *= i;
      expect(logGamma(n)).toBeCloseTo(Math.log(factorial), 9);
    }
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12);
  });

  test('matches the binomial identity I_x(a, b) = P(Bin(a+b-1, x) >= a) for integer shapes', () => {
    for (const x of [0.1, 0.3, 0.5, 0.8]) {
      for (let a = 1; a <= 41; a += 4) {
        for (let b = 1; b <= 41; b += 5) {
          expect(betaCdf(x, a, b)).toBeCloseTo(binomialTail(a + b - 1, a, x), 10);
        }
      }
    }
  });

  test('is symmetric and handles fractional shapes and the edges', () => {
    expect(betaCdf(0.3, 2.5, 4.25)).toBeCloseTo(1 - betaCdf(0.7, 4.25, 2.5), 12);
    // Beta(1/2, 1/2) is the arcsine law: CDF = (2/pi) asin(sqrt(x))
    expect(betaCdf(0.2, 0.5, 0.5)).toBeCloseTo((2 / Math.PI) * Math.asin(Math.sqrt(0.2)), 10);
    expect(betaCdf(0, 2, 3)).toBe(0);
    expect(betaCdf(1, 2, 3)).toBe(1);
    expect(betaCdf(0.5, 0, 1)).toBeNaN();
  });

  test('P(p1 > p2) grows with the lead: 1-0 is 0.75, 4-0 is 31/32', () => {
    expect(leadProbability(1, 0)).toBeCloseTo(0.75, 12);
    expect(leadProbability(3, 0)).toBeCloseTo(15 / 16, 12);
    expect(leadProbability(4, 0)).toBeCloseTo(31 / 32, 12);
    expect(leadProbability(3, 3)).toBeCloseTo(0.5, 12);
    expect(leadProbability(8, 2)).toBeGreaterThan(leadProbability(5, 2));
  });
});

describe('shouldStop', () => {
  const run = (rule: StopRule, answers: (string | null)[]): boolean =>
    shouldStop(rule, tally(answers));

  test('fixed never stops early', () => {
    expect(run({ kind: 'fixed' }, Array<string>(40).fill('7'))).toBe(false);
  });

  test('esc stops when the last window samples agree, and only then', () => {
    const rule: StopRule = { kind: 'esc', window: 3 };
    expect(run(rule, ['5', '5'])).toBe(false);
    expect(run(rule, ['5', '5', '5'])).toBe(true);
    expect(run(rule, ['5', '5', '6'])).toBe(false);
    expect(run(rule, ['6', '5', '5', '5'])).toBe(true);
    expect(run(rule, ['5', '5', null])).toBe(false);
    expect(run(rule, ['5', null, '5', '5'])).toBe(false);
  });

  test('esc treats equivalent answers as agreeing', () => {
    expect(run({ kind: 'esc', window: 3 }, ['0.5', '1/2', '$0.50'])).toBe(true);
  });

  test('beta stops once P(leader beats runner-up) reaches the threshold', () => {
    const rule: StopRule = { kind: 'beta', threshold: 0.95 };
    expect(run(rule, ['5', '5', '5'])).toBe(false); // 15/16 = 0.9375
    expect(run(rule, ['5', '5', '5', '5'])).toBe(true); // 31/32
    expect(run(rule, ['5', '6', '5', '5', '5'])).toBe(false);
    expect(run(rule, ['5', '6', '5', '5', '5', '5', '5'])).toBe(true);
    expect(run(rule, [null, null, null, null, null])).toBe(false);
  });

  test('beta counts weighted votes', () => {
    const vote = tally(['5', '5', '5'], [1.5, 1.5, 1.5]);
    expect(shouldStop({ kind: 'beta', threshold: 0.95 }, vote)).toBe(true);
  });

  test('bad rules are explained; good ones, including the default, are not', () => {
    expect(stopRuleProblem({ kind: 'esc', window: 0 })).toMatch(
      /Agreeing in a row must be a whole number from 1 to 40, not 0/,
    );
    expect(stopRuleProblem({ kind: 'esc', window: 2.5 })).toMatch(/whole number/);
    expect(stopRuleProblem({ kind: 'beta', threshold: 1 })).toMatch(/above 0.5 and below 1/);
    expect(stopRuleProblem({ kind: 'beta', threshold: 0.5 })).toMatch(/above 0.5 and below 1/);
    expect(stopRuleProblem({ kind: 'esc', window: 5 })).toBeUndefined();
    expect(stopRuleProblem(defaultStopRule)).toBeUndefined();
    expect(ruleName({ kind: 'beta', threshold: 0.95 })).toBe('beta(0.95)');
    expect(ruleName({ kind: 'esc', window: 4 })).toBe('esc(4)');
  });
});
