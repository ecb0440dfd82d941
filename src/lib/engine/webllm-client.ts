// The page side of the engine worker (worker-host.ts): Tally's protocol, replies matched by id,
// deltas pushed by the worker, a stop that rejects at once, a lost device reported as an event.
// A worker that dies is a loss like a lost device: every pending call rejects with
// 'worker-crashed', the GPU is freed for other pages, the page is told, and the next load starts
// another worker.
import type { InitProgressReport } from '@mlc-ai/web-llm';
import type { ChatMessage, CompleteOptions, Completion, Engine, LoadProgress } from './engine';
import { abortError, EngineError } from './errors';
import { describeThisPage, holdGpu, type GpuHold } from './gpu-lock';
import type { TokenLogprob } from './logprobs';
import { parseFromWorker, type FromWorker, type ToWorker } from './protocol';
import { recordOf, type ModelBuild } from '../models/catalog';

/** Starts the engine worker; tests pass one whose GPU-bound pipeline is replaced. */
export type WorkerFactory = () => Worker;

export const createEngineWorker: WorkerFactory = () =>
  new Worker(new URL('./engine.worker.ts', import.meta.url), {
    type: 'module',
    name: 'tally-engine',
  });

/** What one request waits for: every reply with its id goes here until it settles. */
interface Pending {
  receive(message: FromWorker): void;
  reject(error: EngineError): void;
}

/** One worker, its pending requests and its fate. */
class EngineWorker {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  #dead: EngineError | undefined;

  /** `onLost` hears of the model's end: its GPU device lost, or the worker dead. */
  constructor(worker: Worker, onLost: (error: EngineError) => void) {
    this.#worker = worker;
    const die = (error: EngineError) => {
      if (this.#dead) return;
      this.kill(error);
      onLost(error);
    };
    worker.onmessage = (event: MessageEvent) => {
      const message = parseFromWorker(event.data);
      if (!message) return;
      if (message.type === 'device-lost') onLost(EngineError.from(message.error));
      else this.#pending.get(message.id)?.receive(message);
    };
    worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      const detail = event.message ? `: ${event.message}` : '';
      die(
        new EngineError(
          'worker-crashed',
          `The model engine stopped unexpectedly${detail}. Load the model again.`,
        ),
      );
    };
    worker.onmessageerror = () => {
      die(
        new EngineError('bad-response', 'The model engine sent a message that could not be read.'),
      );
    };
  }

  /** Sends a request; `pending` gets its replies until `settle` removes it. */
  send(request: (id: number) => ToWorker, pending: Pending): number {
    const id = this.#nextId++;
    const dead = this.#dead;
    if (dead) {
      queueMicrotask(() => {
        pending.reject(dead);
      });
      return id;
    }
    this.#pending.set(id, pending);
    this.#worker.postMessage(request(id));
    return id;
  }

  /** Sends a message that gets no reply. */
  post(message: ToWorker): void {
    if (!this.#dead) this.#worker.postMessage(message);
  }

  settle(id: number): void {
    this.#pending.delete(id);
  }

  /** A load or unload: resolves on 'ok', rejects on 'error'; progress goes to `onProgress`. */
  call(
    request: (id: number) => ToWorker,
    onProgress?: (report: InitProgressReport) => void,
  ): Promise<void> {
    return new Promise((resolve, reject) => {
      const id = this.send(request, {
        receive: (message) => {
          if (message.type === 'progress') {
            onProgress?.({ progress: message.progress, text: message.text, timeElapsed: 0 });
            return;
          }
          this.settle(id);
          if (message.type === 'ok') resolve();
          else if (message.type === 'error') reject(EngineError.from(message.error));
          else reject(new EngineError('bad-response', `The model engine sent “${message.type}”.`));
        },
        reject,
      });
    });
  }

  /** Stops every request still pending (completions end in the worker); each rejects with `error`. */
  stopAll(error: EngineError): void {
    const pending = [...this.#pending];
    this.#pending.clear();
    for (const [id, p] of pending) {
      this.post({ type: 'abort', id });
      p.reject(error);
    }
  }

  /** Ends the worker; every pending request rejects with `error`. */
  kill(error: EngineError): void {
    if (this.#dead) return;
    this.#dead = error;
    this.#worker.terminate();
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const p of pending) p.reject(error);
  }
}

/**
 * web-llm reports progress 0..1 per phase: the weights (fetched, or read from its cache, onto the
 * GPU), then compiling the GPU shaders, then one last report. Fold them into one monotonic
 * fraction with named phases; a report web-llm words otherwise keeps the current phase.
 */
export function progressTracker(onProgress: (p: LoadProgress) => void) {
  let high = 0;
  let phase: LoadProgress['phase'] = 'fetch';
  return (report: InitProgressReport) => {
    const p = Math.min(1, Math.max(0, report.progress));
    let raw = high;
    if (/^Finish loading/i.test(report.text)) {
      phase = 'ready';
      raw = 1;
    } else if (/shader/i.test(report.text)) {
      phase = 'shaders';
      raw = 0.75 + 0.25 * p;
    } else if (/^Loading model from cache/i.test(report.text)) {
      phase = 'gpu-upload';
      raw = 0.75 * p;
    } else if (/^Fetching param cache/i.test(report.text)) {
      phase = 'fetch';
      raw = 0.75 * p;
    }
    high = Math.max(high, raw);
    onProgress({ phase, fraction: high, text: report.text });
  };
}

export interface WebLLMEngineOptions {
  createWorker?: WorkerFactory;
  /**
   * The model is gone, loaded or loading: its GPU device was lost ('device-lost'), its worker died
   * ('worker-crashed'), or another tab or widget took the GPU over ('taken-over'). Load again to
   * use it.
   */
  onLost?: (error: EngineError) => void;
}

/** A model run by web-llm in a dedicated worker on this device's GPU. */
export class WebLLMEngine implements Engine {
  readonly kind = 'webllm';
  /** web-llm decodes one sequence at a time */
  readonly concurrency = 1;
  readonly #build: ModelBuild;
  readonly #createWorker: WorkerFactory;
  readonly #onLost: ((error: EngineError) => void) | undefined;
  #worker: EngineWorker | undefined;
  /** this page's claim on the GPU (one in-browser model per browser) */
  #gpu: GpuHold | undefined;
  #loaded = false;
  /** why the loaded model is gone: its GPU device was lost, or another page took the GPU */
  #lost: EngineError | undefined;

  constructor(build: ModelBuild, options: WebLLMEngineOptions = {}) {
    this.#build = build;
    this.#createWorker = options.createWorker ?? createEngineWorker;
    this.#onLost = options.onLost;
  }

  /** While a load waits for another tab or widget to free the GPU: take it from them. */
  takeOver(): void {
    this.#gpu?.takeOver();
  }

  async load(onProgress?: (p: LoadProgress) => void, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    this.#worker?.kill(abortError());
    this.#worker = undefined;
    this.#gpu?.release();
    this.#loaded = false;
    this.#lost = undefined;
    const gpu = holdGpu(describeThisPage(this.#build.model_id), {
      ...(signal ? { signal } : {}),
      onWait: (holder) => {
        onProgress?.({
          phase: 'waiting',
          fraction: 0,
          text: `Waiting for ${holder} to free the GPU: one in-browser model runs at a time.`,
        });
      },
      onTakenOver: () => {
        if (this.#gpu !== gpu) return;
        this.#lose(
          new EngineError(
            'taken-over',
            'Another Tally tab or widget took over the GPU (one in-browser model runs at a time), so this model was unloaded. Load it again to take the GPU back.',
          ),
        );
      },
    });
    this.#gpu = gpu;
    try {
      await gpu.held;
      signal?.throwIfAborted();
    } catch {
      gpu.release();
      throw abortError();
    }
    const worker = new EngineWorker(this.#createWorker(), (error) => {
      if (this.#worker === worker) this.#lose(error);
    });
    this.#worker = worker;
    // web-llm cannot interrupt a load; ending the worker is the only way to stop one.
    const onAbort = () => {
      worker.kill(abortError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      await worker.call(
        (id) => ({ type: 'load', id, record: recordOf(this.#build) }),
        onProgress && progressTracker(onProgress),
      );
      this.#loaded = true;
    } catch (error) {
      worker.kill(error instanceof EngineError ? error : abortError());
      gpu.release();
      throw error;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  complete(messages: ChatMessage[], options: CompleteOptions): Promise<Completion> {
    const worker = this.#worker;
    if (this.#lost) return Promise.reject(this.#lost);
    if (!worker || !this.#loaded) {
      return Promise.reject(
        new EngineError('unknown', 'Load a model before asking it a question.'),
      );
    }
    const { signal, onDelta } = options;
    if (signal?.aborted) return Promise.reject(abortError());
    const started = performance.now();
    return new Promise<Completion>((resolve, reject) => {
      let text = '';
      const asked = options.top_logprobs !== undefined;
      const logprobs: TokenLogprob[] = [];
      let settled = false;
      const finish = (id: number, stop: boolean, outcome: () => void) => {
        if (settled) return;
        settled = true;
        worker.settle(id);
        signal?.removeEventListener('abort', onAbort);
        if (stop) worker.post({ type: 'abort', id });
        outcome();
      };
      const id = worker.send(
        (id) => ({
          type: 'complete',
          id,
          request: {
            messages,
            temperature: options.temperature,
            top_p: options.top_p,
            max_tokens: options.max_tokens,
            repetition_penalty: options.repetition_penalty,
            frequency_penalty: options.frequency_penalty,
            presence_penalty: options.presence_penalty,
            ...(options.seed === undefined ? {} : { seed: options.seed }),
            ...(asked ? { top_logprobs: options.top_logprobs } : {}),
          },
        }),
        {
          receive: (message) => {
            switch (message.type) {
              case 'delta':
                worker.post({ type: 'ack', id });
                text += message.text;
                if (message.logprobs) logprobs.push(...message.logprobs);
                try {
                  onDelta?.(message.text, message.logprobs ?? []);
                } catch (error) {
                  finish(id, true, () => {
                    reject(error instanceof Error ? error : new Error(String(error)));
                  });
                }
                return;
              case 'done':
                finish(id, false, () => {
                  resolve({
                    text,
                    finishReason: message.finishReason,
                    usage: {
                      promptTokens: message.promptTokens,
                      completionTokens: message.completionTokens,
                      ms: performance.now() - started,
                    },
                    ...(asked ? { logprobs } : {}),
                  });
                });
                return;
              case 'error':
                finish(id, false, () => {
                  reject(EngineError.from(message.error));
                });
                return;
              default:
                finish(id, true, () => {
                  reject(
                    new EngineError('bad-response', `The model engine sent “${message.type}”.`),
                  );
                });
            }
          },
          reject: (error) => {
            finish(id, false, () => {
              reject(error);
            });
          },
        },
      );
      function onAbort() {
        finish(id, true, () => {
          reject(abortError());
        });
      }
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  async unload(): Promise<void> {
    const worker = this.#worker;
    const gpu = this.#gpu;
    this.#worker = undefined;
    this.#gpu = undefined;
    this.#loaded = false;
    try {
      if (!worker) return;
      worker.stopAll(new EngineError('aborted', 'The model was unloaded.'));
      try {
        await worker.call((id) => ({ type: 'unload', id }));
      } finally {
        worker.kill(new EngineError('aborted', 'The model was unloaded.'));
      }
    } finally {
      gpu?.release();
    }
  }

  /**
   * The model is gone (device lost, worker dead, GPU taken over): end its worker, which rejects a
   * load or completion under way with `error`, free the GPU for others, and say so.
   */
  #lose(error: EngineError): void {
    this.#loaded = false;
    this.#lost = error;
    this.#worker?.kill(error);
    this.#worker = undefined;
    this.#gpu?.release();
    this.#gpu = undefined;
    this.#onLost?.(error);
  }
}
