// One problem at a time: the streamed single answer, then (when asked) the sampled ensemble.
// Validation and engine failures become `error` text; a stop keeps whatever finished so far.
import type { Engine } from '../engine/engine';
import { EngineError, isAbort } from '../engine/errors';
import type { ModelFamily } from '../models/catalog';
import { FrameBatch } from './frame-batch';
import {
  answersEqual,
  histogram,
  questionProblem,
  solveEnsemble,
  solveSingle,
  type EnsembleResult,
  type SampleResult,
  type StopRule,
  type Vote,
} from '../solver';
import type { History, HistoryEntry } from './history.svelte';

export type SolveStatus = 'idle' | 'running' | 'done' | 'stopped' | 'error';

/** An ensemble sample as it streams, then as it finished; each field is its own signal. */
/**
 * How often streaming text reaches the page, ms: ten times a second, a few tokens each. Every
 * update lays out and paints the streaming boxes; at one a frame, four streams spent a quarter of
 * the page's thread on that (bench:ui, docs/BENCHMARKS.md), more than a reader can follow.
 */
const streamUpdateMs = 100;

export class LiveSample {
  readonly index: number;
  text = $state('');
  result = $state.raw<SampleResult | undefined>();

  constructor(index: number) {
    this.index = index;
  }
}

/** What an ensemble run is asked to do. */
export interface EnsembleRequest {
  k: number;
  temperature: number;
  top_p: number;
  stop: StopRule;
  weighByArithmetic: boolean;
}

/** How the single answer and the vote relate, in words. */
export type Verdict = 'agree' | 'disagree' | 'pending';

export class SolveState {
  question = $state('');
  status = $state<SolveStatus>('idle');
  error = $state('');
  /** the single call's text as it streams */
  singleText = $state('');
  single = $state.raw<SampleResult | undefined>();
  /** ensemble samples, by index */
  samples = $state<LiveSample[]>([]);
  vote = $state.raw<Vote | undefined>();
  ensemble = $state.raw<EnsembleResult | undefined>();
  /** k of the ensemble under way or last run; 0 when none */
  k = $state(0);
  verdict = $derived.by((): Verdict => {
    if (!this.single || !this.ensemble) return 'pending';
    return answersEqual(this.single.answer, this.ensemble.answer) ? 'agree' : 'disagree';
  });
  #abort: AbortController | undefined;
  /** the run's streamed text, applied once a frame; 'single' is the single call */
  #stream: FrameBatch<number | 'single'> | undefined;
  readonly #history: History;

  /** Finished problems are added to `history`. */
  constructor(history: History) {
    this.#history = history;
  }

  /**
   * Runs the single call, then the ensemble when `ensemble` is given, and records what finished
   * in the history (nothing is recorded for bad input or a failed single call).
   */
  async solve(
    engine: Engine | undefined,
    family: ModelFamily,
    label: string,
    ensemble?: EnsembleRequest,
  ): Promise<void> {
    const question = this.question.trim();
    const problem = questionProblem(question);
    if (problem) {
      this.error = problem;
      return;
    }
    if (!engine) {
      this.error = 'Load a model or connect to a server first.';
      return;
    }
    this.#abort?.abort();
    const abort = new AbortController();
    this.#abort = abort;
    /** false once another solve (or a problem from history) has replaced this run on screen */
    const current = () => this.#abort === abort;
    this.#reset(ensemble?.k ?? 0);
    const stream = new FrameBatch<number | 'single'>((key, text) => {
      if (key === 'single') this.singleText += text;
      else {
        const sample = this.samples[key];
        if (sample) sample.text += text;
      }
    }, streamUpdateMs);
    this.#stream = stream;
    this.status = 'running';
    let single: SampleResult | undefined;
    let result: EnsembleResult | undefined;
    try {
      single = await solveSingle(engine, question, {
        family,
        signal: abort.signal,
        onDelta: (delta) => {
          stream.push('single', delta);
        },
      });
      stream.flush();
      if (current()) this.single = single;
      if (ensemble && current()) {
        result = await solveEnsemble(engine, question, {
          family,
          k: ensemble.k,
          temperature: ensemble.temperature,
          top_p: ensemble.top_p,
          stop: ensemble.stop,
          weighByArithmetic: ensemble.weighByArithmetic,
          signal: abort.signal,
          onSampleStart: (i) => {
            if (current()) this.samples[i] = new LiveSample(i);
          },
          onDelta: (i, delta) => {
            stream.push(i, delta);
          },
          onSample: (i, sampleResult) => {
            stream.flush();
            const sample = current() ? this.samples[i] : undefined;
            if (sample) sample.result = sampleResult;
          },
          onVote: (vote) => {
            if (current()) this.vote = vote;
          },
        });
        if (current()) this.ensemble = result;
      }
      if (current()) this.status = abort.signal.aborted ? 'stopped' : 'done';
    } catch (error) {
      if (!current()) {
        // replaced: the screen shows another run, which owns status and error
      } else if (isAbort(error)) {
        this.status = 'stopped';
      } else {
        this.status = 'error';
        this.error = error instanceof EngineError ? error.message : String(error);
      }
    }
    stream.flush();
    if (single)
      await this.#history.add(this.#entry(question, label, single, result, ensemble?.k ?? 0));
  }

  stop(): void {
    this.#abort?.abort();
  }

  /** Shows a problem from history again (answers only; solutions are not re-run). */
  show(entry: HistoryEntry): void {
    this.#abort?.abort();
    this.#reset(0);
    this.question = entry.question;
    this.singleText = entry.single?.text ?? '';
    this.status = 'idle';
  }

  #reset(k: number): void {
    this.#stream?.close();
    this.#stream = undefined;
    this.error = '';
    this.singleText = '';
    this.single = undefined;
    this.samples = [];
    this.vote = undefined;
    this.ensemble = undefined;
    this.k = k;
  }

  /** What a run finished, for the history. */
  #entry(
    question: string,
    engine: string,
    single: SampleResult,
    ensemble: EnsembleResult | undefined,
    k: number,
  ): HistoryEntry {
    return {
      id: crypto.randomUUID(),
      at: Date.now(),
      question,
      engine,
      single: { answer: single.answer, text: single.text },
      ...(ensemble
        ? {
            ensemble: {
              majority: ensemble.answer,
              votes: histogram(ensemble.vote),
              used: ensemble.samplesUsed,
              k,
            },
          }
        : {}),
    };
  }
}
