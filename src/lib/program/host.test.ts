// SandboxRunner's own rules (one run at a time, the time limit, restarts, a sandbox that dies or
// cannot start), against a scripted sandbox; the real one is in node-runner.test.ts.
import { afterEach, expect, test, vi } from 'vitest';
import { SandboxRunner, type SandboxChannel } from './host';
import type { ToSandbox } from './protocol';
import { defaultLimits } from './runner';

type Script = (
  message: ToSandbox,
  reply: (data: unknown) => void,
  exit: (why: string) => void,
) => void;

/** A runner whose sandboxes answer by `script`; counts starts and kills. */
function scripted(script: Script): {
  runner: SandboxRunner;
  starts: () => number;
  kills: () => number;
} {
  let starts = 0;
  let kills = 0;
  const runner = new SandboxRunner(
    (onMessage, onExit) => {
      starts += 1;
      let dead = false;
      const channel: SandboxChannel = {
        send(message) {
          queueMicrotask(() => {
            if (!dead) script(message, onMessage, onExit);
          });
        },
        kill() {
          dead = true;
          kills += 1;
        },
      };
      return channel;
    },
    { ...defaultLimits, timeoutMs: 1000 },
  );
  return { runner, starts: () => starts, kills: () => kills };
}

const ready: Script = (message, reply) => {
  if (message.type === 'start') reply({ type: 'ready' });
  else
    reply({
      type: 'result',
      id: message.id,
      outcome: { ok: true, stdout: message.code, returned: null, ms: 1 },
    });
};

afterEach(() => {
  vi.useRealTimers();
});

test('starts one sandbox, runs programs one at a time in order, and ignores malformed replies', async () => {
  const { runner, starts } = scripted((message, reply) => {
    reply({ type: 'result', id: 'x', outcome: null });
    reply('garbage');
    ready(message, reply, () => undefined);
  });
  const outcomes = await Promise.all([runner.run('a'), runner.run('b'), runner.run('c')]);
  expect(outcomes.map((o) => o.stdout)).toEqual(['a', 'b', 'c']);
  expect(starts()).toBe(1);
});

test('past the time limit the sandbox is killed, the run says so, and the next run gets a new sandbox', async () => {
  vi.useFakeTimers();
  const { runner, starts, kills } = scripted((message, reply) => {
    if (message.type === 'run' && message.code === 'loop') return; // never answers
    ready(message, reply, () => undefined);
  });
  const looping = runner.run('loop');
  await vi.advanceTimersByTimeAsync(1000);
  expect(await looping).toMatchObject({
    ok: false,
    failure: 'timeout',
    message: 'The program was stopped after 1 s (the time limit).',
  });
  expect(kills()).toBe(1);
  expect(await runner.run('next')).toMatchObject({ ok: true, stdout: 'next' });
  expect(starts()).toBe(2);
});

test('a sandbox that dies mid-run resolves the run as crashed; one that cannot start says why', async () => {
  const dying = scripted((message, reply, exit) => {
    if (message.type === 'run') exit('killed by SIGSEGV');
    else reply({ type: 'ready' });
  });
  expect(await dying.runner.run('x')).toMatchObject({
    ok: false,
    failure: 'crashed',
    message: 'The sandbox stopped: killed by SIGSEGV',
  });
  const failing = scripted((_message, reply) => {
    reply({ type: 'failed', message: 'pyodide.asm.wasm: 404' });
  });
  await expect(failing.runner.warm()).rejects.toThrow(
    'Python could not start: pyodide.asm.wasm: 404',
  );
  expect(await failing.runner.run('x')).toMatchObject({
    ok: false,
    failure: 'crashed',
    message: 'Python could not start: pyodide.asm.wasm: 404',
  });
});

test('after a memory, output or crash failure the next program gets a new sandbox; after an exception it does not', async () => {
  const { runner, starts } = scripted((message, reply) => {
    if (message.type === 'start') {
      reply({ type: 'ready' });
      return;
    }
    const failure = message.code;
    reply({
      type: 'result',
      id: message.id,
      outcome:
        failure === 'fine'
          ? { ok: true, stdout: '', returned: null, ms: 1 }
          : { ok: false, failure, message: failure, stdout: '', ms: 1 },
    });
  });
  await runner.run('exception');
  await runner.run('fine');
  expect(starts()).toBe(1);
  await runner.run('memory');
  await runner.run('fine');
  expect(starts()).toBe(2);
  await runner.run('output');
  await runner.run('fine');
  expect(starts()).toBe(3);
});

test('a stop mid-run ends the sandbox and rejects; a run stopped while it waits never starts', async () => {
  const { runner, starts, kills } = scripted((message, reply) => {
    if (message.type === 'run' && message.code === 'loop') return; // never answers
    ready(message, reply, () => undefined);
  });
  const stop = new AbortController();
  const queued = new AbortController();
  const looping = runner.run('loop', stop.signal);
  const waiting = runner.run('never', queued.signal);
  const after = runner.run('after');
  queued.abort();
  await new Promise((resolve) => setTimeout(resolve, 10));
  stop.abort();
  await expect(looping).rejects.toMatchObject({ name: 'AbortError' });
  await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
  expect(kills()).toBe(1);
  // the next run gets a new sandbox, and the stopped one never ran
  expect(await after).toMatchObject({ ok: true, stdout: 'after' });
  expect(starts()).toBe(2);
});

test('a stop while Python is still starting rejects at once; the sandbox keeps starting for the next run', async () => {
  let starting: (() => void) | undefined;
  const { runner, starts } = scripted((message, reply) => {
    if (message.type === 'start')
      starting = () => {
        reply({ type: 'ready' });
      };
    else ready(message, reply, () => undefined);
  });
  const stop = new AbortController();
  const run = runner.run('x', stop.signal);
  await new Promise((resolve) => setTimeout(resolve, 10));
  stop.abort();
  await expect(run).rejects.toMatchObject({ name: 'AbortError' });
  starting?.();
  expect(await runner.run('next')).toMatchObject({ ok: true, stdout: 'next' });
  expect(starts()).toBe(1);
});

test('a new time limit applies from the next run, in the same sandbox', async () => {
  vi.useFakeTimers();
  const { runner, starts } = scripted((message, reply) => {
    if (message.type === 'run' && message.code === 'loop') return; // never answers
    ready(message, reply, () => undefined);
  });
  expect(await runner.run('warm')).toMatchObject({ ok: true });
  runner.setTimeLimit(300);
  const looping = runner.run('loop');
  await vi.advanceTimersByTimeAsync(300);
  expect(await looping).toMatchObject({
    failure: 'timeout',
    message: 'The program was stopped after 0.3 s (the time limit).',
  });
  expect(starts()).toBe(1);
});
