// A run as a file: JSON (everything, solutions included) or CSV (one row per problem and mode).
// The page and the CLI both write through here, so their files are the same; nothing here throws.
import { aggregationNames } from '../solver/aggregate';
import { calibrate, type Calibration } from './calibration';
import { toCsvText } from './csv';
import { modeId } from './modes';
import { resultKey } from './schema';
import { summarize } from './stats';
import type { ModeSummary, ProblemResult, RunConfig, SavedRun } from './types';

/** One result with its problem's text, as exports carry it. */
export interface ExportedResult extends ProblemResult {
  line: number;
  question: string;
}

/** The JSON export. */
export interface BenchExport {
  format: 'tally-bench';
  version: 1;
  /** ISO 8601 */
  exportedAt: string;
  config: RunConfig;
  /** problems selected for the run (finished or not) */
  selected: number;
  summary: ModeSummary[];
  /** how often each kind of answer was right, from `results` (calibration.ts) */
  calibration: Calibration;
  /** finished results, in problem order then mode order */
  results: ExportedResult[];
}

/** The columns of the CSV export, in order. */
export const csvColumns = [
  'problem_id',
  'line',
  'mode',
  'gold',
  'answer',
  'correct',
  'samples_used',
  'answers',
  'votes',
  'completion_tokens',
  'prompt_tokens',
  'seconds',
  'truncated',
  'program_error',
  'confidences',
  'verifier_scores',
  ...aggregationNames.map((name) => `${name.replace(/-/g, '_')}_answer` as const),
  'verification_tokens',
  'question',
] as const;

/** Scores of the samples in order, separated by ";", four decimals; empty where a sample has none. */
const scores = (values: readonly (number | null | undefined)[]): string =>
  values.map((v) => (typeof v === 'number' ? v.toFixed(4) : '')).join(';');

/** Finished results in problem order, then mode order, with each problem's text. */
export function orderedResults(run: SavedRun): ExportedResult[] {
  const byKey = new Map(run.results.map((r) => [resultKey(r), r]));
  const modes = run.header.config.modes.map(modeId);
  return run.header.problems.flatMap((problem) =>
    modes.flatMap((mode) => {
      const result = byKey.get(resultKey({ problemId: problem.id, mode }));
      return result ? [{ ...result, line: problem.line, question: problem.question }] : [];
    }),
  );
}

export function toJsonExport(run: SavedRun, now = new Date()): BenchExport {
  return {
    format: 'tally-bench',
    version: 1,
    exportedAt: now.toISOString(),
    config: run.header.config,
    selected: run.header.problems.length,
    summary: summarize(run.header.config.modes, run.results),
    calibration: calibrate(run.header.config.modes, run.results),
    results: orderedResults(run),
  };
}

/** The JSON export as text, indented by two spaces. */
export function toJson(run: SavedRun, now = new Date()): string {
  return `${JSON.stringify(toJsonExport(run, now), null, 2)}\n`;
}

/**
 * The CSV export: `csvColumns` then one row per finished (problem, mode). `answers` lists each
 * sample's extracted answer in order, separated by ";" (empty where a sample gave none); `votes`
 * is "answer=count" pairs separated by ";", most votes first; `correct` and `truncated` are 1 or 0;
 * `seconds` has three decimals; `program_error` is why a program gave no answer (`no-program`,
 * `exception`, `timeout`, `memory`, `output`, `crashed`, `no-number`), empty otherwise.
 * Ensemble modes add each sample's lowest group confidence (`confidences`) and verifier P(yes)
 * (`verifier_scores`), listed like `answers`; each aggregation's answer (`majority_answer`, …,
 * empty when it had none); and the tokens the verifier read and wrote. Those columns are empty
 * for other modes and for runs saved before they were recorded.
 */
export function toCsv(run: SavedRun): string {
  const rows = orderedResults(run).map((r) => [
    r.problemId,
    String(r.line),
    r.mode,
    r.gold,
    r.answer ?? '',
    r.correct ? '1' : '0',
    String(r.samples.length),
    r.samples.map((s) => s.answer ?? '').join(';'),
    Object.entries(r.votes)
      .sort((a, b) => b[1] - a[1])
      .map(([answer, count]) => `${answer}=${count}`)
      .join(';'),
    String(r.tokens),
    String(r.samples.reduce((sum, s) => sum + s.promptTokens, 0)),
    r.seconds.toFixed(3),
    r.samples.some((s) => s.finishReason === 'length') ? '1' : '0',
    r.error?.kind ?? '',
    scores(r.samples.map((s) => s.confidence)),
    scores(r.samples.map((s) => s.verifier)),
    ...aggregationNames.map((name) => r.aggregates?.[name].answer ?? ''),
    r.aggregates ? String(r.aggregates.verifier.verificationTokens) : '',
    r.question,
  ]);
  return toCsvText([[...csvColumns], ...rows]);
}
