// Runs a benchmark: every selected problem in every mode, C at a time, saving each result as it lands.
// Stops on abort (keeping what finished), on an error every problem would hit, or after 5 failures in a row.
import type { Engine } from '../engine/engine';
import { EngineError, isAbort } from '../engine/errors';
import { solveProgram } from '../program/solve';
import type { ProgramError } from '../program/answer';
import type { ProgramRunner } from '../program/runner';
import { aggregationNames, type AggregationName } from '../solver/aggregate';
import { answersEqual } from '../solver/equal';
import {
  solveEnsemble,
  solveSingle,
  type EnsembleResult,
  type SampleResult,
} from '../solver/solve';
import { histogram } from '../solver/vote';
import { modeId } from './modes';
import { resultKey } from './schema';
import type { ResultStore } from './store';
import type {
  AggregationRecord,
  ModeSpec,
  Problem,
  ProblemResult,
  RunHeader,
  SampleRecord,
} from './types';

/** One (problem, mode) attempt that failed; a resume tries it again. */
export interface UnitFailure {
  problemId: string;
  mode: string;
  error: EngineError;
}

export interface RunOptions {
  engine: Engine;
  header: RunHeader;
  /** results saved before: their (problem, mode) pairs are not run again */
  done: readonly ProblemResult[];
  store: ResultStore;
  /** runs the program mode's programs; a run with that mode and no runner fails at once */
  programs?: ProgramRunner;
  /** problems attempted at once; 1 whatever is asked when the engine runs one sequence at a time */
  concurrency: number;
  /** stops the run: calls in flight are cut off and not saved, finished ones stay */
  signal?: AbortSignal;
  /** a (problem, mode) attempt started */
  onStart?: (problem: Problem, mode: string) => void;
  /** a result was saved */
  onResult?: (result: ProblemResult) => void;
  /** an attempt failed; the run goes on unless the failure is fatal */
  onFailure?: (failure: UnitFailure) => void;
  /** failures in a row that stop the run (default 5): a server that is down fails every problem */
  maxConsecutiveFailures?: number;
}

export interface RunOutcome {
  /**
   * 'complete': every (problem, mode) has a result; 'incomplete': the rest failed (see
   * `failures`); 'aborted': the signal fired; 'failed': stopped by `error`
   */
  status: 'complete' | 'incomplete' | 'aborted' | 'failed';
  /** results saved in this call */
  finished: number;
  failures: UnitFailure[];
  /** why the run stopped, when status is 'failed' */
  error?: EngineError;
  /** wall time of this call, milliseconds */
  elapsedMs: number;
}

/** Failures that every other problem would meet too: no point going on. */
const fatal = new Set([
  'unauthorized',
  'model-not-found',
  'bad-input',
  'model-lib-invalid',
  'webgpu-unavailable',
  'device-lost',
  'worker-crashed',
  // another tab or the widget took the GPU: every later problem would meet it too
  'taken-over',
  // an abort the run did not ask for: the engine was unloaded or replaced
  'aborted',
]);

function toEngineError(error: unknown): EngineError {
  return error instanceof EngineError
    ? error
    : new EngineError('unknown', error instanceof Error ? error.message : String(error));
}

function record(sample: SampleResult): SampleRecord {
  return {
    text: sample.text,
    answer: sample.answer,
    completionTokens: sample.usage.completionTokens,
    promptTokens: sample.usage.promptTokens,
    ms: sample.usage.ms,
    finishReason: sample.finishReason,
  };
}

/** Every aggregation's answer and cost, from the same samples. */
function aggregations(
  ensemble: EnsembleResult,
  gold: string,
): Record<AggregationName, AggregationRecord> {
  const generationTokens = ensemble.completionTokens + ensemble.cutTokens;
  const verified = ensemble.verification
    ? ensemble.verification.promptTokens + ensemble.verification.completionTokens
    : 0;
  const entries = aggregationNames.map((name): [AggregationName, AggregationRecord] => {
    const { available, answer } = ensemble.aggregates[name];
    return [
      name,
      {
        available,
        answer,
        correct: answersEqual(answer, gold),
        generationTokens,
        verificationTokens: name === 'verifier' || name === 'best-of-n' ? verified : 0,
      },
    ];
  });
  return Object.fromEntries(entries) as Record<AggregationName, AggregationRecord>;
}

/** Attempts one problem in one mode; undefined when the signal cut it off. */
async function attempt(
  options: RunOptions,
  problem: Problem,
  mode: ModeSpec,
  signal: AbortSignal,
): Promise<ProblemResult | undefined> {
  const { engine, header } = options;
  const { family, sampling } = header.config;
  const started = performance.now();
  let samples: SampleRecord[];
  let answer: string | null;
  let votes: Record<string, number>;
  let error: ProgramError | undefined;
  let aggregates: ProblemResult['aggregates'];
  if (mode.kind === 'program') {
    if (!options.programs) {
      throw new EngineError('bad-input', 'The program mode needs a sandbox to run programs in.');
    }
    const solved = await solveProgram(engine, options.programs, problem.question, {
      family,
      maxTokens: sampling.max_tokens,
      signal,
    });
    samples = [
      {
        text: solved.text,
        answer: solved.answer,
        completionTokens: solved.usage.completionTokens,
        promptTokens: solved.usage.promptTokens,
        ms: solved.usage.ms,
        finishReason: solved.finishReason,
      },
    ];
    answer = solved.answer;
    votes = answer === null ? {} : { [answer]: 1 };
    error = solved.error ?? undefined;
  } else if (mode.kind === 'single') {
    const sample = await solveSingle(engine, problem.question, {
      family,
      maxTokens: sampling.max_tokens,
      signal,
    });
    samples = [record(sample)];
    answer = sample.answer;
    votes = answer === null ? {} : { [answer]: 1 };
  } else {
    const ensemble = await solveEnsemble(engine, problem.question, {
      family,
      k: mode.k,
      stop: mode.rule,
      verify: mode.verify === true,
      temperature: sampling.temperature,
      top_p: sampling.top_p,
      maxTokens: sampling.max_tokens,
      signal,
    });
    if (ensemble.stopReason === 'aborted') return undefined;
    samples = ensemble.samples.map((sample) => ({
      ...record(sample),
      confidence: sample.confidence?.lowest ?? null,
      verifier: sample.verifier,
    }));
    answer = ensemble.answer;
    votes = histogram(ensemble.vote);
    aggregates = aggregations(ensemble, problem.gold);
  }
  if (signal.aborted) return undefined;
  return {
    problemId: problem.id,
    mode: modeId(mode),
    gold: problem.gold,
    answer,
    ...(error ? { error } : {}),
    correct: answersEqual(answer, problem.gold),
    samples,
    votes,
    tokens: samples.reduce((sum, s) => sum + s.completionTokens, 0),
    ...(aggregates ? { aggregates } : {}),
    seconds: (performance.now() - started) / 1000,
    finishedAt: Date.now(),
  };
}

/**
 * Runs every (problem, mode) of `header` that `done` lacks, problem by problem (each problem's
 * modes in order), up to `concurrency` at once, appending each result to `store` before reporting
 * it. Never rejects: failures come back in the outcome.
 */
export async function runBench(options: RunOptions): Promise<RunOutcome> {
  const { engine, header, store } = options;
  const started = performance.now();
  const skip = new Set(options.done.map(resultKey));
  const units = header.problems.flatMap((problem) =>
    header.config.modes
      .filter((mode) => !skip.has(resultKey({ problemId: problem.id, mode: modeId(mode) })))
      .map((mode) => ({ problem, mode })),
  );
  const stop = new AbortController();
  const onAbort = () => {
    stop.abort();
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) stop.abort();
  const failures: UnitFailure[] = [];
  const limit = options.maxConsecutiveFailures ?? 5;
  let inARow = 0;
  let finished = 0;
  let error: EngineError | undefined;
  let next = 0;

  // A function, so the check is made each time (TypeScript would keep a narrowed property).
  const stopped = () => stop.signal.aborted;
  const halt = (reason: EngineError) => {
    error ??= reason;
    stop.abort();
  };

  const lane = async (): Promise<void> => {
    while (!stopped() && next < units.length) {
      const unit = units[next];
      next += 1;
      if (!unit) break;
      const mode = modeId(unit.mode);
      options.onStart?.(unit.problem, mode);
      let result: ProblemResult | undefined;
      try {
        result = await attempt(options, unit.problem, unit.mode, stop.signal);
      } catch (thrown) {
        if (stopped() && isAbort(thrown)) break;
        const failure = { problemId: unit.problem.id, mode, error: toEngineError(thrown) };
        failures.push(failure);
        options.onFailure?.(failure);
        inARow += 1;
        if (fatal.has(failure.error.code)) halt(failure.error);
        else if (inARow >= limit) {
          halt(
            new EngineError(
              failure.error.code,
              `${limit} problems failed in a row; the last said: ${failure.error.message}`,
            ),
          );
        }
        continue;
      }
      if (!result) break;
      inARow = 0;
      try {
        await store.append(result);
      } catch (thrown) {
        const why = thrown instanceof Error ? thrown.message : String(thrown);
        halt(new EngineError('storage', `A result could not be saved, so the run stopped: ${why}`));
        break;
      }
      finished += 1;
      options.onResult?.(result);
    }
  };

  const lanes = engine.concurrency <= 1 ? 1 : Math.max(1, Math.floor(options.concurrency));
  try {
    await Promise.all(Array.from({ length: Math.min(lanes, Math.max(1, units.length)) }, lane));
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
  const elapsedMs = performance.now() - started;
  const outcome = { finished, failures, elapsedMs };
  if (error) return { ...outcome, status: 'failed', error };
  if (options.signal?.aborted) return { ...outcome, status: 'aborted' };
  return { ...outcome, status: failures.length > 0 ? 'incomplete' : 'complete' };
}
