import { expect, test } from 'vitest';
import { parseFromSandbox, parseToSandbox } from './protocol';

test('sandbox replies are taken only in their exact shapes', () => {
  expect(parseFromSandbox({ type: 'ready' })).toEqual({ type: 'ready' });
  expect(parseFromSandbox({ type: 'failed', message: 'no wasm' })).toEqual({
    type: 'failed',
    message: 'no wasm',
  });
  const ok = { ok: true, stdout: '42\n', returned: null, ms: 2 };
  expect(parseFromSandbox({ type: 'result', id: 3, outcome: ok })).toEqual({
    type: 'result',
    id: 3,
    outcome: ok,
  });
  const failed = {
    ok: false,
    failure: 'exception',
    message: 'ZeroDivisionError',
    stdout: '',
    ms: 1,
  };
  expect(parseFromSandbox({ type: 'result', id: 4, outcome: failed })).toEqual({
    type: 'result',
    id: 4,
    outcome: failed,
  });
  for (const bad of [
    null,
    'ready',
    { type: 'result', id: '3', outcome: ok },
    { type: 'result', id: 3, outcome: { ...ok, returned: 42 } },
    { type: 'result', id: 3, outcome: { ...failed, failure: 'escaped' } },
    { type: 'result', id: 3, outcome: { ...ok, stdout: undefined } },
    { type: 'failed' },
    { type: 'other' },
  ]) {
    expect(parseFromSandbox(bad)).toBeNull();
  }
});

test('host messages are taken only in their exact shapes', () => {
  expect(parseToSandbox({ type: 'run', id: 1, code: 'print(1)' })).toEqual({
    type: 'run',
    id: 1,
    code: 'print(1)',
  });
  expect(parseToSandbox({ type: 'start', limits: { memoryBytes: 1, outputBytes: 2 } })).toEqual({
    type: 'start',
    limits: { memoryBytes: 1, outputBytes: 2 },
  });
  for (const bad of [
    { type: 'run', id: 1 },
    { type: 'start' },
    { type: 'start', limits: { memoryBytes: '1', outputBytes: 2 } },
    [],
  ]) {
    expect(parseToSandbox(bad)).toBeNull();
  }
});
