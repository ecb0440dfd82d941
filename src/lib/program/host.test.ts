// SandboxRunner's own rules (a sandbox per program, started ahead from the first one's snapshot,
// one run at a time, the time limit, a sandbox that dies or cannot start, outputs cut), against a
// scripted sandbox; the real ones are in node-runner.test.ts and browser-runner.browser.test.ts.
import { afterEach, expect, test, vi } from 'vitest';
import { SandboxRunner, type SandboxChannel } from './host';
import type { ToSandbox } from './protocol';
import { defaultLimits, shownChars } from './runner';

type Script = (
  message: ToSandbox,
  reply: (data: unknown) => void,
  exit: (why: string) => void,
) => void;

/** A runner whose sandboxes answer by `script`; counts starts and kills, keeps the start messages. */
function scripted(script: Script): {
  runner: SandboxRunner;
  starts: () => number;
  kills: () => number;
  sent: ToSandbox[];
} {
  let starts = 0;
  let kills = 0;
  const sent: ToSandbox[] = [];
  const runner = new SandboxRunner(
    (onMessage, onExit) => {
      starts += 1;
      let dead = false;
      const channel: SandboxChannel = {
        send(message) {
          sent.push(message);
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
  return { runner, starts: () => starts, kills: () => kills, sent };
}

/** Starts (making a snapshot when given none) and echoes each program as its output. */
const ready: Script = (message, reply) => {
  if (message.type === 'start')
    reply({ type: 'ready', snapshot: message.snapshot === null ? new Uint8Array([7]) : null });
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

test('every program runs in a sandbox of its own, ended after it; the next one is started ahead', async () => {
  const { runner, starts, kills } = scripted((message, reply) => {
    reply({ type: 'result', id: 'x', outcome: null });
    reply('garbage');
    ready(message, reply, () => undefined);
  });
  const outcomes = await Promise.all([runner.run('a'), runner.run('b'), runner.run('c')]);
  expect(outcomes.map((o) => o.stdout)).toEqual(['a', 'b', 'c']);
  // three programs, three sandboxes ended, and one more started for the next program once the
  // last answer was handed over
  expect(kills()).toBe(3);
  expect(starts()).toBe(3);
  await new Promise((resolve) => setTimeout(resolve, 0));
  expect(starts()).toBe(4);
});

test('close ends every sandbox and starts none after', async () => {
  const { runner, starts, kills } = scripted(ready);
  await runner.run('a');
  runner.close();
  await new Promise((resolve) => setTimeout(resolve, 10));
  expect(starts()).toBe(1);
  expect(kills()).toBe(1);
});

test('the first sandbox makes the snapshot every later one starts from; a program cannot hand over another', async () => {
  const forged = new Uint8Array([6, 6, 6]);
  const { runner, sent } = scripted((message, reply) => {
    ready(message, reply, () => undefined);
    // a program that reaches the channel claims to be ready again, with a snapshot of its own
    if (message.type === 'run') reply({ type: 'ready', snapshot: forged });
  });
  await runner.run('a');
  await runner.run('b');
  await runner.run('c');
  const starts = sent.flatMap((m) => (m.type === 'start' ? [m.snapshot] : []));
  expect(starts[0]).toBeNull();
  expect(starts.slice(1)).toEqual(starts.slice(1).map(() => new Uint8Array([7])));
  expect(starts.length).toBeGreaterThan(2);
});

test('a snapshot that does not start is dropped: the next sandbox starts Python afresh', async () => {
  const { runner, sent } = scripted((message, reply) => {
    if (message.type === 'start' && message.snapshot !== null) {
      reply({ type: 'failed', message: 'snapshot: out of bounds' });
    } else ready(message, reply, () => undefined);
  });
  expect(await runner.run('a')).toMatchObject({ ok: true, stdout: 'a' });
  // the next program's sandbox, started from the snapshot, fails: the program does not see it
  expect(await runner.run('b')).toMatchObject({ ok: true, stdout: 'b' });
  const snapshots = sent.flatMap((m) => (m.type === 'start' ? [m.snapshot] : []));
  expect(snapshots.slice(0, 3)).toEqual([null, new Uint8Array([7]), null]);
});

test('past the time limit the sandbox is killed, the run says so, and the next run gets a new sandbox', async () => {
  vi.useFakeTimers();
  const { runner, kills } = scripted((message, reply) => {
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
});

test('a sandbox that dies mid-run resolves the run as crashed; one that cannot start says why', async () => {
  const dying = scripted((message, reply, exit) => {
    if (message.type === 'run') exit('killed by SIGSEGV');
    else ready(message, reply, () => undefined);
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

test('what a sandbox sends back is cut to the limits, and the cut is said', async () => {
  const huge = 'x'.repeat(8_000_000);
  const { runner } = scripted((message, reply) => {
    if (message.type === 'start') {
      reply({ type: 'ready', snapshot: null });
      return;
    }
    reply({
      type: 'result',
      id: message.id,
      outcome:
        message.code === 'returns'
          ? { ok: true, stdout: huge, returned: huge, ms: 1 }
          : { ok: false, failure: 'exception', message: `ValueError: ${huge}`, stdout: '', ms: 1 },
    });
  });
  const returned = await runner.run('returns');
  if (!returned.ok) throw new Error('expected a finished run');
  expect(returned.returned).toHaveLength(
    shownChars + '… (cut here: 8,000,000 characters in all)'.length,
  );
  expect(returned.returned?.endsWith('(cut here: 8,000,000 characters in all)')).toBe(true);
  expect(returned.stdout.length).toBeLessThan(defaultLimits.outputBytes + 100);
  const raised = await runner.run('raises');
  if (raised.ok) throw new Error('expected a failed run');
  expect(raised.message.length).toBeLessThan(shownChars + 100);
  expect(raised.message.startsWith('ValueError: xxx')).toBe(true);
  expect(raised.message).toContain('(cut here: 8,000,012 characters in all)');
});

test('a stop mid-run ends the sandbox and rejects; a run stopped while it waits never starts', async () => {
  const { runner, kills, sent } = scripted((message, reply) => {
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
  expect(await after).toMatchObject({ ok: true, stdout: 'after' });
  // the stopped program's sandbox and the one that ran 'after'
  expect(kills()).toBe(2);
  expect(sent.flatMap((m) => (m.type === 'run' ? [m.code] : []))).toEqual(['loop', 'after']);
});

test('a stop while Python is still starting rejects at once; that sandbox runs the next program', async () => {
  let starting: (() => void) | undefined;
  const { runner, starts } = scripted((message, reply) => {
    if (message.type === 'start')
      starting = () => {
        reply({ type: 'ready', snapshot: new Uint8Array([7]) });
      };
    else ready(message, reply, () => undefined);
  });
  const stop = new AbortController();
  const run = runner.run('x', stop.signal);
  await new Promise((resolve) => setTimeout(resolve, 10));
  stop.abort();
  await expect(run).rejects.toMatchObject({ name: 'AbortError' });
  expect(starts()).toBe(1);
  const next = runner.run('next');
  starting?.();
  expect(await next).toMatchObject({ ok: true, stdout: 'next' });
});

test('a new time limit applies from the next run', async () => {
  vi.useFakeTimers();
  const { runner } = scripted((message, reply) => {
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
});
