// GPU smoke test: a real model from Hugging Face, loaded by the real worker, solves one problem.
// Needs a GPU and network; runs only through `npm run test:gpu` (TALLY_GPU=1), never in CI.
import { expect, test } from 'vitest';
import { neutralPenalties } from '../../src/lib/engine/engine';
import { topLogprobs } from '../../src/lib/engine/logprobs';
import { WebLLMEngine } from '../../src/lib/engine/webllm-client';
import { probeGpu } from '../../src/lib/engine/gpu';
import { findModel, pickBuild } from '../../src/lib/models/catalog';
import { extractAnswer, promptFor } from '../../src/lib/solver';

test(
  'the lite model loads on this GPU and solves a problem',
  { timeout: 30 * 60_000 },
  async () => {
    const gpu = await probeGpu();
    expect(gpu.available, gpu.reason).toBe(true);
    expect(gpu.fallback, 'a software adapter cannot run a model in useful time').toBe(false);
    const model = findModel('qwen2.5-math-1.5b');
    const build = model && pickBuild(model, new Set(gpu.features));
    if (!model || !build) throw new Error('no build of the lite model runs on this GPU');
    const engine = new WebLLMEngine(build);
    await engine.load();
    const messages = promptFor(
      model.family,
      'Tom has 3 apples and buys 4 more. How many apples does he have?',
    );
    const greedy = { temperature: 0, top_p: 1, ...neutralPenalties, max_tokens: 512 };
    const result = await engine.complete(messages, greedy);
    expect(extractAnswer(result.text)).toBe('7');
    expect(result.usage.completionTokens).toBeGreaterThan(0);
    // what log-probabilities cost on a GPU: web-llm copies the whole vocabulary's probabilities
    // to the CPU per token (printed, not asserted: speed is for benchmarks, not tests)
    const rate = (r: typeof result) => r.usage.completionTokens / (r.usage.ms / 1000);
    const asked = await engine.complete(messages, { ...greedy, top_logprobs: topLogprobs });
    expect(asked.logprobs?.length).toBeGreaterThan(0);
    console.log(
      `decode: ${rate(result).toFixed(1)} tokens/s without log-probabilities, ` +
        `${rate(asked).toFixed(1)} with (ratio ${(rate(asked) / rate(result)).toFixed(3)})`,
    );
    await engine.unload();
  },
);
