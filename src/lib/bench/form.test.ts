import { describe, expect, it } from 'vitest';
import { defaultForm, planRun, type LoadedData } from './form';

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
      { kind: 'ensemble', k: 5, rule: { kind: 'beta', threshold: 0.95 } },
    ]);
    expect(header.config).toMatchObject({ family: 'qwen-math', model: 'm on s', dataset: 'test' });
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
    expect(plan({ limit: 0 })).toMatch(/Problems/);
    expect(plan({ seed: -1 })).toMatch(/seed/);
    expect(plan({ single: false, ensemble: false })).toMatch(/at least one mode/);
    expect(plan({ k: 41 })).toMatch(/1 to 40/);
    expect(plan({ stop: 'sometimes' })).toMatch(/not a stopping rule/);
    expect(plan({ temperature: 3 })).toMatch(/temperature/);
    expect(plan({ top_p: 0 })).toMatch(/top_p/);
    expect(plan({ max_tokens: 0.5 })).toMatch(/Max tokens/);
    expect(plan({ concurrency: 0 })).toMatch(/Concurrency/);
    expect(planRun(defaultForm, { ...data, problems: [] }, 'generic', 'm')).toMatch(
      /no valid problems/,
    );
  });
});
