// Simulated sample sets with known answer distributions, to measure stopping rules against fixed k,
// and samples with a confidence of stated informativeness, to measure confidence-weighted voting
// and early termination. Deterministic for a seed; bad settings (k > samples drawn, p outside
// 0..1) throw a RangeError.
import { confidenceWeighted, majority } from './aggregate';
import { earlyThreshold, type EarlyStop } from './confidence';
import { shouldStop, voteUntilStop, type StopRule } from './stop';
import { tally } from './vote';

/** A seeded uniform generator on [0, 1) (mulberry32: 32-bit state, fast, good enough here). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** How a simulated model answers one problem. */
export interface Scenario {
  /** probability a sample gives the correct answer, 0..1 */
  pCorrect: number;
  /** probability a sample gives no answer, 0..1 */
  pNone: number;
  /** how the rest of the probability splits over wrong answers (relative weights) */
  distractors: number[];
}

/** The correct answer in every simulated problem. */
export const correctAnswer = '42';

/** One sample's answer: the correct one, a distractor ("100", "101", ...), or null. */
export function drawAnswer(scenario: Scenario, random: () => number): string | null {
  const u = random();
  if (u < scenario.pCorrect) return correctAnswer;
  if (u < scenario.pCorrect + scenario.pNone) return null;
  const total = scenario.distractors.reduce((a, b) => a + b, 0);
  let pick = random() * total;
  for (const [i, weight] of scenario.distractors.entries()) {
    pick -= weight;
    if (pick < 0) return `${i + 100}`;
  }
  return `${scenario.distractors.length + 99}`;
}

/** What one rule did on one trial at one k. */
export interface Outcome {
  /** samples consumed before stopping */
  used: number;
  /** the majority at that point */
  winner: string | null;
}

/** Runs `rule` over the first k answers: the samples it uses and the majority where it stops. */
export function runRule(rule: StopRule, answers: readonly (string | null)[], k: number): Outcome {
  if (k > answers.length) throw new RangeError(`k = ${k} but only ${answers.length} samples`);
  const { used, vote } = voteUntilStop(rule, answers, k);
  return { used, winner: vote.winner };
}

/** One row of the benchmark: a rule at one accuracy and one k, over all trials. */
export interface RuleStats {
  rule: StopRule;
  pCorrect: number;
  k: number;
  /** mean samples used */
  meanUsed: number;
  /** median samples used */
  medianUsed: number;
  /** share of trials whose stopped majority equals the full-k majority, 0..1 */
  matchFull: number;
  /** share of trials whose stopped majority is the correct answer, 0..1 */
  accuracy: number;
  /** the same trials' accuracy with all k samples (fixed-k baseline), 0..1 */
  fixedAccuracy: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const upper = sorted[mid] ?? 0;
  return sorted.length % 2 === 1 ? upper : ((sorted[mid - 1] ?? upper) + upper) / 2;
}

export interface SimulationOptions {
  scenarios: Scenario[];
  ks: number[];
  rules: StopRule[];
  /** trials per scenario; each trial's samples are shared by every rule and k (paired) */
  trials: number;
  seed: number;
}

/** Every rule at every scenario and k, measured on the same simulated sample sets. */
export function simulate(options: SimulationOptions): RuleStats[] {
  const maxK = Math.max(...options.ks);
  const random = seededRandom(options.seed);
  const rows: RuleStats[] = [];
  for (const scenario of options.scenarios) {
    if (!(scenario.pCorrect >= 0 && scenario.pCorrect + scenario.pNone <= 1)) {
      throw new RangeError(`bad scenario: p = ${scenario.pCorrect}, none = ${scenario.pNone}`);
    }
    const sets = Array.from({ length: options.trials }, () =>
      Array.from({ length: maxK }, () => drawAnswer(scenario, random)),
    );
    for (const k of options.ks) {
      const full = sets.map((answers) => runRule({ kind: 'fixed' }, answers, k));
      const fixedAccuracy = full.filter((o) => o.winner === correctAnswer).length / sets.length;
      for (const rule of options.rules) {
        const outcomes = sets.map((answers) => runRule(rule, answers, k));
        const used = outcomes.map((o) => o.used);
        rows.push({
          rule,
          pCorrect: scenario.pCorrect,
          k,
          meanUsed: used.reduce((a, b) => a + b, 0) / used.length,
          medianUsed: median(used),
          matchFull: outcomes.filter((o, i) => o.winner === full[i]?.winner).length / sets.length,
          accuracy: outcomes.filter((o) => o.winner === correctAnswer).length / sets.length,
          fixedAccuracy,
        });
      }
    }
  }
  return rows;
}

/** A simulated sample with a confidence and a length. */
export interface ConfidentSample {
  answer: string | null;
  /** the sample's confidence: 5 + N(d, 1) when correct, 5 + N(0, 1) otherwise */
  confidence: number;
  /** tokens it generates in full */
  tokens: number;
  /** tokens it has generated when early termination would cut it (32..tokens) */
  cutAt: number;
}

/** A standard normal draw (Box–Muller). */
function normal(random: () => number): number {
  const u = 1 - random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/**
 * Where simulated confidences sit. DeepConf's confidences are positive (minus a mean of
 * log-probabilities) and a vote weighs by them, so the scale matters: with top-5
 * log-probabilities a sure token scores 7 to 9 and a sample's shakiest 32-token window a few
 * units, hence 5 ± 1.
 */
export const confidenceCentre = 5;

/**
 * One sample of `scenario` whose confidence separates right from wrong by `d` standard
 * deviations; 150..350 tokens long.
 */
export function drawConfident(
  scenario: Scenario,
  d: number,
  random: () => number,
): ConfidentSample {
  const answer = drawAnswer(scenario, random);
  const confidence = confidenceCentre + normal(random) + (answer === correctAnswer ? d : 0);
  const tokens = 150 + Math.floor(random() * 201);
  const cutAt = 32 + Math.floor(random() * (tokens - 31));
  return { answer, confidence, tokens, cutAt };
}

/** How a simulated ensemble samples and aggregates. */
export interface Method {
  name: string;
  /** stop rule over the counted samples' majority (`fixed` for none) */
  rule: StopRule;
  /** online early termination, or null */
  early: EarlyStop | null;
  /** the confidence-weighted vote's keep share, or null for the majority */
  keep: number | null;
}

/** What one method did on one trial. */
export interface MethodOutcome {
  winner: string | null;
  tokens: number;
}

/**
 * Runs a method over the first k samples in order, as solveEnsemble would on a one-lane engine:
 * cut samples are counted out and spend their tokens up to the cut; the stop rule reads the
 * majority of the counted ones.
 */
export function runMethod(
  method: Method,
  samples: readonly ConfidentSample[],
  k: number,
): MethodOutcome {
  const counted: ConfidentSample[] = [];
  let tokens = 0;
  let threshold: number | null = null;
  for (const sample of samples.slice(0, k)) {
    if (threshold !== null && sample.confidence < threshold) {
      tokens += sample.cutAt;
      continue;
    }
    tokens += sample.tokens;
    counted.push(sample);
    const { early } = method;
    if (early && threshold === null && counted.length >= early.warmup) {
      threshold = earlyThreshold(
        counted.slice(0, early.warmup).map((c) => c.confidence),
        early.keep,
      );
    }
    if (counted.length < k && shouldStop(method.rule, tally(counted.map((c) => c.answer)))) break;
  }
  const scored = counted.map((c) => ({ ...c, verifier: null, weight: 1 }));
  const aggregate =
    method.keep === null ? majority(scored) : confidenceWeighted(scored, method.keep);
  return { winner: aggregate.answer, tokens };
}

/** One row: a method at one accuracy, separation and k, over all trials. */
export interface MethodStats {
  method: string;
  pCorrect: number;
  d: number;
  k: number;
  accuracy: number;
  /** mean tokens generated per problem */
  tokens: number;
}

export interface ConfidenceSimulationOptions {
  scenarios: Scenario[];
  separations: number[];
  ks: number[];
  methods: Method[];
  trials: number;
  seed: number;
}

/** Every method at every scenario, separation and k, on the same simulated samples (paired). */
export function simulateConfidence(options: ConfidenceSimulationOptions): MethodStats[] {
  const maxK = Math.max(...options.ks);
  const random = seededRandom(options.seed);
  const rows: MethodStats[] = [];
  for (const scenario of options.scenarios) {
    for (const d of options.separations) {
      const sets = Array.from({ length: options.trials }, () =>
        Array.from({ length: maxK }, () => drawConfident(scenario, d, random)),
      );
      for (const k of options.ks) {
        for (const method of options.methods) {
          const outcomes = sets.map((samples) => runMethod(method, samples, k));
          rows.push({
            method: method.name,
            pCorrect: scenario.pCorrect,
            d,
            k,
            accuracy: outcomes.filter((o) => o.winner === correctAnswer).length / sets.length,
            tokens: outcomes.reduce((n, o) => n + o.tokens, 0) / sets.length,
          });
        }
      }
    }
  }
  return rows;
}
