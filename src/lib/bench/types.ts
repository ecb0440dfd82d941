// The shapes a benchmark run is made of, shared by the runner, both stores, the exports and the page.
// Types only; values read back from storage are checked by schema.ts before they are trusted.
import type { ModelFamily } from '../models/catalog';
import type { ProgramError } from '../program/answer';
import type { AggregationName } from '../solver/aggregate';
import type { StopRule } from '../solver/stop';

/** One problem with a known answer. */
export interface Problem {
  /**
   * stable within its data file: `L` and the 1-based line number, e.g. "L12", or in a JSON array
   * (SVAMP) `R` and the 1-based record number
   */
  id: string;
  /** 1-based line in the data file, or record in a JSON array */
  line: number;
  question: string;
  /** the gold answer: GSM8K's text after `####`, trimmed, thousands commas removed */
  gold: string;
}

/** How one problem is attempted. */
export type ModeSpec =
  /** one greedy call (temperature 0) */
  | { kind: 'single' }
  /** one greedy call asking for a Python program, run in the sandbox (src/lib/program) */
  | { kind: 'program' }
  /**
   * up to `k` sampled calls and a vote (solver `defaultAggregation`), stopping early when `rule`
   * allows; with `verify`, the answer check (self-verifier) asks about each distinct answer
   */
  | { kind: 'ensemble'; k: number; rule: StopRule; verify?: true };

/** Sampling for ensemble calls; single calls are greedy and share only `max_tokens`. */
export interface BenchSampling {
  /** 0..2 */
  temperature: number;
  /** nucleus mass, 0..1 */
  top_p: number;
  /** tokens each call may generate at most */
  max_tokens: number;
}

/** Which problems of the data file a run takes. */
export interface Selection {
  /** 'first': the first `limit` problems; 'random': a seeded sample of `limit` (see select.ts) */
  sample: 'first' | 'random';
  /** problems to run; capped at the number of valid problems */
  limit: number;
  /** seed of the sample (used only when `sample` is 'random'), an unsigned 32-bit integer */
  seed: number;
}

/** Everything that decides a run's results; a resume must match it exactly. */
export interface RunConfig {
  /** a label for the data: a file name or "GSM8K test" */
  dataset: string;
  /** hash of the valid problems of the data file (data.ts `fingerprint`) */
  fingerprint: string;
  selection: Selection;
  modes: ModeSpec[];
  sampling: BenchSampling;
  /** how prompts are phrased for the model */
  family: ModelFamily;
  /** what answers: a model name, with its server where there is one */
  model: string;
}

/** What a store keeps about a run besides its results. */
export interface RunHeader {
  /** format version of stored runs and exports */
  version: 1;
  config: RunConfig;
  /** the selected problems, in run order: a resume needs no data file to know them */
  problems: Problem[];
  /** epoch milliseconds when the run began */
  createdAt: number;
}

/** One sampled (or greedy) call inside a problem's attempt. */
export interface SampleRecord {
  /** the model's whole reply */
  text: string;
  /** the answer extracted from `text` (canonical numeric text), or null */
  answer: string | null;
  /** tokens generated */
  completionTokens: number;
  /** tokens in the prompt */
  promptTokens: number;
  /** wall time of the call, milliseconds */
  ms: number;
  /** 'length' when max_tokens cut the reply short */
  finishReason: 'stop' | 'length';
  /** ensemble samples: the lowest group confidence (DeepConf), null without log-probabilities; absent in older runs */
  confidence?: number | null;
  /** ensemble samples: the self-verifier's P(yes), null when it was not the sample verified; absent in older runs */
  verifier?: number | null;
}

/** One aggregation's answer to an ensemble's samples, and what it cost. */
export interface AggregationRecord {
  /** false when its scores were missing (no log-probabilities, no verification): no answer */
  available: boolean;
  answer: string | null;
  /** `answer` equals the gold answer numerically */
  correct: boolean;
  /** tokens the samples generated, those cut early for low confidence included */
  generationTokens: number;
  /** tokens the self-verifier read and wrote (verifier and best-of-n only; 0 for the others) */
  verificationTokens: number;
}

/** One problem attempted in one mode: the unit a run saves and a resume skips. */
export interface ProblemResult {
  problemId: string;
  /** `modeId` of the mode */
  mode: string;
  gold: string;
  /** the final answer: the single call's or program's, or the ensemble's (solver `defaultAggregation`); null when none */
  answer: string | null;
  /** program mode only: why the program gave no answer (no program, exception, timeout, …) */
  error?: ProgramError;
  /** `answer` equals `gold` numerically (solver `answersEqual`) */
  correct: boolean;
  /** the calls made, in the order they finished */
  samples: SampleRecord[];
  /** answer -> samples that gave it (nulls left out) */
  votes: Record<string, number>;
  /** completion tokens over all samples */
  tokens: number;
  /** ensemble modes: every aggregation over the same samples; absent in older runs */
  aggregates?: Record<AggregationName, AggregationRecord>;
  /** wall time of the whole attempt, seconds */
  seconds: number;
  /** epoch milliseconds when it finished */
  finishedAt: number;
}

/** A run as a store holds it. */
export interface SavedRun {
  header: RunHeader;
  /** finished results, one per (problem, mode); later duplicates replace earlier ones */
  results: ProblemResult[];
  /** stored entries that could not be read and were left out (they will be redone) */
  unreadable: number;
  /** problems or modes of the header that could not be read and were left out */
  leftOut?: number;
}

/** Accuracy and cost of one mode over the results so far. */
export interface ModeSummary {
  mode: string;
  /** human-readable description of the mode */
  label: string;
  /** problems finished in this mode */
  n: number;
  correct: number;
  /** correct / n, 0..1; null when n is 0 (a mode that has not run has no accuracy) */
  accuracy: number | null;
  /** 95% Wilson score interval of the accuracy, 0..1; null when n is 0 */
  ci: { low: number; high: number } | null;
  /** samples per problem, mean */
  meanSamples: number;
  /** completion tokens, total */
  tokens: number;
  /** completion tokens per second of generation (sum of call times), per stream */
  tokensPerSecond: number;
  /** summed wall time of the problems' attempts, seconds */
  seconds: number;
  /** program mode: problems whose program gave no answer, by why (`ProgramError` kind) */
  errors: Record<string, number>;
  /**
   * ensemble modes: one row per aggregation that answered at least once, in `aggregationNames`
   * order, over the results that recorded aggregations (runs saved before they were recorded have
   * none); empty otherwise
   */
  aggregations: AggregationSummary[];
  /** ensemble modes: the aggregations that never could answer, left out of `aggregations` */
  leftOut: AggregationName[];
}

/** Accuracy and cost of one aggregation of an ensemble mode. */
export interface AggregationSummary {
  name: AggregationName;
  /** results that recorded it */
  n: number;
  /** results where it could answer at all (see `AggregationRecord.available`) */
  available: number;
  /** an unavailable aggregation counts as not answering */
  correct: number;
  accuracy: number;
  /** 95% Wilson score interval of the accuracy */
  ci: { low: number; high: number };
  /** generation plus verification tokens, mean per problem */
  meanTokens: number;
  /** verification tokens alone, mean per problem */
  meanVerificationTokens: number;
}
