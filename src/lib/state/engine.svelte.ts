// Which engine is loaded and how loading is going; the only place the UI reaches an Engine from.
// Every failure lands in `error` as an EngineError with a message a person can act on.
import type { Engine, LoadProgress } from '../engine/engine';
import { EngineError, isAbort } from '../engine/errors';
import { OpenAIEngine, type OpenAIConfig } from '../engine/openai-engine';
import { connectBlocked } from '../pwa/connect';
import { WebLLMEngine } from '../engine/webllm-client';
import type { ModelBuild } from '../models/catalog';
import { downloads, storeModelOf } from './downloads.svelte';

export type LoadStatus = 'idle' | 'loading' | 'ready' | 'error';

/** What ends an in-browser model, loaded or loading (WebLLMEngine's `onLost`). */
const lossCodes: ReadonlySet<string> = new Set(['device-lost', 'worker-crashed', 'taken-over']);

export class EngineState {
  status = $state<LoadStatus>('idle');
  progress = $state<LoadProgress | undefined>();
  error = $state<EngineError | undefined>();
  /** what is loaded or loading, for people */
  label = $state('');
  /** the engine once ready; raw so Svelte does not proxy it */
  engine = $state.raw<Engine | undefined>();
  /** the model id Tally's store is downloading before the load, if any */
  downloading = $state<string | undefined>();
  /**
   * the in-browser build whose model is gone, loaded or loading (GPU device lost, worker dead, GPU
   * taken over): **Load again**
   */
  lostBuild = $state.raw<ModelBuild | undefined>();
  #abort: AbortController | undefined;
  /** the in-browser engine last created, which may be waiting for the GPU */
  #inBrowser: WebLLMEngine | undefined;
  readonly #onLost: ((error: EngineError) => void) | undefined;

  /** `onLost` hears that the loaded in-browser model is gone (see `#lose`). */
  constructor(options: { onLost?: (error: EngineError) => void } = {}) {
    this.#onLost = options.onLost;
  }

  /**
   * Loads a catalog or custom build in this browser: Tally's store first brings the weights into
   * web-llm's cache (resumable, verified; instant when already there), then web-llm loads them.
   */
  async loadInBrowser(build: ModelBuild): Promise<void> {
    this.#abort?.abort();
    this.lostBuild = undefined;
    const id = build.model_id;
    this.status = 'loading';
    this.label = id;
    this.error = undefined;
    this.progress = { phase: 'fetch', fraction: 0, text: 'Checking this browser’s storage…' };
    this.downloading = id;
    try {
      await downloads.start(storeModelOf(build));
    } finally {
      this.downloading = undefined;
    }
    const activity = downloads.status(id);
    if (activity.state === 'complete') {
      const engine: WebLLMEngine = new WebLLMEngine(build, {
        onLost: (error) => {
          this.#lose(engine, build, error);
        },
      });
      this.#inBrowser = engine;
      const failure = await this.#load(engine, id);
      // lost while loading: the load failed with the loss, and loading again is the way out
      if (failure && lossCodes.has(failure.code)) this.lostBuild = build;
    } else if (activity.state === 'error' && activity.error) {
      this.#fail(EngineError.from(activity.error));
    } else {
      // paused or cancelled from the storage panel: nothing to load yet
      this.status = 'idle';
      this.progress = undefined;
    }
  }

  /**
   * Connects to an OpenAI-compatible server and checks the model is there. A URL or model name that
   * will not do, or a server this page's content security policy blocks, fails here, replacing
   * any earlier message.
   */
  connectServer(config: OpenAIConfig): Promise<void> {
    let engine: OpenAIEngine;
    try {
      engine = new OpenAIEngine(config);
      const blocked = connectBlocked(engine.baseUrl);
      if (blocked) throw new EngineError('network', blocked);
    } catch (error) {
      this.refuse(error);
      return Promise.resolve();
    }
    return this.#load(engine, `${engine.model} on ${engine.baseUrl}`).then(() => undefined);
  }

  /** An attempt refused before it started (bad input): shown in place of the last message. */
  refuse(error: unknown): void {
    this.#abort?.abort();
    this.lostBuild = undefined;
    this.#fail(error);
  }

  /** While a load waits for another tab or widget to free the GPU: take the GPU from it. */
  takeOver(): void {
    this.#inBrowser?.takeOver();
  }

  /** Loads again the model whose GPU device was lost, whose worker died, or that was taken over. */
  loadAgain(): Promise<void> {
    return this.lostBuild ? this.loadInBrowser(this.lostBuild) : Promise.resolve();
  }

  /** Stops a load in progress; a download in progress is paused, keeping its bytes. */
  cancel(): void {
    if (this.downloading) downloads.pause(this.downloading);
    this.#abort?.abort();
  }

  /** Loads `engine`; resolves with the error it failed with, if it failed. */
  async #load(engine: Engine, label: string): Promise<EngineError | undefined> {
    this.#abort?.abort();
    const previous = this.engine;
    this.engine = undefined;
    if (previous) await previous.unload().catch(() => undefined);
    const abort = new AbortController();
    this.#abort = abort;
    this.lostBuild = undefined;
    this.status = 'loading';
    this.label = label;
    this.error = undefined;
    this.progress = { phase: 'fetch', fraction: 0, text: 'Starting…' };
    try {
      await engine.load((p) => {
        if (this.#abort === abort) this.progress = p;
      }, abort.signal);
      if (this.#abort !== abort) return undefined;
      this.engine = engine.kind === 'openai' ? this.#watched(engine) : engine;
      this.status = 'ready';
    } catch (error) {
      if (this.#abort !== abort) return undefined;
      if (isAbort(error)) {
        this.status = 'idle';
        this.progress = undefined;
      } else {
        this.#fail(error);
        return this.error;
      }
    }
    return undefined;
  }

  /**
   * The loaded model is gone: its GPU device went away (often out of memory), its worker died, or
   * another tab or widget took the GPU over. The engine is dropped rather than left "Ready",
   * **Load again** is offered and `onLost` is told. A solve under way rejects with the same error;
   * what it finished is kept.
   */
  #lose(engine: Engine, build: ModelBuild, error: EngineError): void {
    if (this.engine !== engine) return;
    this.engine = undefined;
    this.progress = undefined;
    this.lostBuild = build;
    this.#fail(error);
    this.#onLost?.(error);
  }

  /**
   * The server engine as the solver and the benchmark get it: a request that cannot reach the
   * server marks it unreachable here, so the Model panel stops saying Ready.
   */
  #watched(engine: Engine): Engine {
    const watched: Engine = {
      kind: engine.kind,
      concurrency: engine.concurrency,
      load: (onProgress, signal) => engine.load(onProgress, signal),
      unload: () => engine.unload(),
      complete: async (messages, options) => {
        try {
          return await engine.complete(messages, options);
        } catch (error) {
          const lost =
            error instanceof EngineError && (error.code === 'network' || error.code === 'timeout');
          if (lost && this.engine === watched) {
            this.#fail(
              new EngineError(
                error.code,
                `The server stopped answering: ${error.message} Connect again once it is back.`,
              ),
            );
          }
          throw error;
        }
      },
    };
    return watched;
  }

  #fail(error: unknown): void {
    this.status = 'error';
    this.error =
      error instanceof EngineError
        ? error
        : new EngineError('unknown', error instanceof Error ? error.message : String(error));
  }
}
