// A run as a file: JSON (everything, solutions included) or CSV (one row per problem and mode).
// The page and the CLI both write through here, so their files are the same; nothing here throws.
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
  'question',
] as const;

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
    r.question,
  ]);
  return toCsvText([[...csvColumns], ...rows]);
}
