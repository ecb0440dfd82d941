import { describe, expect, test } from 'vitest';
import { readChoiceLogprobs, readTokenLogprob } from './logprobs';

const entry = (logprobs: number[], tokens = ['a', 'b', 'c']) => ({
  token: tokens[0],
  logprob: logprobs[0],
  top_logprobs: logprobs.map((logprob, i) => ({ token: tokens[i], logprob })),
});

/** log-softmax of `logits` at temperature `t` */
const logSoftmax = (logits: number[], t = 1) => {
  const norm = Math.log(logits.reduce((n, l) => n + Math.exp(l / t), 0));
  return logits.map((l) => l / t - norm);
};

describe('readTokenLogprob', () => {
  test('a log-probability a hair above 0 (a float32 probability rounded past 1) reads as 0', () => {
    const read = readTokenLogprob(entry([1.2e-7, -3, -4]));
    expect(read?.logprob).toBe(0);
    expect(read?.top_logprobs[0]?.logprob).toBe(0);
  });

  test('a clearly positive log-probability is malformed', () => {
    expect(readTokenLogprob(entry([0.01, -3, -4]))).toBeUndefined();
  });
});

/** `entries` as an engine reports them at `temperature`, read */
const reported = (temperature: number, ...entries: unknown[]) =>
  readChoiceLogprobs({ content: entries }, temperature)?.[0];

describe('readChoiceLogprobs', () => {
  test('figures at the model’s own temperature read as its distribution over the top tokens', () => {
    // a server's top 3 of a larger vocabulary: their mass is under 1
    const logits = [2, 1, 0, -1, -2];
    const all = logSoftmax(logits);
    const read = reported(1, entry(all.slice(0, 3)));
    const top = logSoftmax(logits.slice(0, 3));
    read?.top_logprobs.forEach((t, i) => {
      expect(t.logprob).toBeCloseTo(top[i] ?? 0, 10);
    });
  });

  test('web-llm’s tempered figures read the same as a server’s for the same logits', () => {
    const logits = [2, 1, 0, -1, -2];
    const server = reported(1, entry(logSoftmax(logits).slice(0, 3)));
    const webllm = reported(0.7, entry(logSoftmax(logits, 0.7).slice(0, 3)));
    webllm?.top_logprobs.forEach((t, i) => {
      expect(t.logprob).toBeCloseTo(server?.top_logprobs[i]?.logprob ?? NaN, 10);
    });
    expect(webllm?.logprob).toBeCloseTo(server?.logprob ?? NaN, 10);
  });

  test('greedy figures stay what they are: the top token certain, the rest impossible', () => {
    const read = reported(0, entry([0, -Infinity, -Infinity]));
    expect(read?.top_logprobs.map((t) => t.logprob)).toEqual([0, -Infinity, -Infinity]);
  });

  test('reading figures already read changes nothing', () => {
    const once = reported(1, entry([-0.2, -2, -3]));
    const twice = reported(1, once);
    twice?.top_logprobs.forEach((t, i) => {
      expect(t.logprob).toBeCloseTo(once?.top_logprobs[i]?.logprob ?? NaN, 12);
    });
  });
});
