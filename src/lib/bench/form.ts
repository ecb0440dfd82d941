// The benchmark page's options as a person edits them, checked and turned into a run to start.
// Bad input gives a message naming the field; nothing here throws or touches the DOM.
import { fieldProblem, fields, type NumberField, type StopRuleName } from '../solver/fields';
import type { PromptFamily } from '../solver/prompt';
import { defaultStopRule, stopRuleOf } from '../solver/stop';
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
  /** run the greedy program call (the model writes Python; the sandbox runs it) */
  program: boolean;
  /** run the ensemble */
  ensemble: boolean;
  /** ensemble samples at most */
  k: number;
  /** the ensemble asks the model to check each distinct answer (one more call each) */
  verify: boolean;
  stopKind: StopRuleName;
  /** the beta rule's threshold */
  betaThreshold: number;
  /** the esc rule's window */
  escWindow: number;
  /** ensemble sampling temperature, 0..2 */
  temperature: number;
  /** ensemble nucleus mass, (0, 1] */
  top_p: number;
  /** tokens per call at most */
  max_tokens: number;
  /** problems in flight at once on a server engine */
  concurrency: number;
}

/** The benchmark's own numbers, beside the ensemble's (fields.ts); the CLI uses them too. */
export const benchFields = {
  limit: {
    label: 'How many problems',
    min: 1,
    max: 1_000_000,
    whole: true,
    default: 20,
    step: 1,
  },
  seed: { label: 'Seed', min: 0, max: 0xffffffff, whole: true, default: 1, step: 1 },
} satisfies Record<string, NumberField>;

export const defaultForm: BenchForm = {
  limit: benchFields.limit.default,
  sample: 'first',
  seed: benchFields.seed.default,
  single: true,
  program: false,
  ensemble: true,
  k: fields.k.default,
  verify: false,
  stopKind: defaultStopRule.kind,
  betaThreshold: fields.betaThreshold.default,
  escWindow: fields.escWindow.default,
  temperature: fields.temperature.default,
  top_p: fields.topP.default,
  max_tokens: fields.maxTokens.default,
  concurrency: fields.concurrency.default,
};

/** Problems in a measuring run started from the Solve page (`BenchState.measure`). */
export const evidenceProblems = 20;

/** Each field of the form that is out of range, with the message shown beside it. */
export type FormProblems = Partial<Record<keyof BenchForm, string>>;

/** The fields to fix; fields that do not apply (the seed of a "first N" run) are not checked. */
export function formProblems(form: BenchForm): FormProblems {
  const problems: FormProblems = {};
  const check = (key: keyof BenchForm, field: NumberField, value: number) => {
    const problem = fieldProblem(field, value);
    if (problem) problems[key] = problem;
  };
  check('limit', benchFields.limit, form.limit);
  if (form.sample === 'random') check('seed', benchFields.seed, form.seed);
  if (form.ensemble) {
    check('k', fields.k, form.k);
    if (form.stopKind === 'beta') check('betaThreshold', fields.betaThreshold, form.betaThreshold);
    if (form.stopKind === 'esc') check('escWindow', fields.escWindow, form.escWindow);
    check('temperature', fields.temperature, form.temperature);
    check('top_p', fields.topP, form.top_p);
  }
  check('max_tokens', fields.maxTokens, form.max_tokens);
  check('concurrency', fields.concurrency, form.concurrency);
  return problems;
}

/** Data the page has loaded. */
export interface LoadedData {
  /** "GSM8K test" or the file's name */
  name: string;
  problems: Problem[];
  fingerprint: string;
}

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
  const [problem] = Object.values(formProblems(form));
  if (problem) return problem;
  if (!form.single && !form.program && !form.ensemble)
    return 'Pick at least one mode: single call, program or ensemble.';
  const modes: ModeSpec[] = [];
  if (form.single) modes.push({ kind: 'single' });
  if (form.program) modes.push({ kind: 'program' });
  if (form.ensemble) {
    const rule = stopRuleOf(form.stopKind, form.betaThreshold, form.escWindow);
    modes.push({ kind: 'ensemble', k: form.k, rule, ...(form.verify ? { verify: true } : {}) });
  }
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

/**
 * The form as it was for a run with `config`: its modes, selection and sampling, so the form
 * beside a run's results states that run's settings. What a run does not record (the concurrency,
 * the unused rule's number) is kept from `form`.
 */
export function formOf(config: RunConfig, form: BenchForm): BenchForm {
  const ensemble = config.modes.find((m) => m.kind === 'ensemble');
  const rule = ensemble?.rule;
  return {
    ...form,
    limit: config.selection.limit,
    sample: config.selection.sample,
    seed: config.selection.seed,
    single: config.modes.some((m) => m.kind === 'single'),
    program: config.modes.some((m) => m.kind === 'program'),
    ensemble: ensemble !== undefined,
    ...(ensemble ? { k: ensemble.k } : {}),
    ...(rule ? { stopKind: rule.kind } : {}),
    ...(rule?.kind === 'beta' ? { betaThreshold: rule.threshold } : {}),
    ...(rule?.kind === 'esc' ? { escWindow: rule.window } : {}),
    temperature: config.sampling.temperature,
    top_p: config.sampling.top_p,
    max_tokens: config.sampling.max_tokens,
  };
}
