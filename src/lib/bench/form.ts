// The benchmark page's options as a person edits them, checked and turned into a run to start.
// Bad input gives a message naming the field; nothing here throws or touches the DOM.
import type { PromptFamily } from '../solver/prompt';
import { defaultSampling } from '../solver/solve';
import { defaultStopRule, ruleName } from '../solver/stop';
import { kProblem, parseStopRule } from './modes';
import { selectProblems } from './select';
import type { ModeSpec, Problem, RunConfig, RunHeader } from './types';

/** The options form. */
export interface BenchForm {
  /** problems to run */
  limit: number;
  sample: 'first' | 'random';
  /** seed of the random sample, 0..2^32-1 */
  seed: number;
  /** run the single greedy call */
  single: boolean;
  /** run the ensemble */
  ensemble: boolean;
  /** ensemble samples at most */
  k: number;
  /** the stopping rule as text: fixed, esc:W, beta:T */
  stop: string;
  /** ensemble sampling temperature, 0..2 */
  temperature: number;
  /** ensemble nucleus mass, (0, 1] */
  top_p: number;
  /** tokens per call at most */
  max_tokens: number;
  /** problems in flight at once on a server engine */
  concurrency: number;
}

export const defaultForm: BenchForm = {
  limit: 20,
  sample: 'first',
  seed: 1,
  single: true,
  ensemble: true,
  k: 5,
  stop: ruleName(defaultStopRule),
  temperature: defaultSampling.temperature,
  top_p: defaultSampling.top_p,
  max_tokens: 1024,
  concurrency: 4,
};

/** Data the page has loaded. */
export interface LoadedData {
  /** "GSM8K test" or the file's name */
  name: string;
  problems: Problem[];
  fingerprint: string;
}

const whole = (v: number, min: number, max: number) => Number.isInteger(v) && v >= min && v <= max;

/**
 * The header of a new run from the form, or a message saying what to fix. `model` names what
 * answers (the engine's label), `family` how it is prompted.
 */
export function planRun(
  form: BenchForm,
  data: LoadedData,
  family: PromptFamily,
  model: string,
  now = Date.now(),
): RunHeader | string {
  if (!whole(form.limit, 1, 1_000_000)) return 'Problems must be a whole number from 1.';
  if (!whole(form.seed, 0, 0xffffffff))
    return 'The seed must be a whole number from 0 to 4294967295.';
  if (!form.single && !form.ensemble) return 'Pick at least one mode: single call or ensemble.';
  const modes: ModeSpec[] = [];
  if (form.single) modes.push({ kind: 'single' });
  if (form.ensemble) {
    const k = kProblem(form.k);
    if (k) return k;
    const rule = parseStopRule(form.stop);
    if (typeof rule === 'string') return rule;
    modes.push({ kind: 'ensemble', k: form.k, rule });
  }
  if (!(form.temperature >= 0 && form.temperature <= 2))
    return 'The temperature must be from 0 to 2.';
  if (!(form.top_p > 0 && form.top_p <= 1)) return 'top_p must be above 0 and at most 1.';
  if (!whole(form.max_tokens, 1, 1_000_000)) return 'Max tokens must be a whole number from 1.';
  if (!whole(form.concurrency, 1, 64)) return 'Concurrency must be a whole number from 1 to 64.';
  if (data.problems.length === 0) return 'The data has no valid problems.';
  const selection = {
    sample: form.sample,
    limit: Math.min(form.limit, data.problems.length),
    seed: form.seed,
  };
  const config: RunConfig = {
    dataset: data.name,
    fingerprint: data.fingerprint,
    selection,
    modes,
    sampling: { temperature: form.temperature, top_p: form.top_p, max_tokens: form.max_tokens },
    family,
    model,
  };
  return { version: 1, config, problems: selectProblems(data.problems, selection), createdAt: now };
}
