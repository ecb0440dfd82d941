// The Node host with the real Pyodide: answers, errors, limits, the hostile programs, programs
// that reach for the host (against a secret file, a listener and a marker path this test sets
// up), and every way one program could change what the next sees. One runner serves the file.
import { fork } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  hostilePrograms,
  hostPrograms,
  nodeHostilePrograms,
  type HostProbe,
} from '../../../tests/fixtures/hostile-programs';
import { expectContained, sandboxContract } from '../../../tests/fixtures/hostile-check';
import { runReply } from './answer';
import { childOptions, createNodeRunner } from './node-runner';

// 20 s rather than 5: this machine's CPU is shared, and filling 256 MiB must end by the memory limit
const runner = createNodeRunner({
  timeoutMs: 20_000,
  memoryBytes: 256 * 1024 * 1024,
  outputBytes: 1024 * 1024,
});
const slow = 180_000;

const folder = mkdtempSync(join(tmpdir(), 'tally-host-probe-'));
const secret = `secret-${String(Math.random()).slice(2)}`;
const probe: HostProbe = {
  secretPath: join(folder, 'secret.txt'),
  secret,
  port: 0,
  marker: join(folder, 'marker'),
};
let connections = 0;
let listener: Server;

beforeAll(async () => {
  writeFileSync(probe.secretPath, secret);
  // visible to a sandbox only if it were given this process's environment
  process.env.TALLY_HOST_PROBE = secret;
  listener = createServer((socket) => {
    connections += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const address = listener.address();
  probe.port = typeof address === 'object' && address !== null ? address.port : 0;
  await runner.warm();
}, slow);
afterAll(() => {
  runner.close();
  listener.close();
  delete process.env.TALLY_HOST_PROBE;
  rmSync(folder, { recursive: true, force: true });
});

test(
  'returns what solution() returns, and what a program prints',
  async () => {
    expect(await runner.run('def solution():\n    return 3 * 7\n')).toMatchObject({
      ok: true,
      returned: '21',
    });
    expect(await runner.run('print(6 * 7)')).toMatchObject({
      ok: true,
      stdout: '42\n',
      returned: null,
    });
  },
  slow,
);

test(
  'a Python error comes back with the program’s own frames only',
  async () => {
    const outcome = await runner.run('def solution():\n    return 1 / 0\n');
    expect(outcome).toMatchObject({ ok: false, failure: 'exception' });
    if (outcome.ok) return;
    expect(outcome.message).toContain('File "<program>", line 2, in solution');
    expect(outcome.message).toContain('ZeroDivisionError: division by zero');
    expect(outcome.message).not.toContain('_run');
  },
  slow,
);

test(
  'the standard library imports; anything else is a clear error',
  async () => {
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
  },
  slow,
);

test(
  'runReply reads the answer of a real reply',
  async () => {
    const result = await runReply(
      'Let me compute.\n```python\ndef solution():\n    eggs = 16 - 3 - 4\n    return eggs * 2\n```',
      runner,
    );
    expect(result).toMatchObject({ answer: '18', error: null });
    const none = await runReply('```python\nprint("done")\n```', runner);
    expect(none.error).toEqual({ kind: 'no-number', message: 'The program printed no number.' });
  },
  slow,
);

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

describe('programs that reach for the host: no command runs, no host file or setting is read, nothing connects', () => {
  const pyodideDir = dirname(createRequire(import.meta.url).resolve('pyodide/package.json'));
  for (const program of hostPrograms(probe)) {
    test(
      program.name,
      async () => {
        // the probe's port is known only once the listener is up
        const code = hostPrograms(probe).find((p) => p.name === program.name)?.code ?? '';
        rmSync(probe.marker, { force: true });
        connections = 0;
        const outcome = await runner.run(code);
        expectContained(program, outcome);
        const seen = outcome.ok ? outcome.stdout : `${outcome.stdout}${outcome.message}`;
        for (const hostValue of [secret, process.cwd(), pyodideDir, folder]) {
          expect(seen).not.toContain(hostValue);
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect(existsSync(probe.marker)).toBe(false);
        expect(connections).toBe(0);
      },
      slow,
    );
  }
});

sandboxContract(runner, slow);

test('whatever JavaScript runs in the child, Node refuses it host files, writes, processes and workers', async () => {
  // the first layer on its own: a child started with the sandbox's options, running code that
  // needs no Pyodide route to try each
  const file = join(folder, 'probe.mjs');
  writeFileSync(
    file,
    `import { readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { Worker } from 'node:worker_threads';
const tries = {
  read: () => readFileSync(${JSON.stringify(probe.secretPath)}, 'utf8'),
  write: () => writeFileSync(${JSON.stringify(probe.marker)}, 'x'),
  spawn: () => spawnSync('touch', [${JSON.stringify(probe.marker)}]).error?.code ?? 'ran',
  worker: () => new Worker('1', { eval: true }),
  env: () => JSON.stringify(process.env),
};
const seen = {};
for (const [name, attempt] of Object.entries(tries)) {
  try {
    seen[name] = String(attempt());
  } catch (error) {
    seen[name] = error.code ?? error.message;
  }
}
process.send(seen);
`,
  );
  const seen = await new Promise((resolve, reject) => {
    const child = fork(file, [], childOptions(file));
    child.on('message', resolve);
    child.on('error', reject);
  });
  expect(seen).toEqual({
    read: 'ERR_ACCESS_DENIED',
    write: 'ERR_ACCESS_DENIED',
    spawn: 'ERR_ACCESS_DENIED',
    worker: 'ERR_ACCESS_DENIED',
    env: '{}',
  });
  expect(existsSync(probe.marker)).toBe(false);
});
