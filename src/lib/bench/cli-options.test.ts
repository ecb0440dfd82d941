import { describe, expect, it } from 'vitest';
import { parseCliOptions, progressPath, UsageError } from './cli-options';
import { duration, progressLine, summaryTable } from './report';
import { summarize } from './stats';

// no --engine: openai is the default
const base = ['--base-url', 'http://localhost:8000/v1', '--model', 'm', '--data', 'd.jsonl'];

function parse(...more: string[]) {
  const options = parseCliOptions([...base, ...more], { TALLY_API_KEY: 'sk-env' });
  if (options === 'help') throw new Error('help');
  return options;
}

describe('parseCliOptions', () => {
  it('has single mode, the first problems and the solver defaults by default', () => {
    const o = parse();
    expect(o.modes).toEqual([{ kind: 'single' }]);
    expect(o.selection).toMatchObject({ sample: 'first', seed: 1 });
    expect(o.sampling).toEqual({ temperature: 0.7, top_p: 0.95, max_tokens: 1024 });
    expect(o).toMatchObject({
      engine: 'openai',
      concurrency: 4,
      out: 'bench-results.json',
      apiKey: 'sk-env',
      resume: false,
    });
    expect(o.progress).toBe('bench-results.progress.jsonl');
  });

  it('adds the ensemble when --k is given, with the stop rule', () => {
    const o = parse(
      '--k',
      '8',
      '--stop',
      'esc',
      '--esc-window',
      '3',
      '--limit',
      '50',
      '--sample',
      'random',
      '--seed',
      '9',
    );
    expect(o.modes).toEqual([
      { kind: 'single' },
      { kind: 'ensemble', k: 8, rule: { kind: 'esc', window: 3 } },
    ]);
    expect(o.selection).toEqual({ sample: 'random', limit: 50, seed: 9 });
    expect(parse('--modes', 'ensemble', '--beta-threshold', '0.9').modes).toEqual([
      { kind: 'ensemble', k: 16, rule: { kind: 'beta', threshold: 0.9 } },
    ]);
    expect(parse('--modes', 'single,program,ensemble', '--k', '4').modes).toEqual([
      { kind: 'single' },
      { kind: 'program' },
      { kind: 'ensemble', k: 4, rule: { kind: 'beta', threshold: 0.95 } },
    ]);
  });

  it('names a published set by its id, downloading from its environment variable when set', () => {
    const withData = (data: string, env: Record<string, string> = {}) => {
      const o = parseCliOptions([...base.slice(0, -1), data], env);
      if (o === 'help') throw new Error('help');
      return o;
    };
    expect(withData('d.jsonl').source).toBeUndefined();
    expect(withData('gsm-hard').source).toMatchObject({ name: 'GSM-Hard', sha256: null });
    expect(withData('svamp').source?.url).toMatch(
      /^https:\/\/raw\.githubusercontent\.com\/arkilpatel\/SVAMP\//,
    );
    const mirrored = withData('svamp', {
      TALLY_SVAMP_URL: `http://127.0.0.1:8/svamp.json#sha256=${'c'.repeat(64)}&records=6`,
    }).source;
    expect(mirrored).toMatchObject({ url: 'http://127.0.0.1:8/svamp.json', records: 6 });
    expect(() => withData('gsm-hard', { TALLY_GSM_HARD_URL: 'nope' })).toThrow(
      'TALLY_GSM_HARD_URL: “nope” is not a URL for GSM-Hard.',
    );
  });

  it('refuses bad flags with a message naming them', () => {
    const bad =
      (...more: string[]) =>
      () =>
        parseCliOptions([...base, ...more]);
    expect(bad('--k', '500')).toThrow('--k must be a whole number from 1 to 40, not "500".');
    expect(bad('--temperature=-3')).toThrow(
      '--temperature must be a number from 0 to 2, not "-3".',
    );
    expect(bad('--stop', 'beta:0.95')).toThrow(
      '--stop must be beta, esc or fixed, not "beta:0.95".',
    );
    expect(bad('--beta-threshold', '1')).toThrow(
      /--beta-threshold must be a number above 0.5 and below 1/,
    );
    expect(bad('--stop', 'esc', '--esc-window', '0')).toThrow(
      /--esc-window must be a whole number from 1 to 40/,
    );
    expect(bad('--k', '')).toThrow('--k is empty: it takes a whole number from 1 to 40.');
    expect(bad('--limit', 'ten')).toThrow(/--limit/);
    expect(bad('--concurrency', '0')).toThrow(/--concurrency/);
    expect(bad('--temperature', '3')).toThrow(/--temperature/);
    expect(bad('--sample', 'all')).toThrow(/--sample/);
    expect(bad('--modes', 'both')).toThrow(
      '--modes must list single, program and/or ensemble, not "both".',
    );
    expect(bad('--family', 'llama')).toThrow(/--family/);
    expect(bad('--out', 'results.txt')).toThrow(/\.json or \.csv/);
    expect(bad('--resume', '--force')).toThrow(/contradict/);
    expect(bad('--bogus')).toThrow(UsageError);
    expect(() => parseCliOptions(['--engine', 'openai'])).toThrow(/--base-url is required/);
    expect(() => parseCliOptions([])).toThrow(/--base-url is required/);
    expect(parseCliOptions(['-h'])).toBe('help');
  });

  it('puts progress next to the export', () => {
    expect(progressPath('out/run.csv')).toBe('out/run.progress.jsonl');
    expect(progressPath('run.JSON')).toBe('run.progress.jsonl');
  });
});

describe('report', () => {
  it('formats durations', () => {
    expect(duration(0.42)).toBe('0.4 s');
    expect(duration(42)).toBe('42 s');
    expect(duration(185)).toBe('3 min 05 s');
    expect(duration(3720)).toBe('1 h 02 min');
  });

  it('prints one aligned row per mode', () => {
    const table = summaryTable(summarize([{ kind: 'single' }], []));
    const [head, row] = table.split('\n');
    expect(head).toMatch(/^mode\s+n\s+correct\s+accuracy\s+95% CI/);
    // a mode that has not run has no accuracy, not 0.0% (0.0%–100.0%)
    expect(row).toMatch(/^single\s+0\s+0\s+-\s+-\s/);
  });

  it('fits the progress line in the width', () => {
    const view = { done: 5, total: 20, failed: 1, elapsed: 10, sessionDone: 5, summaries: [] };
    const line = progressLine(view, 60);
    expect(line.length).toBeLessThanOrEqual(60);
    expect(line).toMatch(/^\[#+\.+\] 5\/20 {2}25% {2}1 failed {2}30 s left/);
  });
});
