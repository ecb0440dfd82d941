// solveEnsemble's confidence, early termination and self-verifier, through the real OpenAIEngine
// against the mock server's scripted log-probabilities.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { startMockOpenAI, type MockOpenAI } from '../../../tests/fixtures/mock-openai';
import { OpenAIEngine } from '../engine/openai-engine';
import { solveEnsemble } from './solve';

let mock: MockOpenAI;
beforeAll(async () => {
  mock = await startMockOpenAI();
});
afterAll(async () => {
  await mock.close();
});
beforeEach(() => {
  mock.reset();
});

const question = 'A crate holds 3 boxes of 6 pencils. How many pencils?';
/** `words` words of working, then the answer */
const reply = (answer: number, words = 40) =>
  `${Array.from({ length: words }, (_, i) => `w${i}`).join(' ')} The answer is \\boxed{${answer}}.`;
const sure = [-0.02, -5, -6, -7, -8];
const unsure = [-0.9, -1.1, -1.3, -1.5, -1.7];
const verifying = 'Is the proposed solution correct?';

async function engine(): Promise<OpenAIEngine> {
  const e = new OpenAIEngine({ baseUrl: mock.baseUrl, model: 'mock-math', concurrency: 1 });
  await e.load();
  return e;
}

describe('solveEnsemble with confidence', () => {
  test('confident samples outvote an unsure majority; the verifier and best-of-n agree with them', async () => {
    mock.script({
      replies: [
        {
          match: 'boxed{18}',
          outputs: [{ text: 'Yes', logprobs: [-0.1, -2.4], alternatives: ['No'] }],
        },
        {
          match: 'boxed{26}',
          outputs: [{ text: 'No', logprobs: [-0.2, -1.7], alternatives: ['Yes'] }],
        },
        {
          match: question,
          outputs: [
            { text: reply(26), logprobs: unsure },
            { text: reply(18), logprobs: sure },
            { text: reply(26), logprobs: unsure },
            { text: reply(26), logprobs: unsure },
            { text: reply(18), logprobs: sure },
          ],
        },
      ],
    });
    const result = await solveEnsemble(await engine(), question, {
      family: 'qwen-math',
      k: 5,
      stop: { kind: 'fixed' },
      earlyStop: null,
      verify: true,
    });
    expect(result.logprobs).toBe('read');
    expect(result.samples.every((s) => s.confidence !== null)).toBe(true);
    expect(result.aggregates.majority.answer).toBe('26');
    expect(result.aggregates.confidence.answer).toBe('18');
    expect(result.aggregates.verifier.answer).toBe('18');
    expect(result.aggregates['best-of-n']).toMatchObject({ answer: '18', sample: 1 });
    // one verification per distinct answer, each one token at temperature 1, asking for logprobs
    const asked = mock
      .stats()
      .requests.filter((r) => r.messages.at(-1)?.content.includes(verifying));
    expect(asked).toHaveLength(2);
    expect(asked.every((r) => r.max_tokens === 1 && r.temperature === 1 && r.logprobs)).toBe(true);
    expect(result.verification?.completionTokens).toBe(2);
    expect(result.verification?.promptTokens).toBeGreaterThan(0);
    const verified = result.samples.filter((s) => s.verifier !== null);
    expect(verified.map((s) => [s.answer, s.verifier])).toEqual([
      ['26', expect.closeTo(1 / (1 + Math.exp(1.5)), 6)],
      ['18', expect.closeTo(1 / (1 + Math.exp(-2.3)), 6)],
    ]);
  });

  test('early termination: after the warm-up, an unsure sample is stopped and counted out', async () => {
    mock.script({
      chunkDelayMs: 1,
      replies: [
        {
          match: question,
          outputs: [
            { text: reply(18, 60), logprobs: sure },
            { text: reply(18, 60), logprobs: sure },
            { text: reply(26, 60), logprobs: unsure },
            { text: reply(18, 60), logprobs: sure },
          ],
        },
      ],
    });
    const cut: [number, number][] = [];
    const result = await solveEnsemble(await engine(), question, {
      family: 'qwen-math',
      k: 4,
      stop: { kind: 'fixed' },
      earlyStop: { warmup: 2, keep: 0.9 },
      verify: false,
      onSampleCut: (i, tokens) => cut.push([i, tokens]),
    });
    expect(cut).toEqual([[2, 32]]);
    expect(result.cut).toBe(1);
    expect(result.cutTokens).toBe(32);
    expect(result.samplesUsed).toBe(3);
    expect(result.samples.map((s) => s.answer)).toEqual(['18', '18', '18']);
    // the counted samples ran 64 tokens each: 32 saved on the cut one
    expect(result.savedTokens).toBe((result.samples[0]?.usage.completionTokens ?? 0) - 32);
    expect(mock.stats().aborted).toBe(1);
  });

  test('a server without log-probabilities still solves by majority, and says so', async () => {
    mock.script({ fallback: reply(18), wire: { omitLogprobs: true } });
    const result = await solveEnsemble(await engine(), question, {
      family: 'qwen-math',
      k: 3,
      stop: { kind: 'fixed' },
    });
    expect(result.logprobs).toBe('unavailable');
    expect(result.answer).toBe('18');
    expect(result.verification).toBeNull();
    expect(result.aggregates.confidence.available).toBe(false);
    expect(result.aggregates['best-of-n'].available).toBe(false);
    expect(result.samples.every((s) => s.confidence === null)).toBe(true);
    // no verification requests were sent
    expect(mock.stats().requests).toHaveLength(3);
  });
});
