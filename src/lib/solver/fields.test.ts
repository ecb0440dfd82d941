import { describe, expect, it } from 'vitest';
import { fieldProblem, fields } from './fields';
import { defaultSampling } from './solve';
import { defaultStopRule } from './stop';

describe('fieldProblem', () => {
  it('passes values in range and names the field, its range and the value otherwise', () => {
    expect(fieldProblem(fields.k, 16)).toBeUndefined();
    expect(fieldProblem(fields.k, 40)).toBeUndefined();
    expect(fieldProblem(fields.k, 500)).toBe(
      'Samples at most (k) must be a whole number from 1 to 40, not 500.',
    );
    expect(fieldProblem(fields.k, 2.5)).toMatch(/whole number from 1 to 40, not 2.5/);
    expect(fieldProblem(fields.temperature, -3)).toBe(
      'Temperature must be a number from 0 to 2, not -3.',
    );
    expect(fieldProblem(fields.temperature, Number.NaN)).toBe(
      'Temperature is empty: it takes a number from 0 to 2.',
    );
    expect(fieldProblem(fields.temperature, Infinity)).toMatch(/not Infinity/);
  });

  it('keeps exclusive bounds out', () => {
    expect(fieldProblem(fields.betaThreshold, 0.99)).toBeUndefined();
    expect(fieldProblem(fields.betaThreshold, 1)).toBe(
      'Sureness to stop must be a number above 0.5 and below 1, not 1.',
    );
    expect(fieldProblem(fields.betaThreshold, 0.5)).toMatch(/above 0.5/);
  });

  it('names a CLI flag instead of the label when asked', () => {
    expect(fieldProblem(fields.topP, 0, '--top-p')).toBe(
      '--top-p must be a number from 0.01 to 1, not 0.',
    );
  });

  it('every default is in its own range, and the solver uses these defaults', () => {
    for (const field of Object.values(fields)) {
      expect(fieldProblem(field, field.default), field.label).toBeUndefined();
    }
    expect(defaultSampling).toEqual({ temperature: 0.7, top_p: 0.95 });
    expect(defaultStopRule).toEqual({ kind: 'beta', threshold: fields.betaThreshold.default });
  });
});
