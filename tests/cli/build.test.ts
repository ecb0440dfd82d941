// `npm run build` prints what a person needs (what was built) and no warning they should ignore.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, test } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const outDir = mkdtempSync(join(tmpdir(), 'tally-build-'));
afterAll(() => {
  rmSync(outDir, { recursive: true, force: true });
});

test('the build prints no warnings', { timeout: 180_000 }, () => {
  const run = spawnSync('npx', ['vite', 'build', '--outDir', outDir, '--emptyOutDir'], {
    cwd: root,
    encoding: 'utf8',
    timeout: 180_000,
    env: { ...process.env, NO_COLOR: '1' },
  });
  const printed = run.stdout + run.stderr;
  expect(run.status).toBe(0);
  expect(printed).toContain('✓ built in');
  expect(printed).not.toMatch(/warn|externalized|PLUGIN_TIMINGS|deprecated/i);
});
