// `npm run bench:engine` on a machine where nobody said where Chromium is: the driver finds it
// itself (scripts/chromium.mjs, the same way `npm test` does) and prints its figures. How a
// machine without one gets Debian's installed is chromium.test.ts's.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('npm run bench:engine', { timeout: 180_000 }, () => {
  test('finds Chromium without CHROME_PATH and prints the ratios it measured', () => {
    const env = { ...process.env };
    delete env.CHROME_PATH;
    const run = spawnSync('npm', ['run', 'bench:engine', '--', '--rounds', '1', '--tokens', '10'], {
      cwd: root,
      encoding: 'utf8',
      env,
      timeout: 170_000,
    });
    expect(run.stderr).not.toContain('No Chromium found');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/Chromium \d+\.\d+/);
    expect(run.stdout).toContain('1 round,');
    expect(run.stdout).toMatch(
      /through Tally \/ direct: \d\.\d{3} without log-probabilities, \d\.\d{3} with/,
    );
  });
});
