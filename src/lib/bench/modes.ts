// Names for benchmark modes, stable across runs: ids in stored results and labels for people.
import { ruleName } from '../solver/stop';
import type { ModeSpec } from './types';

/** A mode's stable id, used in stored results and exports: "single", "ensemble-k5-beta(0.95)". */
export function modeId(mode: ModeSpec): string {
  return mode.kind === 'single' ? 'single' : `ensemble-k${mode.k}-${ruleName(mode.rule)}`;
}

/** A mode for people: "Single call", "Ensemble k=5, beta(0.95)". */
export function modeLabel(mode: ModeSpec): string {
  return mode.kind === 'single' ? 'Single call' : `Ensemble k=${mode.k}, ${ruleName(mode.rule)}`;
}
