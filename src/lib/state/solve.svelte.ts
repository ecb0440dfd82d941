// One problem at a time: the streamed single answer, then (when asked) the program and the
// sampled ensemble. Validation and engine failures become `error` text; a stop keeps whatever
// finished so far and ends a program mid-run.
import type { Engine, Usage } from '../engine/engine';
import { EngineError, isAbort } from '../engine/errors';
import type { ModelFamily } from '../models/catalog';
import { createBrowserRunner } from '../program/browser-runner';
import type { SandboxRunner } from '../program/host';
import { defaultLimits } from '../program/runner';
import { failureWords } from '../program/answer';
import { solveProgram, type ProgramSolveResult } from '../program/solve';
import { FrameBatch, streamUpdateMs } from './frame-batch';
import {
  histogram,
  questionProblem,
  sampleKindAt,
  solveEnsemble,
  solveSingle,
  type EnsembleResult,
  type Part,
  type SampleKinds,
  type SampleResult,
  type StopRule,
  type Vote,
} from '../solver';
import type { SavedRun } from '../bench/types';
import type { EnsembleRun } from '../solver/estimate';
import { keptOutput, type History, type HistoryEntry } from './history.svelte';

export type SolveStatus = 'idle' | 'running' | 'done' | 'stopped' | 'error';

/** An ensemble sample as it streams, then as it finished; each field is its own signal. */
export class LiveSample {
  readonly index: number;
  /** a worked solution, or a program the sandbox runs */
  readonly kind: 'prose' | 'program';
  text = $state('');
  result = $state.raw<SampleResult | undefined>();
  /** tokens it had generated when it was stopped for low confidence; 0 when it was not */
  cutAt = $state(0);
  /** why it failed (an engine error; it is not counted), or '' */
  failed = $state('');

  constructor(index: number, kind: 'prose' | 'program' = 'prose') {
    this.index = index;
    this.kind = kind;
  }
}

/** What an ensemble run is asked to do. */
export interface EnsembleRequest {
  k: number;
  temperature: number;
  top_p: number;
  stop: StopRule;
  weighByArithmetic: boolean;
  /** ask the self-verifier about each distinct answer once sampling is over */
  verify: boolean;
  /** prose (when left out), programs, or both in turn */
  kinds?: SampleKinds;
}

/** What the program path is asked to do. */
export interface ProgramRequest {
  /** run the Program column (one greedy program) */
  column: boolean;
  /** how long a program may run, ms (the column's and the ensemble's) */
  timeoutMs: number;
}

/** Where the Program column is: writing the program, running it, or over. */
export type ProgramPhase = 'off' | 'waiting' | 'writing' | 'running' | 'done';

export class SolveState {
  question = $state('');
  status = $state<SolveStatus>('idle');
  error = $state('');
  /** the single call's text as it streams */
  singleText = $state('');
  single = $state.raw<SampleResult | undefined>();
  /**
   * the last single answer's length and time, kept while the next run starts: what the estimate of
   * an ensemble's cost goes by until the run's own samples give it a speed
   */
  lastAnswer = $state.raw<Pick<Usage, 'completionTokens' | 'ms'> | undefined>();
  /** ensemble samples, by index */
  samples = $state<LiveSample[]>([]);
  vote = $state.raw<Vote | undefined>();
  ensemble = $state.raw<EnsembleResult | undefined>();
  /** k of the ensemble under way or last run; 0 when none */
  k = $state(0);
  /** the ensemble's stop rule may end it before k samples (every rule but fixed) */
  early = $state(false);
  /** sampling is over and the self-verifier is asking about the answers */
  verifying = $state(false);
  /** from the start of sampling to the moment the latest sample ended, ms: this run's speed */
  sampledMs = $state(0);
  /** the program reply's text as it streams */
  programText = $state('');
  program = $state.raw<ProgramSolveResult | undefined>();
  programPhase = $state<ProgramPhase>('off');
  /**
   * what the person's finished benchmark run with this model measured for answers like this one;
   * null when no such run is stored (the page offers to measure); undefined until looked up
   */
  evidence = $state<string | null | undefined>();
  /** wall time of the last finished solve, seconds: what one problem of a measuring run costs */
  seconds = $state(0);
  /** an entry from history shown again, until the next run or entry replaces it */
  recalled = $state.raw<HistoryEntry | undefined>();
  /**
   * Each part asked for (single call, program, vote) with its answer or why it has none, once
   * every one of them has finished; undefined before, and when only the single call ran.
   */
  parts = $derived.by((): Part[] | undefined => {
    if (!this.single) return undefined;
    const parts: Part[] = [{ name: 'single', answer: this.single.answer }];
    if (this.programPhase !== 'off') {
      if (!this.program) return undefined;
      const { answer, error } = this.program;
      parts.push({ name: 'program', answer, failure: error ? failureWords(error) : null });
    }
    if (this.k > 0) {
      if (!this.ensemble) return undefined;
      parts.push({ name: 'vote', answer: this.ensemble.answer });
    }
    return parts.length < 2 ? undefined : parts;
  });
  /** the ensemble while it samples or checks its answers, for the time it has left */
  ensembleRun = $derived.by((): EnsembleRun | undefined => {
    if (this.status !== 'running' || this.k === 0 || this.ensemble || this.samples.length === 0) {
      return undefined;
    }
    return {
      k: this.k,
      early: this.early,
      samples: this.samples,
      ms: this.sampledMs,
      verifying: this.verifying,
    };
  });
  #abort: AbortController | undefined;
  /** the run's streamed text, applied once a frame; 'single' is the single call */
  #stream: FrameBatch<number | 'single' | 'program'> | undefined;
  /** the program sandbox, started on first use and kept warm between problems */
  #runner: SandboxRunner | undefined;
  readonly #history: History;

  /** the benchmark run saved in this browser, for the evidence line */
  readonly #savedRun: () => Promise<SavedRun | undefined>;

  /** Finished problems are added to `history`; `savedRun` reads the stored benchmark run. */
  constructor(history: History, savedRun = storedRun) {
    this.#history = history;
    this.#savedRun = savedRun;
  }

  /**
   * Runs the single call, then the program when `program.column`, then the ensemble when
   * `ensemble` is given, and records what finished in the history (nothing is recorded for bad
   * input or a failed single call).
   */
  async solve(
    engine: Engine | undefined,
    family: ModelFamily,
    label: string,
    ensemble?: EnsembleRequest,
    program?: ProgramRequest,
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
    this.#reset(ensemble?.k ?? 0, ensemble !== undefined && ensemble.stop.kind !== 'fixed');
    const column = program?.column === true;
    const programs = column || (ensemble?.kinds ?? 'prose') !== 'prose';
    const runner = programs ? this.#runnerFor(program?.timeoutMs) : undefined;
    // Python starts while the model writes, so the first run does not wait for it
    runner?.warm().catch(() => undefined);
    if (column) this.programPhase = 'waiting';
    const stream = new FrameBatch<number | 'single' | 'program'>((key, text) => {
      if (key === 'single') this.singleText += text;
      else if (key === 'program') this.programText += text;
      else {
        const sample = this.samples[key];
        if (sample) sample.text += text;
      }
    }, streamUpdateMs);
    this.#stream = stream;
    this.status = 'running';
    const started = performance.now();
    let single: SampleResult | undefined;
    let programResult: ProgramSolveResult | undefined;
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
      if (current()) {
        this.single = single;
        this.lastAnswer = single.usage;
      }
      if (runner && column && current()) {
        this.programPhase = 'writing';
        programResult = await solveProgram(engine, runner, question, {
          family,
          signal: abort.signal,
          onDelta: (delta) => {
            stream.push('program', delta);
          },
          onReply: () => {
            stream.flush();
            if (current()) this.programPhase = 'running';
          },
        });
        if (current()) {
          this.program = programResult;
          this.programPhase = 'done';
        }
      }
      if (ensemble && current()) {
        const sampling = performance.now();
        const ended = () => {
          if (current()) this.sampledMs = performance.now() - sampling;
        };
        result = await solveEnsemble(engine, question, {
          family,
          k: ensemble.k,
          temperature: ensemble.temperature,
          top_p: ensemble.top_p,
          stop: ensemble.stop,
          weighByArithmetic: ensemble.weighByArithmetic,
          verify: ensemble.verify,
          kinds: ensemble.kinds,
          runner,
          signal: abort.signal,
          onSampleStart: (i) => {
            if (current()) {
              this.samples[i] = new LiveSample(i, sampleKindAt(ensemble.kinds ?? 'prose', i));
            }
          },
          onDelta: (i, delta) => {
            stream.push(i, delta);
          },
          onSample: (i, sampleResult) => {
            stream.flush();
            ended();
            const sample = current() ? this.samples[i] : undefined;
            if (sample) sample.result = sampleResult;
          },
          onVote: (vote) => {
            if (current()) this.vote = vote;
          },
          onSampleCut: (i, tokens) => {
            stream.flush();
            ended();
            const sample = current() ? this.samples[i] : undefined;
            if (sample) sample.cutAt = Math.max(1, tokens);
          },
          onSampleFailed: (i, error) => {
            stream.flush();
            ended();
            const sample = current() ? this.samples[i] : undefined;
            if (sample) sample.failed = error.message;
          },
          onVerifying: () => {
            if (current()) this.verifying = true;
          },
        });
        if (current()) {
          this.verifying = false;
          this.ensemble = result;
          // the verified samples come back with their scores
          for (const sample of result.samples) {
            const live = this.samples[sample.index];
            if (live) live.result = sample;
          }
        }
      }
      if (current() && !abort.signal.aborted) {
        this.seconds = (performance.now() - started) / 1000;
        const parts = this.parts;
        if (parts) {
          const evidence = await this.#evidenceFor(label, parts);
          if (current()) this.evidence = evidence;
        }
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
    if (single) {
      await this.#history.add(
        this.#entry(
          question,
          label,
          single,
          programResult,
          result,
          ensemble?.k ?? 0,
          current() ? (this.evidence ?? undefined) : undefined,
        ),
      );
    }
  }

  /** The evidence line for `parts` from the stored run, or null when none matches (or it cannot be read). */
  async #evidenceFor(model: string, parts: Part[]): Promise<string | null> {
    try {
      const [{ evidenceLine }, run] = await Promise.all([
        import('../bench/evidence'),
        this.#savedRun(),
      ]);
      return evidenceLine(run, model, parts) ?? null;
    } catch {
      return null;
    }
  }

  /** Stops the run: generation, and a program mid-run (its sandbox is ended). */
  stop(): void {
    this.#abort?.abort();
  }

  /** The sandbox, created on first use, with the run's time limit. */
  #runnerFor(timeoutMs = defaultLimits.timeoutMs): SandboxRunner {
    this.#runner ??= createBrowserRunner({ ...defaultLimits, timeoutMs });
    this.#runner.setTimeLimit(timeoutMs);
    return this.#runner;
  }

  /** Shows a problem from history again, as it was kept (nothing is run again). */
  show(entry: HistoryEntry): void {
    this.#abort?.abort();
    this.#reset(0, false);
    this.question = entry.question;
    this.recalled = entry;
    this.status = 'idle';
  }

  #reset(k: number, early: boolean): void {
    this.#stream?.close();
    this.#stream = undefined;
    this.error = '';
    this.singleText = '';
    this.single = undefined;
    this.samples = [];
    this.vote = undefined;
    this.ensemble = undefined;
    this.verifying = false;
    this.sampledMs = 0;
    this.evidence = undefined;
    this.k = k;
    this.early = early;
    this.programText = '';
    this.program = undefined;
    this.programPhase = 'off';
    this.recalled = undefined;
  }

  /** What a run finished, for the history. */
  #entry(
    question: string,
    engine: string,
    single: SampleResult,
    program: ProgramSolveResult | undefined,
    ensemble: EnsembleResult | undefined,
    k: number,
    evidence: string | undefined,
  ): HistoryEntry {
    return {
      id: crypto.randomUUID(),
      at: Date.now(),
      question,
      engine,
      single: { answer: single.answer, text: single.text },
      ...(program
        ? {
            program: {
              answer: program.answer,
              program: program.program,
              output: (program.outcome?.stdout ?? '').slice(0, keptOutput),
              error: program.error?.message ?? null,
            },
          }
        : {}),
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
      ...(evidence ? { evidence } : {}),
    };
  }
}

/** The benchmark run saved in this browser (its store loads on first use), or undefined. */
async function storedRun(): Promise<SavedRun | undefined> {
  const { IdbStore } = await import('../bench/idb-store');
  return new IdbStore().load();
}
