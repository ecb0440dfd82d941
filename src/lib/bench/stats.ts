// Accuracy with a confidence interval, and the cost of each mode, from a run's finished results.
// Pure arithmetic; no results gives n = 0 with no accuracy and no interval (null), never NaN or 0%.
import { aggregationNames, type AggregationName } from '../solver/aggregate';
import { modeId, modeLabel } from './modes';
import type { AggregationSummary, ModeSpec, ModeSummary, ProblemResult } from './types';

/** z for a two-sided 95% interval: the 97.5th percentile of the standard normal. */
export const z95 = 1.959963984540054;

/**
 * The Wilson score interval for `correct` successes in `n` trials (Wilson 1927):
 * (p + z²/2n ± z·sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n), with p = correct / n.
 * Unlike p ± z·sqrt(p(1-p)/n) it stays inside [0, 1] and does not collapse to a point at 0% or
 * 100%, which matters for the small, high-accuracy samples a browser run produces.
 */
export function wilson(correct: number, n: number, z = z95): { low: number; high: number } {
  if (n <= 0) return { low: 0, high: 1 };
  const p = correct / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denominator;
  // At 0 or n successes the bound is exactly 0 or 1; floating point would leave 1e-16 off.
  return {
    low: correct <= 0 ? 0 : Math.max(0, centre - half),
    high: correct >= n ? 1 : Math.min(1, centre + half),
  };
}

/**
 * One row per aggregation over the results that recorded aggregations (an ensemble mode's, run
 * since they were recorded), and the aggregations that never could answer (no log-probabilities,
 * no answer check), which get no row: an accuracy of 0 would read as a measurement.
 */
export function summarizeAggregations(results: readonly ProblemResult[]): {
  rows: AggregationSummary[];
  leftOut: AggregationName[];
} {
  const recorded = results.flatMap((r) => (r.aggregates ? [r.aggregates] : []));
  const n = recorded.length;
  if (n === 0) return { rows: [], leftOut: [] };
  const all = aggregationNames.map((name): AggregationSummary => {
    let available = 0;
    let correct = 0;
    let tokens = 0;
    let verification = 0;
    for (const aggregates of recorded) {
      const a = aggregates[name];
      if (a.available) available += 1;
      if (a.correct) correct += 1;
      tokens += a.generationTokens + a.verificationTokens;
      verification += a.verificationTokens;
    }
    return {
      name,
      n,
      available,
      correct,
      accuracy: correct / n,
      ci: wilson(correct, n),
      meanTokens: tokens / n,
      meanVerificationTokens: verification / n,
    };
  });
  return {
    rows: all.filter((a) => a.available > 0),
    leftOut: all.filter((a) => a.available === 0).map((a) => a.name),
  };
}

/** One summary per mode, in the order of `modes`, over the results that belong to each. */
export function summarize(
  modes: readonly ModeSpec[],
  results: Iterable<ProblemResult>,
): ModeSummary[] {
  const byMode = new Map<string, ProblemResult[]>();
  for (const result of results) {
    const list = byMode.get(result.mode);
    if (list) list.push(result);
    else byMode.set(result.mode, [result]);
  }
  return modes.map((mode) => {
    const id = modeId(mode);
    const list = byMode.get(id) ?? [];
    const n = list.length;
    let correct = 0;
    let samples = 0;
    let tokens = 0;
    let callMs = 0;
    let seconds = 0;
    const errors: Record<string, number> = {};
    for (const r of list) {
      if (r.correct) correct += 1;
      if (r.error) errors[r.error.kind] = (errors[r.error.kind] ?? 0) + 1;
      samples += r.samples.length;
      tokens += r.tokens;
      seconds += r.seconds;
      for (const s of r.samples) callMs += s.ms;
    }
    const { rows, leftOut } = summarizeAggregations(list);
    return {
      mode: id,
      label: modeLabel(mode),
      n,
      correct,
      accuracy: n > 0 ? correct / n : null,
      ci: n > 0 ? wilson(correct, n) : null,
      meanSamples: n > 0 ? samples / n : 0,
      tokens,
      tokensPerSecond: callMs > 0 ? tokens / (callMs / 1000) : 0,
      seconds,
      errors,
      aggregations: rows,
      leftOut,
    };
  });
}
