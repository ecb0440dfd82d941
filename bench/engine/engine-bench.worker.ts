// The engine benchmark's worker: the product's worker host serving web-llm's MLCEngine on the
// stand-in GPU (tests/fixtures/tvm-stand-in.ts: web-llm's own pipeline, only the TVM runtime
// replaced), plus a "direct" mode that drives the same engine from inside this worker, as a
// baseline with no page in the loop.
import { MLCEngine } from '@mlc-ai/web-llm';
import { serveEngine } from '../../src/lib/engine/worker-host';
import { useStandInGpu } from '../../tests/fixtures/tvm-stand-in';
import { topLogprobs } from '../../src/lib/engine/logprobs';
import type { DirectRequest, Run } from './engine-page';

useStandInGpu();
const engine = new MLCEngine();
serveEngine(engine, self);

/** One completion driven here: tokens streamed and ms from request to last token. */
async function direct({ prompt, maxTokens, logprobs, sampling }: DirectRequest): Promise<Run> {
  const started = performance.now();
  const stream = await engine.chatCompletion({
    messages: [{ role: 'user', content: prompt }],
    stream: true,
    ...sampling,
    max_tokens: maxTokens,
    ...(logprobs ? { logprobs: true, top_logprobs: topLogprobs } : {}),
    stream_options: { include_usage: true },
  });
  let tokens = 0;
  for await (const chunk of stream) {
    if (chunk.usage) tokens = chunk.usage.completion_tokens;
  }
  return { tokens, ms: performance.now() - started };
}

self.addEventListener('message', (event: MessageEvent) => {
  const data: unknown = event.data;
  if (typeof data !== 'object' || data === null || !('benchDirect' in data)) return;
  const request = (data as { benchDirect: DirectRequest }).benchDirect;
  direct(request).then(
    (run) => {
      self.postMessage({ benchResult: run });
    },
    (error: unknown) => {
      self.postMessage({ benchError: String(error) });
    },
  );
});
