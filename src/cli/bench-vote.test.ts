import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

function benchVote(...args: string[]): { code: number | null; out: string; err: string } {
  const run = spawnSync(join(root, 'node_modules/.bin/tsx'), ['src/cli/bench-vote.ts', ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: run.status, out: run.stdout, err: run.stderr };
}

describe('bench:vote CLI', { timeout: 120_000 }, () => {
  test('prints every rule at every p(correct) and k, a summary and the choice', () => {
    const { code, out } = benchVote('--trials', '40', '--seed', '7');
    expect(code).toBe(0);
    const [rules = '', confidence = ''] = out.split('### Confidence');
    const rows = rules.split('\n').filter((line) => /^\| 0\.\d \| \d+ \|/.test(line));
    // 4 accuracies x 3 values of k x 6 rules
    expect(rows).toHaveLength(72);
    for (const rule of ['fixed', 'esc(3)', 'esc(5)', 'beta(0.9)', 'beta(0.95)', 'beta(0.99)']) {
      expect(rows.filter((r) => r.includes(`| ${rule} |`))).toHaveLength(12);
    }
    // the fixed-k baseline uses exactly k samples and matches itself
    const fixed = rows.filter((r) => r.includes('| fixed |'));
    for (const row of fixed) {
      const [, , k, , mean, , , match] = row.split('|').map((c) => c.trim());
      expect(Number(mean)).toBe(Number(k));
      expect(match).toBe('100.0%');
    }
    expect(out).toMatch(/Choice \(largest mean saving.*\): .+; defaultStopRule is beta\(0\.95\)\./);
    // the confidence part: 3 accuracies x 4 separations x 2 values of k x 9 methods
    const methodRows = confidence
      .split('\n')
      .filter((line) => /^\| 0\.\d \| [\d.]+ \| \d+ \|/.test(line));
    expect(methodRows).toHaveLength(216);
    // the majority is its own baseline
    for (const row of methodRows.filter((r) => r.includes('| majority |'))) {
      expect(row).toMatch(/\| \+0\.0 \| \d+ \| 1\.00 \|$/);
    }
    expect(confidence).toMatch(/^Default aggregation: .+ \(code: confidence\)\.$/m);
    expect(confidence).toMatch(/^Early termination: .+ \(code: off\)\.$/m);
  });

  test('the same seed prints the same figures', () => {
    const strip = (text: string): string => text.replace(/\(\d+\.\d s\)/, '');
    expect(strip(benchVote('--trials', '20', '--seed', '3').out)).toBe(
      strip(benchVote('--trials', '20', '--seed', '3').out),
    );
  });

  test('bad flags print usage and exit 2', () => {
    const bad = benchVote('--trials', 'many');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/Usage: npm run bench:vote/);
    expect(benchVote('--bogus').code).toBe(2);
  });
});
