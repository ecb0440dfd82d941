// Which engine is loaded and how loading is going; the only place the UI reaches an Engine from.
// Every failure lands in `error` as an EngineError with a message a person can act on.
import type { Engine, LoadProgress } from '../engine/engine';
import { EngineError, isAbort } from '../engine/errors';
import { OpenAIEngine, type OpenAIConfig } from '../engine/openai-engine';
import { WebLLMEngine } from '../engine/webllm-client';
import type { ModelBuild } from '../models/catalog';

export type LoadStatus = 'idle' | 'loading' | 'ready' | 'error';

export class EngineState {
  status = $state<LoadStatus>('idle');
  progress = $state<LoadProgress | undefined>();
  error = $state<EngineError | undefined>();
  /** what is loaded or loading, for people */
  label = $state('');
  /** the engine once ready; raw so Svelte does not proxy it */
  engine = $state.raw<Engine | undefined>();
  #abort: AbortController | undefined;

  /** Loads a catalog or custom build in this browser (web-llm in a worker). */
  loadInBrowser(build: ModelBuild): Promise<void> {
    return this.#load(new WebLLMEngine(build), build.model_id);
  }

  /** Connects to an OpenAI-compatible server and checks the model is there. */
  connectServer(config: OpenAIConfig): Promise<void> {
    let engine: OpenAIEngine;
    try {
      engine = new OpenAIEngine(config);
    } catch (error) {
      this.#fail(error);
      return Promise.resolve();
    }
    return this.#load(engine, `${config.model} on ${config.baseUrl}`);
  }

  /** Stops a load in progress. */
  cancel(): void {
    this.#abort?.abort();
  }

  async #load(engine: Engine, label: string): Promise<void> {
    this.#abort?.abort();
    const previous = this.engine;
    this.engine = undefined;
    if (previous) await previous.unload().catch(() => undefined);
    const abort = new AbortController();
    this.#abort = abort;
    this.status = 'loading';
    this.label = label;
    this.error = undefined;
    this.progress = { phase: 'fetch', fraction: 0, text: 'Starting…' };
    try {
      await engine.load((p) => {
        if (this.#abort === abort) this.progress = p;
      }, abort.signal);
      if (this.#abort !== abort) return;
      this.engine = engine;
      this.status = 'ready';
    } catch (error) {
      if (this.#abort !== abort) return;
      if (isAbort(error)) {
        this.status = 'idle';
        this.progress = undefined;
      } else {
        this.#fail(error);
      }
    }
  }

  #fail(error: unknown): void {
    this.status = 'error';
    this.error =
      error instanceof EngineError
        ? error
        : new EngineError('unknown', error instanceof Error ? error.message : String(error));
  }
}
