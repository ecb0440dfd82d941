// When an ensemble may stop sampling because more samples would not change the vote (much).
// Pure: a rule and the vote so far in, yes or no out; a malformed rule is reported by stopRuleProblem.
import { leadProbability } from './beta';
import { fieldProblem, fields } from './fields';
import { tally, type Vote } from './vote';

/** A stopping rule for sampling; every rule also stops at k, which the caller enforces. */
export type StopRule =
  /** never stops early: all k samples are drawn */
  | { kind: 'fixed' }
  /**
   * ESC (Li et al. 2024): stop when the last `window` samples (1..40) all gave the same answer.
   * The paper checks disjoint windows; this checks after every sample, a sliding window.
   */
  | { kind: 'esc'; window: number }
  /**
   * Adaptive-Consistency (Aggarwal et al. 2023): stop when P(p1 > p2 | v1, v2) >= `threshold`
   * (0.5..1, exclusive), X ~ Beta(v1 + 1, v2 + 1) with v1, v2 the votes of the top two answers.
   */
  | { kind: 'beta'; threshold: number };

/**
 * The rule Tally uses unless told otherwise, picked by `npm run bench:vote` (docs/BENCHMARKS.md):
 * the largest saving whose vote matches the full-k vote in at least 99% of trials at every
 * simulated accuracy and k.
 */
export const defaultStopRule: StopRule = { kind: 'beta', threshold: fields.betaThreshold.default };

/** The rule of that name, with the parameter it takes. */
export function stopRuleOf(kind: StopRule['kind'], threshold: number, window: number): StopRule {
  switch (kind) {
    case 'fixed':
      return { kind: 'fixed' };
    case 'esc':
      return { kind: 'esc', window };
    case 'beta':
      return { kind: 'beta', threshold };
  }
}

/** A human-readable reason the rule is unusable, or undefined when it is fine. */
export function stopRuleProblem(rule: StopRule): string | undefined {
  switch (rule.kind) {
    case 'fixed':
      return undefined;
    case 'esc':
      return fieldProblem(fields.escWindow, rule.window);
    case 'beta':
      return fieldProblem(fields.betaThreshold, rule.threshold);
  }
}

/** The bucket index of each sample, in input order (-1 for an abstention). */
function bucketOf(vote: Vote): number[] {
  const owner = new Array<number>(vote.valid + vote.abstained).fill(-1);
  vote.buckets.forEach((bucket, b) => {
    for (const i of bucket.members) owner[i] = b;
  });
  return owner;
}

function lastAgree(vote: Vote, window: number): boolean {
  const owner = bucketOf(vote);
  if (owner.length < window) return false;
  const recent = owner.slice(owner.length - window);
  const first = recent[0] ?? -1;
  return first >= 0 && recent.every((b) => b === first);
}

/** A short name for a rule, as the benchmark and the UI print it: "esc(5)", "beta(0.95)". */
export function ruleName(rule: StopRule): string {
  switch (rule.kind) {
    case 'fixed':
      return 'fixed';
    case 'esc':
      return `esc(${rule.window})`;
    case 'beta':
      return `beta(${rule.threshold})`;
  }
}

/** Whether sampling may stop now, given the vote over the samples finished so far (in order). */
export function shouldStop(rule: StopRule, vote: Vote): boolean {
  switch (rule.kind) {
    case 'fixed':
      return false;
    case 'esc':
      return lastAgree(vote, rule.window);
    case 'beta': {
      const [first, second] = vote.buckets;
      return (
        first !== undefined && leadProbability(first.votes, second?.votes ?? 0) >= rule.threshold
      );
    }
  }
}

/**
 * Counts `answers` in order, as an ensemble would receive them, until `rule` stops or k answers
 * are counted: how many it used and the vote at that point (used 0 for no answers).
 */
export function voteUntilStop(
  rule: StopRule,
  answers: readonly (string | null)[],
  k = answers.length,
): { used: number; vote: Vote } {
  const limit = Math.min(k, answers.length);
  for (let n = 1; n <= limit; n += 1) {
    const vote = tally(answers.slice(0, n));
    if (n === limit || shouldStop(rule, vote)) return { used: n, vote };
  }
  return { used: 0, vote: tally([]) };
}
