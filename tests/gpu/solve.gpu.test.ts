// GPU smoke test: a real model from Hugging Face, loaded by the real worker, solves one problem.
// Needs a GPU and network; runs only through `npm run test:gpu` (TALLY_GPU=1), never in CI.
import { expect, test } from 'vitest';
import { neutralPenalties } from '../../src/lib/engine/engine';
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
    const result = await engine.complete(
      promptFor(model.family, 'Tom has 3 apples and buys 4 more. How many apples does he have?'),
      { temperature: 0, top_p: 1, ...neutralPenalties, max_tokens: 512 },
    );
    expect(extractAnswer(result.text)).toBe('7');
    expect(result.usage.completionTokens).toBeGreaterThan(0);
    await engine.unload();
  },
);
