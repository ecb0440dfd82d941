// `npm start [-- --port N]`: builds the app and serves it at http://127.0.0.1:N (4173 unless told).
// Checks the port first, so a taken one is said plainly, with the flag to pick another, before a
// build that would be wasted.
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';

const host = '127.0.0.1';
const defaultPort = 4173;

/** The port `--port N` or `--port=N` names, the default without one, or an error message. */
function portFrom(args) {
  const at = args.findIndex((a) => a === '--port' || a.startsWith('--port='));
  if (at === -1) return { port: defaultPort };
  const value = args[at].includes('=') ? args[at].slice('--port='.length) : args[at + 1];
  const port = Number(value);
  if (!/^\d+$/.test(value ?? '') || port < 1 || port > 65535) {
    return { error: `--port wants a whole number from 1 to 65535; got ${value ?? 'nothing'}.` };
  }
  return { port };
}

/** Resolves true when something already listens on `port` at `host`. */
function taken(port) {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(true));
    probe.listen(port, host, () => probe.close(() => resolve(false)));
  });
}

function run(args) {
  const result = spawnSync('npx', ['vite', ...args], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const { port, error } = portFrom(process.argv.slice(2));
if (error) {
  console.error(error);
  process.exit(2);
}
if (await taken(port)) {
  console.error(
    `Port ${port} is already in use: Tally (or another program) is serving there. ` +
      `Open http://${host}:${port}/ if it is Tally, or pick another port: npm start -- --port ${port + 1}`,
  );
  process.exit(1);
}
run(['build']);
run(['preview', '--host', host, '--port', String(port), '--strictPort']);
