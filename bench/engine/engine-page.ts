// Browser side of `npm run bench:engine`: one engine worker (engine-bench.worker.ts), a model
// loaded through Tally's WebLLMEngine, and two ways to stream the same completion: through
// Tally's engine on this page, or directly inside the worker. The page can be kept busy.
import { neutralPenalties } from '../../src/lib/engine/engine';
import { defaultSampling } from '../../src/lib/solver/solve';
import { topLogprobs } from '../../src/lib/engine/logprobs';
import { WebLLMEngine } from '../../src/lib/engine/webllm-client';
import type { ModelBuild } from '../../src/lib/models/catalog';

/** One timed completion. */
export interface Run {
  /** tokens streamed */
  tokens: number;
  /** ms from request to last token */
  ms: number;
}

/** How both ways sample: as the ensemble does (its temperature and top_p), neutral penalties. */
export const benchSampling = { ...defaultSampling, ...neutralPenalties };

export interface DirectRequest {
  prompt: string;
  maxTokens: number;
  /** ask for each token's top log-probabilities (as many as Tally asks for) */
  logprobs: boolean;
  sampling: typeof benchSampling;
}

let worker: Worker | undefined;
let engine: WebLLMEngine | undefined;

/** Loads `build` (a fixture model) in a fresh worker. */
export async function setup(build: ModelBuild): Promise<void> {
  engine = new WebLLMEngine(build, {
    createWorker: () => {
      worker = new Worker(new URL('./engine-bench.worker.ts', import.meta.url), {
        type: 'module',
      });
      return worker;
    },
  });
  await engine.load();
}

/** Through Tally's engine: the request, every delta and the result cross to this page. */
export async function tally(prompt: string, maxTokens: number, logprobs: boolean): Promise<Run> {
  if (!engine) throw new Error('setup first');
  let text = '';
  const started = performance.now();
  const completion = await engine.complete([{ role: 'user', content: prompt }], {
    ...benchSampling,
    max_tokens: maxTokens,
    ...(logprobs ? { top_logprobs: topLogprobs } : {}),
    onDelta: (delta) => {
      text += delta;
    },
  });
  const ms = performance.now() - started;
  if (text !== completion.text) throw new Error('the streamed text differs from the result');
  if (logprobs && completion.logprobs?.length !== completion.usage.completionTokens) {
    throw new Error('a token came without its log-probabilities');
  }
  return { tokens: completion.usage.completionTokens, ms };
}

/** Inside the worker, with no page in the loop. */
export function direct(prompt: string, maxTokens: number, logprobs: boolean): Promise<Run> {
  const target = worker;
  if (!target) return Promise.reject(new Error('setup first'));
  return new Promise((resolve, reject) => {
    const listener = (event: MessageEvent) => {
      const data = event.data as { benchResult?: Run; benchError?: string };
      if (!data.benchResult && !data.benchError) return;
      target.removeEventListener('message', listener);
      if (data.benchResult) resolve(data.benchResult);
      else reject(new Error(data.benchError));
    };
    target.addEventListener('message', listener);
    const request: DirectRequest = { prompt, maxTokens, logprobs, sampling: benchSampling };
    target.postMessage({ benchDirect: request });
  });
}

let busyUntil = 0;

/** Keeps this page's thread busy with `ms`-long tasks, back to back, for `forMs`. */
export function keepBusy(ms: number, forMs: number): void {
  busyUntil = performance.now() + forMs;
  const task = () => {
    const end = performance.now() + ms;
    while (performance.now() < end) {
      // a long task, as a heavy page has
    }
    if (performance.now() < busyUntil) setTimeout(task, 0);
  };
  setTimeout(task, 0);
}

export function stopBusy(): void {
  busyUntil = 0;
}
