// The Node host with the real Pyodide: answers, errors, limits, and the hostile programs. Slow
// (each limit restarts Python), so one runner serves the whole file.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { hostilePrograms, nodeHostilePrograms } from '../../../tests/fixtures/hostile-programs';
import { expectContained } from '../../../tests/fixtures/hostile-check';
import { runReply } from './answer';
import { createNodeRunner } from './node-runner';

// 20 s rather than 5: this machine's CPU is shared, and filling 256 MiB must end by the memory limit
const runner = createNodeRunner({
  timeoutMs: 20_000,
  memoryBytes: 256 * 1024 * 1024,
  outputBytes: 1024 * 1024,
});
const slow = 180_000;

beforeAll(() => runner.warm(), slow);
afterAll(() => {
  runner.close();
});

test('returns what solution() returns, and what a program prints', async () => {
  expect(await runner.run('def solution():\n    return 3 * 7\n')).toMatchObject({
    ok: true,
    returned: '21',
  });
  expect(await runner.run('print(6 * 7)')).toMatchObject({
    ok: true,
    stdout: '42\n',
    returned: null,
  });
});

test('a Python error comes back with the program’s own frames only', async () => {
  const outcome = await runner.run('def solution():\n    return 1 / 0\n');
  expect(outcome).toMatchObject({ ok: false, failure: 'exception' });
  if (outcome.ok) return;
  expect(outcome.message).toContain('File "<program>", line 2, in solution');
  expect(outcome.message).toContain('ZeroDivisionError: division by zero');
  expect(outcome.message).not.toContain('_run');
});

test('the standard library imports; anything else is a clear error', async () => {
  expect(
    await runner.run('import math, fractions\nprint(math.comb(5, 2), fractions.Fraction(1, 3))'),
  ).toMatchObject({
    ok: true,
    stdout: '10 1/3\n',
  });
  const outcome = await runner.run('import numpy');
  expect(outcome).toMatchObject({ ok: false, failure: 'exception' });
  if (!outcome.ok) {
    expect(outcome.message).toContain(
      "No module named 'numpy': programs can use only Python's standard library",
    );
  }
});

test('one program cannot change the builtins the next one sees', async () => {
  await runner.run('import builtins\nbuiltins.print = lambda *a: None\nbuiltins.len = None');
  expect(await runner.run('print(len([1, 2]))')).toMatchObject({ ok: true, stdout: '2\n' });
});

test('runReply reads the answer of a real reply', async () => {
  const result = await runReply(
    'Let me compute.\n```python\ndef solution():\n    eggs = 16 - 3 - 4\n    return eggs * 2\n```',
    runner,
  );
  expect(result).toMatchObject({ answer: '18', error: null });
  const none = await runReply('```python\nprint("done")\n```', runner);
  expect(none.error).toEqual({ kind: 'no-number', message: 'The program printed no number.' });
});

describe('hostile programs: none succeeds, and the next program runs normally', () => {
  for (const program of [...hostilePrograms, ...nodeHostilePrograms]) {
    test(
      program.name,
      async () => {
        expectContained(program, await runner.run(program.code));
        expect(await runner.run('print(6 * 7)')).toMatchObject({ ok: true, stdout: '42\n' });
      },
      slow,
    );
  }
});
