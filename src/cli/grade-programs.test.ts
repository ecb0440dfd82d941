// `grade --programs` end to end: the real CLI, the real Node sandbox, one line per way a program
// can end. Slow: Python starts once, and again after each program a limit stopped.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, test } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'tally-grade-programs-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const fenced = (code: string): string => `Here is the program.\n\n\`\`\`python\n${code}\n\`\`\``;

test('grades program replies: right, wrong, failing, timed out, out of memory, no number, no program', () => {
  const lines = [
    { id: 1, output: fenced('def solution():\n    return (16 - 3 - 4) * 2'), gold: '$18' },
    { id: 2, output: 'total = 3 * 4\nprint(total)', gold: '12' },
    { id: 3, output: fenced('print(2 + 2)'), gold: '5' },
    { id: 4, output: fenced('print(1 / 0)'), gold: '1' },
    { id: 5, output: fenced('while True:\n    pass'), gold: '1' },
    { id: 6, output: fenced('x = [0] * (10 ** 9)'), gold: '1' },
    { id: 7, output: fenced("print('done')"), gold: '1' },
    { id: 8, output: 'The answer is 7.', gold: '7' },
    { id: 9, outputs: ['```python\nprint(1)\n```'], gold: '1' },
    { id: 10, output: fenced('print(6 * 7)'), gold: '42' },
  ];
  const path = join(dir, 'programs.jsonl');
  writeFileSync(path, lines.map((l) => JSON.stringify(l)).join('\n'));
  const run = spawnSync(
    join(root, 'node_modules/.bin/tsx'),
    ['src/cli/grade.ts', '--programs', path],
    { cwd: root, encoding: 'utf8', timeout: 600_000 },
  );
  const out = run.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(out.map(({ id, answer, correct, error }) => ({ id, answer, correct, error }))).toEqual([
    { id: 1, answer: '18', correct: true, error: undefined },
    { id: 2, answer: '12', correct: true, error: undefined },
    { id: 3, answer: '4', correct: false, error: undefined },
    { id: 4, answer: null, correct: false, error: 'exception' },
    { id: 5, answer: null, correct: false, error: 'timeout' },
    { id: 6, answer: null, correct: false, error: 'memory' },
    { id: 7, answer: null, correct: false, error: 'no-number' },
    { id: 8, answer: null, correct: false, error: 'no-program' },
    { id: 10, answer: '42', correct: true, error: undefined },
  ]);
  expect(out[3]?.message).toContain('ZeroDivisionError: division by zero');
  expect(out[4]?.message).toBe('The program was stopped after 5 s (the time limit).');
  // the line with "outputs" is malformed in this mode: named on stderr, skipped, exit code 1
  expect(run.stderr).toContain(`${path}:9: with --programs, each line needs one "output"`);
  expect(run.stderr).toContain('graded 9 lines: 3 correct (33.3%)');
  // a sandbox for each of the eight programs run (and, at most, the next one started ahead)
  const [, started] = /peak memory: grade \d+ MiB, sandbox \d+ MiB \((\d+) started\)/.exec(
    run.stderr,
  ) ?? [0, 0];
  expect(Number(started)).toBeGreaterThanOrEqual(8);
  expect(Number(started)).toBeLessThanOrEqual(9);
  expect(run.status).toBe(1);
}, 600_000);
