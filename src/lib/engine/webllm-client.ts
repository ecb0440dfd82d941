// The page side of the web-llm worker: typed calls with a pending map, progress, abort -> interrupt.
// A worker that dies rejects every pending call with 'worker-crashed'; web-llm's errors map in errors.ts.
import type { InitProgressReport, ModelRecord } from '@mlc-ai/web-llm';
import type {
  ChatMessage,
  CompleteOptions,
  Completion,
  Engine,
  LoadProgress,
  Usage,
} from './engine';
import { abortError, EngineError, fromWebLLM } from './errors';
import { isChunk, parseResponse, type WorkerRequest } from './protocol';
import type { ModelBuild } from '../models/catalog';

type Pending = { resolve: (content: unknown) => void; reject: (error: EngineError) => void };
type Request = WorkerRequest extends infer R
  ? R extends WorkerRequest
    ? Omit<R, 'uuid'>
    : never
  : never;

/** Starts the engine worker; tests pass their own. */
export type WorkerFactory = () => Worker;

export const createEngineWorker: WorkerFactory = () =>
  new Worker(new URL('./engine.worker.ts', import.meta.url), {
    type: 'module',
    name: 'tally-engine',
  });

/** One worker, its pending calls and its fate. */
export class WorkerClient {
  readonly #worker: Worker;
  readonly #pending = new Map<string, Pending>();
  #dead: EngineError | undefined;
  /** web-llm's load progress reports, in order */
  onProgress: ((report: InitProgressReport) => void) | undefined;

  constructor(worker: Worker) {
    this.#worker = worker;
    worker.onmessage = (event: MessageEvent) => {
      this.#receive(event.data);
    };
    worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      const detail = event.message ? `: ${event.message}` : '';
      this.kill(
        new EngineError(
          'worker-crashed',
          `The model engine stopped unexpectedly${detail}. Load the model again.`,
        ),
      );
    };
    worker.onmessageerror = () => {
      this.kill(
        new EngineError('bad-response', 'The model engine sent a message that could not be read.'),
      );
    };
  }

  /** Calls still waiting for a reply. */
  get pending(): number {
    return this.#pending.size;
  }

  /** Sends a request that gets no reply. */
  post(request: Request): void {
    if (this.#dead) throw this.#dead;
    this.#worker.postMessage({ ...request, uuid: crypto.randomUUID() });
  }

  /** Sends a request and resolves with its reply's content. */
  call(request: Request): Promise<unknown> {
    if (this.#dead) return Promise.reject(this.#dead);
    const uuid = crypto.randomUUID();
    return new Promise((resolve, reject) => {
      this.#pending.set(uuid, { resolve, reject });
      this.#worker.postMessage({ ...request, uuid });
    });
  }

  /** Ends the worker; every pending call rejects with `error`. */
  kill(error: EngineError): void {
    if (this.#dead) return;
    this.#dead = error;
    this.#worker.terminate();
    for (const { reject } of this.#pending.values()) reject(error);
    this.#pending.clear();
  }

  #receive(data: unknown): void {
    const message = parseResponse(data);
    if (!message) return;
    if (message.kind === 'initProgressCallback') {
      this.onProgress?.(message.content);
      return;
    }
    if (message.kind === 'heartbeat') return;
    const pending = this.#pending.get(message.uuid);
    if (!pending) return;
    this.#pending.delete(message.uuid);
    if (message.kind === 'return') pending.resolve(message.content);
    else pending.reject(fromWebLLM(message.content));
  }
}

/**
 * web-llm reports progress 0..1 twice: fetching weights (or reading them from the cache), then
 * uploading them to the GPU. Fold both into one monotonic fraction with named phases.
 */
export function progressTracker(onProgress: (p: LoadProgress) => void) {
  let high = 0;
  return (report: InitProgressReport) => {
    const upload = /loading model from cache|loading on webgpu/i.test(report.text);
    const done = /finish loading/i.test(report.text);
    const phase: LoadProgress['phase'] = done ? 'ready' : upload ? 'gpu-upload' : 'fetch';
    const raw = done ? 1 : upload ? 0.8 + 0.2 * report.progress : 0.8 * report.progress;
    high = Math.max(high, Math.min(1, raw));
    onProgress({ phase, fraction: high, text: report.text });
  };
}

/** web-llm's ModelRecord for a catalog build. */
export function toModelRecord(build: ModelBuild): ModelRecord {
  return {
    model: build.model,
    model_id: build.model_id,
    model_lib: build.model_lib,
    vram_required_MB: build.vram_required_MB,
    required_features: build.required_features,
    overrides: { context_window_size: build.context_window_size },
  };
}

/** A model run by web-llm in a dedicated worker on this device's GPU. */
export class WebLLMEngine implements Engine {
  readonly kind = 'webllm';
  /** web-llm decodes one sequence at a time */
  readonly concurrency = 1;
  readonly #build: ModelBuild;
  readonly #createWorker: WorkerFactory;
  #client: WorkerClient | undefined;
  #loaded = false;

  constructor(build: ModelBuild, createWorker: WorkerFactory = createEngineWorker) {
    this.#build = build;
    this.#createWorker = createWorker;
  }

  async load(onProgress?: (p: LoadProgress) => void, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    this.#client?.kill(abortError());
    this.#loaded = false;
    const client = new WorkerClient(this.#createWorker());
    this.#client = client;
    if (onProgress) client.onProgress = progressTracker(onProgress);
    // web-llm cannot interrupt a load; ending the worker is the only way to stop one.
    const onAbort = () => {
      client.kill(abortError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      client.post({
        kind: 'setAppConfig',
        content: { model_list: [toModelRecord(this.#build)], cacheBackend: 'indexeddb' },
      });
      await client.call({ kind: 'reload', content: { modelId: [this.#build.model_id] } });
      this.#loaded = true;
    } catch (error) {
      client.kill(error instanceof EngineError ? error : fromWebLLM(error));
      throw error;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  async complete(messages: ChatMessage[], options: CompleteOptions): Promise<Completion> {
    const client = this.#client;
    if (!client || !this.#loaded) {
      throw new EngineError('unknown', 'Load a model before asking it a question.');
    }
    const { signal, onDelta } = options;
    signal?.throwIfAborted();
    const started = performance.now();
    const streamId = crypto.randomUUID();
    const modelId = this.#build.model_id;
    await client.call({
      kind: 'chatCompletionStreamInit',
      content: {
        request: {
          messages,
          stream: true,
          stream_options: { include_usage: true },
          temperature: options.temperature,
          top_p: options.top_p,
          max_tokens: options.max_tokens,
          ...(options.seed === undefined ? {} : { seed: options.seed }),
        },
        selectedModelId: modelId,
        streamId,
        modelId: [modelId],
      },
    });
    const onAbort = () => {
      client.call({ kind: 'interruptGenerate', content: null }).catch(() => undefined);
    };
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
    try {
      let text = '';
      let finishReason: Completion['finishReason'] = 'stop';
      let usage: Pick<Usage, 'promptTokens' | 'completionTokens'> | undefined;
      let pieces = 0;
      // Pull until web-llm ends the stream, even after an interrupt, so its generator is released.
      for (;;) {
        const chunk = await client.call({
          kind: 'completionStreamNextChunk',
          content: { streamId },
        });
        if (chunk === undefined || chunk === null) break;
        if (!isChunk(chunk)) {
          throw new EngineError('bad-response', 'The model engine sent a malformed stream chunk.');
        }
        for (const choice of chunk.choices) {
          const delta = choice.delta.content;
          if (delta && !signal?.aborted) {
            text += delta;
            pieces += 1;
            onDelta?.(delta);
          }
          if (choice.finish_reason === 'length') finishReason = 'length';
        }
        if (chunk.usage) {
          usage = {
            promptTokens: chunk.usage.prompt_tokens,
            completionTokens: chunk.usage.completion_tokens,
          };
        }
      }
      if (signal?.aborted) throw abortError();
      return {
        text,
        finishReason,
        usage: {
          promptTokens: usage?.promptTokens ?? 0,
          completionTokens: usage?.completionTokens ?? pieces,
          ms: performance.now() - started,
        },
      };
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  async unload(): Promise<void> {
    const client = this.#client;
    this.#client = undefined;
    this.#loaded = false;
    if (!client) return;
    try {
      await client.call({ kind: 'unload', content: null });
    } finally {
      client.kill(new EngineError('aborted', 'The model was unloaded.'));
    }
  }
}
