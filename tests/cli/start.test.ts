// `npm start` with its port taken says so, with the flag to pick another, before building anything.
import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
let server: Server;
let port: number;

beforeAll(async () => {
  // stands in for a first `npm start` already serving
  server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});
afterAll(() => {
  server.close();
});

function start(...args: string[]) {
  const started = Date.now();
  const run = spawnSync('npm', ['start', '--', ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: run.status, out: run.stdout, err: run.stderr, ms: Date.now() - started };
}

describe('npm start', { timeout: 60_000 }, () => {
  test('a taken port is said plainly, with the flag to pick another, and nothing is built', () => {
    const { code, out, err, ms } = start('--port', String(port));
    expect(code).toBe(1);
    expect(err).toContain(`Port ${port} is already in use`);
    expect(err).toContain(`npm start -- --port ${port + 1}`);
    expect(err).not.toMatch(/\n\s+at /); // no stack trace
    expect(out).not.toContain('building');
    expect(ms).toBeLessThan(10_000);
  });

  test('a port that is not a number is refused before building', () => {
    const { code, err, out } = start('--port=http');
    expect(code).toBe(2);
    expect(err).toContain('--port wants a whole number from 1 to 65535; got http.');
    expect(out).not.toContain('building');
  });
});
