// The ensemble's settings, named once: each number's label, range and default, and the stop
// rules' names. The Solve screen, the Benchmark page and `npm run bench` all read them from here,
// and an out-of-range number is refused with `fieldProblem`'s message, never clamped.

/** A number a person sets. */
export interface NumberField {
  /** what every screen calls it, in plain words; the CLI flag is given where it is used */
  label: string;
  /** the technical name, shown as a hint after the label: "top_p" */
  term?: string;
  min: number;
  max: number;
  /** whole numbers only */
  whole: boolean;
  /** min and max themselves are outside the range */
  exclusive?: boolean;
  default: number;
  /** the input's step */
  step: number;
}

/** The largest ensemble Tally runs. */
export const maxSamples = 40;

/**
 * The default k is 16 on every screen: with the default stop rule (beta 0.95) k is only a ceiling,
 * and at k = 16 a reliable model stops after about 5 samples while a close vote may use all 16
 * (docs/BENCHMARKS.md); at k = 5 the rule has almost no room to save anything.
 */
export const fields = {
  k: { label: 'Samples at most (k)', min: 1, max: maxSamples, whole: true, default: 16, step: 1 },
  /** Wang et al. (2022) sample at temperature 0.5 to 0.7. */
  temperature: { label: 'Temperature', min: 0, max: 2, whole: false, default: 0.7, step: 0.05 },
  topP: {
    label: 'Likely words kept',
    term: 'top_p',
    min: 0.01,
    max: 1,
    whole: false,
    default: 0.95,
    step: 0.01,
  },
  betaThreshold: {
    label: 'Sureness to stop',
    term: 'beta threshold',
    min: 0.5,
    max: 1,
    exclusive: true,
    whole: false,
    default: 0.95,
    step: 0.01,
  },
  escWindow: {
    label: 'Agreeing in a row',
    term: 'ESC window',
    min: 1,
    max: maxSamples,
    whole: true,
    default: 4,
    step: 1,
  },
  maxTokens: {
    label: 'Max tokens per call',
    min: 1,
    max: 1_000_000,
    whole: true,
    default: 1024,
    step: 1,
  },
  concurrency: { label: 'Concurrency', min: 1, max: 256, whole: true, default: 4, step: 1 },
  /** Seconds a model's program may run before the sandbox stops it (the default, 5 s). */
  programTimeLimit: {
    label: 'Program time limit (s)',
    min: 1,
    max: 60,
    whole: false,
    default: 5,
    step: 0.5,
  },
} satisfies Record<string, NumberField>;

export type FieldName = keyof typeof fields;

/**
 * Why `value` is not a valid `field`, or undefined when it is: "Samples at most (k) must be a whole
 * number from 1 to 40, not 500." `name` replaces the label (the CLI names its flag).
 */
export function fieldProblem(
  field: NumberField,
  value: number,
  name = field.label,
): string | undefined {
  const inRange = field.exclusive
    ? value > field.min && value < field.max
    : value >= field.min && value <= field.max;
  if (Number.isFinite(value) && inRange && (!field.whole || Number.isInteger(value))) {
    return undefined;
  }
  const what = field.whole ? 'a whole number' : 'a number';
  const range = field.exclusive
    ? `above ${field.min} and below ${field.max}`
    : `from ${field.min} to ${field.max}`;
  if (Number.isNaN(value)) return `${name} is empty: it takes ${what} ${range}.`;
  return `${name} must be ${what} ${range}, not ${value}.`;
}

/** The ensemble's answer check, as the Solve screen and the Benchmark page offer it. */
export const verifyWords = {
  label: 'Ask the model to check each answer',
  hint: 'one more call per distinct answer; needs a model that reports how sure it is',
} as const;

/**
 * What each stop rule does, in the words every screen shows; the rule's name (beta, esc, fixed,
 * as the CLI's --stop takes it) is the hint beside them.
 */
export const stopRuleNames = {
  beta: 'Once the lead is clear',
  esc: 'Once the last few agree',
  fixed: 'After all k samples',
} as const;

export type StopRuleName = keyof typeof stopRuleNames;

/**
 * What an ensemble samples, by the name every screen uses: worked solutions, programs run in the
 * sandbox, or both in turn (sample 1 prose, sample 2 a program, …), all in one vote.
 */
export const sampleKindNames = {
  prose: 'Worked solutions',
  program: 'Python programs',
  both: 'Both, taking turns',
} as const;

export type SampleKinds = keyof typeof sampleKindNames;

/** The kind of sample `i` (0-based) of an ensemble that samples `kinds`. */
export function sampleKindAt(kinds: SampleKinds, i: number): 'prose' | 'program' {
  if (kinds === 'both') return i % 2 === 0 ? 'prose' : 'program';
  return kinds;
}
