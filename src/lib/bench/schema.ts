// Checks values read back from a results file or IndexedDB before the runner trusts them.
// A guard returns false for anything malformed; callers drop that entry and redo its work.
import type { ProgramError } from '../program/answer';
import { aggregationNames } from '../solver/aggregate';
import { ruleName, stopRuleProblem, type StopRule } from '../solver/stop';
import { modeId } from './modes';
import type {
  AggregationRecord,
  BenchSampling,
  ModeSpec,
  Problem,
  ProblemResult,
  RunConfig,
  RunHeader,
  SampleRecord,
  SavedRun,
  Selection,
} from './types';

type Shape = Record<string, unknown>;

const isShape = (v: unknown): v is Shape =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isCount = (v: unknown): v is number => isNumber(v) && Number.isInteger(v) && v >= 0;
const isAnswer = (v: unknown): v is string | null => v === null || isString(v);
/** absent (older runs), null, or a finite number */
const isOptionalScore = (v: unknown): boolean => v === undefined || v === null || isNumber(v);

function isRule(v: unknown): v is StopRule {
  if (!isShape(v)) return false;
  if (v.kind === 'fixed') return true;
  if (v.kind === 'esc' && isNumber(v.window))
    return stopRuleProblem({ kind: 'esc', window: v.window }) === undefined;
  if (v.kind === 'beta' && isNumber(v.threshold)) {
    return stopRuleProblem({ kind: 'beta', threshold: v.threshold }) === undefined;
  }
  return false;
}

function isMode(v: unknown): v is ModeSpec {
  if (!isShape(v)) return false;
  return (
    v.kind === 'single' ||
    v.kind === 'program' ||
    (v.kind === 'ensemble' &&
      isCount(v.k) &&
      v.k >= 1 &&
      isRule(v.rule) &&
      (v.verify === undefined || v.verify === true))
  );
}

/** Every way a program can give no answer (`ProgramError` kinds). */
const programErrorKinds: readonly string[] = [
  'no-program',
  'exception',
  'timeout',
  'memory',
  'output',
  'crashed',
  'no-number',
] satisfies ProgramError['kind'][];

function isProgramError(v: unknown): v is ProgramError {
  return isShape(v) && programErrorKinds.includes(String(v.kind)) && isString(v.message);
}

function isSampling(v: unknown): v is BenchSampling {
  return isShape(v) && isNumber(v.temperature) && isNumber(v.top_p) && isCount(v.max_tokens);
}

function isSelection(v: unknown): v is Selection {
  return (
    isShape(v) &&
    (v.sample === 'first' || v.sample === 'random') &&
    isCount(v.limit) &&
    isCount(v.seed)
  );
}

function isFamily(v: unknown): v is RunConfig['family'] {
  return v === 'qwen-math' || v === 'deepseek-r1' || v === 'generic';
}

export function isConfig(v: unknown): v is RunConfig {
  return (
    isShape(v) &&
    isString(v.dataset) &&
    isString(v.fingerprint) &&
    isSelection(v.selection) &&
    Array.isArray(v.modes) &&
    v.modes.length > 0 &&
    v.modes.every(isMode) &&
    isSampling(v.sampling) &&
    isFamily(v.family) &&
    isString(v.model)
  );
}

function isProblem(v: unknown): v is Problem {
  return (
    isShape(v) && isString(v.id) && isCount(v.line) && isString(v.question) && isString(v.gold)
  );
}

export function isHeader(v: unknown): v is RunHeader {
  return (
    isShape(v) &&
    v.version === 1 &&
    isConfig(v.config) &&
    Array.isArray(v.problems) &&
    v.problems.every(isProblem) &&
    isNumber(v.createdAt)
  );
}

function isSample(v: unknown): v is SampleRecord {
  return (
    isShape(v) &&
    isString(v.text) &&
    isAnswer(v.answer) &&
    isCount(v.completionTokens) &&
    isCount(v.promptTokens) &&
    isNumber(v.ms) &&
    (v.finishReason === 'stop' || v.finishReason === 'length') &&
    isOptionalScore(v.confidence) &&
    isOptionalScore(v.verifier)
  );
}

function isAggregation(v: unknown): v is AggregationRecord {
  return (
    isShape(v) &&
    typeof v.available === 'boolean' &&
    isAnswer(v.answer) &&
    typeof v.correct === 'boolean' &&
    isCount(v.generationTokens) &&
    isCount(v.verificationTokens)
  );
}

/** absent (older runs and single-call modes), or one record per aggregation */
function isAggregates(v: unknown): boolean {
  return (
    v === undefined || (isShape(v) && aggregationNames.every((name) => isAggregation(v[name])))
  );
}

export function isResult(v: unknown): v is ProblemResult {
  return (
    isShape(v) &&
    isString(v.problemId) &&
    isString(v.mode) &&
    isString(v.gold) &&
    isAnswer(v.answer) &&
    (v.error === undefined || isProgramError(v.error)) &&
    typeof v.correct === 'boolean' &&
    Array.isArray(v.samples) &&
    v.samples.every(isSample) &&
    isShape(v.votes) &&
    Object.values(v.votes).every(isCount) &&
    isCount(v.tokens) &&
    isAggregates(v.aggregates) &&
    isNumber(v.seconds) &&
    isNumber(v.finishedAt)
  );
}

/** The entries of `list` that pass `valid`, each id once (the first); and how many were left out. */
function keepUnique<T>(list: unknown[], valid: (v: unknown) => v is T, id: (v: T) => string) {
  const seen = new Set<string>();
  const kept = list.filter((v): v is T => {
    if (!valid(v) || seen.has(id(v))) return false;
    seen.add(id(v));
    return true;
  });
  return { kept, leftOut: list.length - kept.length };
}

/** A saved run that cannot be shown at all (its header is damaged or gone). */
export class DamagedRun extends Error {
  constructor(results: number) {
    super(
      `The saved benchmark run could not be read (its settings are damaged), so its ${results} ` +
        'saved result(s) cannot be shown or resumed. Starting a new run replaces it.',
    );
  }
}

/**
 * A run as the page stored it, read back entry by entry: problems and modes of the wrong shape or
 * repeating an id are left out of the header (a list keyed by id would fail on them), results of
 * the wrong shape, of no problem and mode in the run, or repeating one are left out; each is
 * counted for a notice. Throws DamagedRun when the header cannot describe a run.
 */
export function readRun(header: unknown, values: unknown[], unreadableKeys: number): SavedRun {
  if (
    !isShape(header) ||
    !isShape(header.config) ||
    !Array.isArray(header.config.modes) ||
    !Array.isArray(header.problems)
  ) {
    throw new DamagedRun(values.length);
  }
  const modes = keepUnique(header.config.modes, isMode, modeId);
  const problems = keepUnique(header.problems, isProblem, (p) => p.id);
  const read = {
    ...header,
    config: { ...header.config, modes: modes.kept },
    problems: problems.kept,
  };
  if (!isHeader(read)) throw new DamagedRun(values.length);
  const inRun = new Set(
    read.problems.flatMap((p) =>
      read.config.modes.map((m) => resultKey({ problemId: p.id, mode: modeId(m) })),
    ),
  );
  const valid = values
    .filter((v): v is ProblemResult => isResult(v) && inRun.has(resultKey(v)))
    .sort((a, b) => a.finishedAt - b.finishedAt);
  const results = keepUnique(valid, isResult, resultKey);
  return {
    header: read,
    results: results.kept,
    unreadable: unreadableKeys + values.length - results.kept.length,
    ...(modes.leftOut + problems.leftOut > 0 ? { leftOut: modes.leftOut + problems.leftOut } : {}),
  };
}

/** What a person is told of a saved run's damage, or undefined when it was read whole. */
export function damageNotice(saved: SavedRun): string | undefined {
  const parts: string[] = [];
  if (saved.leftOut) {
    parts.push(
      `${saved.leftOut} saved problem(s) or mode(s) of this run could not be read and were left out.`,
    );
  }
  if (saved.unreadable > 0) {
    parts.push(
      `${saved.unreadable} saved result(s) could not be read and were left out; resuming redoes any the run still lacks.`,
    );
  }
  return parts.length > 0 ? parts.join(' ') : undefined;
}

/** The key a result is stored and skipped under: one per (problem, mode). */
export function resultKey(result: { problemId: string; mode: string }): string {
  return `${result.problemId}/${result.mode}`;
}

/**
 * Why a saved run cannot be continued with `config`, or undefined when it can, naming each
 * setting that differs by its command-line flag. Everything in the config must match: a different
 * model, sample or rule would mix incomparable results.
 */
export function resumeProblem(saved: RunConfig, config: RunConfig): string | undefined {
  const differs: string[] = [];
  const compare = (flag: string, was: unknown, now: unknown) => {
    const text = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));
    if (text(was) !== text(now)) differs.push(`${flag} (saved ${text(was)}, now ${text(now)})`);
  };
  if (saved.fingerprint !== config.fingerprint) {
    differs.push(
      saved.dataset === config.dataset
        ? `--data (${config.dataset} has changed since)`
        : `--data (saved ${saved.dataset}, now ${config.dataset})`,
    );
  }
  compare('--sample', saved.selection.sample, config.selection.sample);
  compare('--limit', saved.selection.limit, config.selection.limit);
  if (saved.selection.sample === 'random' || config.selection.sample === 'random')
    compare('--seed', saved.selection.seed, config.selection.seed);
  const kinds = (modes: RunConfig['modes']) => modes.map((m) => m.kind).join(',');
  compare('--modes', kinds(saved.modes), kinds(config.modes));
  const ensemble = (modes: RunConfig['modes']) => modes.find((m) => m.kind === 'ensemble');
  const [was, now] = [ensemble(saved.modes), ensemble(config.modes)];
  if (was && now) {
    compare('--k', was.k, now.k);
    compare('--stop', ruleName(was.rule), ruleName(now.rule));
  }
  compare('--temperature', saved.sampling.temperature, config.sampling.temperature);
  compare('--top-p', saved.sampling.top_p, config.sampling.top_p);
  compare('--max-tokens', saved.sampling.max_tokens, config.sampling.max_tokens);
  compare('--family', saved.family, config.family);
  compare('--model and --base-url', saved.model, config.model);
  return differs.length > 0 ? `The saved run differs in ${differs.join(', ')}.` : undefined;
}
