import { describe, expect, it } from 'vitest';
import { defaultForm, formOf, formProblems, planRun, type LoadedData } from './form';

const data: LoadedData = {
  name: 'test',
  fingerprint: 'f',
  problems: Array.from({ length: 50 }, (_, i) => ({
    id: `L${i + 1}`,
    line: i + 1,
    question: `q${i}`,
    gold: String(i),
  })),
};

describe('planRun', () => {
  it('turns the default form into single and ensemble modes over the first 20 problems', () => {
    const header = planRun(defaultForm, data, 'qwen-math', 'm on s', 7);
    if (typeof header === 'string') throw new Error(header);
    expect(header.createdAt).toBe(7);
    expect(header.problems.map((p) => p.id)).toEqual(data.problems.slice(0, 20).map((p) => p.id));
    expect(header.config.modes).toEqual([
      { kind: 'single' },
      { kind: 'ensemble', k: 16, rule: { kind: 'beta', threshold: 0.95 } },
    ]);
    expect(header.config).toMatchObject({ family: 'qwen-math', model: 'm on s', dataset: 'test' });
    // the program mode, when chosen, runs between them on the same problems
    const all = planRun({ ...defaultForm, program: true }, data, 'generic', 'm');
    if (typeof all === 'string') throw new Error(all);
    expect(all.config.modes.map((m) => m.kind)).toEqual(['single', 'program', 'ensemble']);
    const only = planRun(
      { ...defaultForm, single: false, ensemble: false, program: true },
      data,
      'generic',
      'm',
    );
    expect(typeof only !== 'string' && only.config.modes).toEqual([{ kind: 'program' }]);
  });

  it('caps the limit and samples with the seed', () => {
    const all = planRun({ ...defaultForm, limit: 500 }, data, 'generic', 'm');
    expect(typeof all !== 'string' && all.problems.length).toBe(50);
    expect(typeof all !== 'string' && all.config.selection.limit).toBe(50);
    const a = planRun(
      { ...defaultForm, sample: 'random', seed: 9, limit: 5 },
      data,
      'generic',
      'm',
    );
    const b = planRun(
      { ...defaultForm, sample: 'random', seed: 9, limit: 5 },
      data,
      'generic',
      'm',
    );
    if (typeof a === 'string' || typeof b === 'string')
      throw new Error('planRun refused a valid form');
    expect(a.problems.map((p) => p.id)).toEqual(b.problems.map((p) => p.id));
    expect(a.problems).toHaveLength(5);
    expect(a.config).toEqual(b.config);
  });

  it('names the field to fix', () => {
    const plan = (patch: Partial<typeof defaultForm>) =>
      planRun({ ...defaultForm, ...patch }, data, 'generic', 'm');
    expect(plan({ limit: 0 })).toBe(
      'How many problems must be a whole number from 1 to 1000000, not 0.',
    );
    expect(plan({ sample: 'random', seed: -1 })).toMatch(/^Seed must be a whole number from 0/);
    expect(plan({ seed: -1 })).not.toBeTypeOf('string');
    expect(plan({ single: false, ensemble: false })).toMatch(/at least one mode/);
    expect(plan({ k: 500 })).toBe(
      'Samples at most (k) must be a whole number from 1 to 40, not 500.',
    );
    expect(plan({ k: Number.NaN })).toBe(
      'Samples at most (k) is empty: it takes a whole number from 1 to 40.',
    );
    expect(plan({ betaThreshold: 1 })).toMatch(
      /^Sureness to stop must be a number above 0.5 and below 1/,
    );
    expect(plan({ stopKind: 'esc', escWindow: 0 })).toMatch(
      /^Agreeing in a row must be a whole number/,
    );
    expect(plan({ stopKind: 'esc', betaThreshold: 7 })).not.toBeTypeOf('string');
    expect(plan({ temperature: -3 })).toBe('Temperature must be a number from 0 to 2, not -3.');
    expect(plan({ top_p: 0 })).toMatch(/^Likely words kept must be a number from 0.01 to 1/);
    expect(plan({ ensemble: false, k: 500 })).not.toBeTypeOf('string');
    expect(plan({ max_tokens: 0.5 })).toMatch(/^Max tokens per call/);
    expect(plan({ concurrency: 0 })).toMatch(/^Concurrency/);
    expect(formProblems({ ...defaultForm, k: 500, temperature: -3 })).toEqual({
      k: 'Samples at most (k) must be a whole number from 1 to 40, not 500.',
      temperature: 'Temperature must be a number from 0 to 2, not -3.',
    });
    expect(planRun(defaultForm, { ...data, problems: [] }, 'generic', 'm')).toMatch(
      /no valid problems/,
    );
  });
});

describe('formOf: the form beside a saved run states that run', () => {
  it('gives back the settings a run was planned from', () => {
    const form = {
      ...defaultForm,
      limit: 3,
      sample: 'random' as const,
      seed: 9,
      program: true,
      k: 6,
      stopKind: 'fixed' as const,
      temperature: 0.5,
      top_p: 0.9,
      max_tokens: 300,
    };
    const header = planRun(form, data, 'generic', 'm');
    if (typeof header === 'string') throw new Error(header);
    expect(formOf(header.config, defaultForm)).toEqual(form);
  });

  it('keeps what a run does not record', () => {
    const header = planRun({ ...defaultForm, ensemble: false }, data, 'generic', 'm');
    if (typeof header === 'string') throw new Error(header);
    const form = formOf(header.config, { ...defaultForm, concurrency: 3, k: 9 });
    expect(form).toMatchObject({ ensemble: false, k: 9, concurrency: 3 });
  });
});
