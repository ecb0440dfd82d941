import { expect, test } from 'vitest';
import { readAnswer, runReply } from './answer';
import type { ProgramRunner, RunOutcome } from './runner';

const ok = (stdout: string, returned: string | null = null): RunOutcome => ({
  ok: true,
  stdout,
  returned,
  ms: 1,
});

test('the value solution() returned wins over what the program printed, in canonical form', () => {
  expect(readAnswer(ok('debug 99\n', '42'))).toEqual({ answer: '42' });
  expect(readAnswer(ok('', '2.50'))).toEqual({ answer: '2.5' });
  expect(readAnswer(ok('', '7/3'))).toEqual({ answer: '7/3' });
  expect(readAnswer(ok('', '18.0'))).toEqual({ answer: '18' });
});

test('without a return value, the answer is read from the output as from prose', () => {
  expect(readAnswer(ok('36\n14\n'))).toEqual({ answer: '14' });
  expect(readAnswer(ok('The answer is 1,250 dollars\n'))).toEqual({ answer: '1250' });
  expect(readAnswer(ok('\\boxed{12}\nchecked\n'))).toEqual({ answer: '12' });
});

test('the question, where known, reads the output as it reads prose', () => {
  const converted = ok('6 * 12 = 72 months, which is 6 years\n');
  expect(readAnswer(converted, 'A comet comes every 72 months. How many years pass?')).toEqual({
    answer: '6',
  });
  expect(readAnswer(converted)).toEqual({ answer: '72' });
});

test('no number printed or returned is an error that says which', () => {
  expect(readAnswer(ok(''))).toEqual({
    error: { kind: 'no-number', message: 'The program printed nothing and returned no value.' },
  });
  expect(readAnswer(ok('done\n'))).toEqual({
    error: { kind: 'no-number', message: 'The program printed no number.' },
  });
  expect(readAnswer(ok('', 'apples'))).toEqual({
    error: { kind: 'no-number', message: 'solution() returned apples, which is not a number.' },
  });
});

test('a failed run is an error of its kind with its message', () => {
  const failed: RunOutcome = {
    ok: false,
    failure: 'timeout',
    message: 'The program was stopped after 5 s (the time limit).',
    stdout: '1\n',
    ms: 5000,
  };
  expect(readAnswer(failed)).toEqual({ error: { kind: 'timeout', message: failed.message } });
});

/** Stands in for the sandbox only: records what it was asked to run. */
function recordingRunner(outcome: RunOutcome): ProgramRunner & { ran: string[] } {
  const ran: string[] = [];
  return {
    ran,
    warm: () => Promise.resolve(),
    run: (code) => {
      ran.push(code);
      return Promise.resolve(outcome);
    },
    close: () => undefined,
  };
}

test('runReply runs the extracted program and reads its answer', async () => {
  const runner = recordingRunner(ok('', '7'));
  const result = await runReply('```python\ndef solution():\n    return 3 + 4\n```', runner);
  expect(runner.ran).toEqual(['def solution():\n    return 3 + 4']);
  expect(result).toMatchObject({ program: runner.ran[0], answer: '7', error: null });
});

test('runReply on a reply without a program runs nothing', async () => {
  const runner = recordingRunner(ok('', '7'));
  const result = await runReply('The answer is 7.', runner);
  expect(runner.ran).toEqual([]);
  expect(result).toEqual({
    program: null,
    outcome: null,
    answer: null,
    error: { kind: 'no-program', message: 'The reply holds no Python program.' },
  });
});

test('a complex value is a number only when it has no imaginary part', () => {
  expect(readAnswer(ok('', '(3+4j)'))).toEqual({
    error: {
      kind: 'no-number',
      message: 'solution() returned (3+4j), which is not a real number.',
    },
  });
  expect(readAnswer(ok('', '4j'))).toMatchObject({ error: { kind: 'no-number' } });
  expect(readAnswer(ok('', '(-2.5-1e-3j)'))).toMatchObject({ error: { kind: 'no-number' } });
  expect(readAnswer(ok('', '(18+0j)'))).toEqual({ answer: '18' });
  expect(readAnswer(ok('', '0j'))).toEqual({ answer: '0' });
});
