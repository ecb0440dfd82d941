// Names for benchmark modes and the text form of stopping rules that the CLI and the page accept.
// Parsing returns a message for bad input instead of throwing; names are stable across runs.
import { maxSamples } from '../solver/solve';
import { ruleName, stopRuleProblem, type StopRule } from '../solver/stop';
import type { ModeSpec } from './types';

/** largest k a run may ask for: the solver's limit */
export const maxK = maxSamples;

/** A mode's stable id, used in stored results and exports: "single", "ensemble-k5-beta(0.95)". */
export function modeId(mode: ModeSpec): string {
  return mode.kind === 'single' ? 'single' : `ensemble-k${mode.k}-${ruleName(mode.rule)}`;
}

/** A mode for people: "Single call", "Ensemble k=5, beta(0.95)". */
export function modeLabel(mode: ModeSpec): string {
  return mode.kind === 'single' ? 'Single call' : `Ensemble k=${mode.k}, ${ruleName(mode.rule)}`;
}

/**
 * Reads a stopping rule: "fixed", "esc:W" (or "esc(W)") with W samples in the window, or
 * "beta:T" (or "beta(T)") with T the threshold. Returns the rule or a message saying what is wrong.
 */
export function parseStopRule(text: string): StopRule | string {
  const match = /^\s*(fixed|esc|beta)\s*(?::\s*([\d.]+)|\(\s*([\d.]+)\s*\))?\s*$/i.exec(text);
  if (!match)
    return `"${text}" is not a stopping rule: use fixed, esc:W (e.g. esc:4) or beta:T (e.g. beta:0.95).`;
  const kind = (match[1] ?? '').toLowerCase();
  const arg = match[2] ?? match[3];
  let rule: StopRule;
  if (kind === 'fixed') {
    if (arg !== undefined) return 'The fixed rule takes no number.';
    rule = { kind: 'fixed' };
  } else if (arg === undefined) {
    return kind === 'esc' ? 'esc needs a window: esc:4.' : 'beta needs a threshold: beta:0.95.';
  } else if (kind === 'esc') {
    rule = { kind: 'esc', window: Number(arg) };
  } else {
    rule = { kind: 'beta', threshold: Number(arg) };
  }
  return stopRuleProblem(rule) ?? rule;
}

/** A message when an ensemble k is unusable, else undefined. */
export function kProblem(k: number): string | undefined {
  return Number.isInteger(k) && k >= 1 && k <= maxK
    ? undefined
    : `k must be a whole number from 1 to ${maxK}, not ${k}.`;
}
