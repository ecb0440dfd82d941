import { describe, expect, it } from 'vitest';
import { kProblem, modeId, modeLabel, parseStopRule } from './modes';

describe('parseStopRule', () => {
  it('reads each rule in both spellings', () => {
    expect(parseStopRule('fixed')).toEqual({ kind: 'fixed' });
    expect(parseStopRule('esc:4')).toEqual({ kind: 'esc', window: 4 });
    expect(parseStopRule('ESC(3)')).toEqual({ kind: 'esc', window: 3 });
    expect(parseStopRule('beta:0.95')).toEqual({ kind: 'beta', threshold: 0.95 });
    expect(parseStopRule(' beta(0.9) ')).toEqual({ kind: 'beta', threshold: 0.9 });
  });

  it('says what is wrong with a bad rule', () => {
    expect(parseStopRule('vote')).toMatch(/not a stopping rule/);
    expect(parseStopRule('esc')).toMatch(/window/);
    expect(parseStopRule('beta')).toMatch(/threshold/);
    expect(parseStopRule('fixed:3')).toMatch(/no number/);
    expect(parseStopRule('esc:0')).toMatch(/1 to 40/);
    expect(parseStopRule('esc:2.5')).toMatch(/1 to 40/);
    expect(parseStopRule('beta:1.5')).toMatch(/between 0.5 and 1/);
  });
});

describe('mode names', () => {
  it('are stable ids and readable labels', () => {
    expect(modeId({ kind: 'single' })).toBe('single');
    expect(modeId({ kind: 'ensemble', k: 8, rule: { kind: 'esc', window: 4 } })).toBe(
      'ensemble-k8-esc(4)',
    );
    expect(modeLabel({ kind: 'ensemble', k: 5, rule: { kind: 'beta', threshold: 0.95 } })).toBe(
      'Ensemble k=5, beta(0.95)',
    );
  });
  it('checks k', () => {
    expect(kProblem(5)).toBeUndefined();
    expect(kProblem(0)).toMatch(/1 to 40/);
    expect(kProblem(2.5)).toMatch(/1 to 40/);
  });
});
