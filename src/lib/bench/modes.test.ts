import { describe, expect, it } from 'vitest';
import { modeId, modeLabel } from './modes';

describe('mode names', () => {
  it('are stable ids and readable labels', () => {
    expect(modeId({ kind: 'single' })).toBe('single');
    expect(modeId({ kind: 'program' })).toBe('program');
    expect(modeLabel({ kind: 'program' })).toBe('Program');
    expect(modeId({ kind: 'ensemble', k: 8, rule: { kind: 'esc', window: 4 } })).toBe(
      'ensemble-k8-esc(4)',
    );
    expect(modeLabel({ kind: 'ensemble', k: 5, rule: { kind: 'beta', threshold: 0.95 } })).toBe(
      'Ensemble k=5, beta(0.95)',
    );
  });
});
