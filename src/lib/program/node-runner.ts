// The Node host: each sandbox is a child process (node-sandbox.ts) without code generation from
// strings, killed past the time limit. For the CLIs; the page uses browser-runner.ts.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SandboxRunner, type SpawnSandbox } from './host';
import { defaultLimits, type RunLimits } from './runner';

const entry = fileURLToPath(new URL('./node-sandbox.ts', import.meta.url));

/** The last bytes the child wrote to stderr, for the message when it dies. */
const stderrTail = 2000;

const spawnChild: SpawnSandbox = (onMessage, onExit) => {
  const child = fork(entry, [], {
    execArgv: ['--import', 'tsx', '--disallow-code-generation-from-strings'],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-stderrTail);
  });
  child.on('message', onMessage);
  child.on('error', (error) => {
    onExit(error.message);
  });
  child.on('exit', (code, signal) => {
    const how = signal ? `killed by ${signal}` : `exit code ${code ?? '?'}`;
    onExit(stderr.trim() === '' ? how : `${how}: ${stderr.trim()}`);
  });
  return {
    send(message) {
      if (child.connected) child.send(message);
    },
    kill() {
      child.kill('SIGKILL');
    },
  };
};

/** A runner whose sandboxes are Node child processes; its peak memory is in `peakRss`. */
export function createNodeRunner(limits: RunLimits = defaultLimits): SandboxRunner {
  return new SandboxRunner(spawnChild, limits);
}
