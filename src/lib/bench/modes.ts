// Names for benchmark modes, stable across runs: ids in stored results and labels for people.
import { ruleName } from '../solver/stop';
import type { ModeSpec } from './types';

/**
 * A mode's stable id, used in stored results and exports: "single", "program",
 * "ensemble-k5-beta(0.95)", "ensemble-k5-beta(0.95)-check" (with the answer check).
 */
export function modeId(mode: ModeSpec): string {
  return mode.kind === 'ensemble'
    ? `ensemble-k${mode.k}-${ruleName(mode.rule)}${mode.verify ? '-check' : ''}`
    : mode.kind;
}

/** A mode for people: "Single call", "Program", "Ensemble k=5, beta(0.95)". */
export function modeLabel(mode: ModeSpec): string {
  switch (mode.kind) {
    case 'single':
      return 'Single call';
    case 'program':
      return 'Program';
    case 'ensemble':
      return `Ensemble k=${mode.k}, ${ruleName(mode.rule)}${mode.verify ? ', answer check' : ''}`;
  }
}
