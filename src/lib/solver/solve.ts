// Runs the model on a problem: one greedy answer, or k sampled answers with a vote that stops early.
// Bad options reject with EngineError 'bad-input'; an engine failure rejects the whole ensemble.
import {
  neutralPenalties,
  type CompleteOptions,
  type Completion,
  type Engine,
  type Usage,
} from '../engine/engine';
import { EngineError } from '../engine/errors';
import { runReply, type ProgramResult } from '../program/answer';
import { programPromptFor } from '../program/prompt';
import type { ProgramRunner } from '../program/runner';
import { topLogprobs } from '../engine/logprobs';
import {
  aggregateAll,
  defaultAggregation,
  type Aggregate,
  type AggregationName,
  type Scored,
} from './aggregate';
import { arithmeticWeight, checkSolution, uncheckedResult, type CheckResult } from './check';
import {
  ConfidenceMeter,
  defaultEarlyStop,
  earlyThreshold,
  sampleConfidence,
  type EarlyStop,
  type SampleConfidence,
} from './confidence';
import { extractDetail, type AnswerSource, type Extracted } from './extract';
import { fields, maxSamples, sampleKindAt, type SampleKinds } from './fields';
import { promptFor, type PromptFamily } from './prompt';
import { defaultStopRule, shouldStop, stopRuleProblem, type StopRule } from './stop';
import { verifyAnswers, type Verification } from './verify';
import { tally, type Vote } from './vote';

/** One finished completion and what Tally read from it. */
export interface SampleResult {
  /** which sample this is, 0-based, in the order samples were started */
  index: number;
  /** 'program': the model wrote a Python program, and `answer` is what running it gave */
  kind: 'prose' | 'program';
  /** the full solution text (for a program sample, the model's whole reply) */
  text: string;
  /** canonical final answer ("18", "0.5", "1/3"), or null when the sample states none */
  answer: string | null;
  /** a program sample's program, its run and why it gave no answer; absent for prose */
  program?: ProgramResult;
  /** where `answer` came from; null with it */
  source: AnswerSource | null;
  /** 'length' when max_tokens cut the solution short */
  finishReason: Completion['finishReason'];
  /** tokens and milliseconds this sample took, as the engine reported them */
  usage: Usage;
  /** the solution's arithmetic, recomputed */
  check: CheckResult;
  /** the sample's weight in the vote: 1, or `arithmeticWeight(check)` when weighting */
  weight: number;
  /** its token confidence (DeepConf), or null without log-probabilities */
  confidence: SampleConfidence | null;
  /** the self-verifier's P(yes) for it, or null when it was not the sample verified */
  verifier: number | null;
}

export interface SolveOptions {
  family: PromptFamily;
  /** tokens each completion may generate at most (default 1024) */
  maxTokens?: number;
  /** aborting stops generation (see solveSingle and solveEnsemble for what comes back) */
  signal?: AbortSignal;
  /** a seed where the engine supports one; ensemble sample i uses seed + i */
  seed?: number;
}

export interface SingleOptions extends SolveOptions {
  /** each piece of text as it streams in */
  onDelta?: (delta: string) => void;
}

/**
 * Sampling for an ensemble (fields.ts). Samples, like the greedy call, send neutral penalties
 * (`neutralPenalties`): diversity comes from temperature alone.
 */
export const defaultSampling = {
  temperature: fields.temperature.default,
  top_p: fields.topP.default,
} as const;

export { maxSamples };

export interface EnsembleOptions extends SolveOptions {
  /** samples at most, 1..40 */
  k: number;
  /** sampling temperature, 0..2 (default 0.7) */
  temperature?: number;
  /** nucleus mass, 0 (exclusive)..1 (default 0.95) */
  top_p?: number;
  /** when to stop before k (default `defaultStopRule`) */
  stop?: StopRule;
  /** weigh each vote by `arithmeticWeight` (solutions whose arithmetic checks out count more) */
  weighByArithmetic?: boolean;
  /** what to sample: prose (the default), programs, or both in turn (`sampleKindAt`) */
  kinds?: SampleKinds;
  /** runs program samples; required unless `kinds` is prose */
  runner?: ProgramRunner;
  /** ask for log-probabilities and read each sample's confidence (default true) */
  confidence?: boolean;
  /** online early termination by confidence (default `defaultEarlyStop`; null: off) */
  earlyStop?: EarlyStop | null;
  /** ask the self-verifier about each answer once sampling is over (default false: it costs a call per answer) */
  verify?: boolean;
  /** sample i was stopped for low confidence after `tokens` tokens; it is not counted */
  onSampleCut?: (i: number, tokens: number) => void;
  /** sample i failed (the engine's error); it is not counted, and the others go on */
  onSampleFailed?: (i: number, error: EngineError) => void;
  /** sampling is over and the verifier starts */
  onVerifying?: () => void;
  /** sample i started */
  onSampleStart?: (i: number) => void;
  /** sample i streamed a piece of text */
  onDelta?: (i: number, delta: string) => void;
  /** sample i finished; it is counted in the next onVote */
  onSample?: (i: number, result: SampleResult) => void;
  /** the vote after each finished sample */
  onVote?: (vote: Vote) => void;
}

/** Why an ensemble stopped. */
export type StopReason = 'settled' | 'k' | 'aborted';

/**
 * Whether the samples' confidence could be read: 'read', 'unavailable' (asked for, and the engine
 * sent no log-probabilities: confidence, early termination and the verifier are off), 'off' (not
 * asked for).
 */
export type LogprobsStatus = 'read' | 'unavailable' | 'off';

export interface EnsembleResult {
  /** finished samples, in the order they finished (the order the vote counted them) */
  samples: SampleResult[];
  /** the majority over `samples` (what the stop rule reads); bucket `members` index into `samples` */
  vote: Vote;
  /**
   * every aggregation over the same samples, side by side; best-of-n's `sample` is the sample's
   * `index` (its number in the run), not its place in `samples`
   */
  aggregates: Record<AggregationName, Aggregate>;
  /** the answer of `defaultAggregation` (the majority when it is unavailable), or null */
  answer: string | null;
  /** the majority winner's share of valid votes, 0..1 */
  agreement: number;
  logprobs: LogprobsStatus;
  /** samples stopped early for low confidence, not counted (`samplesUsed` leaves them out) */
  cut: number;
  /** tokens the cut samples generated before they were stopped */
  cutTokens: number;
  /**
   * tokens early termination saved, estimated: each cut sample's tokens against the mean length of
   * the counted samples
   */
  savedTokens: number;
  /** the self-verifier's answers and cost, or null when it did not run */
  verification: Verification | null;
  /** samples finished and counted */
  samplesUsed: number;
  /** k - samplesUsed: samples not needed (or not run, after an abort) */
  samplesSaved: number;
  /** samples in flight when the vote settled, stopped and not counted (their tokens are spent) */
  cancelled: number;
  /** samples that failed (an engine error), not counted */
  failed: number;
  /** 'settled': the stop rule fired; 'k': all k ran; 'aborted': the caller's signal fired */
  stopReason: StopReason;
  /** summed over counted samples */
  promptTokens: number;
  /** summed over counted samples */
  completionTokens: number;
  /** wall time of the whole ensemble, milliseconds */
  ms: number;
}

/** A sample as the aggregations and the verifier read it: its lowest group confidence. */
function scored(sample: SampleResult): Scored & { index: number; text: string } {
  return { ...sample, confidence: sample.confidence?.lowest ?? null };
}

function badInput(message: string): EngineError {
  return new EngineError('bad-input', message);
}

/**
 * `read(text)`, or `fallback` if it throws. Model text is untrusted: extraction and the check are
 * bounded, and this keeps any failure they still meet inside the one sample ("could not check").
 */
function contained<T>(read: (text: string) => T, text: string, fallback: T): T {
  try {
    return read(text);
  } catch {
    return fallback;
  }
}

function toResult(
  index: number,
  completion: Completion,
  weigh: boolean,
  question: string,
): SampleResult {
  const found = contained<Extracted | null>(
    (text) => extractDetail(text, question),
    completion.text,
    null,
  );
  // a cut-off solution's last number is a mid-computation value, not an answer
  const usable = found && !(completion.finishReason === 'length' && found.source === 'last-number');
  const check = contained(checkSolution, completion.text, uncheckedResult);
  return {
    index,
    kind: 'prose',
    text: completion.text,
    answer: usable ? found.answer : null,
    source: usable ? found.source : null,
    finishReason: completion.finishReason,
    usage: completion.usage,
    check,
    weight: weigh ? arithmeticWeight(check) : 1,
    confidence: completion.logprobs ? sampleConfidence(completion.logprobs) : null,
    verifier: null,
  };
}

/** A program sample holds no prose arithmetic to check: the sandbox did the arithmetic. */
const nothingToCheck: CheckResult = { steps: [], wrong: [], complete: true };

/** A program sample: the answer is what running the reply's program gave; it weighs 1. */
function programSample(index: number, completion: Completion, run: ProgramResult): SampleResult {
  return {
    index,
    kind: 'program',
    text: completion.text,
    answer: run.answer,
    source: null,
    finishReason: completion.finishReason,
    usage: completion.usage,
    check: nothingToCheck,
    weight: 1,
    confidence: completion.logprobs ? sampleConfidence(completion.logprobs) : null,
    verifier: null,
    program: run,
  };
}

/**
 * One greedy completion (temperature 0) and its answer. Aborting rejects with EngineError
 * 'aborted', as the engine does; what streamed before has reached onDelta.
 */
export async function solveSingle(
  engine: Engine,
  question: string,
  options: SingleOptions,
): Promise<SampleResult> {
  const completion = await engine.complete(
    promptFor(options.family, question),
    greedyOptions(options),
  );
  return toResult(0, completion, false, question);
}

/** A greedy call's settings: temperature 0, top_p 1, neutral penalties. */
export function greedyOptions(options: SingleOptions): CompleteOptions {
  return {
    temperature: 0,
    top_p: 1,
    ...neutralPenalties,
    max_tokens: options.maxTokens ?? 1024,
    seed: options.seed,
    signal: options.signal,
    onDelta: options.onDelta,
  };
}

function validate(options: EnsembleOptions): string | undefined {
  const { k, temperature = defaultSampling.temperature, top_p = defaultSampling.top_p } = options;
  if (!Number.isInteger(k) || k < 1 || k > maxSamples) {
    return `The number of samples must be a whole number from 1 to ${maxSamples}, not ${k}.`;
  }
  if (!(temperature >= 0 && temperature <= 2)) {
    return `The temperature must be from 0 to 2, not ${temperature}.`;
  }
  if (!(top_p > 0 && top_p <= 1)) return `top_p must be above 0 and at most 1, not ${top_p}.`;
  if (
    options.maxTokens !== undefined &&
    !(Number.isInteger(options.maxTokens) && options.maxTokens > 0)
  ) {
    return `maxTokens must be a positive whole number, not ${options.maxTokens}.`;
  }
  if ((options.kinds ?? 'prose') !== 'prose' && !options.runner) {
    return 'Program samples need a sandbox to run in.';
  }
  return options.stop ? stopRuleProblem(options.stop) : undefined;
}

/** How many completions run at once: the engine's concurrency, at least 1, at most k. */
function lanes(engine: Engine, k: number): number {
  const c = Math.floor(engine.concurrency);
  return Number.isFinite(c) && c >= 1 ? Math.min(c, k) : 1;
}

/**
 * Up to k sampled solutions and a majority vote over their answers, stopping as soon as the
 * stop rule says the vote is settled; in-flight samples past that point are aborted. Samples
 * run one at a time when engine.concurrency is 1, else up to engine.concurrency at once.
 *
 * Aborting `signal` does not reject: it resolves with the samples that finished (stopReason
 * 'aborted'), so a person who stops a long ensemble keeps its vote so far. A sample that fails
 * (an engine error) is marked failed and not counted, and the others go on; the ensemble rejects
 * with the first failure only when no sample finished.
 */
export async function solveEnsemble(
  engine: Engine,
  question: string,
  options: EnsembleOptions,
): Promise<EnsembleResult> {
  const problem = validate(options);
  if (problem) throw badInput(problem);
  const { k, signal } = options;
  const rule = options.stop ?? defaultStopRule;
  const kinds = options.kinds ?? 'prose';
  const messages = {
    prose: promptFor(options.family, question),
    program: programPromptFor(options.family, question),
  };
  // Python starts while the first samples are written, so their runs do not wait for it
  if (kinds !== 'prose') options.runner?.warm().catch(() => undefined);
  const started = performance.now();
  const samples: SampleResult[] = [];
  const inflight = new Map<number, AbortController>();
  const asked = options.confidence !== false;
  const early = asked
    ? options.earlyStop === undefined
      ? defaultEarlyStop
      : options.earlyStop
    : null;
  let vote = tally([]);
  // mutated by the lanes below; an object so TypeScript does not narrow it to its start values
  const progress = {
    next: 0,
    settled: false,
    cancelled: 0,
    /** a completion came back without the log-probabilities asked for */
    unavailable: false,
    /** the early-termination threshold, once the warm-up samples set it */
    threshold: null as number | null,
    cut: 0,
    cutTokens: 0,
    cutLengths: [] as number[],
  };
  /** samples that failed, in the order they failed */
  const failures: EngineError[] = [];

  const abortAll = (): void => {
    for (const controller of inflight.values()) controller.abort();
  };
  const halted = (): boolean => progress.settled || signal?.aborted === true;

  const finish = (result: SampleResult): void => {
    const i = result.index;
    samples.push(result);
    if (early && progress.threshold === null && samples.length >= early.warmup) {
      const warm = samples.flatMap((s) =>
        s.confidence?.lowest == null ? [] : [s.confidence.lowest],
      );
      progress.threshold = earlyThreshold(warm.slice(0, early.warmup), early.keep);
    }
    options.onSample?.(i, result);
    vote = tally(
      samples.map((s) => s.answer),
      samples.map((s) => s.weight),
    );
    options.onVote?.(vote);
    if (samples.length < k && shouldStop(rule, vote)) {
      progress.settled = true;
      abortAll();
    }
  };

  const run = async (i: number): Promise<void> => {
    const controller = new AbortController();
    inflight.set(i, controller);
    const kind = sampleKindAt(kinds, i);
    const meter = early ? new ConfidenceMeter() : undefined;
    /** whether it was stopped for low confidence */
    const stopped = { lowConfidence: false };
    try {
      options.onSampleStart?.(i);
      const completion = await engine.complete(messages[kind], {
        temperature: options.temperature ?? defaultSampling.temperature,
        top_p: options.top_p ?? defaultSampling.top_p,
        ...neutralPenalties,
        max_tokens: options.maxTokens ?? 1024,
        seed: options.seed === undefined ? undefined : options.seed + i,
        signal: controller.signal,
        ...(asked ? { top_logprobs: topLogprobs } : {}),
        onDelta: (delta, tokens) => {
          options.onDelta?.(i, delta);
          if (!meter || !tokens) return;
          meter.push(tokens);
          const group = meter.group;
          if (progress.threshold !== null && group !== null && group < progress.threshold) {
            stopped.lowConfidence = true;
            controller.abort();
          }
        },
      });
      // a program sample's answer is its run's; the run stops with the sample
      const result =
        kind === 'program' && options.runner
          ? programSample(
              i,
              completion,
              await runReply(completion.text, options.runner, {
                signal: controller.signal,
                question,
              }),
            )
          : toResult(i, completion, options.weighByArithmetic === true, question);
      // finished in the same instant the vote settled: past the stop point, not counted
      if (progress.settled) progress.cancelled += 1;
      else {
        if (asked && !completion.logprobs) progress.unavailable = true;
        finish(result);
      }
    } catch (error) {
      // once the vote settled or the caller stopped, in-flight samples end however they end
      if (progress.settled) progress.cancelled += 1;
      else if (stopped.lowConfidence && !signal?.aborted) {
        const tokens = meter?.result.scored ?? 0;
        progress.cut += 1;
        progress.cutTokens += tokens;
        progress.cutLengths.push(tokens);
        options.onSampleCut?.(i, tokens);
      } else if (!signal?.aborted) {
        // one sample's failure loses nothing finished: it is marked, and the others go on
        const failure =
          error instanceof EngineError
            ? error
            : new EngineError('unknown', error instanceof Error ? error.message : String(error));
        failures.push(failure);
        options.onSampleFailed?.(i, failure);
      }
    } finally {
      inflight.delete(i);
    }
  };

  const lane = async (): Promise<void> => {
    while (!halted() && progress.next < k) {
      const i = progress.next;
      progress.next += 1;
      await run(i);
    }
  };

  signal?.addEventListener('abort', abortAll);
  try {
    await Promise.all(Array.from({ length: lanes(engine, k) }, lane));
  } finally {
    signal?.removeEventListener('abort', abortAll);
  }
  // nothing to vote on: the failure is the outcome
  if (samples.length === 0 && failures[0]) throw failures[0];
  const logprobs: LogprobsStatus = !asked ? 'off' : progress.unavailable ? 'unavailable' : 'read';
  let verification: Verification | null = null;
  if (logprobs === 'read' && options.verify === true && !signal?.aborted && vote.valid > 0) {
    options.onVerifying?.();
    verification = await verifyAnswers(engine, question, samples.map(scored), signal);
    // new objects, not edits: a caller may hold the ones onSample gave it
    for (const verdict of verification.verdicts) {
      const at = samples.findIndex((s) => s.index === verdict.sample);
      const sample = samples[at];
      if (sample) samples[at] = { ...sample, verifier: verdict.score };
    }
  }
  const aggregates = aggregateAll(samples.map(scored));
  // samples finish in any order: best-of-n names its pick by its number in the run
  const best = aggregates['best-of-n'];
  if (best.sample !== null) {
    aggregates['best-of-n'] = { ...best, sample: samples[best.sample]?.index ?? null };
  }
  const chosen = aggregates[defaultAggregation];
  const counted = samples.reduce((n, s) => n + s.usage.completionTokens, 0);
  const meanLength = samples.length > 0 ? counted / samples.length : 0;
  return {
    samples,
    vote,
    aggregates,
    answer: chosen.available ? chosen.answer : vote.winner,
    agreement: vote.agreement,
    logprobs,
    cut: progress.cut,
    cutTokens: progress.cutTokens,
    savedTokens: progress.cutLengths.reduce((n, t) => n + Math.max(0, meanLength - t), 0),
    verification,
    samplesUsed: samples.length,
    samplesSaved: k - samples.length,
    cancelled: progress.cancelled,
    failed: failures.length,
    stopReason: progress.settled ? 'settled' : signal?.aborted ? 'aborted' : 'k',
    promptTokens: samples.reduce((n, s) => n + s.usage.promptTokens, 0),
    completionTokens: samples.reduce((n, s) => n + s.usage.completionTokens, 0),
    ms: performance.now() - started,
  };
}
