// DeepConf (Fu et al. 2025, "Deep Think with Confidence"): how sure the model was of a sample,
// read from its own top-k log-probabilities, at no extra generation. Pure; never throws.
//
// - token confidence C_i = −(1/k) Σ_j log P_i(j) over the top-k tokens at position i: a peaked
//   distribution (one likely token, k − 1 unlikely ones) gives a large C, a flat one a small C;
// - group confidence: the mean C over a sliding window of `confidenceWindow` tokens;
// - a sample's **lowest group confidence** (its shakiest stretch) is its confidence in the votes;
//   **tail confidence** is the mean over its last `tailTokens` tokens (the final step and answer).
import type { TokenLogprob } from '../engine/logprobs';

/**
 * Tokens per group. The paper's 2048 is longer than a whole GSM8K reply (Qwen2-Math-7B writes
 * 150–400 tokens), where the lowest group would be the mean of everything and find nothing. One
 * reasoning step ("She sells 16 − 3 − 4 = 9 eggs, so she makes 9 × $2 = $18.") is 20–40 tokens:
 * a 32-token window sees one step at a time, so one shaky step shows, yet a single odd token
 * (a name, a unit) is averaged with 31 others.
 */
export const confidenceWindow = 32;

/** Tokens of the tail: the last step and the answer statement of a GSM8K reply. */
export const tailTokens = 64;

/**
 * Log-probabilities below this count as this. Servers report a token of ~zero probability as
 * −9999 (llama.cpp, vLLM) or −inf; e^−20 ≈ 2e−9 is already "impossible", and one such figure must
 * not outweigh the other k − 1.
 */
export const logprobFloor = -20;

/** A token's confidence, or null when it carries no top log-probabilities (missing). */
export function tokenConfidence(token: TokenLogprob): number | null {
  const top = token.top_logprobs;
  if (top.length === 0) return null;
  const sum = top.reduce((n, t) => n + Math.max(t.logprob, logprobFloor), 0);
  return -sum / top.length;
}

/** What a sample's log-probabilities say. Every figure is null when no token had any. */
export interface SampleConfidence {
  /** tokens that carried top log-probabilities (the others are skipped, not counted as 0) */
  scored: number;
  /** the lowest mean over `confidenceWindow` consecutive scored tokens; all of them when fewer */
  lowest: number | null;
  /** the mean over the last `tailTokens` scored tokens (all of them when fewer) */
  tail: number | null;
  /** the mean over all scored tokens */
  mean: number | null;
}

const meanOf = (values: readonly number[]): number | null =>
  values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;

/**
 * Token confidences as they stream in: the running group (for online early termination) and,
 * at the end, the sample's confidence. Tokens without log-probabilities are skipped.
 */
export class ConfidenceMeter {
  readonly #window: number;
  readonly #tail: number;
  readonly #values: number[] = [];
  #windowSum = 0;
  #lowest: number | null = null;

  constructor(window = confidenceWindow, tail = tailTokens) {
    this.#window = Math.max(1, Math.floor(window));
    this.#tail = Math.max(1, Math.floor(tail));
  }

  push(tokens: readonly TokenLogprob[]): void {
    for (const token of tokens) {
      const c = tokenConfidence(token);
      if (c === null) continue;
      this.#values.push(c);
      this.#windowSum += c;
      const n = this.#values.length;
      if (n > this.#window) this.#windowSum -= this.#values[n - 1 - this.#window] ?? 0;
      if (n >= this.#window) {
        const group = this.#windowSum / this.#window;
        this.#lowest = this.#lowest === null ? group : Math.min(this.#lowest, group);
      }
    }
  }

  /** The mean over the last full window, or null until `window` tokens were scored. */
  get group(): number | null {
    return this.#values.length >= this.#window ? this.#windowSum / this.#window : null;
  }

  get result(): SampleConfidence {
    const values = this.#values;
    return {
      scored: values.length,
      lowest: this.#lowest ?? meanOf(values),
      tail: meanOf(values.slice(-this.#tail)),
      mean: meanOf(values),
    };
  }
}

/** The confidence of a whole sample's tokens. */
export function sampleConfidence(
  tokens: readonly TokenLogprob[],
  window = confidenceWindow,
  tail = tailTokens,
): SampleConfidence {
  const meter = new ConfidenceMeter(window, tail);
  meter.push(tokens);
  return meter.result;
}

/**
 * DeepConf's online early termination: the first `warmup` samples run whole and set a threshold;
 * any later sample whose running group confidence falls below it is stopped and counted out.
 */
export interface EarlyStop {
  /** samples that run whole and set the threshold, 1.. */
  warmup: number;
  /** the share of warm-up samples that would pass the threshold (DeepConf's η), 0..1 */
  keep: number;
}

/**
 * Tally's early termination unless told otherwise: off. `npm run bench:vote` (2026-11-30,
 * docs/BENCHMARKS.md "Confidence"): with 4 warm-up samples it saves 5–14% of generated tokens and
 * gains where confidence is informative, but loses up to 3.9 points (keep 90%) or 7.6 (keep 50%)
 * where it is noise, past the rule's 1-point limit.
 */
export const defaultEarlyStop: EarlyStop | null = null;

/**
 * The threshold that `keep` of the warm-up confidences reach: their (1 − keep) quantile, linear
 * between neighbours; null for no confidences.
 */
export function earlyThreshold(confidences: readonly number[], keep: number): number | null {
  if (confidences.length === 0) return null;
  const sorted = [...confidences].sort((a, b) => a - b);
  const at = Math.min(1, Math.max(0, 1 - keep)) * (sorted.length - 1);
  const low = sorted[Math.floor(at)] ?? 0;
  const high = sorted[Math.ceil(at)] ?? low;
  return low + (high - low) * (at - Math.floor(at));
}
