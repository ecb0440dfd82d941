import { describe, expect, test } from 'vitest';
import type { TokenLogprob } from '../engine/logprobs';
import { bestPerAnswer, verificationPrompt, yesProbability } from './verify';

const token = (top: [string, number][]): TokenLogprob => ({
  token: top[0]?.[0] ?? '',
  logprob: top[0]?.[1] ?? 0,
  top_logprobs: top.map(([t, logprob]) => ({ token: t, logprob })),
});

describe('yesProbability', () => {
  test('the mass on yes over the mass on yes and no, any case and spacing', () => {
    const p = yesProbability(
      token([
        ['Yes', Math.log(0.6)],
        [' no', Math.log(0.2)],
        [' YES', Math.log(0.1)],
        ['The', Math.log(0.05)],
      ]),
    );
    expect(p).toBeCloseTo(0.7 / 0.9, 12);
  });

  test('neither among the top tokens, or no token: no score', () => {
    expect(yesProbability(token([['The', -0.1]]))).toBeNull();
    expect(yesProbability(undefined)).toBeNull();
  });
});

describe('bestPerAnswer', () => {
  test('each answer’s most confident sample, earliest on a tie, in sample order', () => {
    const c = (index: number, answer: string | null, confidence: number | null) => ({
      index,
      text: `s${index}`,
      answer,
      confidence,
    });
    const picked = bestPerAnswer([
      c(0, '26', 2),
      c(1, '18', 5),
      c(2, '26', 4),
      c(3, null, 9),
      c(4, '18', 5),
      c(5, '7', null),
    ]);
    expect(picked.map((p) => p.index)).toEqual([1, 2, 5]);
  });
});

test('the verification prompt holds the problem and the solution and asks for Yes or No', () => {
  const [message] = verificationPrompt('How many?', 'Nine. \\boxed{9}');
  expect(message?.role).toBe('user');
  expect(message?.content).toContain('How many?');
  expect(message?.content).toContain('Nine. \\boxed{9}');
  expect(message?.content).toMatch(/Yes or No\.$/);
});
