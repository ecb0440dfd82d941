import { expect, test } from 'vitest';
import { parseFromSandbox, parseToSandbox } from './protocol';

test('sandbox replies are taken only in their exact shapes', () => {
  expect(parseFromSandbox({ type: 'ready', snapshot: null })).toEqual({
    type: 'ready',
    snapshot: null,
  });
  const made = new Uint8Array([1, 2, 3]);
  expect(parseFromSandbox({ type: 'ready', snapshot: made })).toEqual({
    type: 'ready',
    snapshot: made,
  });
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
    { type: 'ready' },
    { type: 'ready', snapshot: [1, 2, 3] },
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
  const limits = { memoryBytes: 1, outputBytes: 2 };
  expect(parseToSandbox({ type: 'start', limits, snapshot: null })).toEqual({
    type: 'start',
    limits,
    snapshot: null,
  });
  // the snapshot is copied, so it starts at offset 0 whatever view the channel handed over
  const shared = new Uint8Array([9, 1, 2, 3, 4]);
  const start = parseToSandbox({ type: 'start', limits, snapshot: shared.subarray(1) });
  expect(start).toEqual({ type: 'start', limits, snapshot: new Uint8Array([1, 2, 3, 4]) });
  expect(start?.type === 'start' && start.snapshot?.byteOffset).toBe(0);
  for (const bad of [
    { type: 'run', id: 1 },
    { type: 'start' },
    { type: 'start', limits },
    { type: 'start', limits: { memoryBytes: '1', outputBytes: 2 }, snapshot: null },
    [],
  ]) {
    expect(parseToSandbox(bad)).toBeNull();
  }
});
