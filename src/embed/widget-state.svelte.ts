// The widget's state: its options, one solve at a time, and what it tells the host page. Every
// failure becomes `problem` text here and an 'error' message to the host; nothing throws out.
import type { Engine } from '../lib/engine/engine';
import { EngineError, isAbort } from '../lib/engine/errors';
import { parseServerUrl } from '../lib/engine/openai-engine';
import { embedOrigins } from '../lib/embed-config';
import { appVersion } from '../lib/pwa/version';
import {
  histogram,
  questionProblem,
  solveEnsemble,
  solveSingle,
  voteSentence,
} from '../lib/solver';
import { EngineState } from '../lib/state/engine.svelte';
import { FrameBatch, streamUpdateMs } from '../lib/state/frame-batch';
import { ParentBridge } from './bridge.svelte';
import { ModelSource } from './model-source.svelte';
import {
  defaultEmbedSamples,
  maxEmbedSamples,
  type HostMessage,
  type SolveMode,
  type WidgetOptions,
} from './protocol';

export type WidgetStatus = 'idle' | 'running' | 'done' | 'stopped' | 'error';

/** A solve request: from the host page (with its id) or from the widget's own button. */
export interface SolveRequest {
  id: string;
  question: string;
  mode: SolveMode;
  k: number;
}

const engineKey = (o: WidgetOptions) =>
  JSON.stringify([o.server ?? null, o.model ?? null, o.customModel ?? null]);

export class WidgetState {
  options = $state.raw<WidgetOptions>({});
  question = $state('');
  mode = $state<SolveMode>('single');
  k = $state(defaultEmbedSamples);
  status = $state<WidgetStatus>('idle');
  /** the streamed solution (single), or the winning sample's solution (ensemble) */
  text = $state('');
  answer = $state<string | null>(null);
  votes = $state<Record<string, number>>({});
  /** the answer's share of the samples that gave one, 0..1 */
  agreement = $state(0);
  /** samples finished */
  samples = $state(0);
  /** the finished vote in the app's words (voteSentence): "4 of 5 samples said 18." */
  voteLine = $state('');
  problem = $state('');
  /** a model lost between solves is news to the host (a solve under way reports it itself) */
  readonly engine = new EngineState({
    onLost: (error) => {
      if (this.status !== 'running') {
        this.bridge.post({ type: 'error', id: null, code: error.code, message: error.message });
      }
    },
  });
  readonly source = new ModelSource();
  readonly bridge: ParentBridge;
  #abort: AbortController | undefined;
  /** the running solve's streamed text, applied as the app applies it (a few times a second) */
  #stream: FrameBatch<'text'> | undefined;
  #current: string | undefined;
  #local = 1;
  #autoran = '';
  #engineKey: string | undefined;
  #lastStatus = '';
  /** the engine key the loaded engine was made for */
  #loadedKey: string | undefined;

  constructor(initial: WidgetOptions) {
    this.bridge = new ParentBridge(
      embedOrigins,
      (message) => {
        this.#receive(message);
      },
      () => {
        this.#announce();
      },
    );
    this.#configure(initial);
  }

  /** Starts hearing the host page. */
  start(): void {
    this.bridge.start();
  }

  #announce(): void {
    this.bridge.post({ type: 'ready', version: appVersion });
  }

  /**
   * Tells the host what the widget can run with, when that changed since last told; while a model
   * is being copied, how far the copy is. Called by the component whenever what it reads changes.
   */
  reportStatus(): void {
    if (this.bridge.parentOrigin === undefined) return;
    const a = this.source.availability;
    const engine = this.options.server ? 'openai' : 'webllm';
    const key = `${engine} ${this.source.storage} ${a.kind}`;
    if (key !== this.#lastStatus) {
      this.#lastStatus = key;
      this.bridge.post({
        type: 'status',
        engine,
        storage: this.source.storage,
        availability: a.kind,
      });
    }
    if (a.kind === 'copying') {
      this.bridge.post({
        type: 'progress',
        id: null,
        stage: 'copy',
        fraction: a.total > 0 ? Math.min(1, a.bytes / a.total) : null,
        text: 'Copying the model from Tally’s storage',
      });
    }
  }

  #receive(message: HostMessage): void {
    switch (message.type) {
      case 'configure':
        this.#configure(message.options);
        break;
      case 'solve':
        void this.solve({
          id: message.id,
          question: message.question,
          mode: message.mode ?? this.mode,
          k: message.k ?? this.k,
        });
        break;
      case 'stop':
        if (message.id === this.#current) this.stop();
        break;
    }
  }

  #configure(options: WidgetOptions): void {
    const key = engineKey(options);
    this.options = options;
    if (options.question !== undefined) this.question = options.question;
    if (options.mode) this.mode = options.mode;
    if (options.k !== undefined) this.k = options.k;
    if (key !== this.#engineKey) {
      this.#engineKey = key;
      void this.source.check(options);
    }
    const question = options.question?.trim() ?? '';
    if (options.autorun && question !== '' && question !== this.#autoran) {
      this.#autoran = question;
      void this.solve();
    }
  }

  /** Solves `request`, or what the widget shows; posts progress, then a result or an error. */
  async solve(request?: SolveRequest): Promise<void> {
    const id = request?.id ?? `widget-${this.#local++}`;
    if (request) {
      this.question = request.question;
      this.mode = request.mode;
      this.k = request.k;
    }
    const question = this.question.trim();
    const mode = this.mode;
    const k = Math.min(maxEmbedSamples, this.k);
    const problem = questionProblem(question);
    if (problem) {
      this.#fail(id, new EngineError('bad-input', problem));
      return;
    }
    this.#abort?.abort();
    this.#stream?.close();
    const abort = new AbortController();
    this.#abort = abort;
    const stream = new FrameBatch<'text'>((_key, text) => {
      this.text += text;
    }, streamUpdateMs);
    this.#stream = stream;
    this.#current = id;
    this.status = 'running';
    this.problem = '';
    this.text = '';
    this.answer = null;
    this.votes = {};
    this.agreement = 0;
    this.samples = 0;
    this.voteLine = '';
    try {
      const engine = await this.#engine();
      const family = this.source.model?.family ?? 'generic';
      this.bridge.post({ type: 'progress', id, stage: 'solve', fraction: 0, text: 'Solving…' });
      if (mode === 'single') {
        const result = await solveSingle(engine, question, {
          family,
          signal: abort.signal,
          onDelta: (delta) => {
            stream.push('text', delta);
          },
        });
        stream.flush();
        this.answer = result.answer;
        this.votes = result.answer === null ? {} : { [result.answer]: 1 };
        this.agreement = result.answer === null ? 0 : 1;
        this.samples = 1;
      } else {
        const result = await solveEnsemble(engine, question, {
          family,
          k,
          // the widget shows no verifier verdicts: asking for them would cost a call per answer
          verify: false,
          signal: abort.signal,
          onSample: (i) => {
            this.samples = i + 1;
            this.bridge.post({
              type: 'progress',
              id,
              stage: 'solve',
              fraction: Math.min(1, this.samples / k),
              text: `Sample ${this.samples} of up to ${k}`,
            });
          },
        });
        this.answer = result.answer;
        this.votes = histogram(result.vote);
        this.agreement = result.agreement;
        this.samples = result.samplesUsed;
        this.voteLine = voteSentence(result.aggregates);
        const winner = result.vote.buckets[0]?.members[0];
        this.text = winner === undefined ? '' : (result.samples[winner]?.text ?? '');
        if (result.stopReason === 'aborted') this.status = 'stopped';
      }
      if (this.status === 'running') this.status = 'done';
      this.bridge.post({
        type: 'result',
        id,
        question,
        mode,
        answer: this.answer,
        votes: $state.snapshot(this.votes),
        agreement: this.agreement,
        samples: this.samples,
      });
    } catch (error) {
      if (isAbort(error)) {
        this.status = 'stopped';
        this.bridge.post({ type: 'error', id, code: 'aborted', message: 'Stopped.' });
      } else {
        this.#fail(id, error);
      }
    } finally {
      // what a stopped or failed run had streamed stays shown; a replaced run's was dropped
      stream.flush();
      stream.close();
      if (this.#abort === abort) this.#abort = undefined;
    }
  }

  stop(): void {
    this.#abort?.abort();
  }

  /** The engine to solve with, loading or connecting it first. */
  async #engine(): Promise<Engine> {
    await this.source.settled();
    const ready = this.engine.engine;
    if (this.engine.status === 'ready' && ready && this.#loadedKey === this.#engineKey)
      return ready;
    this.#loadedKey = this.#engineKey;
    const server = this.options.server;
    const availability = this.source.availability;
    if (server) {
      await this.engine.connectServer({
        baseUrl: parseServerUrl(server.baseUrl).href,
        model: server.model,
        ...(server.apiKey ? { apiKey: server.apiKey } : {}),
      });
    } else if (availability.kind === 'found' && this.source.build) {
      await this.engine.loadInBrowser(this.source.build);
    } else if (availability.kind === 'no-webgpu' || availability.kind === 'no-build') {
      throw new EngineError('webgpu-unavailable', availability.reason);
    } else {
      throw new EngineError(
        'model-not-found',
        'The model is not in this browser’s storage for this page. Choose how to get it above.',
      );
    }
    const engine = this.engine.engine;
    if (this.engine.status !== 'ready' || !engine) {
      throw this.engine.error ?? new EngineError('unknown', 'The model did not load.');
    }
    return engine;
  }

  /** Downloads the model into this frame's storage and loads it (the reader chose to). */
  async downloadHere(): Promise<void> {
    const build = this.source.build;
    if (!build) return;
    this.#loadedKey = this.#engineKey;
    await this.engine.loadInBrowser(build);
    if (this.engine.status === 'ready') this.source.markFound();
  }

  /** Posts load progress to the host (called by the component as the engine reports it). */
  reportLoad(): void {
    const p = this.engine.progress;
    if (this.engine.status !== 'loading' || !p) return;
    this.bridge.post({
      type: 'progress',
      id: null,
      stage: 'load',
      fraction: p.fraction,
      text: p.text,
    });
  }

  #fail(id: string, error: unknown): void {
    const e =
      error instanceof EngineError
        ? error
        : new EngineError('unknown', error instanceof Error ? error.message : String(error));
    this.status = 'error';
    this.problem = e.message;
    this.bridge.post({ type: 'error', id, code: e.code, message: e.message });
  }
}
